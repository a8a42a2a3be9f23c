"""Feedback after the event, the certificate's PDF text and its Open Badges 3.0 export, and
registrations linked to the directory."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from innohub.core.errors import ApplicationError, ConflictError
from innohub.events import services
from innohub.events.certificates import certificate_pdf
from innohub.events.codes import attendee_token
from innohub.events.models import FeedbackResponse
from innohub.events.services.feedback import feedback_give, feedback_summary
from innohub.events.tests.factories import EventFactory, EventFormFactory

pytestmark = pytest.mark.django_db

FEEDBACK = {"sections": [{"key": "f", "title": {"vi": "Đánh giá", "en": "Feedback"}, "fields": [
    {"key": "useful", "kind": "choice", "label": {"vi": "Hữu ích?", "en": "Useful?"}, "required": True,
     "choices": [["5", {"vi": "Rất hữu ích", "en": "Very"}], ["3", {"vi": "Bình thường", "en": "So-so"}]]},
    {"key": "note", "kind": "textarea", "label": {"vi": "Góp ý", "en": "Suggestions"}, "max_length": 500},
]}]}


def attended(event, users, n=1):
    registration = services.registration_create(event=event, attendee=services.Attendee(name=f"Hà {n}", email=f"ha{n}@example.vn"))
    services.checkin_record(registration=registration, actor=users["officer"])
    return registration


def test_feedback_only_from_attendees_once_and_summarised(users, client, client_for):
    event = EventFactory(feedback_form=EventFormFactory(schema=FEEDBACK), capacity=10)
    absent = services.registration_create(event=event, attendee=services.Attendee(name="Vắng", email="vang@example.vn"))
    with pytest.raises(ConflictError):
        feedback_give(registration=absent, answers={"useful": "5"})
    one, two = attended(event, users, 1), attended(event, users, 2)
    with pytest.raises(ApplicationError):
        feedback_give(registration=one, answers={"note": "thiếu câu bắt buộc"})
    assert FeedbackResponse.objects.count() == 0
    feedback_give(registration=one, answers={"useful": "5", "note": "Rất thiết thực"})
    with pytest.raises(ConflictError):
        feedback_give(registration=one, answers={"useful": "3"})
    response = client.post(reverse("events:attendee-feedback", args=[attendee_token(two)]), {"answer_useful": "3"})
    assert response.status_code == 302
    summary = feedback_summary(event=event)
    assert [(c["label"], c["n"]) for c in summary[0]["choices"]] == [("Rất hữu ích", 1), ("Bình thường", 1)]
    assert summary[1]["texts"] == ["Rất thiết thực"]
    assert "Rất thiết thực" in client_for("officer").get(reverse("events:feedback", args=[event.pk])).content.decode()


def test_the_certificate_pdf_sets_vietnamese_text_the_number_and_the_department(users):
    event = EventFactory(title="Khóa tập huấn ươm tạo khởi nghiệp", issues_certificates=True)
    registration = attended(event, users)
    [cert] = services.certificates_issue(event=event, actor=users["officer"])
    text = PdfReader(io.BytesIO(certificate_pdf(cert))).pages[0].extract_text()
    for expected in ("GIẤY CHỨNG NHẬN", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", registration.name, "Khóa tập huấn ươm tạo khởi nghiệp", cert.number):
        assert expected in text


def test_open_badge_export_of_a_valid_certificate_only(users, client):
    event = EventFactory(issues_certificates=True)
    registration = attended(event, users)
    [cert] = services.certificates_issue(event=event, actor=users["officer"])
    url = reverse("events:attendee-badge", args=[attendee_token(registration)])
    badge = client.get(url).json()
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["credentialSubject"]["achievement"]["name"] == event.title
    assert cert.number in badge["id"] and registration.email not in str(badge)
    services.certificate_revoke(certificate=cert, actor=users["manager"], reason="Sai")
    assert client.get(url).status_code == 404


def test_a_registration_is_linked_to_its_organisation_in_the_directory():
    from innohub.directory.tests.factories import OrganisationFactory

    org = OrganisationFactory(name="Trung tâm Đổi mới sáng tạo Sihub", short_name="Sihub")
    registration = services.registration_create(event=EventFactory(), attendee=services.Attendee(name="A", email="a@example.vn", organisation_name="sihub"))
    assert registration.organisation_id == org.pk
