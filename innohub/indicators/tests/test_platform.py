"""Given the platform's records, when indicators are computed from them, then every calculator
runs against the apps' selectors, a missing table gives no values and a reason instead of an
error, and a mistake in the code is not hidden."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError

from innohub.directory.tests.factories import OrganisationFactory
from innohub.indicators import platform

pytestmark = pytest.mark.django_db
YEARS = [2024, 2025]


@pytest.mark.parametrize("key", sorted(platform.CALCULATORS))
def test_every_calculator_runs_on_the_installed_apps(key):
    OrganisationFactory(commune_id="26740", founded_on=dt.date(2024, 3, 1))
    values, problem = platform.calculate(key, YEARS)
    assert problem == ""
    assert all(isinstance(v, float) for v in values.values())
    assert all(year in YEARS for _commune, year in values)


def test_counts_by_commune_and_year():
    OrganisationFactory(commune_id="26740", founded_on=dt.date(2024, 3, 1))
    OrganisationFactory(commune_id="26740", founded_on=dt.date(2025, 3, 1))
    OrganisationFactory(commune_id="27139", founded_on=dt.date(2025, 3, 1), kind="academia")
    assert platform.calculate("startups_new", YEARS)[0][("26740", 2025)] == 1
    assert platform.calculate("startups_active", YEARS)[0] == {("26740", 2024): 1, ("26740", 2025): 2}
    assert platform.calculate("support_organisations", YEARS)[0] == {("27139", 2025): 1}


def test_a_mistake_in_a_calculator_is_raised_not_reported_as_missing_figures(monkeypatch):
    # it used to be caught (AttributeError, FieldError) and read as "no values": a bug hidden
    def mistaken(years):
        return None.district  # type: ignore[attr-defined]

    monkeypatch.setitem(platform.CALCULATORS, "awards_count", (mistaken, "x"))
    with pytest.raises(AttributeError):
        platform.calculate("awards_count", YEARS)


def test_a_missing_table_gives_a_reason_and_keeps_the_transaction_usable(monkeypatch):
    def broken(years):
        raise DatabaseError("no such table: programs_award")

    monkeypatch.setitem(platform.CALCULATORS, "awards_count", (broken, "x"))
    values, problem = platform.calculate("awards_count", YEARS)
    assert values == {} and "no such table" in problem
    assert platform.calculate("startups_active", YEARS)[1] == ""  # the connection still works
    assert platform.calculate("nope", YEARS) == ({}, "unknown calculator 'nope'")
