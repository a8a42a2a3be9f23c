"""``manage.py public_holidays``: a year's statutory public holidays added from the operator's shell."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from innohub.activity.models import Event
from innohub.core.models import PublicHoliday

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("public_holidays", *args, stdout=out)
    return out.getvalue()


def test_the_command_adds_each_years_holidays_once_and_lists_them():
    printed = run("2026", "2027")
    assert "17/02/2026 Tết Nguyên Đán" in printed and "24/11/2026 Ngày Văn hóa Việt Nam" in printed
    assert "2027: 15 public holiday(s) added" in printed
    assert PublicHoliday.objects.filter(date__year=2027).count() == 15
    assert PublicHoliday.objects.get(date=dt.date(2027, 4, 16)).name == "Ngày Giỗ Tổ Hùng Vương"
    assert Event.objects.filter(action="public_holiday.filled", actor=None).count() == PublicHoliday.objects.count()
    assert run("2027").strip() == "2027: 0 public holiday(s) added"


def test_a_dry_run_adds_nothing():
    assert "2027: 15 public holiday(s) would be added" in run("2027", "--dry-run")
    assert not PublicHoliday.objects.exists()


def test_a_year_out_of_range_changes_nothing_even_beside_a_good_one():
    with pytest.raises(CommandError, match="from 2000 to 2100: 1800"):
        run("2027", "1800")
    assert not PublicHoliday.objects.exists() and not Event.objects.exists()
