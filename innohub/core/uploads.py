"""Uploaded files checked by their bytes, not their names: each extension the platform
accepts, with the first bytes its content must start with (a renamed executable is not a
PDF). Every upload check uses this one table: a question's attachment (`qa`), a form's file
field (`forms`), and what the modules built on them accept."""

from __future__ import annotations

from typing import Any

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


def extension_of(name: str | None) -> str:
    """The file name's extension in lower case with its dot ('.pdf'), or '' without one."""
    name = (name or "").lower()
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""


def content_matches(upload: Any, extension: str) -> bool:
    """Whether the upload's first bytes are those of ``extension`` (False for an extension
    the platform does not accept). The file is left at its start."""
    signatures = SIGNATURES.get(extension)
    if not signatures:
        return False
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return any(head.startswith(signature) for signature in signatures)
