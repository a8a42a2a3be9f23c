"""The cooperation dashboard counts each partner's meetings, agreements and actions in a few
grouped queries, not several a partner: its queries do not grow with the number of partners,
and its figures are what each partner's records say."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from innohub.cooperation import selectors
from innohub.cooperation.tests.factories import (
    ActionFactory,
    AgreementFactory,
    DirectionFactory,
    MeetingFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db
LONG_AGO = dt.date(2020, 1, 31)


def _partner_with_records(owner, country: str = "AU"):
    partner = PartnerFactory(country=country)
    meeting = MeetingFactory(partner=partner, held_on=dt.date(2026, 10, 24))
    MeetingFactory(partner=partner, held_on=dt.date(2025, 5, 2))
    direction = DirectionFactory(meeting=meeting)
    ActionFactory(owner=owner, direction=direction, state="done", due_date=dt.date(2026, 11, 30), closed_on=dt.date(2026, 11, 20))  # on time
    ActionFactory(owner=owner, direction=direction, state="done", due_date=dt.date(2026, 11, 30), closed_on=dt.date(2026, 12, 2))  # late
    ActionFactory(owner=owner, direction=direction, state="agreed", due_date=LONG_AGO)  # open and late
    ActionFactory(owner=owner, direction=direction, state="in_progress", due_date=dt.date(2099, 1, 1))  # open
    AgreementFactory(signed_on=dt.date(2026, 3, 1)).partners.add(partner)
    return partner


def test_figures_by_partner_and_by_country(users):
    au, vn = _partner_with_records(users["officer"], "AU"), _partner_with_records(users["officer"], "VN")
    shared = DirectionFactory(meeting=MeetingFactory(partner=au, held_on=dt.date(2026, 6, 1)))
    shared.partners.add(vn)  # a direction agreed with both: its action counts for each
    ActionFactory(owner=users["officer"], direction=shared, state="proposed", due_date=dt.date(2099, 1, 1))
    PartnerFactory(country="AU")  # met no one yet
    rows = {r["key"]: r for r in selectors.by_partner(user=users["officer"])}
    assert {k: v for k, v in rows[au.pk].items() if k not in ("key", "label")} == {
        "partners": 1, "meetings": 3, "agreements": 1, "done_on_time": 1, "done_late": 1, "open": 3, "late": 1}
    assert rows[vn.pk]["meetings"] == 2 and rows[vn.pk]["open"] == 3
    year = {r["key"]: r for r in selectors.by_partner(user=users["officer"], year=2025)}
    assert year[au.pk]["meetings"] == 1 and year[au.pk]["open"] == 0 and year[au.pk]["agreements"] == 0
    countries = {r["key"]: r for r in selectors.by_country(user=users["officer"], year=2026)}
    assert countries["AU"]["partners"] == 2 and countries["AU"]["meetings"] == 2 and countries["AU"]["done_late"] == 1
    assert countries["VN"]["agreements"] == 1 and countries["VN"]["open"] == 3


def test_the_dashboard_asks_no_more_of_the_database_with_more_partners(users, client_for, django_assert_max_num_queries):
    client = client_for("officer")
    first = _partner_with_records(users["officer"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("cooperation:dashboard"))
    assert page.status_code == 200
    few = len(queries)
    more = [_partner_with_records(users["officer"], country) for country in ("AU", "VN", "JP", "KR", "FR", "DE")]
    with django_assert_max_num_queries(few):
        page = client.get(reverse("cooperation:dashboard"))
    body = page.content.decode()
    assert all(p.organisation.name in body for p in [first, *more])
