"""Uploads are checked by their bytes: real files of each accepted kind pass; a file whose
first bytes are right but whose body is something else (a program behind a `%PDF` header,
a ZIP that is no Office document, an image with a program after it) is refused."""

import io
import struct
import zipfile

import pytest
from docx import Document
from openpyxl import Workbook
from PIL import Image
from reportlab.pdfgen import canvas

from innohub.core.uploads import content_matches, content_type_for


def _pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Kế hoạch kinh doanh")
    page.save()
    return out.getvalue()


def _image(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, kind)
    return out.getvalue()


def _docx() -> bytes:
    out = io.BytesIO()
    document = Document()
    document.add_paragraph("Hồ sơ")
    document.save(out)
    return out.getvalue()


def _xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def _zip(**files: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


# a Windows program's first bytes: MZ, e_lfanew at 0x3C pointing at the PE signature
_PE = b"MZ" + b"\x90" * 0x3A + struct.pack("<I", 0x80) + b"\x00" * (0x80 - 0x40) + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 64
_ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 57


def _check(content: bytes, extension: str) -> bool:
    return content_matches(io.BytesIO(content), extension)


@pytest.mark.parametrize(("make", "extension"), [
    (_pdf, ".pdf"), (lambda: _image("PNG"), ".png"), (lambda: _image("JPEG"), ".jpg"), (lambda: _image("JPEG"), ".jpeg"),
    (_docx, ".docx"), (_xlsx, ".xlsx"),
    (lambda: _zip(**{"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}), ".pptx"),
    (lambda: b"%PDF-1.4\n%%EOF\n", ".pdf"),  # the smallest the check takes: header and end marker
    (lambda: _pdf() + b"\r\n  \n", ".pdf"),  # whitespace after %%EOF is allowed
])
def test_real_files_of_each_kind_pass(make, extension):
    assert _check(make(), extension)


@pytest.mark.parametrize(("content", "extension"), [
    (b"%PDF-1.4\n" + _PE + b"\n%%EOF\n", ".pdf"),  # a program behind a PDF header
    (b"%PDF-1.7\n" + _ELF + b"\n%%EOF", ".pdf"),  # a Linux program behind it
    (_pdf()[:-6] + _PE + b"%%EOF\n", ".pdf"),  # a program inside a real PDF's body
    (b"%PDF-1.4\n" + b"x" * 5000, ".pdf"),  # no end marker: not a whole PDF
    (b"%PDF-1.4 content", ".pdf"),
    (_pdf() + _PE, ".pdf"),  # a program after the end
    (_image("PNG") + _PE, ".png"),
    (_image("JPEG") + _ELF, ".jpg"),
    (b"\x89PNG\r\n\x1a\n" + b"0" * 100, ".png"),  # no IEND
    (b"\xff\xd8\xff" + b"0" * 100, ".jpeg"),  # no end-of-image marker
    (b"PK\x03\x04 not really a zip", ".docx"),
    (_zip(**{"word/document.xml": b"<w/>"}), ".docx"),  # a ZIP without [Content_Types].xml
    (_zip(**{"[Content_Types].xml": b"<Types/>", "payload.exe": _PE}), ".docx"),  # no Word part, and a program
    (_docx(), ".xlsx"),  # a Word document named as a workbook
    (_pdf(), ".exe"),  # a kind the platform does not take
])
def test_disguised_files_are_refused(content, extension):
    assert not _check(content, extension)


def test_an_executable_across_two_read_chunks_is_found():
    # Given a PE header that starts 10 bytes before the first megabyte read ends
    content = b"%PDF-1.4\n" + b"x" * (1024 * 1024 - 19) + _PE + b"\n%%EOF\n"
    assert content.index(b"MZ") == 1024 * 1024 - 10
    assert not _check(content, ".pdf")


def test_the_file_is_left_at_its_start():
    upload = io.BytesIO(_pdf())
    assert content_matches(upload, ".pdf") and upload.tell() == 0


@pytest.mark.parametrize(("name", "served_as"), [
    ("Kế hoạch.PDF", "application/pdf"), (".png", "image/png"), ("a.jpeg", "image/jpeg"),
    ("a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("a.html", "application/octet-stream"), ("noextension", "application/octet-stream"), (None, "application/octet-stream"),
])
def test_the_served_type_comes_from_the_extension(name, served_as):
    assert content_type_for(name) == served_as
