"""Personal data requests (innohub/privacy): the person asks (signed in, or confirming by the
e-mailed link), the request is due 72 hours after receipt, administrators see it in their
queue, are reminded, and carry it out (export e-mailed, data erased, correction written) or
refuse it; every step audited, refusals change nothing."""

import datetime as dt
import json
import uuid

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


def _link_path(body: str, marker: str) -> str:
    link = next(line for line in body.splitlines() if marker in line)
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


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
    path = _link_path(message.body, "/privacy/confirm/")
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
    [sent] = [m for m in mail.outbox if m.to == ["lan@example.vn"] and "/privacy/copy/" in m.body]
    assert not sent.attachments  # the data is not sent by e-mail: a link to download it is
    response = Client().post(_link_path(sent.body, "/privacy/copy/"))
    data = json.loads(b"".join(response.streaming_content))
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


def _carried_out(users, *, email: str, by_account=None) -> tuple[DataRequest, str]:
    """An access request carried out by an administrator; returns it and the download path e-mailed."""

    QuestionFactory(asker_email=email, asker_name="Lan", text="Xin hỏi thủ tục ươm tạo?", submitted_ip="203.0.113.9")
    obj = services.request_submit(kind="access", email=email, name="Lan", details="", actor=by_account, ip=f"test-{uuid.uuid4()}")
    if obj.state == "awaiting_confirmation":
        obj = services.request_confirm(token=services.confirm_token(obj), actor=None)
    mail.outbox.clear()
    services.request_carry_out(request=obj, actor=users["administrator"])
    obj.refresh_from_db()
    return obj, services.export_path(obj)


