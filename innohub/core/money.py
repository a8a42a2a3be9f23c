"""Money is an integer number of đồng (VND has no minor unit in use).

Amounts are stored in `MoneyField` (a BigIntegerField that refuses negatives) and
shown as `40.000.000 ₫` in Vietnamese or `40,000,000 VND` in English. Parsing
accepts what people type: "40.000.000", "40,000,000", "40 000 000 đ", "40tr",
"40 triệu". Floats are refused: they cannot hold đồng exactly at scale.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from innohub.core.i18n import current_language

_MULTIPLIERS = {
    "tr": 1_000_000,
    "triệu": 1_000_000,
    "trieu": 1_000_000,
    "m": 1_000_000,
    "million": 1_000_000,
    "tỷ": 1_000_000_000,
    "ty": 1_000_000_000,
    "tỉ": 1_000_000_000,
    "ti": 1_000_000_000,
    "b": 1_000_000_000,
    "billion": 1_000_000_000,
    "k": 1_000,
    "nghìn": 1_000,
    "ngàn": 1_000,
}
# Plain digits, or digits grouped by thousands with one separator kind ("40.000.000");
# [0-9] rather than \d, which matches every script's digits.
_GROUPED_RE = re.compile(r"^-?([0-9]+|[0-9]{1,3}(?:([.,\s\u00a0])[0-9]{3})(?:\2[0-9]{3})*)$")
# Before a multiplier: digits with at most one decimal mark ("1,5 tỷ", "1.5 tr").
_DECIMAL_RE = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?$")
_DIGITS = frozenset("0123456789")
_CURRENCY_RE = re.compile(r"(₫|vnd|vnđ|đồng|dong|đ)\s*$", re.IGNORECASE)


def format_vnd(amount: int | None, language: str | None = None) -> str:
    """`40.000.000 ₫` (vi) or `40,000,000 VND` (en). None renders as an em dash."""
    if amount is None:
        return "—"
    if isinstance(amount, float):
        raise TypeError("Money must be an integer number of đồng, not a float.")
    amount = int(amount)
    lang = (language or current_language())[:2]
    sign = "-" if amount < 0 else ""
    grouped = f"{abs(amount):,}"
    if lang == "vi":
        return f"{sign}{grouped.replace(',', '.')}\u00a0₫"
    return f"{sign}{grouped}\u00a0VND"


def parse_vnd(text: str | int) -> int:
    """Parse what a person typed into integer đồng; ValueError with a reason otherwise."""
    if isinstance(text, bool):
        raise ValueError("not an amount")
    if isinstance(text, int):
        return text
    raw = str(text).strip().lower()
    if not raw:
        raise ValueError("empty amount")
    if any(char.isdigit() and char not in _DIGITS for char in raw):
        raise ValueError(f"not an amount: use the digits 0-9: {text!r}")
    raw = _CURRENCY_RE.sub("", raw).strip()
    multiplier = 1
    for word, factor in sorted(_MULTIPLIERS.items(), key=lambda kv: -len(kv[0])):
        if raw.endswith(word) and raw[: -len(word)].strip():
            multiplier = factor
            raw = raw[: -len(word)].strip()
            break
    if multiplier == 1:
        if not _GROUPED_RE.match(raw):
            raise ValueError(f"not an amount: {text!r}")
        return int(re.sub(r"[\s.,\u00a0]", "", raw))
    # With a multiplier a decimal part is allowed: "1,5 tỷ" = 1.500.000.000
    number = raw.replace(" ", "").replace(",", ".")
    if not _DECIMAL_RE.match(number):
        raise ValueError(f"not an amount: use the digits 0-9: {text!r}")
    try:
        value = Decimal(number) * multiplier
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {text!r}") from exc
    if value != value.to_integral_value():
        raise ValueError(f"amount has a fraction of a đồng: {text!r}")
    return int(value)


class MoneyField(models.BigIntegerField):
    """Integer đồng, never negative."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [MinValueValidator(0)])
        kwargs.setdefault("help_text", _("Amount in đồng (VND)"))
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        if kwargs.get("help_text") == _("Amount in đồng (VND)"):
            kwargs.pop("help_text")
        return name, path, args, kwargs
