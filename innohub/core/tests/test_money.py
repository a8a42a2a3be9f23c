"""Money is integer đồng, formatted the Vietnamese or English way, parsed from what people type."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from innohub.core.money import format_vnd, parse_vnd


def test_vietnamese_format_uses_dots_and_dong_sign():
    assert format_vnd(40_000_000, "vi") == "40.000.000\u00a0₫"
    assert format_vnd(400_000_000, "vi") == "400.000.000\u00a0₫"


def test_english_format_uses_commas_and_vnd():
    assert format_vnd(80_000_000, "en") == "80,000,000\u00a0VND"


def test_format_follows_active_language():
    with translation.override("en"):
        assert format_vnd(1_500) == "1,500\u00a0VND"
    with translation.override("vi"):
        assert format_vnd(1_500) == "1.500\u00a0₫"


def test_none_is_a_dash_and_floats_are_refused():
    assert format_vnd(None) == "—"
    with pytest.raises(TypeError):
        format_vnd(1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("40.000.000", 40_000_000),
        ("40,000,000", 40_000_000),
        ("40 000 000 đ", 40_000_000),
        ("40.000.000 ₫", 40_000_000),
        ("40tr", 40_000_000),
        ("40 triệu", 40_000_000),
        ("1,5 tỷ", 1_500_000_000),
        ("400 VND", 400),
    ],
)
def test_parse_what_people_type(typed, expected):
    assert parse_vnd(typed) == expected


@pytest.mark.parametrize("bad", ["", "abc", "12,5", "0,0000001 tr", "1.2.3x"])
def test_parse_refuses_what_is_not_an_amount(bad):
    with pytest.raises(ValueError):
        parse_vnd(bad)


@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(["vi", "en"]))
def test_format_then_parse_round_trips(amount, language):
    assert parse_vnd(format_vnd(amount, language)) == amount


_OTHER_DIGITS = st.characters(categories=["Nd"]).filter(lambda c: c not in "0123456789")


@pytest.mark.parametrize("typed", ["٤٠", "٤٠ tr", "40.٠٠٠", "４０", "۴۰ triệu", "1٫5 tỷ", "১০০", "1e3 tr", "infinity tr"])
def test_parse_refuses_digits_other_than_ascii(typed):
    # Given digits of another script (Arabic-Indic, Persian, full-width, Bengali) or a
    # number only Python reads (an exponent, infinity), when parsed, then it is not an amount
    with pytest.raises(ValueError, match="0-9"):
        parse_vnd(typed)


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["vi", "en"]), st.data())
def test_any_non_ascii_digit_makes_an_amount_invalid(amount, language, data):
    typed = format_vnd(amount, language)
    positions = [i for i, c in enumerate(typed) if c in "0123456789"]
    where = data.draw(st.sampled_from(positions))
    typed = typed[:where] + data.draw(_OTHER_DIGITS) + typed[where + 1:]
    suffix = data.draw(st.sampled_from(["", " tr", " tỷ", " k"]))
    with pytest.raises(ValueError):
        parse_vnd(typed + suffix)