def test_the_requester_downloads_the_copy_from_the_emailed_link_after_pressing_the_button(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        obj, _path = _carried_out(users, email="lan@example.vn")
    [message] = [m for m in mail.outbox if "/privacy/copy/" in m.body]
    assert message.to == ["lan@example.vn"] and not message.attachments
    path = _link_path(message.body, "/privacy/copy/")
    assert "lan@example.vn" not in path and "Lan" not in path  # the link names nobody
    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200 and "Tải bản sao" in page.content.decode() and "no-store" in page["Cache-Control"]
    assert "lan@example.vn" not in page.content.decode()
    assert not Event.objects.filter(action="personal_data.export_downloaded").exists()  # opening the link downloads nothing
    response = visitor.post(path)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert f'filename="du-lieu-ca-nhan-{obj.reference}.json"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(b"".join(response.streaming_content))
    assert data["email"] == "lan@example.vn" and data["questions"][0]["ip_address"] == "203.0.113.9"
    [downloaded] = Event.objects.filter(action="personal_data.export_downloaded")
    assert downloaded.target_id == str(obj.pk)
    # the file is stored under a generated name outside anything served directly
    assert obj.export_file.name.startswith("privacy/exports/") and "lan" not in obj.export_file.name
    assert Client().get("/media/" + obj.export_file.name).status_code == 404


def test_a_copy_asked_from_an_account_is_for_that_account_only(users):
    member = users["applicant"]
    obj, path = _carried_out(users, email=member.email, by_account=member)
    assert _login(member).post(path).status_code == 200
    for other in (Client(), _login(users["officer"]), _login(users["administrator"])):
        refused = other.post(path)
        assert refused.status_code == 403
        html = refused.content.decode()
        assert "thuộc về người đã gửi yêu cầu" in html
        assert member.email not in html and "Xin hỏi thủ tục ươm tạo" not in html  # nothing of the requester's
    assert Event.objects.filter(action="personal_data.export_downloaded").count() == 1


def test_a_copy_asked_by_email_is_refused_to_someone_signed_in_as_another_person(users):
    _obj, path = _carried_out(users, email="lan@example.vn")
    refused = _login(users["applicant"]).post(path)
    assert refused.status_code == 403 and "thuộc về người đã gửi yêu cầu" in refused.content.decode()
    assert "lan@example.vn" not in refused.content.decode()
    assert not Event.objects.filter(action="personal_data.export_downloaded").exists()


def test_a_tampered_or_expired_link_is_refused_with_a_clear_message(users, settings):
    obj, path = _carried_out(users, email="lan@example.vn")
    token = path.rstrip("/").rsplit("/", 1)[1]
    for bad in (path.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB")), "/privacy/copy/abc/",
                services.export_path(DataRequest(pk=obj.pk + 1, email="lan@example.vn", kind="access"))):
        refused = Client().post(bad)
        assert refused.status_code == 404, bad
        assert "Liên kết tải xuống này không hợp lệ" in refused.content.decode()
    # a link for the same request with its e-mail altered does not open it either
    forged = services.export_path(DataRequest(pk=obj.pk, email="khac@example.vn", kind="access", export_file=obj.export_file.name))
    assert Client().post(forged).status_code == 404
    # past its period: refused even before the retention run deletes the file
    DataRequest.objects.filter(pk=obj.pk).update(export_expires_at=timezone.now() - dt.timedelta(minutes=1))
    expired = Client().post(path)
    assert expired.status_code == 403 and "Liên kết tải xuống này đã hết hạn" in expired.content.decode()
    assert not Event.objects.filter(action="personal_data.export_downloaded").exists()


def test_the_retention_run_deletes_copies_past_their_period_and_their_links_stop(users, settings, django_capture_on_commit_callbacks):
    import io

    from django.core.management import call_command

    settings.PRIVACY_EXPORT_DAYS = 7
    old, old_path = _carried_out(users, email="lan@example.vn")
    fresh, fresh_path = _carried_out(users, email="minh@example.vn")
    storage = old.export_file.storage
    name = old.export_file.name
    assert storage.exists(name)
    DataRequest.objects.filter(pk=old.pk).update(export_expires_at=timezone.now() - dt.timedelta(days=1))
    out = io.StringIO()
    call_command("personal_data", "retention", "--dry-run", stdout=out)
    assert "1 copies of a person's data past their download period would be deleted" in out.getvalue() and storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("personal_data", "retention", stdout=(out := io.StringIO()))
    assert "1 copies of a person's data past their download period were deleted" in out.getvalue()
    old.refresh_from_db()
    assert not old.export_file and old.export_expires_at is None and not storage.exists(name)
    assert Event.objects.filter(action="personal_data.export_deleted", target_id=str(old.pk)).count() == 1
    assert Client().post(old_path).status_code == 403
    assert Client().post(fresh_path).status_code == 200  # the other copy is still there
    # and a link older than the period is refused by its signature alone
    settings.PRIVACY_EXPORT_DAYS = 0
    assert Client().post(fresh_path).status_code == 403


def test_a_copy_no_request_points_to_is_deleted_once_a_day_old(users, settings, tmp_path):
    """A carry-out whose transaction failed after writing the file leaves it behind: swept."""
    import os

    settings.MEDIA_ROOT = str(tmp_path)
    obj, _path = _carried_out(users, email="lan@example.vn")
    folder = tmp_path / "privacy" / "exports"
    orphan, fresh_orphan = folder / "0123456789abcdef.json", folder / "fedcba9876543210.json"
    orphan.write_text('{"email": "lan@example.vn"}', "utf-8")
    fresh_orphan.write_text("{}", "utf-8")
    two_days_ago = (timezone.now() - dt.timedelta(days=2)).timestamp()
    os.utime(orphan, (two_days_ago, two_days_ago))
    os.utime(tmp_path / obj.export_file.name, (two_days_ago, two_days_ago))  # old, but its request still points to it
    assert services.exports_purge(dry_run=True) == 1 and orphan.exists()
    assert services.exports_purge() == 1
    assert not orphan.exists() and fresh_orphan.exists() and (tmp_path / obj.export_file.name).exists()
    assert Event.objects.filter(action="personal_data.export_deleted", after__files=1).exists()
