"""A unit with the test officer among its officers and the test manager as its head, a
partner, a meeting owned by the unit and a direction agreed there."""

import pytest

from innohub.cooperation.tests.factories import (
    DirectionFactory,
    MeetingFactory,
    PartnerFactory,
    UnitFactory,
)


@pytest.fixture
def unit(users):
    unit = UnitFactory(code="qlcn", name="Phòng Quản lý Công nghệ", head=users["manager"])
    unit.members.add(users["officer"])
    return unit


@pytest.fixture
def other_officer(make_user):
    return make_user(role="officer", username="officer-elsewhere")


@pytest.fixture
def partner():
    return PartnerFactory()


@pytest.fixture
def meeting(unit, partner):
    return MeetingFactory(unit=unit, partner=partner)


@pytest.fixture
def direction(meeting):
    return DirectionFactory(meeting=meeting)
