"""Reading policy documents and splitting them into citable passages.

PDF through pypdf (page by page, so a passage knows its page), DOCX through
python-docx (paragraphs), HTML through the standard library's parser (text only,
scripts and styles dropped), TXT as UTF-8. Vietnamese legal texts are structured as
"Điều 5. …" (article) and, inside, "1. …" (clause): a passage is one clause, or one
article without clauses, or, for texts without articles, a few paragraphs of at most
about 1,200 characters; each keeps its article, clause and page. The divisions above
articles ("Chương III. TRÌNH TỰ XÉT CHỌN", "Mục 2", "Phần thứ nhất", their title
perhaps on the next line in capitals) end the passage before them and belong to none:
they are headings, not what a clause says. So do the recipients and the signature that
close a decision ("Nơi nhận: …", "KT. GIÁM ĐỐC", the signer's name), which are left
out up to the next article or appendix; an appendix ("Phụ lục I") is split as
paragraphs under its own heading.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.translation import gettext as _

from innohub.core.errors import ApplicationError
from innohub.core.text import normalize

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# What one document may expand to (issue 32: a 119 KB DOCX held 35 MB of XML and became 17,392
# passages, and every draft afterwards timed out). The XML a DOCX holds, by the sizes its ZIP
# declares (zipfile never inflates a member past its declared size), and the text any kind of
# document gives; a long decree holds well under a million characters.
MAX_DOCX_XML_BYTES = 25 * 1024 * 1024
MAX_DOCUMENT_TEXT_CHARS = 3_000_000
KINDS = ("pdf", "docx", "html", "txt")

# "Điều 5. Mức hỗ trợ", "Điều 5:", or "Điều 5" alone on its line; not "Điều 5 Nghị định
# số 38/2018/NĐ-CP …", a reference that a PDF's line wrap put at the start of a line
_ARTICLE_RE = re.compile(r"^\s*Điều\s+(\d+[a-z]?)\s*(?:[.:]\s*(.*))?$", re.IGNORECASE)
_CLAUSE_RE = re.compile(r"^\s*(\d{1,2})\.\s+(.*)$")
_DIVISION_RE = re.compile(
    r"^\s*(?:Chương|Mục|Phần)\s+(?:[IVXLC]+|\d{1,3}|thứ\s+\w+)(?=$|[\s.:–-])", re.IGNORECASE
)
MAX_DIVISION_TITLE_CHARS = 200
# "Phụ lục I", "PHỤ LỤC", "Phụ lục số 02": an appendix after the articles (a form, a table)
_APPENDIX = r"^\s*Phụ\s+lục(?:\s+((?:số\s+)?[^\s.:]+))?"
_APPENDIX_RE = re.compile(rf"{_APPENDIX}\s*[.:]?\s*$", re.IGNORECASE)  # the heading's line
_APPENDIX_HEADING_RE = re.compile(_APPENDIX, re.IGNORECASE)  # a passage's heading, title and all
# Where an administrative document's body ends: the recipients ("Nơi nhận:") and the
# signature ("KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN"), in capitals: not "Q. 10, TP.HCM"
_RECIPIENTS_RE = re.compile(r"^\s*(?:Nơi nhận|NƠI NHẬN)\s*(?::|$)")  # not "nơi nhận hồ sơ là …"
_SIGNATURE_RE = re.compile(r"^\s*(?:TM|KT|TL|TUQ|Q)\.\s+[^\W\d_]{2,}")
MAX_PASSAGE_CHARS = 1200


@dataclass
class Chunk:
    text: str
    article: str = ""
    clause: str = ""
    page: int | None = None
    heading: str = ""


def appendix_name(heading: str) -> str:
    """"Phụ lục I" for a passage under "PHỤ LỤC I. MẪU ĐƠN …" ("" when not in an appendix)."""
    match = _APPENDIX_HEADING_RE.match(heading)
    if match is None:
        return ""
    return f"Phụ lục {match.group(1)}" if match.group(1) else "Phụ lục"


def detect_kind(name: str, head: bytes) -> str:
    """The file's kind from its first bytes (never from its name alone)."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and suffix == "docx":
        return "docx"
    if suffix in ("html", "htm", "txt") and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # a multi-byte character may be cut at the end of the head
            if exc.start < len(head) - 4:
                raise ApplicationError(_("The file is not UTF-8 text."), code="bad_file") from exc
        return "html" if suffix in ("html", "htm") else "txt"
    raise ApplicationError(
        _("Upload a PDF, DOCX, HTML or TXT file; this file's content is none of them."), code="bad_file"
    )


