"""The API runs the same operations with the same checks as the pages."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from innohub.accounts.tests.factories import MembershipFactory
from innohub.programs.models import Application, Award, Disbursement, Review

from .factories import ApplicationFactory, CallFactory, reviewer, startup

pytestmark = pytest.mark.django_db


def api(user):
    c = Client()
    c.force_login(user)
    return c


def post(c, path, data=None):
    return c.post(f"/api/v1/programs{path}", json.dumps(data or {}), content_type="application/json")


def test_stages_are_public(client):
    body = client.get("/api/v1/programs/stages").json()
    assert [s["ceiling"] for s in body] == [40_000_000, 80_000_000, 400_000_000]


def test_a_call_through_the_api(users):
    call = CallFactory(reviewers_per_application=1)
    org = startup()
    MembershipFactory(user=users["applicant"], organisation=org)
    me = api(users["applicant"])
    created = post(me, "/applications", {"call_id": call.pk, "organisation_id": org.pk})
    assert created.status_code == 201, created.content
    app_id = created.json()["id"]
    assert created.json()["state_label"] == "Bản nháp – chưa nộp"
    patched = me.patch(f"/api/v1/programs/applications/{app_id}", json.dumps(
        {"title": "Ứng dụng AI", "amount_requested": "41.000.000", "answers": {"summary": "S", "innovation": "I", "team_size": "5", "plan": "P"}}),
        content_type="application/json")
    assert patched.status_code == 200 and patched.json()["amount_requested"] == 41_000_000
    problems = me.get(f"/api/v1/programs/applications/{app_id}/eligibility").json()
    assert {p["code"] for p in problems} == {"amount_above_ceiling", "answer_missing"}
    refused = post(me, f"/applications/{app_id}/transitions", {"transition": "submit"})
    assert refused.status_code == 400 and refused["Content-Type"] == "application/problem+json"
    me.patch(f"/api/v1/programs/applications/{app_id}", json.dumps({"amount_requested": 40_000_000}), content_type="application/json")
    upload = me.post(f"/api/v1/programs/applications/{app_id}/attachments",
                     {"field_key": "business_plan", "file": SimpleUploadedFile("p.pdf", b"%PDF-1.5 x\n%%EOF\n", content_type="application/pdf")})
    assert upload.status_code == 201, upload.content
    undeclared = post(me, f"/applications/{app_id}/transitions", {"transition": "submit"})
    assert undeclared.status_code == 400 and "cam đoan" in undeclared.json()["title"]
    assert post(me, f"/applications/{app_id}/transitions", {"transition": "submit", "declaration": True}).json()["state"] == "submitted"

    officer = api(users["officer"])
    bulk = post(officer, "/bulk-transitions", {"application_ids": [app_id], "transition": "start_check"})
    assert bulk.json()["done"] == [app_id]
    post(officer, f"/applications/{app_id}/transitions", {"transition": "accept"})
    expert = reviewer()
    assert post(officer, f"/calls/{call.pk}/assign").json()["assigned"] == 1
    review_id = api(expert).get("/api/v1/programs/reviews").json()["items"][0]["id"]
    scored = post(api(expert), f"/reviews/{review_id}/submit", {"scores": {"innovation": 9, "team": 8, "market": 7, "impact": None, "feasibility": 8}})
    assert scored.status_code == 200 and scored.json()["weighted_score"] == "81.11"
    from django.utils import timezone

    early = post(officer, f"/calls/{call.pk}/rank")  # the call is still open: applications can still arrive
    assert early.status_code == 409, early.content
    assert early.json()["title"].endswith("Chưa có hồ sơ nào được xếp hạng."), early.json()
    call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    call.save(update_fields=["closes_at"])
    assert post(officer, f"/calls/{call.pk}/rank").json() == {"ranked": 1, "moved": 1, "above_line": 1, "below_min_score": 0}
    assert officer.get(f"/api/v1/programs/calls/{call.pk}/ranking").json()["items"][0]["application_id"] == app_id
    assert post(officer, f"/applications/{app_id}/transitions", {"transition": "approve"}).status_code == 403
    manager = api(users["manager"])
    unrecorded = post(manager, f"/applications/{app_id}/transitions", {"transition": "approve", "amount": 40_000_000})
    assert unrecorded.status_code == 400 and not Award.objects.exists()  # a decision needs its signed record
    decision = {"transition": "approve", "number": "12/QĐ-SKHCN", "signed_on": "2026-11-20", "signer": "Giám đốc Sở"}
    blank = manager.post(f"/api/v1/programs/applications/{app_id}/decisions",
                         {**decision, "file": SimpleUploadedFile("qd.pdf", b"%PDF-1.4 qd\n%%EOF\n")})
    assert blank.status_code == 400 and not Award.objects.exists()  # the amount is never defaulted
    approved = manager.post(f"/api/v1/programs/applications/{app_id}/decisions",
                            {**decision, "amount": "40.000.000", "file": SimpleUploadedFile("qd.pdf", b"%PDF-1.4 qd\n%%EOF\n")})
    assert approved.json()["state"] == "approved", approved.content
    milestone = post(officer, f"/applications/{app_id}/milestones", {"title": "MVP", "due_on": "2027-01-31", "amount": 40_000_000})
    assert milestone.status_code == 201
    contract = officer.post(f"/api/v1/programs/applications/{app_id}/decisions", {
        "transition": "contract", "number": "15/2026/HĐ", "signed_on": "2026-11-21", "signer": "Phó Giám đốc Sở",
        "file": SimpleUploadedFile("hd.pdf", b"%PDF-1.4 hd\n%%EOF\n")})
    assert contract.json()["state"] == "contracted", contract.content
    early_check = post(officer, f"/milestones/{milestone.json()['id']}/check", {"met": True})
    assert early_check.status_code == 409  # no report yet
    post(me, f"/milestones/{milestone.json()['id']}/report", {"report": "Xong"})
    post(officer, f"/milestones/{milestone.json()['id']}/check", {"met": True})
    tranche = milestone.json()["tranche_id"]
    # a payment date given as a number (pydantic would read 0 as a Unix time, 01/01/1970) is refused
    as_number = post(officer, f"/tranches/{tranche}/disbursements", {"key": "UNC-6", "paid_on": 0})
    assert as_number.status_code == 422 and as_number.json()["errors"][0]["msg"] == "Hãy nhập ngày theo dạng YYYY-MM-DD."
    assert not Disbursement.objects.exists()
    first = post(officer, f"/tranches/{tranche}/disbursements", {"key": "UNC-7", "paid_on": str(dt.date(2026, 11, 23))})
    second = post(officer, f"/tranches/{tranche}/disbursements", {"key": "UNC-7", "paid_on": str(dt.date(2026, 11, 23))})
    assert (first.status_code, second.status_code) == (201, 200) and second.json()["created"] is False
    assert Disbursement.objects.count() == 1 and Award.objects.get().disbursed_total == 40_000_000
    dashboard = officer.get(f"/api/v1/programs/calls/{call.pk}/dashboard").json()
    assert dashboard["awarded"] == 40_000_000 and dashboard["by_state"] == {"contracted": 1}


def test_refusals_change_nothing(users):
    other = ApplicationFactory(state="submitted")
    me = api(users["applicant"])
    assert me.get(f"/api/v1/programs/applications/{other.pk}").status_code == 404
    assert post(me, f"/applications/{other.pk}/transitions", {"transition": "withdraw"}).status_code == 404
    assert post(api(users["reviewer"]), f"/calls/{other.call_id}/assign").status_code == 403
    assert post(api(users["applicant"]), f"/calls/{other.call_id}/rank").status_code == 403
    assert Application.objects.get(pk=other.pk).state == "submitted" and not Review.objects.exists()
    assert Client().get("/api/v1/programs/applications").status_code == 401


def test_cohorts_are_public(client, users):
    import datetime as dt

    from innohub.directory.tests.factories import OrganisationFactory
    from innohub.programs import services

    hub = OrganisationFactory(kind="support", name="SIHUB")
    cohort = services.cohort_create(hub=hub, stage="incubation", name="Khóa 1", starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2027, 2, 1), actor=users["officer"])
    services.cohort_add_startup(cohort=cohort, organisation=startup(name="Nấm Xanh"), actor=users["officer"])
    services.cohort_add_mentor(cohort=cohort, name="TS. An", expertise="Gọi vốn", actor=users["officer"])
    [item] = client.get("/api/v1/programs/cohorts").json()["items"]
    assert (item["hub"], item["startups"], item["mentors"]) == ("SIHUB", ["Nấm Xanh"], ["TS. An"])
    assert "Khóa 1" in client.get("/programs/").content.decode()


def test_an_attachment_without_a_multipart_boundary_is_a_400_problem_and_attaches_nothing(users):
    # Given the applicant's own draft, when a file is posted as multipart without a boundary,
    # then the answer is a translated 400 problem and the application has no attachment.
    from innohub.accounts.services import api_token_create

    application = ApplicationFactory(created_by=users["applicant"])
    MembershipFactory(user=users["applicant"], organisation=application.organisation)
    _token, key = api_token_create(user=users["applicant"], name="t")
    response = Client().generic("POST", f"/api/v1/programs/applications/{application.pk}/attachments", b"x",
                                content_type="multipart/form-data", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Không đọc được nội dung yêu cầu."
    assert application.attachments.count() == 0


@pytest.mark.parametrize("typed", ["٤١٠٠٠٠٠٠", "۴۱ triệu", "４１.０００.０００"])
def test_an_amount_in_other_digits_is_refused_and_changes_nothing(users, typed):
    # Given the applicant's draft asking 40.000.000 đ, when the amount is sent in Arabic-Indic,
    # Persian or full-width digits, then the answer is a 400 naming the amount and the draft
    # still asks 40.000.000 đ
    application = ApplicationFactory(created_by=users["applicant"], amount_requested=40_000_000, title="Cũ")
    MembershipFactory(user=users["applicant"], organisation=application.organisation)
    response = api(users["applicant"]).patch(f"/api/v1/programs/applications/{application.pk}",
                                              json.dumps({"title": "Mới", "amount_requested": typed}), content_type="application/json")
    assert response.status_code == 400, response.content
    assert "amount_requested" in json.dumps(response.json())
    application.refresh_from_db()
    assert (application.amount_requested, application.title) == (40_000_000, "Cũ")


def test_an_attachment_is_served_with_the_type_of_its_checked_extension_not_the_browsers(users):
    # Given a real PDF uploaded with the claim "text/html", when the applicant downloads it,
    # then it comes as application/pdf, to be saved (attachment), with nosniff; the API too
    # says application/pdf
    application = ApplicationFactory(created_by=users["applicant"])
    MembershipFactory(user=users["applicant"], organisation=application.organisation)
    me = api(users["applicant"])
    upload = me.post(f"/api/v1/programs/applications/{application.pk}/attachments", {
        "field_key": "business_plan",
        "file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n<script>alert(1)</script>\n%%EOF\n", content_type="text/html")})
    assert upload.status_code == 201, upload.content
    assert upload.json()["content_type"] == "application/pdf"
    page = Client()
    page.force_login(users["applicant"])
    response = page.get(f"/programs/attachments/{upload.json()['id']}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_attachment_stored_with_the_browsers_type_is_still_served_by_its_extension(users):
    # Given an attachment row written before the fix, keeping the claimed "text/html"
    from innohub.programs.models import Attachment

    application = ApplicationFactory(created_by=users["applicant"])
    MembershipFactory(user=users["applicant"], organisation=application.organisation)
    attachment = Attachment(application=application, field_key="business_plan", original_name="plan.pdf",
                            content_type="text/html", size=16, uploaded_by=users["applicant"])
    attachment.file.save("plan.pdf", SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n"), save=False)
    attachment.save()
    page = Client()
    page.force_login(users["applicant"])
    response = page.get(f"/programs/attachments/{attachment.pk}/")
    assert response["Content-Type"] == "application/pdf" and response["Content-Disposition"].startswith("attachment;")


def test_an_over_long_form_answer_is_refused_not_cut(users):
    # Given a draft whose summary says "Cũ", when a 5 MB summary is sent, then the answer is
    # a 400 naming the field and its limit, and the draft still says "Cũ" (before issue 32
    # it was cut to 10,000 characters and answered 200)
    application = ApplicationFactory(created_by=users["applicant"], answers={"summary": "Cũ"})
    MembershipFactory(user=users["applicant"], organisation=application.organisation)
    response = api(users["applicant"]).patch(f"/api/v1/programs/applications/{application.pk}",
                                              json.dumps({"answers": {"summary": "a" * (5 * 1024 * 1024)}}), content_type="application/json")
    assert response.status_code == 400, response.status_code
    assert "summary" in response.content.decode() and "10.000" in response.content.decode()
    application.refresh_from_db()
    assert application.answers["summary"] == "Cũ"
