"""The cooperation API: the same operations and permissions as the pages, errors as problems."""

import datetime as dt

import pytest

from innohub.accounts.services import api_token_create
from innohub.cooperation.models import Action, Meeting, Participant
from innohub.cooperation.tests.factories import ActionFactory, AgreementFactory
from innohub.directory.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, users):
    def _call(role, method, path, body=None):
        _token, key = api_token_create(user=users[role], name="test")
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": "en"}
        if body is not None:
            kwargs.update(data=body, content_type="application/json")
        return getattr(client, method)(f"/api/v1/cooperation{path}", **kwargs)

    return _call


def test_recording_a_visit_by_the_api(api, users, unit, partner):
    meeting = api("officer", "post", "/meetings", {"partner_id": partner.pk, "title": "IAL", "held_on": "2026-10-25", "place": "Sở",
                                                   "unit": unit.code, "minutes_vi": "Biên bản"})
    assert meeting.status_code == 201, meeting.content
    mid = meeting.json()["id"]
    person = PersonFactory()
    assert api("officer", "post", f"/meetings/{mid}/participants", {"person_id": person.pk, "side": "partner",
                                                                   "title_at_time": "Director"}).status_code == 201
    direction = api("officer", "post", f"/meetings/{mid}/directions", {"text": "Đào tạo AI trong doanh nghiệp", "unit": unit.code})
    assert direction.status_code == 201
    action = api("officer", "post", f"/directions/{direction.json()['id']}/actions",
                 {"what": "Đề cương khóa đào tạo", "owner_id": users["officer"].pk, "due_working_days": 10})
    assert action.status_code == 201 and action.json()["state"] == "proposed"
    aid = action.json()["id"]
    for code in ("agree", "start", "complete"):
        assert api("officer", "post", f"/actions/{aid}/transition", {"code": code}).json()["state"] in ("agreed", "in_progress", "done")
    detail = api("manager", "get", f"/meetings/{mid}").json()
    assert detail["participants"][0]["title_at_time"] == "Director"
    assert detail["directions"][0]["actions"][0]["state"] == "done"


def test_refusals_are_problems_and_change_nothing(api, users, direction):
    before = Action.objects.count()
    response = api("officer", "post", f"/directions/{direction.pk}/actions",
                   {"what": "Gửi thư", "owner_id": users["officer"].pk, "due_date": "2026-01-01"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "before the meeting" in response.json()["title"]
    assert Action.objects.count() == before
    response = api("officer", "post", f"/meetings/{direction.meeting.pk}/participants", {"person_id": 999999, "side": "partner"})
    assert response.status_code == 400 and "not in the directory" in response.json()["title"]
    assert not Participant.objects.exists()


def test_the_board_over_the_api_overdue_first(api, users, direction):
    ActionFactory(direction=direction, owner=users["officer"], what="later", due_date=dt.date(2099, 1, 1))
    ActionFactory(direction=direction, owner=users["officer"], what="late", due_date=dt.date(2026, 11, 1))
    items = api("officer", "get", "/actions").json()["items"]
    assert [i["what"] for i in items] == ["late", "later"] and items[0]["overdue"] is True
    assert [i["what"] for i in api("officer", "get", "/actions?state=overdue").json()["items"]] == ["late"]


def test_confidential_minutes_over_the_api_only_to_the_staff_named(api, users, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(confidential=True, minutes_vi="Mật")
    meeting.readers.add(users["officer"])
    assert api("officer", "get", f"/meetings/{meeting.pk}").json()["minutes_vi"] == "Mật"
    assert api("manager", "get", f"/meetings/{meeting.pk}").json()["minutes_vi"] is None


@pytest.mark.parametrize(("role", "status"), [("visitor", 403), ("applicant", 403), ("reviewer", 403), ("officer", 200), ("manager", 200)])
def test_only_staff_read_cooperation_over_the_api(api, partner, role, status):
    assert api(role, "get", "/partners").status_code == status


def test_only_managers_approve_an_agreement_over_the_api(api, unit, partner):
    agreement = AgreementFactory(unit=unit, state="awaiting_approval", signed_on=dt.date(2026, 11, 1))
    agreement.partners.add(partner)
    assert api("officer", "post", f"/agreements/{agreement.pk}/transition", {"code": "approve"}).status_code == 403
    response = api("manager", "post", f"/agreements/{agreement.pk}/transition", {"code": "approve"})
    assert response.status_code == 200 and response.json()["state"] == "in_force"


def test_the_agenda_over_the_api(api, users, direction):
    ActionFactory(direction=direction, owner=users["officer"], what="open one")
    ActionFactory(direction=direction, owner=users["officer"], what="closed one", state="dropped")
    agenda = api("officer", "get", f"/partners/{direction.meeting.partner.pk}/agenda").json()
    assert [item["action"]["what"] for item in agenda] == ["open one"]