# "3", "- 3 -", "Trang 3", "Trang 3/10", "3/10": a page number on a line of its own
_PAGE_NUMBER_RE = re.compile(r"^(?:trang\s*)?[-–—]?\s*\d{1,4}\s*(?:/\s*\d{1,4})?\s*[-–—]?$", re.IGNORECASE)
_EDGE_LINES = 2  # how many lines at the top and at the bottom of a page may be furniture
_STRUCTURE_RE = re.compile(f"{_ARTICLE_RE.pattern}|{_CLAUSE_RE.pattern}|{_DIVISION_RE.pattern}", re.IGNORECASE)


def _shape(line: str) -> str:
    return " ".join(line.split()).casefold()


def drop_page_furniture(pages: list[tuple[int | None, str]]) -> list[tuple[int | None, str]]:
    """A PDF's pages without what is printed on every page rather than said once: page
    numbers on a line of their own ("Trang 3/10") and, in a document of three pages or
    more, a line that recurs word for word at the top or bottom of at least half of its
    pages, such as a running header "Quyết định 1208/QĐ-SKHCN". Only the first and last
    two lines of a page are looked at, and never an article, clause or chapter heading.
    Left in, a page number ends up inside the clause that runs across the page ("tối đa
    2 80.000.000 đồng")."""

    def edges(lines: list[str]) -> set[int]:
        filled = [i for i, line in enumerate(lines) if line.strip()]
        return set(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:])

    split = []
    for number, text in pages:
        lines = text.splitlines()
        split.append((number, lines, edges(lines)))
    counts: dict[str, int] = {}
    for _number, lines, at_edges in split:
        for shape in {_shape(lines[i]) for i in at_edges}:
            counts[shape] = counts.get(shape, 0) + 1
    running = (
        {shape for shape, n in counts.items() if n >= max(3, (len(pages) + 1) // 2)}
        if len(pages) >= 3
        else set()
    )
    kept: list[tuple[int | None, str]] = []
    for number, lines, at_edges in split:
        furniture = {
            i
            for i in at_edges
            if not _STRUCTURE_RE.match(lines[i])  # "Điều 7" atop many pages is no header
            and (_PAGE_NUMBER_RE.match(lines[i].strip()) or _shape(lines[i]) in running)
        }
        kept.append((number, "\n".join(line for i, line in enumerate(lines) if i not in furniture)))
    return kept


def _docx_lines(document) -> list[str]:
    """A DOCX's paragraphs and table rows, in the document's order: a row is one line,
    its cells joined by " | " (a merged cell once), so that a table of support levels
    inside an article stays in that article's passages."""
    from docx.table import Table

    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if text and (not cells or cells[-1] != text):
                        cells.append(text)
                lines.append(" | ".join(cells))
        else:
            lines.append(block.text)
    return lines


class _TextOnly(HTMLParser):
    _BLOCKS = {
        "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
        "table", "caption", "tr", "section", "article", "blockquote", "pre", "hr",
    }  # fmt: skip
    _CELLS = {"td", "th"}  # cells of a row stay on its line, apart
    _HIDDEN = {"script", "style", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._HIDDEN:
            self._skip += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")
        elif tag in self._CELLS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self._HIDDEN and self._skip:
            self._skip -= 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")
        elif tag in self._CELLS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def extract_pages(
    data: bytes, kind: str, progress: Callable[[int, int], None] | None = None
) -> list[tuple[int | None, str]]:
    """[(page number or None, text)] of a document.

    `progress(done, total)` is called after each page is read: page by page for a PDF,
    once (1 of 1) for the other kinds, which are read whole."""
    if kind == "pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        total = len(reader.pages)
        pages: list[tuple[int | None, str]] = []
        chars = 0
        for n, page in enumerate(reader.pages, start=1):
            pages.append((n, page.extract_text() or ""))
            chars += len(pages[-1][1])
            _check_text_length(chars)  # stop reading at the limit
            if progress is not None:
                progress(n, total)
        return drop_page_furniture(pages)
    if kind == "docx":
        import docx

        try:
            _check_docx_expansion(data)
            document = docx.Document(io.BytesIO(data))
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise ApplicationError(_("The DOCX file cannot be read."), code="bad_file") from exc
        text = "\n".join(_docx_lines(document))
    else:
        text = data.decode("utf-8", errors="replace")
        if kind == "html":
            parser = _TextOnly()
            parser.feed(text)
            text = "".join(parser.parts)
    _check_text_length(len(text))
    if progress is not None:
        progress(1, 1)
    return [(None, text)]


def _too_large() -> ApplicationError:
    return ApplicationError(
        _("This document expands to more text than one document may hold (%(limit)s million characters). Split it into smaller documents.")
        % {"limit": MAX_DOCUMENT_TEXT_CHARS // 1_000_000},
        code="too_large",
    )


def _check_text_length(chars: int) -> None:
    if chars > MAX_DOCUMENT_TEXT_CHARS:
        raise _too_large()


def _check_docx_expansion(data: bytes) -> None:
    """Refuse a DOCX whose XML parts would inflate past MAX_DOCX_XML_BYTES, before python-docx
    reads any of them (a small file of repeated XML is a zip bomb for the parser)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = sum(info.file_size for info in archive.infolist() if info.filename.endswith((".xml", ".rels")))
    if xml > MAX_DOCX_XML_BYTES:
        raise _too_large()


def split_passages(pages: list[tuple[int | None, str]]) -> list[Chunk]:
    chunks: list[Chunk] = []
    article = heading = clause = ""
    buffer: list[str] = []
    buffer_page: int | None = None
    after_division = False  # a division's title may follow on a line of its own
    closing = False  # in the recipients and signature after a decision's last article

    def flush() -> None:
        nonlocal buffer
        text = normalize(" ".join(buffer))
        if text:
            chunks.append(Chunk(text=text, article=article, clause=clause, page=buffer_page, heading=heading[:300]))
        buffer = []

    for page, text in pages:
        for raw in text.splitlines():
            line = raw.strip()
            if not line:
                if not article and sum(len(b) for b in buffer) > MAX_PASSAGE_CHARS // 2:
                    flush()
                continue
            appendix = _APPENDIX_RE.match(line)
            if appendix or _DIVISION_RE.match(line):
                flush()
                article = clause = ""
                heading = line if appendix else ""
                after_division, closing = True, False
                continue
            if _RECIPIENTS_RE.match(line) or (_SIGNATURE_RE.match(line) and line.isupper()):
                flush()
                closing = True
                continue
            if closing and not _ARTICLE_RE.match(line):
                continue
            closing = False
            if after_division and line.isupper() and len(line) <= MAX_DIVISION_TITLE_CHARS:
                if heading:  # an appendix's title names its passages: "Phụ lục I. MẪU ĐƠN"
                    heading = f"{heading.rstrip('.:')}. {line}"
                continue  # "TRÌNH TỰ XÉT CHỌN" under "Chương III"
            after_division = False
            match_article = _ARTICLE_RE.match(line)
            match_clause = _CLAUSE_RE.match(line) if article else None
            if match_article:
                flush()
                article, heading, clause = match_article.group(1), f"Điều {match_article.group(1)}. {match_article.group(2) or ''}".strip(), ""
                buffer_page = page
                buffer = [line]
                continue
            if match_clause:
                if buffer and not (len(buffer) == 1 and _ARTICLE_RE.match(buffer[0])):
                    flush()
                elif buffer:
                    buffer = []  # the article's title is kept as the heading
                clause = match_clause.group(1)
                buffer_page = page
                buffer = [line]
                continue
            if not buffer:
                buffer_page = page
            buffer.append(line)
            if sum(len(b) for b in buffer) > MAX_PASSAGE_CHARS:
                flush()
    flush()
    return chunks
