"""Uploaded files checked by their bytes, not their names: each extension the platform
accepts, what its content must look like, and the one content type it is served with.
A PDF starts with `%PDF-` and ends with `%%EOF`; a PNG ends with its IEND chunk and a JPEG
with its end-of-image marker; a DOCX, XLSX or PPTX is a real ZIP archive holding
`[Content_Types].xml`; and no file may carry a Windows (MZ/PE) or Linux (ELF) executable
anywhere in its bytes (a `%PDF` header stuck on a program is not a PDF). Every upload check
uses this module: a question's attachment (`qa`), a form's file field (`forms`), and what
the modules built on them accept; every download of an uploaded file is served with
`content_type_for` its checked extension, never the type the uploading browser claimed.
Every stored file gets a generated name (`generated_upload_path`): the uploader's name is
kept in a row beside it, never in the storage path, so it neither leaks through a URL nor
collides with another upload of the same name.
Written here rather than with libmagic (python-magic): magic only looks at the first bytes,
which is exactly what a polyglot file fakes, and it needs a system library."""

from __future__ import annotations

import re
import struct
import uuid
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from django.utils.deconstruct import deconstructible

# extension → the signatures its content may start with
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
}

# extension → the content type a download is served with
CONTENT_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# what anything else (a file stored before these checks) is served as: bytes to save, not to show
FALLBACK_CONTENT_TYPE = "application/octet-stream"
# the types a browser may show in the page rather than save (Content-Disposition: inline)
INLINE_SAFE = frozenset({".pdf", ".png", ".jpg", ".jpeg"})

_TAIL = 1024  # PDF readers look for %%EOF in the last 1024 bytes
_CHUNK = 1024 * 1024
_WHITESPACE = b" \t\r\n\x00\x0c"
_PNG_END = b"IEND\xaeB`\x82"
_JPEG_END = b"\xff\xd9"
_OOXML_PART = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}


def extension_of(name: str | None) -> str:
    """The file name's extension in lower case with its dot ('.pdf'), or '' without one."""
    name = (name or "").lower()
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""


_SAFE_EXTENSION = re.compile(r"\.[a-z0-9]{1,10}")


@deconstructible(path="innohub.core.uploads.GeneratedUploadPath")
class GeneratedUploadPath:
    """An ``upload_to`` that stores a file as ``<prefix>/[<instance's folder_field>/]<random>.<ext>``:
    a random hex name with the uploaded name's extension (lower case, letters and digits,
    ``.bin`` when it has none usable). A class rather than a closure so that migrations can
    write it down (``deconstructible``) and compare it (``__eq__``)."""

    def __init__(self, prefix: str, folder_field: str = "") -> None:
        self.prefix = prefix.strip("/")
        self.folder_field = folder_field

    def __call__(self, instance: Any, filename: str) -> str:
        extension = extension_of(filename.rsplit("/", 1)[-1])
        if not _SAFE_EXTENSION.fullmatch(extension):
            extension = ".bin"
        folder = self.prefix
        if self.folder_field:
            folder = f"{folder}/{getattr(instance, self.folder_field)}"
        return f"{folder}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, GeneratedUploadPath) and self.prefix == other.prefix
                and self.folder_field == other.folder_field)

    def __hash__(self) -> int:
        return hash((self.prefix, self.folder_field))


def generated_upload_path(prefix: str, folder_field: str = "") -> GeneratedUploadPath:
    """The ``upload_to`` of every uploaded file: ``FileField(upload_to=generated_upload_path("research/minutes"))``."""
    return GeneratedUploadPath(prefix, folder_field)


def content_type_for(name_or_extension: str | None) -> str:
    """The content type a stored file is served with, from its (checked) extension."""
    extension = name_or_extension if (name_or_extension or "").startswith(".") else extension_of(name_or_extension)
    return CONTENT_TYPES.get((extension or "").lower(), FALLBACK_CONTENT_TYPE)


def _chunks(upload: Any) -> Iterator[bytes]:
    upload.seek(0)
    while chunk := upload.read(_CHUNK):
        yield chunk


def _executable_inside(upload: Any) -> bool:
    """Whether a Windows PE (an `MZ` header whose e_lfanew points at `PE\\0\\0`) or an ELF
    header (magic, a valid class, byte order and version) appears anywhere in the file.
    Read in chunks overlapping by a PE header's reach, so a header across two chunks counts."""
    overlap = 4096
    carried = b""
    for chunk in _chunks(upload):
        data = carried + chunk
        position = data.find(b"\x7fELF")
        while position != -1:
            if data[position + 4:position + 5] in (b"\x01", b"\x02") and data[position + 5:position + 6] in (b"\x01", b"\x02") \
                    and data[position + 6:position + 7] == b"\x01":
                return True
            position = data.find(b"\x7fELF", position + 1)
        position = data.find(b"MZ")
        while position != -1:
            pointer = data[position + 0x3C:position + 0x40]
            if len(pointer) == 4:
                (offset,) = struct.unpack("<I", pointer)
                if data[position + offset:position + offset + 4] == b"PE\x00\x00":
                    return True
            position = data.find(b"MZ", position + 1)
        carried = data[-overlap:]
    return False


def _tail(upload: Any) -> bytes:
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(max(0, size - _TAIL))
    return upload.read()


def _pdf_ends(upload: Any) -> bool:
    return _tail(upload).rstrip(_WHITESPACE).endswith(b"%%EOF")


def _png_ends(upload: Any) -> bool:
    return _tail(upload).rstrip(_WHITESPACE).endswith(_PNG_END)


def _jpeg_ends(upload: Any) -> bool:
    return _tail(upload).rstrip(_WHITESPACE).endswith(_JPEG_END)


def _ooxml(extension: str) -> Callable[[Any], bool]:
    def check(upload: Any) -> bool:
        upload.seek(0)
        if not zipfile.is_zipfile(upload):
            return False
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        return "[Content_Types].xml" in names and any(name.startswith(_OOXML_PART[extension]) for name in names)
    return check


_STRUCTURE: dict[str, Callable[[Any], bool]] = {
    ".pdf": _pdf_ends,
    ".png": _png_ends,
    ".jpg": _jpeg_ends,
    ".jpeg": _jpeg_ends,
    ".docx": _ooxml(".docx"),
    ".xlsx": _ooxml(".xlsx"),
    ".pptx": _ooxml(".pptx"),
}


def content_matches(upload: Any, extension: str) -> bool:
    """Whether the upload's bytes are those of ``extension``: its signature at the start,
    its structure (end marker, or a ZIP holding an Office package) and no executable inside.
    False for an extension the platform does not accept. The file is left at its start."""
    signatures = SIGNATURES.get(extension)
    if not signatures:
        return False
    try:
        upload.seek(0)
        head = upload.read(16)
        return (any(head.startswith(signature) for signature in signatures)
                and _STRUCTURE[extension](upload) and not _executable_inside(upload))
    finally:
        upload.seek(0)
