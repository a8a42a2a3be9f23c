"""The working-day calendar every module counts its deadlines in: weekends and the public
holidays configured (`core.models.PublicHoliday`) are not working days. Vietnam's
statutory holidays of a year are filled from the `holidays` package, which keeps the lunar
calendar (Tết, the Hùng Kings' day) and the Government's days off in lieu; a calendar of
our own would have to. The Q&A's due dates use it; programmes' and tasks' deadlines will.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from innohub.activity.services import event_record, snapshot
from innohub.core.errors import ApplicationError
from innohub.core.models import PublicHoliday
from innohub.core.permissions import ensure_role
from innohub.core.roles import ADMIN_ROLES

HOLIDAY_YEARS = (2000, 2100)  # the years the statutory holidays can be filled for
# how far ahead the staff pages look for a year without its public holidays: deadlines
# from then on fall there, counted as if its holidays were working days
HOLIDAYS_LOOKAHEAD_DAYS = 60


def add_working_days(start: dt.date, days: int, holidays: set[dt.date] | None = None) -> dt.date:
    """The date `days` working days after `start`, skipping weekends and holidays."""
    if holidays is None:
        holidays = set(
            PublicHoliday.objects.filter(date__gt=start, date__lte=start + dt.timedelta(days=days * 3 + 30))
            .values_list("date", flat=True)
        )
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date, holidays: set[dt.date]) -> int:
    """The working days after `start` up to and including `end`."""
    days, current = 0, start
    while current < end:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            days += 1
    return days


def statutory_holidays(year: int) -> list[tuple[dt.date, str]]:
    """Vietnam's public holidays of ``year`` by law, in date order, named in Vietnamese:
    New Year, the Tết days, the Hùng Kings' day (both on the lunar calendar), 30 April,
    1 May, National Day and the day beside it, Vietnamese Culture Day (from 2026), and the
    days off in lieu the Government set."""
    import holidays  # here, not at the top: the working-day helpers take a ``holidays`` set

    days = holidays.country_holidays("VN", years=year, language="vi")
    return sorted(days.items())


def years_without_holidays(*, today: dt.date) -> list[int]:
    """This year, and the year 60 days from now, when not one of their public holidays is
    configured (the staff pages ask for them: Tết alone is five working days)."""
    years = sorted({today.year, (today + dt.timedelta(days=HOLIDAYS_LOOKAHEAD_DAYS)).year})
    configured = set(PublicHoliday.objects.filter(date__year__in=years).values_list("date__year", flat=True))
    return [year for year in years if year not in configured]


def public_holidays_fill(*, year: int, actor: Any, dry_run: bool = False) -> list[PublicHoliday]:
    """Add the statutory public holidays of ``year`` that are not yet configured, so that
    deadlines in working days skip them; the days added (with ``dry_run``, those that would
    be, unsaved). A date already configured is left as it is, name included: an
    administrator's correction stands, and so does a day the city added. Only an
    administrator may (``actor`` None: a command run by the operator). Deadlines already set
    do not move: each was told to the person waiting on it."""
    if actor is not None:
        ensure_role(actor, ADMIN_ROLES)
    first, last = HOLIDAY_YEARS
    if not isinstance(year, int) or not first <= year <= last:
        raise ApplicationError(_("Give a year from %(first)s to %(last)s.") % {"first": first, "last": last}, code="holiday_year")
    configured = set(PublicHoliday.objects.filter(date__year=year).values_list("date", flat=True))
    missing = [PublicHoliday(date=date, name=name[:200]) for date, name in statutory_holidays(year) if date not in configured]
    if dry_run or not missing:
        return missing
    added = []
    with transaction.atomic():
        for day in missing:  # get_or_create: a second fill at the same moment adds nothing twice
            holiday, created = PublicHoliday.objects.get_or_create(date=day.date, defaults={"name": day.name})
            if created:
                event_record(actor=actor, action="public_holiday.filled", target=holiday, after=snapshot(holiday, ["date", "name"]))
                added.append(holiday)
    return added
