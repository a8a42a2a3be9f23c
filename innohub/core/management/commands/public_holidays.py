"""``manage.py public_holidays YEAR [YEAR …] [--dry-run]``: add a year's statutory public holidays.

Deadlines in working days (a question's due date, and every module's) skip the public holidays configured (``/admin/``). Vietnam's
are set by law, two of them on the lunar calendar (Tết, the Hùng Kings' day), with days
off in lieu the Government decides each year: this adds those of each year given that are
not configured yet, from the ``holidays`` package (``core.calendar.public_holidays_fill``),
each audited (``public_holiday.filled``). A date already configured is left as it is.
Run it for the next year before it starts (the inbox asks for it 60 days ahead), then
correct in ``/admin/`` what the city decides otherwise. A year out of range changes
nothing and exits with status 1.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from innohub.core import calendar
from innohub.core.dates import format_date


class Command(BaseCommand):
    help = "Add the statutory public holidays of the given years that are not configured yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("years", nargs="+", type=int, metavar="YEAR")
        parser.add_argument("--dry-run", action="store_true", help="list the days that would be added, add nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        first, last = calendar.HOLIDAY_YEARS
        wrong = [year for year in options["years"] if not first <= year <= last]
        if wrong:  # checked before any year is filled: a bad argument changes nothing
            raise CommandError(f"years must be from {first} to {last}: {', '.join(map(str, wrong))}")
        for year in options["years"]:
            days = calendar.public_holidays_fill(year=year, actor=None, dry_run=options["dry_run"])
            for day in days:
                self.stdout.write(f"{format_date(day.date)} {day.name}")
            verb = "would be added" if options["dry_run"] else "added"
            self.stdout.write(f"{year}: {len(days)} public holiday(s) {verb}")
