"""Personal data (Decree 13/2023/NĐ-CP, Law 91/2025/QH15): consent recorded with its version,
closed questions' contacts anonymised after the retention period, a person's data exported and
erased on request; each step audited."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from innohub.activity.models import Event
from innohub.core import personal_data
from innohub.qa.models import Question
from innohub.qa.tests.factories import QuestionFactory, TopicFactory

pytestmark = pytest.mark.django_db

ASK = {"text": "Xin hỏi thủ tục đăng ký ươm tạo tại Trung tâm?", "asker_name": "Lan", "asker_email": "lan@example.vn", "website": ""}


def test_the_question_form_asks_for_consent_and_refuses_without_it(client):
    page = client.get("/qa/ask/").content.decode()
    assert 'name="consent"' in page and "Nghị định 13/2023/NĐ-CP" in page
    response = client.post("/qa/ask/", {**ASK, "topic": TopicFactory().pk})
    assert response.status_code == 400 and "consent" in response.context["form"].errors
    assert not Question.objects.exists()


def test_consent_is_recorded_with_its_version_and_text(client):
    response = client.post("/qa/ask/", {**ASK, "topic": TopicFactory().pk, "consent": "on"})
    assert response.status_code == 302
    question = Question.objects.get()
    event = Event.objects.get(action="consent.given")
    assert event.target_id == str(question.pk)
    assert event.after["purpose"] == "qa.ask" and event.after["version"] == personal_data.CONSENTS["qa.ask"].version
    assert "Nghị định 13/2023/NĐ-CP" in event.after["text"]


def closed(months_ago: float, **kwargs) -> Question:
    question = QuestionFactory(**kwargs)
    Question.objects.filter(pk=question.pk).update(closed_at=timezone.now() - dt.timedelta(days=months_ago * 30.5))
    return question


def test_an_event_registration_needs_consent_and_records_it(client):
    from django.urls import reverse

    from innohub.events.models import Registration
    from innohub.events.tests.factories import EventFactory

    event = EventFactory(capacity=5)
    url = reverse("events:register", args=[event.slug])
    assert "Nghị định 13/2023/NĐ-CP" in client.get(url).content.decode()
    attendee = {"name": "Phan Thị Hồng", "email": "hong@example.vn", "participant_kind": "startup", "country": "VN"}
    refused = client.post(url, attendee)
    assert refused.status_code == 400 and "Hãy đánh dấu vào ô để đồng ý" in refused.content.decode()
    assert not Registration.objects.exists() and not Event.objects.filter(action="consent.given").exists()
    assert client.post(url, {**attendee, "consent": "on"}).status_code == 302
    registration = Registration.objects.get()
    given = Event.objects.get(action="consent.given")
    assert given.target_id == str(registration.pk) and given.after["purpose"] == "events.register"
    assert given.after["version"] == personal_data.CONSENTS["events.register"].version


def test_a_delegation_registration_needs_its_contacts_consent_and_records_it_for_each_member(client):
    from django.urls import reverse

    from innohub.events.models import Registration
    from innohub.events.tests.factories import EventFactory

    event = EventFactory(capacity=10)
    url = reverse("events:register-group", args=[event.slug])
    page = client.get(url).content.decode()
    assert 'name="consent"' in page and "mỗi thành viên" in page and "Nghị định 13/2023/NĐ-CP" in page
    delegation = {"contact_name": "Trưởng đoàn Kim", "contact_email": "kim@example.kr", "organisation_name": "KOTRA",
                  "participant_kind": "partner", "country": "KR", "member_0_name": "Kim Ji-woo", "member_0_email": "jiwoo@example.kr",
                  "member_1_name": "Park Min-jun", "member_1_email": "minjun@example.kr"}
    refused = client.post(url, delegation)
    assert refused.status_code == 400 and "Hãy đánh dấu vào ô để đồng ý" in refused.content.decode()
    assert not Registration.objects.exists() and not Event.objects.filter(action="consent.given").exists()
    assert client.post(url, {**delegation, "consent": "on"}).status_code == 200
    registrations = list(Registration.objects.order_by("pk"))
    given = list(Event.objects.filter(action="consent.given").order_by("pk"))
    assert [g.target_id for g in given] == [str(r.pk) for r in registrations] and len(given) == 2
    assert {g.after["purpose"] for g in given} == {"events.register_group"}
    assert given[0].after["version"] == personal_data.CONSENTS["events.register_group"].version
    assert "mỗi thành viên" in given[0].after["text"]


@pytest.mark.parametrize("people", [1, 2])
def test_the_events_api_refuses_a_registration_without_consent_and_records_it_with(client, people):
    from innohub.events.models import Registration
    from innohub.events.tests.factories import EventFactory

    event = EventFactory(capacity=10)
    url = f"/api/v1/events/events/{event.slug}/registrations"
    body = {"attendees": [{"name": f"Người {i}", "email": f"nguoi{i}@example.vn"} for i in range(people)], "contact_name": "Lan"}
    purpose = "events.register" if people == 1 else "events.register_group"
    for refused in (client.post(url, body, content_type="application/json"),
                    client.post(url, {**body, "consent": False}, content_type="application/json")):
        assert refused.status_code == 400 and refused["Content-Type"].startswith("application/problem+json")
        problem = refused.json()
        assert problem["code"] == "consent_required" and "Hãy đánh dấu vào ô để đồng ý" in problem["title"]
        assert problem["errors"]["version"] == personal_data.CONSENTS[purpose].version
        assert "Nghị định 13/2023/NĐ-CP" in problem["errors"]["text"]
    assert not Registration.objects.exists() and not Event.objects.filter(action="consent.given").exists()
    accepted = client.post(url, {**body, "consent": True}, content_type="application/json")
    assert accepted.status_code == 201, accepted.content
    given = Event.objects.filter(action="consent.given")
    assert sorted(g.target_id for g in given) == sorted(str(pk) for pk in Registration.objects.values_list("pk", flat=True))
    assert given.count() == people and {g.after["purpose"] for g in given} == {purpose}


def test_the_question_api_refuses_without_consent_and_records_it_with(client):
    topic = TopicFactory()
    body = {"topic": topic.code, "text": ASK["text"], "email": "lan@example.vn", "name": "Lan"}
    refused = client.post("/api/v1/qa/questions", body, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "consent_required"
    assert refused.json()["errors"]["version"] == personal_data.CONSENTS["qa.ask"].version
    assert "Hãy đánh dấu vào ô để đồng ý" in refused.json()["title"]
    assert not Question.objects.exists() and not Event.objects.filter(action="consent.given").exists()
    asked = client.post("/api/v1/qa/questions", {**body, "consent": True}, content_type="application/json")
    assert asked.status_code == 201, asked.content
    given = Event.objects.get(action="consent.given")
    assert given.target_id == str(Question.objects.get().pk) and given.after["purpose"] == "qa.ask"


def test_retention_anonymises_only_questions_closed_past_the_period_and_audits_each(settings):
    settings.QA_ASKER_RETENTION_MONTHS = 24
    old = closed(25, asker_name="Lan", asker_email="lan@example.vn", submitted_ip="10.0.0.1")
    recent = closed(3, asker_name="Minh", asker_email="minh@example.vn")
    still_open = QuestionFactory(asker_email="an@example.vn")
    out = io.StringIO()
    call_command("personal_data", "retention", stdout=out)
    assert "1 closed questions were anonymised" in out.getvalue()
    old.refresh_from_db()
    assert (old.asker_name, old.asker_email, old.submitted_ip, old.asker) == ("", personal_data.anonymised_email(old.pk), None, None)
    assert old.text  # the question itself stays
    assert Question.objects.get(pk=recent.pk).asker_email == "minh@example.vn"
    assert Question.objects.get(pk=still_open.pk).asker_email == "an@example.vn"
    [event] = Event.objects.filter(action="personal_data.anonymised")
    assert event.target_id == str(old.pk) and event.after["reason"] == "retention"
    # a second run finds nothing more; the period is configurable
    assert personal_data.retention_apply() == 0
    assert personal_data.retention_apply(months=2) == 1


def test_retention_dry_run_changes_nothing():
    closed(30, asker_email="lan@example.vn")
    call_command("personal_data", "retention", "--dry-run", stdout=io.StringIO())
    assert Question.objects.get().asker_email == "lan@example.vn"
    assert not Event.objects.filter(action="personal_data.anonymised").exists()


def _login_record(model, days_ago: int, **fields):
    row = model.objects.create(username="lan@example.vn", ip_address="10.0.0.9", user_agent="Firefox", **fields)
    model.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - dt.timedelta(days=days_ago))
    return row


def test_retention_deletes_old_login_records_and_old_attachments_and_dry_run_counts_them(settings, tmp_path, django_capture_on_commit_callbacks):
    # Given log-in records and question attachments, some past their retention
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    settings.LOGIN_RECORDS_RETENTION_DAYS = 180
    settings.QA_ATTACHMENT_RETENTION_MONTHS = 12
    old_log, new_log = _login_record(AccessLog, 200), _login_record(AccessLog, 10)
    _login_record(AccessFailureLog, 181, locked_out=False)
    _login_record(AccessAttempt, 365, failures_since_start=3, get_data="", post_data="")
    old_q, new_q = closed(13, asker_email="lan@example.vn"), closed(2, asker_email="minh@example.vn")
    for q in (old_q, new_q):
        q.refresh_from_db()  # keep its closing date
        q.attachment.save("giay-to.pdf", ContentFile(b"%PDF-1.4 x\n%%EOF\n"), save=False)
        q.attachment_name = "giấy tờ.pdf"
        q.save()
    old_file = tmp_path / old_q.attachment.name
    assert old_file.exists()
    # when the daily run is only a dry run, it counts and changes nothing
    out = io.StringIO()
    call_command("personal_data", "retention", "--dry-run", stdout=out)
    assert "1 attachments of closed questions would be deleted" in out.getvalue()
    assert "1 log-in records, 1 failed log-in records and 1 attempt counters would be deleted" in out.getvalue()
    assert AccessLog.objects.count() == 2 and old_file.exists()
    # then the real run deletes exactly those past their period, audited
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("personal_data", "retention", stdout=out)
    assert "1 log-in records, 1 failed log-in records and 1 attempt counters were deleted" in out.getvalue()
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [new_log.pk] and not AccessLog.objects.filter(pk=old_log.pk).exists()
    assert not AccessFailureLog.objects.exists() and not AccessAttempt.objects.exists()
    old_q.refresh_from_db()
    new_q.refresh_from_db()
    assert not old_q.attachment and old_q.attachment_name == "" and old_q.text and not old_file.exists()
    assert new_q.attachment and (tmp_path / new_q.attachment.name).exists()
    purged = Event.objects.get(action="personal_data.login_records_purged")
    assert purged.after["log_ins"] == 1 and purged.after["days"] == 180
    assert Event.objects.get(action="personal_data.attachment_deleted").target_id == str(old_q.pk)


def test_a_person_exports_and_erases_their_data_through_an_administrator(users):
    person = users["visitor"]
    mine = QuestionFactory(asker_email=person.email, asker_name="Võ Thị Lan")
    other = QuestionFactory(asker_email="someone@example.vn")
    out = io.StringIO()
    call_command("personal_data", "export", person.email.upper(), "--by", "administrator-user", stdout=out)
    data = json.loads(out.getvalue())
    assert data["account"]["username"] == person.username
    assert [q["tracking_code"] for q in data["questions"]] == [mine.tracking_code]
    assert Event.objects.get(action="personal_data.exported").actor == users["administrator"]

    with pytest.raises(CommandError, match="--yes"):
        call_command("personal_data", "erase", person.email, "--by", "administrator-user", stdout=io.StringIO())
    call_command("personal_data", "erase", person.email, "--by", "administrator-user", "--yes", stdout=io.StringIO())
    person.refresh_from_db()
    mine.refresh_from_db()
    assert not person.is_active and not person.full_name and person.email.endswith("@invalid.invalid")
    assert not person.has_usable_password()
    assert mine.asker_name == "" and mine.asker_email.endswith("@invalid.invalid")
    assert Question.objects.get(pk=other.pk).asker_email == "someone@example.vn"
    event = Event.objects.get(action="personal_data.erased")
    assert event.actor == users["administrator"] and event.after["questions"] == 1
    # the audit chain still holds after an erasure
    assert "holds" in (lambda o: (call_command("audit_verify", stdout=o), o.getvalue())[1])(io.StringIO())


def test_only_an_administrator_handles_a_request(users):
    with pytest.raises(CommandError, match="administrator"):
        call_command("personal_data", "export", "x@example.vn", "--by", "officer-user", stdout=io.StringIO())


def test_retention_anonymises_answer_feedback_given_before_the_period_and_keeps_the_verdict(settings):
    from innohub.qa.models import AnswerFeedback
    from innohub.qa.selectors import current_feedback
    from innohub.qa.tests.factories import AnswerFactory

    settings.QA_FEEDBACK_RETENTION_MONTHS = 12
    answer = AnswerFactory()
    old = AnswerFeedback.objects.create(answer=answer, reader="a" * 64, helpful=False, comment="Tôi là Lan, 0903 123 456, chưa rõ thủ tục.")
    recent = AnswerFeedback.objects.create(answer=answer, reader="b" * 64, helpful=False, comment="Thiếu mẫu đơn.")
    AnswerFeedback.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=13 * 30.5))
    AnswerFeedback.objects.filter(pk=recent.pk).update(updated_at=timezone.now() - dt.timedelta(days=11 * 30.5))
    counted = current_feedback().count()
    out = io.StringIO()
    call_command("personal_data", "retention", "--dry-run", stdout=out)
    assert "1 readers' feedback on answers would be anonymised" in out.getvalue()
    assert AnswerFeedback.objects.get(pk=old.pk).comment.startswith("Tôi là Lan")
    call_command("personal_data", "retention", stdout=(out := io.StringIO()))
    assert "1 readers' feedback on answers were anonymised" in out.getvalue()
    old.refresh_from_db()
    assert (old.comment, old.reader, old.helpful) == ("", f"anonymised-{old.pk}", False)
    assert AnswerFeedback.objects.get(pk=recent.pk).comment == "Thiếu mẫu đơn."
    assert current_feedback().count() == counted  # the statistics do not move
    [event] = Event.objects.filter(action="personal_data.anonymised", target_type__model="answerfeedback")
    assert event.target_id == str(old.pk) and event.after == {"reason": "retention", "months": 12}
    assert personal_data.feedback_anonymise() == 0  # a second run finds nothing more


def test_retention_anonymises_registrations_of_events_ended_before_the_period(settings):
    from innohub.events.models import Certificate, Registration
    from innohub.events.tests.factories import EventFactory, RegistrationFactory

    settings.EVENT_REGISTRATION_RETENTION_MONTHS = 24
    now = timezone.now()
    long_ago = EventFactory(starts_at=now - dt.timedelta(days=25 * 30.5))
    last_year = EventFactory(starts_at=now - dt.timedelta(days=23 * 30.5))
    coming = EventFactory()
    plain = RegistrationFactory(event=long_ago, name="Phan Thị Hồng", email="hong@example.vn", organisation_name="Sihub",
                                participant_kind="startup", answers={"position": "CEO"}, registered_by_name="Trưởng đoàn Kim")
    certified = RegistrationFactory(event=long_ago, name="Lê Văn Minh", email="minh@example.vn")
    Certificate.objects.create(registration=certified, number="CN-2024-0001")
    kept = [RegistrationFactory(event=last_year, email="an@example.vn"), RegistrationFactory(event=coming, email="binh@example.vn")]
    out = io.StringIO()
    call_command("personal_data", "retention", "--dry-run", stdout=out)
    assert "2 registrations for past events would be anonymised" in out.getvalue()
    assert Registration.objects.get(pk=plain.pk).email == "hong@example.vn"
    assert not Event.objects.filter(action="personal_data.anonymised").exists()
    call_command("personal_data", "retention", stdout=(out := io.StringIO()))
    assert "2 registrations for past events were anonymised" in out.getvalue()
    plain.refresh_from_db()
    certified.refresh_from_db()
    assert (plain.name, plain.email, plain.answers, plain.registered_by_name) == ("", personal_data.anonymised_email(f"registration-{plain.pk}"), {}, "")
    assert (plain.organisation_name, plain.participant_kind) == ("Sihub", "startup")  # the event's figures stay
    assert certified.name == "Lê Văn Minh" and certified.email.startswith("anonymised-")  # its certificate is still checked by name
    assert [Registration.objects.get(pk=r.pk).email for r in kept] == ["an@example.vn", "binh@example.vn"]
    events = {e.target_id: e.after for e in Event.objects.filter(action="personal_data.anonymised", target_type__model="registration")}
    assert events[str(plain.pk)]["name_kept_for_certificate"] is False and events[str(certified.pk)]["name_kept_for_certificate"] is True
    assert len(events) == 2
    assert personal_data.registrations_anonymise() == 0
    assert personal_data.registrations_anonymise(months=22) == 1  # the period is a setting


def test_a_persons_event_registrations_are_in_their_export_and_go_with_their_erasure(users):
    from innohub.events.models import Certificate, Registration
    from innohub.events.tests.factories import RegistrationFactory

    admin = users["administrator"]
    mine = RegistrationFactory(name="Phan Thị Hồng", email="Hong@Example.vn", answers={"position": "CEO"})
    Certificate.objects.create(registration=mine, number="CN-2026-0007")
    other = RegistrationFactory(name="Lê Văn Minh", email="minh@example.vn")
    data = personal_data.subject_export(email="hong@example.vn", actor=admin)
    assert [(r["name"], r["answers"]) for r in data["event_registrations"]] == [("Phan Thị Hồng", {"position": "CEO"})]
    assert Event.objects.get(action="personal_data.exported").after["event_registrations"] == 1
    counts = personal_data.subject_erase(email="hong@example.vn", actor=admin)
    assert counts["event_registrations"] == 1
    mine.refresh_from_db()
    assert (mine.name, mine.answers) == ("", {}) and mine.email.startswith("anonymised-")  # the certificate's name too: they asked
    assert Registration.objects.get(pk=other.pk).name == "Lê Văn Minh"
