"""Personal data requests (innohub/privacy): the person asks (signed in, or confirming by the
e-mailed link), the request is due 72 hours after receipt, administrators see it in their
queue, are reminded, and carry it out (export e-mailed, data erased, correction written) or
refuse it; every step audited, refusals change nothing."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from innohub.accounts.models import User
from innohub.activity.models import Event, Notification
from innohub.core.queues import counts_for
from innohub.privacy import services
from innohub.privacy.models import DataRequest
from innohub.qa.models import Question
from innohub.qa.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_visitor_asks_confirms_by_the_emailed_link_and_the_deadline_starts_then(client, django_capture_on_commit_callbacks):
    home = client.get("/").content.decode()
    assert 'href="/privacy/request/">Dữ liệu cá nhân của bạn</a>' in home  # every page's footer
    page = client.get("/privacy/request/").content.decode()
    assert "Nghị định 13/2023/NĐ-CP" in page and "72" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/privacy/request/", {"kind": "access", "email": "Lan@Example.vn", "name": "Lan"})
    assert response.status_code == 302
    obj = DataRequest.objects.get()
    assert obj.state == "awaiting_confirmation" and obj.due_at is None and obj.email == "lan@example.vn"
    assert "lan@example.vn" in client.get("/privacy/request/sent/").content.decode()
    [message] = mail.outbox
    assert message.to == ["lan@example.vn"]
    link = next(line for line in message.body.splitlines() if "/privacy/confirm/" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    # opening the link confirms nothing (mail scanners open links); its button does
    assert Client().get(path).status_code == 200 and DataRequest.objects.get().state == "awaiting_confirmation"
    Client().post(path)
    obj.refresh_from_db()
    assert obj.state == "received"
    assert dt.timedelta(hours=71, minutes=59) < obj.due_at - timezone.now() <= dt.timedelta(hours=72)
    assert Event.objects.filter(action="data_request.confirm", target_id=str(obj.pk)).exists()
    # a forged or altered link is refused and changes nothing
    assert Client().post(path[:-3] + "xyz/").status_code == 400


def test_a_signed_in_person_using_their_address_is_received_at_once(users):
    c = _login(users["applicant"])
    c.post("/privacy/request/", {"kind": "correction", "email": users["applicant"].email, "details": "Sai số điện thoại"})
    obj = DataRequest.objects.get()
    assert obj.state == "received" and obj.user == users["applicant"] and obj.due_at is not None
    assert "YC-" in c.get("/privacy/request/sent/").content.decode()


def test_a_bad_request_is_refused_with_a_clear_error_and_saves_nothing(client):
    response = client.post("/privacy/request/", {"kind": "correction", "email": "not-an-address"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hãy cho biết dữ liệu nào cần chỉnh sửa" in html
    assert not DataRequest.objects.exists() and not mail.outbox


def test_administrators_see_the_queue_and_carry_out_an_access_request_by_email(users, django_capture_on_commit_callbacks):
    QuestionFactory(asker_email="lan@example.vn", asker_name="Lan")
    obj = services.request_submit(kind="access", email="lan@example.vn", name="Lan", details="", actor=None)
    obj = services.request_confirm(token=services.confirm_token(obj), actor=None)
    admin = users["administrator"]
    assert counts_for(admin)["privacy.requests"] == 1
    assert "YC-" in _login(admin).get("/backoffice/").content.decode()
    # nobody else sees it
    for role in ("officer", "manager", "applicant"):
        assert _login(users[role]).get(f"/privacy/requests/{obj.pk}/").status_code in (403, 404)
    c = _login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(f"/privacy/requests/{obj.pk}/", {"action": "carry_out", "outcome": ""})
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.state == "done" and obj.closed_at is not None
    sent = [m for m in mail.outbox if m.to == ["lan@example.vn"] and m.attachments]
    data = json.loads(sent[-1].attachments[0][1])
    assert data["questions"][0]["name"] == "Lan"
    assert Event.objects.filter(action="personal_data.exported").exists()
    assert Event.objects.filter(action="data_request.carry_out", actor=admin).exists()
    assert counts_for(User.objects.get(pk=admin.pk))["privacy.requests"] == 0


def test_an_erasure_request_erases_and_a_correction_needs_what_was_done(users):
    member = users["applicant"]
    QuestionFactory(asker=member, asker_email=member.email, asker_name="Ngọc")
    erase = services.request_submit(kind="erasure", email=member.email, name="", details="", actor=member)
    correct = services.request_submit(kind="correction", email=member.email, name="", details="Tên sai", actor=member)
    c = _login(users["administrator"])
    refused = c.post(f"/privacy/requests/{correct.pk}/", {"action": "carry_out", "outcome": ""})
    assert refused.status_code == 400 and "Hãy ghi rõ đã chỉnh sửa gì" in refused.content.decode()
    correct.refresh_from_db()
    assert correct.state == "received"
    c.post(f"/privacy/requests/{correct.pk}/", {"action": "carry_out", "outcome": "Đã sửa họ tên thành Lâm Bảo Ngọc"})
    c.post(f"/privacy/requests/{erase.pk}/", {"action": "carry_out"})
    member.refresh_from_db()
    assert not member.is_active and member.email.startswith("anonymised-")
    assert Question.objects.get().asker_name == ""
    assert Event.objects.filter(action="personal_data.erased").exists()
    # refusing needs its reason
    other = services.request_submit(kind="access", email="x@example.vn", name="", details="", actor=None)
    assert c.post(f"/privacy/requests/{other.pk}/", {"action": "refuse", "reason": ""}).status_code == 400
    c.post(f"/privacy/requests/{other.pk}/", {"action": "refuse", "reason": "Không xác minh được người yêu cầu"})
    other.refresh_from_db()
    assert other.state == "refused" and other.outcome == "Không xác minh được người yêu cầu"


def test_administrators_are_reminded_once_a_day_of_requests_due_within_a_day(users):
    obj = services.request_submit(kind="access", email="an@example.vn", name="", details="", actor=users["applicant"])
    services.request_confirm(token=services.confirm_token(obj), actor=None)
    assert services.requests_remind() == 0  # due in 72 hours
    later = timezone.now() + dt.timedelta(hours=50)
    assert services.requests_remind(now=later) == 1
    assert services.requests_remind(now=later) == 0  # once a day
    assert Notification.objects.filter(recipient=users["administrator"], message="privacy.request_due").exists()
    assert Event.objects.filter(action="data_request.reminded").count() == 1
