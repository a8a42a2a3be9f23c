"""Issue 27, part B, as the pages show it: the applicant's one form (files never lose typed
answers), draft deletion, the declaration and the receipt; the decision and contract pages; bulk
approval; the ranking's warnings; the milestone waiting for its report; the staff lists, the
disbursement totals, filters and exports; the dashboard's charts; awarded vs paid on the profile."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from innohub.accounts.tests.factories import MembershipFactory
from innohub.activity.models import Event
from innohub.programs import services
from innohub.programs.models import Application, Award, DecisionRecord, Disbursement

from .factories import (
    ApplicationFactory,
    AwardFactory,
    CallFactory,
    applicant_for,
    decide,
    report_and_check,
    reviewer,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 x\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def login(user):
    c = Client()
    c.force_login(user)
    return c


def _decision(**fields):
    return {"number": "1234/QĐ-SKHCN", "signed_on": dt.date.today().isoformat(), "signer": "Lâm Đình Thắng, Giám đốc Sở",
            "confirm": "on", "file": SimpleUploadedFile("qd.pdf", PDF), **fields}


# --- the applicant ----------------------------------------------------------------------------------


def test_attaching_a_file_keeps_and_saves_the_answers_typed_before_it(users):
    application = ApplicationFactory()
    MembershipFactory(user=users["applicant"], organisation=application.organisation)
    c = login(users["applicant"])
    url = f"/programs/applications/{application.pk}/edit/"
    # the files are in the same form as the answers: one form, multipart
    body = c.get(url).content.decode()
    assert body.count('enctype="multipart/form-data"') == 1 and 'name="business_plan-file"' in body
    # when the founder types answers and presses "Đính kèm" without saving first
    response = c.post(url, {"title": "Robot hái nấm", "answer_summary": "Robot cho trang trại nhỏ", "action": "attach",
                            "business_plan-file": SimpleUploadedFile("ke-hoach.pdf", PDF)}, follow=True)
    # then the file is attached, and the answers typed before are saved and on the page
    application.refresh_from_db()
    assert application.title == "Robot hái nấm" and application.answers["summary"] == "Robot cho trang trại nhỏ"
    assert application.attachments.get().original_name == "ke-hoach.pdf"
    body = response.content.decode()
    assert "Robot cho trang trại nhỏ" in body and "Đã đính kèm tệp ke-hoach.pdf và lưu các câu trả lời." in body
    # a refused file leaves the answers saved all the same, with the reason
    response = c.post(url, {"title": "Robot hái nấm v2", "action": "attach", "pitch_deck-file": SimpleUploadedFile("a.pdf", b"GIF89a")}, follow=True)
    application.refresh_from_db()
    assert application.title == "Robot hái nấm v2" and application.attachments.count() == 1
    assert any("Bài thuyết trình" in str(m) for m in get_messages(response.wsgi_request)) or "Bài thuyết trình:" in response.content.decode()
    # removing a file is a button of the same form: what is typed is saved too
    attachment = application.attachments.get()
    c.post(url, {"title": "Robot hái nấm v3", "action": f"remove-{attachment.pk}"})
    application.refresh_from_db()
    assert application.title == "Robot hái nấm v3" and not application.attachments.exists()


def test_a_draft_offers_delete_not_withdraw_and_deleting_needs_the_box(users):
    application = ApplicationFactory()
    MembershipFactory(user=users["applicant"], organisation=application.organisation)
    c = login(users["applicant"])
    body = c.get(f"/programs/applications/{application.pk}/").content.decode()
    assert "Xóa bản nháp" in body and 'value="withdraw"' not in body and "Rút hồ sơ" not in body
    response = c.post(f"/programs/applications/{application.pk}/delete/")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Hãy đánh dấu ô xác nhận xóa bản nháp; chưa có gì thay đổi."]
    assert Application.objects.filter(pk=application.pk).exists()
    response = c.post(f"/programs/applications/{application.pk}/delete/", {"confirm": "1"})
    assert response["Location"].endswith("/programs/my/") and not Application.objects.filter(pk=application.pk).exists()
    assert Event.objects.filter(action="application.draft_deleted").count() == 1


def test_the_receipt_is_on_the_page_after_submitting(users):
    application = ApplicationFactory(state="submitted", submitted_at=timezone.now(), declared_at=timezone.now(), title="Robot hái nấm")
    MembershipFactory(user=users["applicant"], organisation=application.organisation)
    body = login(users["applicant"]).get(f"/programs/applications/{application.pk}/").content.decode()
    receipt = body.split('id="receipt"', 1)[1].split("</section>", 1)[0]
    assert "Biên nhận hồ sơ" in receipt and application.reference in receipt and "Tên dự án: Robot hái nấm" in receipt
    assert f"{timezone.localtime(application.submitted_at):%d/%m/%Y}" in receipt
    # staff do not see the applicant's receipt box
    assert 'id="receipt"' not in login(users["officer"]).get(f"/programs/applications/{application.pk}/").content.decode()


# --- decisions --------------------------------------------------------------------------------------


def test_approval_is_a_confirm_page_with_the_signed_record_and_refusals_change_nothing(users):
    application = ApplicationFactory(state="ranked", amount_requested=35_000_000)
    c = login(users["manager"])
    detail = c.get(f"/programs/applications/{application.pk}/").content.decode()
    assert f'href="/programs/applications/{application.pk}/decide/approve/"' in detail
    page = c.get(f"/programs/applications/{application.pk}/decide/approve/").content.decode()
    assert 'name="number"' in page and 'name="signer"' in page and 'name="file"' in page and 'name="confirm"' in page
    assert "Ngân sách còn lại của đợt" in page and "35.000.000" in page
    events = Event.objects.count()
    # without the confirmation box, or with a blank amount, nothing happens
    for missing in ({"confirm": ""}, {"amount": ""}, {"number": ""}):
        response = c.post(f"/programs/applications/{application.pk}/decide/approve/", _decision(**{"amount": "35.000.000", **missing}))
        assert response.status_code == 400 and "<title>Lỗi: " in response.content.decode()
    application.refresh_from_db()
    assert application.state == "ranked" and not Award.objects.exists() and Event.objects.count() == events
    # with everything, the award is the amount typed and the record is listed on the application
    response = c.post(f"/programs/applications/{application.pk}/decide/approve/", _decision(amount="35.000.000"))
    assert response.status_code == 302
    detail = c.get(f"/programs/applications/{application.pk}/").content.decode()
    assert "Quyết định phê duyệt" in detail and "1234/QĐ-SKHCN" in detail and "qd.pdf" in detail
    record = DecisionRecord.objects.get()
    assert c.get(f"/programs/records/{record.pk}/").status_code == 200
    assert login(users["reviewer"]).get(f"/programs/records/{record.pk}/").status_code == 404
    # an officer may not approve
    other = ApplicationFactory(state="ranked")
    assert login(users["officer"]).get(f"/programs/applications/{other.pk}/decide/approve/").status_code == 403


def test_bulk_approval_shows_each_proposed_amount_to_confirm(users):
    call = CallFactory(budget=200_000_000)
    apps = [ApplicationFactory(call=call, state="ranked", amount_requested=a, rank=i + 1) for i, a in enumerate((40_000_000, 30_000_000))]
    c = login(users["manager"])
    listing = c.get("/programs/staff/applications/").content.decode()
    assert '<option value="approve">Phê duyệt</option>' in listing
    response = c.post("/programs/staff/applications/", {"ids": [a.pk for a in apps], "transition": "approve"})
    assert "/staff/applications/decide/approve/" in response["Location"]
    page = c.get(response["Location"]).content.decode()
    assert f'name="amount-{apps[0].pk}"' in page and 'value="40.000.000"' in page and 'value="30.000.000"' in page
    data = {"ids": [a.pk for a in apps], f"amount-{apps[0].pk}": "40.000.000", f"amount-{apps[1].pk}": "", **_decision()}
    refused = c.post("/programs/staff/applications/decide/approve/", data)
    assert refused.status_code == 400 and not Award.objects.exists()
    data[f"amount-{apps[1].pk}"] = "28.000.000"
    data["file"] = SimpleUploadedFile("qd.pdf", PDF)
    c.post("/programs/staff/applications/decide/approve/", data)
    assert {a.application_id: a.amount for a in Award.objects.all()} == {apps[0].pk: 40_000_000, apps[1].pk: 28_000_000}


def test_the_contract_page_records_number_date_and_file(users):
    award = AwardFactory(amount=30_000_000)
    services.milestone_add(award=award, title="Mẫu thử", due_on=dt.date(2027, 1, 31), amount=30_000_000, actor=users["officer"])
    c = login(users["officer"])
    page = c.get(f"/programs/applications/{award.application_id}/decide/contract/").content.decode()
    assert 'name="amount"' not in page and 'name="number"' in page
    c.post(f"/programs/applications/{award.application_id}/decide/contract/", _decision(number="15/2026/HĐ-SKHCN"))
    award.application.refresh_from_db()
    assert award.application.state == "contracted" and DecisionRecord.objects.get().kind == "contract"


# --- ranking, milestones ------------------------------------------------------------------------------


def test_the_dashboard_warns_before_ranking_and_labels_the_line_plainly(users):
    call = CallFactory(reviewers_per_application=1, closes_at=timezone.now() - dt.timedelta(days=1))
    ApplicationFactory(call=call, state="submitted")
    ranked = ApplicationFactory(call=call, state="ranked", score=80, rank=1, above_funding_line=True)
    ApplicationFactory(call=call, state="ranked", score=65, rank=2, above_funding_line=False)
    c = login(users["officer"])
    body = c.get(f"/programs/staff/calls/{call.pk}/").content.decode()
    assert "Còn 1 hồ sơ chưa kiểm tra điều kiện." in body and 'name="confirm"' in body
    assert "trong ngân sách — đề xuất tài trợ" in body and "dưới điểm sàn — không đề xuất" in body
    # charts drawn as the indicators' (inline SVG with a label), each beside a table of its numbers
    assert body.count('role="img"') >= 2 and "Số hồ sơ theo điểm có trọng số" in body
    response = c.post(f"/programs/staff/calls/{call.pk}/", {"action": "rank"})
    assert "chưa có hồ sơ nào được xếp hạng" in str(list(get_messages(response.wsgi_request))[0])
    ranked.refresh_from_db()
    assert ranked.rank == 1


def test_the_dashboards_charts_count_in_whole_numbers(users):
    """Counts read "2", not "2,0", and the axis of a count has no fractional ticks (it read 0 0 1 1 2 2 3)."""
    import re

    call = CallFactory(reviewers_per_application=1, closes_at=timezone.now() - dt.timedelta(days=1))
    for score in (82, 84):
        ApplicationFactory(call=call, state="ranked", score=score, rank=1)
    body = login(users["officer"]).get(f"/programs/staff/calls/{call.pk}/").content.decode()
    charts = " ".join(re.findall(r"<svg.*?</svg>", body, flags=re.S))
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", charts)
    assert " 2" in labels and not any(re.fullmatch(r" ?\d+,0", label.strip()) for label in labels), labels
    assert "0,5" not in labels and "1,5" not in labels


def test_the_officer_is_told_a_milestone_waits_for_its_report(users):
    award = AwardFactory(amount=30_000_000)
    milestone = services.milestone_add(award=award, title="Mẫu thử", due_on=dt.date(2027, 1, 31), amount=30_000_000, actor=users["officer"])
    decide(award.application, "contract", users["officer"])
    c = login(users["officer"])
    response = c.post(f"/programs/milestones/{milestone.pk}/check/", {"met": "1"})
    assert "chưa gửi báo cáo" in str(list(get_messages(response.wsgi_request))[0])
    milestone.refresh_from_db()
    assert milestone.state == "pending"
    member = applicant_for(award.organisation)
    login(member).post(f"/programs/milestones/{milestone.pk}/report/", {
        "report": "Đã có mẫu thử", "evidence": [SimpleUploadedFile("bien-ban.pdf", PDF), SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20 + b"IEND\xaeB`\x82")]})
    body = c.get(f"/programs/applications/{award.application_id}/").content.decode()
    assert "bien-ban.pdf" in body and "anh.png" in body and f"/milestones/{milestone.pk}/check/" in body
    evidence = milestone.evidence.first()
    assert c.get(f"/programs/evidence/{evidence.pk}/").status_code == 200


# --- lists --------------------------------------------------------------------------------------------


def test_the_staff_list_shows_the_project_title_and_submission_date(users):
    application = ApplicationFactory(state="submitted", title="Robot hái nấm", submitted_at=timezone.make_aware(dt.datetime(2026, 11, 3, 9)))
    body = login(users["officer"]).get("/programs/staff/applications/").content.decode()
    assert "Robot hái nấm" in body and "03/11/2026" in body and "Tên dự án" in body and application.reference in body


def _paid(users, call, amount, paid_on, key):
    award = AwardFactory(application=ApplicationFactory(call=call, state="approved"), amount=amount)
    milestone = services.milestone_add(award=award, title="Mốc", due_on=dt.date(2027, 1, 31), amount=amount, actor=users["officer"])
    decide(award.application, "contract", users["officer"])
    report_and_check(milestone, member=applicant_for(award.organisation), officer=users["officer"])
    services.disbursement_record(tranche=milestone.tranche, actor=users["officer"], key=key, paid_on=paid_on)
    return award


def test_the_disbursement_list_has_totals_filters_and_exports(users):
    today = timezone.localdate()
    first, second = CallFactory(title="Đợt A"), CallFactory(title="Đợt B")
    _paid(users, first, 30_000_000, today - dt.timedelta(days=40), "UNC-1")
    _paid(users, first, 20_000_000, today - dt.timedelta(days=2), "UNC-2")
    _paid(users, second, 10_000_000, today - dt.timedelta(days=1), "UNC-3")
    c = login(users["officer"])
    body = c.get("/programs/staff/disbursements/").content.decode()
    assert "Tổng số tiền đã chi" in body and "60.000.000" in body
    body = c.get("/programs/staff/disbursements/", {"call": first.pk}).content.decode()
    assert "50.000.000" in body and "UNC-3" not in body
    body = c.get("/programs/staff/disbursements/", {"date_from": (today - dt.timedelta(days=5)).isoformat()}).content.decode()
    assert "30.000.000" in body and "UNC-1" not in body and "UNC-2" in body
    refused = c.get("/programs/staff/disbursements/", {"date_from": today.isoformat(), "date_to": (today - dt.timedelta(days=3)).isoformat()})
    assert refused.status_code == 400 and "Ngày kết thúc trước ngày bắt đầu." in refused.content.decode()
    lines = list(csv.reader(io.StringIO(c.get("/programs/staff/disbursements/export.csv", {"call": first.pk}).content.decode("utf-8-sig"))))
    keys = {row[1] for row in lines if len(row) > 1}
    assert {"UNC-1", "UNC-2"} <= keys and "UNC-3" not in keys
    sheet = load_workbook(io.BytesIO(c.get("/programs/staff/disbursements/export.xlsx").content)).worksheets[0]
    assert sum(row[-1].value for row in list(sheet.iter_rows())[1:] if isinstance(row[-1].value, int)) == 60_000_000
    assert Disbursement.objects.count() == 3
    assert login(users["applicant"]).get("/programs/staff/disbursements/export.csv").status_code == 403


def test_the_profile_shows_awarded_and_paid_as_separate_figures(users):
    award = _paid(users, CallFactory(title="Đợt ươm tạo 2026"), 40_000_000, timezone.localdate(), "UNC-9")
    Award.objects.filter(pk=award.pk).update(amount=40_000_000)
    # half of it planned and paid: a second, unpaid milestone is not needed to tell the two apart
    Award.objects.filter(pk=award.pk).update(disbursed_total=20_000_000)
    body = Client().get(f"/directory/{award.organisation.slug}/").content.decode()
    assert "Đã được duyệt hỗ trợ (số tiền)" in body and "Đã giải ngân (số tiền)" in body
    assert "40.000.000" in body and "20.000.000" in body and "Hỗ trợ đã nhận" not in body


def test_reviewers_are_not_offered_the_bulk_decision_page(users):
    assert login(users["reviewer"]).get("/programs/staff/applications/decide/approve/").status_code == 403
    assert login(users["officer"]).get("/programs/staff/applications/decide/start_check/").status_code == 404
    reviewer()


def test_the_api_reports_with_evidence_and_filters_payments(users):
    award = AwardFactory(amount=30_000_000)
    milestone = services.milestone_add(award=award, title="Mốc", due_on=dt.date(2027, 1, 31), amount=30_000_000, actor=users["officer"])
    decide(award.application, "contract", users["officer"])
    member = login(applicant_for(award.organisation))
    refused = member.post(f"/api/v1/programs/milestones/{milestone.pk}/report-with-evidence",
                          {"report": "Xong", "files": [SimpleUploadedFile("x.pdf", b"not a pdf")]})
    assert refused.status_code == 400 and not milestone.evidence.exists()
    done = member.post(f"/api/v1/programs/milestones/{milestone.pk}/report-with-evidence",
                       {"report": "Xong", "files": [SimpleUploadedFile("bien-ban.pdf", PDF)]})
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "reported" and milestone.evidence.get().original_name == "bien-ban.pdf"
    officer = login(users["officer"])
    officer.post(f"/api/v1/programs/milestones/{milestone.pk}/check", '{"met": true}', content_type="application/json")
    services.disbursement_record(tranche=milestone.tranche, actor=users["officer"], key="UNC-1", paid_on=timezone.localdate())
    listed = officer.get("/api/v1/programs/disbursements", {"call_id": award.call_id}).json()["items"]
    assert [d["key"] for d in listed] == ["UNC-1"]
    assert officer.get("/api/v1/programs/disbursements", {"call_id": award.call_id + 999}).json()["items"] == []
