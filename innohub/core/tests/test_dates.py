import datetime as dt
import zoneinfo

from django.utils import translation

from innohub.core.dates import format_date, format_datetime


def test_dates_read_day_month_year():
    assert format_date(dt.date(2026, 11, 22)) == "22/11/2026"
    assert format_date(None) == "—"


def test_datetimes_are_shown_in_ho_chi_minh_time():
    utc = dt.datetime(2026, 11, 22, 3, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    with translation.override("vi"):
        assert format_datetime(utc) == "10:30 22/11/2026"
    with translation.override("en"):
        assert format_datetime(utc) == "22/11/2026 10:30"
    # A UTC evening is the next day in Vietnam.
    assert format_date(dt.datetime(2026, 11, 22, 20, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))) == "23/11/2026"
