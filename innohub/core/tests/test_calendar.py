"""The working-day calendar: deadlines skip weekends and configured public holidays; a
year's statutory holidays are filled by an administrator, audited, corrections kept."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from innohub.activity.models import Event
from innohub.core import calendar
from innohub.core.errors import ApplicationError
from innohub.core.models import PublicHoliday
from innohub.core.tests.factories import HolidayFactory

pytestmark = pytest.mark.django_db


def test_working_days_skip_weekends():
    # Friday 2026-11-20 + 1 working day = Monday 23rd
    assert calendar.add_working_days(dt.date(2026, 11, 20), 1, set()) == dt.date(2026, 11, 23)
    assert calendar.add_working_days(dt.date(2026, 11, 20), 10, set()) == dt.date(2026, 12, 4)


def test_working_days_skip_configured_holidays():
    # Tue 2026-09-01 and Wed 09-02 are the National Day holidays
    HolidayFactory(date=dt.date(2026, 9, 1), name="Nghỉ lễ Quốc khánh")
    HolidayFactory(date=dt.date(2026, 9, 2), name="Quốc khánh")
    # from Friday 28 August: Mon 31 (1), Tue/Wed off, Thu 3 (2), Fri 4 (3)
    assert calendar.add_working_days(dt.date(2026, 8, 28), 3) == dt.date(2026, 9, 4)


def test_a_holiday_on_a_weekend_changes_nothing():
    HolidayFactory(date=dt.date(2026, 11, 21), name="Saturday holiday")
    assert calendar.add_working_days(dt.date(2026, 11, 20), 1) == dt.date(2026, 11, 23)


def test_filling_a_year_adds_its_statutory_holidays_and_due_dates_skip_tet(users):
    """Given no holiday configured for 2027, when an administrator fills the year, then its
    statutory holidays are there (Tết from 29 Tết to mùng năm, the Hùng Kings' day on the
    lunar calendar, 1 May's day in lieu), each audited, and a due date counted across Tết
    skips the seven days."""
    added = calendar.public_holidays_fill(year=2027, actor=users["administrator"])
    days = {h.date: h.name for h in added}
    assert [dt.date(2027, 2, d) in days for d in range(4, 11)] == [True] * 7
    assert days[dt.date(2027, 2, 6)] == "Tết Nguyên Đán"
    assert days[dt.date(2027, 4, 16)] == "Ngày Giỗ Tổ Hùng Vương"
    assert days[dt.date(2027, 5, 3)] == "Ngày Quốc tế Lao động (nghỉ bù)"
    assert dt.date(2027, 9, 2) in days and dt.date(2027, 11, 24) in days
    assert all(d.year == 2027 for d in days)
    events = Event.objects.filter(action="public_holiday.filled")
    assert events.count() == len(added) and {e.actor for e in events} == {users["administrator"]}
    # from Wednesday 3 February: Thu 4 to Wed 10 are off, so the first working day is Thu 11
    assert calendar.add_working_days(dt.date(2027, 2, 3), 1) == dt.date(2027, 2, 11)


def test_filling_again_adds_nothing_and_keeps_an_administrators_correction(users):
    HolidayFactory(date=dt.date(2027, 9, 3), name="Nghỉ lễ Quốc khánh theo quyết định của Thành phố")
    first = calendar.public_holidays_fill(year=2027, actor=users["administrator"])
    assert dt.date(2027, 9, 3) not in {h.date for h in first}
    assert calendar.public_holidays_fill(year=2027, actor=users["administrator"]) == []
    assert calendar.public_holidays_fill(year=2027, actor=users["administrator"], dry_run=True) == []
    assert PublicHoliday.objects.get(date=dt.date(2027, 9, 3)).name == "Nghỉ lễ Quốc khánh theo quyết định của Thành phố"
    assert PublicHoliday.objects.filter(date__year=2027).count() == len(first) + 1


def test_a_dry_run_lists_the_holidays_and_adds_none(users):
    listed = calendar.public_holidays_fill(year=2028, actor=users["administrator"], dry_run=True)
    assert dt.date(2028, 1, 1) in {h.date for h in listed}
    assert not PublicHoliday.objects.exists() and not Event.objects.filter(action="public_holiday.filled").exists()


@pytest.mark.parametrize("role", ["officer", "manager", "reviewer", "applicant", "visitor"])
def test_only_an_administrator_fills_holidays(users, role):
    with pytest.raises(PermissionDenied):
        calendar.public_holidays_fill(year=2027, actor=users[role])
    assert not PublicHoliday.objects.exists()


@pytest.mark.parametrize("year", [1999, 2101, -1])
def test_a_year_out_of_range_is_refused_and_changes_nothing(users, year):
    with pytest.raises(ApplicationError, match="từ 2000 đến 2100"), translation.override("vi"):
        calendar.public_holidays_fill(year=year, actor=users["administrator"])
    assert not PublicHoliday.objects.exists() and not Event.objects.exists()


def test_years_without_holidays_look_sixty_days_ahead():
    december, june = dt.date(2026, 12, 6), dt.date(2026, 6, 1)
    assert calendar.years_without_holidays(today=december) == [2026, 2027]
    assert calendar.years_without_holidays(today=june) == [2026]
    HolidayFactory(date=dt.date(2026, 9, 2), name="Quốc khánh")
    assert calendar.years_without_holidays(today=december) == [2027]
    HolidayFactory(date=dt.date(2027, 1, 1), name="Tết Dương lịch")
    assert calendar.years_without_holidays(today=december) == []
