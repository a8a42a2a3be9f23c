"""Vietnamese text utilities shared by search (directory) and retrieval (Q&A).

Vietnamese is written with many combining diacritics; the same word may arrive in
NFC or NFD form, and people typing on phones often drop the marks entirely
("trung tam khoi nghiep" for "Trung tâm Khởi nghiệp"). Everything that compares
text goes through these functions so the two forms meet. We use the standard
library's ``unicodedata`` rather than a dependency: the rules are a few lines and
``đ``/``Đ`` (a separate letter, not a combining mark) is the only special case.
"""

from __future__ import annotations

import re
import unicodedata

_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
_SPACE_RE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Unicode NFC, collapsed whitespace, stripped. Keeps case and diacritics."""
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def fold_diacritics(text: str) -> str:
    """Remove Vietnamese (and other Latin) diacritics; đ→d, Đ→D. Keeps case."""
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped.replace("đ", "d").replace("Đ", "D"))


def search_key(text: str) -> str:
    """Lower-case, NFC, diacritic-folded form used for matching and indexing.

    Whitespace is collapsed again after folding: a mark typed after a space ("0 \u0301")
    leaves a trailing space once removed."""
    return normalize(fold_diacritics(normalize(text).casefold()))


def tokenize(text: str) -> list[str]:
    """Lower-case NFC syllables (Vietnamese words are space-separated syllables)."""
    return _WORD_RE.findall(normalize(text).casefold())


def has_diacritics(text: str) -> bool:
    """True when folding would change the text (the user typed marks)."""
    return fold_diacritics(text) != text


def slugify_vi(text: str, max_length: int = 80) -> str:
    """ASCII slug of Vietnamese text ("Trung tâm Khởi nghiệp" → "trung-tam-khoi-nghiep")."""
    words = tokenize(fold_diacritics(text))
    slug = "-".join(w for w in words if w.isascii())
    return slug[:max_length].strip("-")
