"""The pages, walked through as each role would: a call from application to the last payment."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from innohub.accounts.tests.factories import MembershipFactory
from innohub.programs.models import Application, Award, Disbursement, Review

from .factories import (
    ApplicationFactory,
    CallFactory,
    applicant_for,
    decide,
    report_and_check,
    reviewer,
    startup,
)

pytestmark = pytest.mark.django_db


def _close(call):
    """The call closes (ranking waits for it)."""
    from django.utils import timezone

    call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    call.save(update_fields=["closes_at"])


def login(user):
    c = Client()
    c.force_login(user)
    return c


def test_public_page_shows_stages_and_open_calls(client):
    call = CallFactory(title="Đợt tiền ươm tạo 2026")
    body = client.get("/programs/").content.decode()
    assert "40.000.000" in body and "400.000.000" in body and call.title in body
    assert client.get("/en/programs/").status_code == 200
    assert call.title in client.get(f"/programs/calls/{call.pk}/").content.decode()


def test_a_call_from_application_to_last_payment(users):
    call = CallFactory(reviewers_per_application=1, budget=100_000_000)
    org = startup()
    founder = users["applicant"]
    MembershipFactory(user=founder, organisation=org)
    app_client = login(founder)

    # the applicant starts, autosaves, attaches and submits
    response = app_client.post(f"/programs/calls/{call.pk}/apply/", {"organisation": org.pk})
    application = Application.objects.get(call=call, organisation=org)
    assert response.status_code == 302 and response["Location"].endswith(f"/applications/{application.pk}/edit/")
    edit_url = f"/programs/applications/{application.pk}/edit/"
    page = app_client.get(edit_url).content.decode()
    assert "Required answer missing" in page or "Thiếu câu trả lời bắt buộc" in page
    saved = app_client.post(edit_url, {"title": "Robot hái nấm", "amount_requested": "39.000.000", "answer_summary": "S",
                                       "answer_innovation": "I", "answer_team_size": "3", "answer_plan": "P"},
                            HTTP_ACCEPT="application/json")
    assert saved.json() == {"saved": True}
    bad = app_client.post(f"/programs/applications/{application.pk}/attach/",
                          {"field_key": "business_plan", "business_plan-file": SimpleUploadedFile("a.pdf", b"GIF89a")})
    assert bad.status_code == 302 and not application.attachments.exists()
    app_client.post(f"/programs/applications/{application.pk}/attach/",
                    {"field_key": "business_plan", "business_plan-file": SimpleUploadedFile("plan.pdf", b"%PDF-1.7 x\n%%EOF\n")})
    assert application.attachments.count() == 1
    refused = app_client.post(edit_url, {"title": "Robot hái nấm", "amount_requested": "39.000.000", "action": "submit"})
    assert refused.status_code == 400 and "Hãy đánh dấu vào lời cam đoan" in refused.content.decode()
    application.refresh_from_db()
    assert application.state == "draft"
    submitted = app_client.post(edit_url, {"title": "Robot hái nấm", "amount_requested": "39.000.000", "answer_summary": "S",
                                           "answer_innovation": "I", "answer_team_size": "3", "answer_plan": "P",
                                           "action": "submit", "declaration": "1"}, follow=True)
    application.refresh_from_db()
    assert application.state == "submitted" and application.declared_at is not None
    assert "Biên nhận" in submitted.content.decode() and application.reference in submitted.content.decode()

    # the officer checks eligibility in bulk, assigns a reviewer
    officer = login(users["officer"])
    assert officer.get("/programs/staff/applications/", {"call": call.pk, "state": "submitted"}).status_code == 200
    officer.post("/programs/staff/applications/", {"ids": [application.pk], "transition": "start_check"})
    officer.post("/programs/staff/applications/", {"ids": [application.pk], "transition": "accept"})
    application.refresh_from_db()
    assert application.state == "under_review"
    expert = reviewer()
    officer.post(f"/programs/staff/calls/{call.pk}/", {"action": "assign"})
    review = Review.objects.get(application=application)
    assert review.reviewer == expert

    # the reviewer scores
    rev = login(expert)
    assert application.reference in rev.get("/programs/reviews/").content.decode()
    rev.post(f"/programs/reviews/{review.pk}/", {"action": "submit", "score_innovation": 8, "score_team": 7, "score_market": 7,
                                                 "score_impact": "na", "score_feasibility": 9, "comment": "Khả thi"})
    review.refresh_from_db()
    assert review.state == "submitted"

    # the officer ranks, the manager approves
    _close(call)
    officer.post(f"/programs/staff/calls/{call.pk}/", {"action": "rank"})
    application.refresh_from_db()
    assert application.state == "ranked" and application.above_funding_line
    login(users["manager"]).post(f"/programs/applications/{application.pk}/decide/approve/", {
        "amount": "39.000.000", "number": "12/QĐ-SKHCN", "signed_on": "2026-11-20", "signer": "Giám đốc Sở", "confirm": "on",
        "file": SimpleUploadedFile("qd.pdf", b"%PDF-1.4 qd\n%%EOF\n")})
    award = Award.objects.get(application=application)
    assert award.amount == 39_000_000

    # milestones, contract, report, check, payment (twice: no effect the second time)
    officer.post(f"/programs/applications/{application.pk}/milestones/add/", {"title": "Mẫu thử", "due_on": "2026-12-31", "amount": "39.000.000"})
    officer.post(f"/programs/applications/{application.pk}/decide/contract/", {
        "number": "15/2026/HĐ", "signed_on": "2026-11-21", "signer": "Phó Giám đốc Sở", "confirm": "on",
        "file": SimpleUploadedFile("hd.pdf", b"%PDF-1.4 hd\n%%EOF\n")})
    milestone = award.milestones.get()
    app_client.post(f"/programs/milestones/{milestone.pk}/report/", {"report": "Đã xong mẫu thử"})
    officer.post(f"/programs/milestones/{milestone.pk}/check/", {"met": "1"})
    for _ in range(2):
        officer.post(f"/programs/tranches/{milestone.tranche.pk}/disburse/", {"key": "UNC-2026-1", "paid_on": "2026-11-23"})
    assert Disbursement.objects.count() == 1
    award.refresh_from_db()
    assert award.disbursed_total == 39_000_000

    # the applicant sees it in applicant wording, with the payment
    detail = app_client.get(f"/programs/applications/{application.pk}/").content.decode()
    assert "Đã ký hợp đồng" in detail and "39.000.000" in detail and "23/11/2026" in detail
    assert application.reference in app_client.get("/programs/my/").content.decode()

    # dashboards and exports
    assert "39.000.000" in officer.get(f"/programs/staff/calls/{call.pk}/").content.decode()
    xlsx = officer.get(f"/programs/staff/calls/{call.pk}/export.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.worksheets[0].max_row == 2 and book.worksheets[0].cell(2, 1).value == application.reference
    csv_text = officer.get(f"/programs/staff/calls/{call.pk}/export.csv").content.decode("utf-8-sig")
    assert application.reference in csv_text
    stage = officer.get("/programs/staff/stages/pre_incubation/").content.decode()
    assert "39.000.000" in stage
    assert officer.get("/programs/staff/stages/pre_incubation/export.csv").status_code == 200
    assert officer.get("/programs/staff/disbursements/").status_code == 200


def test_applicant_cannot_open_another_organisations_application(users):
    other = ApplicationFactory()
    c = login(users["applicant"])
    assert c.get(f"/programs/applications/{other.pk}/").status_code == 404
    assert c.post(f"/programs/applications/{other.pk}/transition/", {"transition": "withdraw"}).status_code == 404
    assert Application.objects.get(pk=other.pk).state == "draft"


def test_reviewer_cannot_open_an_unassigned_review(users):
    review = Review.objects.create(application=ApplicationFactory(state="under_review"), reviewer=reviewer())
    assert login(reviewer()).get(f"/programs/reviews/{review.pk}/").status_code == 404


def test_list_pages_do_not_grow_queries_with_rows(users):
    call = CallFactory()
    for _ in range(3):
        ApplicationFactory(call=call)
    officer = login(users["officer"])
    with CaptureQueriesContext(connection) as few:
        officer.get("/programs/staff/applications/")
    for _ in range(10):
        ApplicationFactory(call=call)
    with CaptureQueriesContext(connection) as many:
        officer.get("/programs/staff/applications/")
    assert len(many) == len(few)


def test_milestone_dates_are_shown_day_first(users):
    from innohub.programs import services

    from .factories import AwardFactory

    award = AwardFactory()
    services.milestone_add(award=award, title="Mốc 1", due_on=dt.date(2026, 12, 22), amount=10_000_000, actor=users["officer"])
    body = login(users["officer"]).get(f"/programs/applications/{award.application_id}/").content.decode()
    assert "22/12/2026" in body


def _row_with(body: str, text: str) -> str:
    """The table row of a page that holds the text (a milestone's title, a reference)."""
    return next(row for row in body.split("<tr>") if text in row)


def test_a_pending_milestone_reads_overdue_once_its_due_date_has_passed(users):
    from django.utils import timezone

    from innohub.programs import services

    from .factories import AwardFactory

    # given an award with a pending milestone due last week and one due next month
    award = AwardFactory()
    today = timezone.localdate()
    services.milestone_add(award=award, title="Mốc đã qua hạn", due_on=today - dt.timedelta(days=7), amount=10_000_000, actor=users["officer"])
    services.milestone_add(award=award, title="Mốc sắp tới", due_on=today + dt.timedelta(days=30), amount=10_000_000, actor=users["officer"])
    # when the officer and the applicant's side open the application, in Vietnamese and in English
    officer = login(users["officer"])
    body = officer.get(f"/programs/applications/{award.application_id}/").content.decode()
    # then the late one reads overdue and only the coming one reads not yet due
    assert "Quá hạn" in _row_with(body, "Mốc đã qua hạn") and "Chưa đến hạn" not in _row_with(body, "Mốc đã qua hạn")
    assert "Chưa đến hạn" in _row_with(body, "Mốc sắp tới") and "Quá hạn" not in _row_with(body, "Mốc sắp tới")
    english = officer.get(f"/en/programs/applications/{award.application_id}/").content.decode()
    assert "Overdue" in _row_with(english, "Mốc đã qua hạn") and "Not yet due" in _row_with(english, "Mốc sắp tới")


def test_a_milestone_due_today_is_not_yet_overdue_and_a_reported_one_keeps_its_state():
    from innohub.programs.models import Milestone

    today = dt.date(2026, 12, 1)
    assert Milestone(state="pending", due_on=today).status(today) == "upcoming"
    assert Milestone(state="pending", due_on=dt.date(2026, 9, 27)).status(today) == "overdue"
    assert Milestone(state="reported", due_on=dt.date(2026, 9, 27)).status(today) == "reported"


def test_the_bulk_button_reads_apply_the_action_and_the_call_page_still_reads_register(users, client):
    # given a call, when the officer opens the applications and a visitor the call
    call = CallFactory()
    staff_page = login(users["officer"]).get("/programs/staff/applications/").content.decode()
    call_page = client.get(f"/programs/calls/{call.pk}/").content.decode()
    # then the button under the selection does the action, and the call's section invites to apply
    bulk = staff_page.split("prog-bulk")[1]
    assert '<button type="submit" class="btn">Áp dụng</button>' in bulk and "Đăng ký" not in bulk
    assert '<h2 id="apply-title">Đăng ký</h2>' in call_page
    english = login(users["officer"]).get("/en/programs/staff/applications/").content.decode()
    assert '<button type="submit" class="btn">Apply</button>' in english


def _bulk_options(body: str) -> set[str]:
    import re

    menu = body.split('id="bulk-transition"')[1].split("</select>")[0]
    return set(re.findall(r'<option value="([a-z_]+)">', menu))


def test_the_bulk_menu_offers_only_what_the_users_role_may_do_and_refuses_the_rest(users):
    from django.contrib.messages import get_messages

    from innohub.activity.models import Event

    application = ApplicationFactory(state="under_review")
    officer, manager = login(users["officer"]), login(users["manager"])
    # when the officer and the manager open the list, then only their own actions are offered
    assert _bulk_options(officer.get("/programs/staff/applications/").content.decode()) == {"start_check", "accept", "return", "mark_ineligible"}
    assert "reject" in _bulk_options(manager.get("/programs/staff/applications/").content.decode())
    assert "Không phê duyệt" not in officer.get("/programs/staff/applications/").content.decode().split('id="bulk-transition"')[1].split("</select>")[0]
    # when the officer posts the manager's action anyway, then one message says so and nothing changes
    events = Event.objects.count()
    response = officer.post("/programs/staff/applications/", {"ids": [application.pk], "transition": "reject", "message": "Không đạt"})
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == ["Vai trò của bạn không được thực hiện thao tác này; không có gì thay đổi."]
    application.refresh_from_db()
    assert application.state == "under_review" and Event.objects.count() == events


def test_answers_show_the_choice_label_not_its_code_to_every_role(users):
    from innohub.accounts.tests.factories import MembershipFactory

    # given an application under review whose main market is the code "domestic"
    application = ApplicationFactory(state="under_review", answers={"summary": "Tóm tắt", "market": "domestic"})
    MembershipFactory(user=users["applicant"], organisation=application.organisation)
    review = Review.objects.create(application=application, reviewer=users["reviewer"])
    pages = {
        "officer": login(users["officer"]).get(f"/programs/applications/{application.pk}/"),
        "applicant": login(users["applicant"]).get(f"/programs/applications/{application.pk}/"),
        "reviewer": login(users["reviewer"]).get(f"/programs/reviews/{review.pk}/"),
    }
    # then each reads the label of the choice, in its language
    for role, page in pages.items():
        body = page.content.decode()
        assert "<dt>Thị trường chính</dt><dd>Trong nước</dd>" in body and ">domestic<" not in body, role
    english = login(users["reviewer"]).get(f"/en/programs/reviews/{review.pk}/").content.decode()
    assert "<dt>Main market</dt><dd>Domestic</dd>" in english


def test_an_answer_reads_as_its_label_yes_or_no_or_as_typed():
    from innohub.programs.selectors import answer_text

    choice = {"kind": "choice", "choices": [["global", {"vi": "Toàn cầu", "en": "Global"}]]}
    assert answer_text(choice, "global") == "Toàn cầu" and answer_text(choice, "mars") == "mars" and answer_text(choice, "") == ""
    assert answer_text({"kind": "checkbox"}, "True") == "Có" and answer_text({"kind": "checkbox"}, "False") == "Không"
    assert answer_text({"kind": "text"}, "5 người") == "5 người"


def test_amount_labels_say_vnd_in_english_and_dong_in_vietnamese(users):
    from innohub.accounts.tests.factories import MembershipFactory

    from .factories import AwardFactory

    # given a ranked application, an approved award and a draft of the applicant's
    call = CallFactory()
    ranked = ApplicationFactory(call=call, state="ranked")
    award = AwardFactory(application=ApplicationFactory(call=call, state="approved"))
    draft = ApplicationFactory(call=call)
    MembershipFactory(user=users["applicant"], organisation=draft.organisation)
    manager, applicant = login(users["manager"]), login(users["applicant"])
    for prefix, unit, other in (("/en", "(VND)", "(đồng)"), ("", "(đồng)", "(VND)")):
        # when each page and export is read in the language, then its amounts are labelled in that language's unit
        texts = [
            manager.get(f"{prefix}/programs/applications/{ranked.pk}/decide/approve/").content.decode(),  # the approval form
            manager.get(f"{prefix}/programs/applications/{award.application_id}/").content.decode(),  # the milestone form
            applicant.get(f"{prefix}/programs/applications/{draft.pk}/edit/").content.decode(),
            manager.get(f"{prefix}/programs/staff/calls/{call.pk}/export.csv").content.decode("utf-8-sig"),
            manager.get(f"{prefix}/programs/staff/stages/pre_incubation/export.csv").content.decode("utf-8-sig"),
        ]
        for text in texts:
            assert unit in text and other not in text, (prefix, text[:300])
    english = manager.get(f"/en/programs/staff/calls/{call.pk}/export.csv").content.decode("utf-8-sig")
    assert "Amount requested (VND)" in english and "Budget (VND)" in english


def test_call_export_says_yes_or_no_for_the_funding_line_in_the_pages_language(users):
    import csv

    from openpyxl import load_workbook

    # given a call with one application above the funding line and one below
    call = CallFactory()
    above = ApplicationFactory(call=call, state="ranked", rank=1, above_funding_line=True)
    below = ApplicationFactory(call=call, state="ranked", rank=2, above_funding_line=False)
    officer = login(users["officer"])
    for prefix, yes, no in (("", "Có", "Không"), ("/en", "Yes", "No")):
        # when the officer exports it as CSV and XLSX
        lines = list(csv.reader(io.StringIO(officer.get(f"{prefix}/programs/staff/calls/{call.pk}/export.csv").content.decode("utf-8-sig"))))
        rows = lines[1:lines.index([])]  # the first sheet: its title line, its header and rows, then a blank line
        sheet = load_workbook(io.BytesIO(officer.get(f"{prefix}/programs/staff/calls/{call.pk}/export.xlsx").content)).worksheets[0]
        xlsx_rows = [[c.value for c in row] for row in sheet.iter_rows()]
        # then the funding line column reads yes / no, never True / False
        for table in (rows, xlsx_rows):
            column = table[0].index("Trên ngưỡng tài trợ" if not prefix else "Above the funding line")
            by_ref = {row[0]: row[column] for row in table[1:]}
            assert by_ref == {above.reference: yes, below.reference: no}, (prefix, table)


def test_the_payment_form_refuses_a_future_date_with_the_reason(users):
    from django.contrib.messages import get_messages
    from django.utils import timezone

    from innohub.programs import services

    from .factories import AwardFactory

    award = AwardFactory()
    milestone = services.milestone_add(award=award, title="Mốc 1", due_on=dt.date(2026, 9, 27), amount=30_000_000, actor=users["officer"])
    decide(award.application, "contract", users["officer"])
    report_and_check(milestone, member=applicant_for(award.organisation), officer=users["officer"])
    later = timezone.localdate() + dt.timedelta(days=182)
    response = login(users["officer"]).post(f"/programs/tranches/{milestone.tranche.pk}/disburse/", {"key": "UNC-7", "paid_on": later.isoformat()})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Ngày chi {later:%d/%m/%Y} là sau hôm nay: chỉ ghi nhận khoản chi khi đã chi."]
    assert not Disbursement.objects.exists()


def test_a_founder_whose_startup_applied_sees_its_application_not_the_start_button(users):
    from innohub.accounts.tests.factories import MembershipFactory

    # given a founder of two startups, one of which already has a draft in the call
    call = CallFactory()
    founder = users["applicant"]
    applied, other = startup(name="Nấm Sạch"), startup(name="Robot Vườn")
    for org in (applied, other):
        MembershipFactory(user=founder, organisation=org)
    application = ApplicationFactory(call=call, organisation=applied)
    c = login(founder)
    # when the founder opens the call
    body = c.get(f"/programs/calls/{call.pk}/").content.decode()
    # then it links to that application and offers to start one only for the other startup
    assert f'href="/programs/applications/{application.pk}/"' in body and application.reference in body
    assert "Nấm Sạch đã có hồ sơ trong đợt này" in body
    options = body.split('id="id_organisation"')[1].split("</select>")[0]
    assert "Robot Vườn" in options and "Nấm Sạch" not in options
    # and once the other startup has applied too, there is nothing to start
    ApplicationFactory(call=call, organisation=other)
    body = c.get(f"/programs/calls/{call.pk}/").content.decode()
    assert "Bắt đầu lập hồ sơ" not in body and body.count("đã có hồ sơ trong đợt này") == 2
    # and a withdrawn application does not count
    Application.objects.filter(organisation=other).update(state="withdrawn")
    assert "Bắt đầu lập hồ sơ" in c.get(f"/programs/calls/{call.pk}/").content.decode()


def test_staff_checking_eligibility_see_the_problems_the_applicant_would(users):
    # given a submitted application asking more than the ceiling, from a startup whose profile lacks a tax code
    application = ApplicationFactory(state="submitted", amount_requested=90_000_000, organisation=startup(tax_code=""))
    officer = login(users["officer"])
    # when the officer opens it, then the eligibility problems are listed
    body = officer.get(f"/programs/applications/{application.pk}/").content.decode()
    card = body.split("Điều kiện tham gia</h2>")[1].split("</div>")[0]
    assert "90.000.000\xa0₫" in card and "40.000.000\xa0₫" in card and "mã số thuế" in card and "Kế hoạch kinh doanh" in card
    # and once the problems are gone the officer is told there are none
    from innohub.programs.models import Attachment

    Attachment.objects.create(application=application, field_key="business_plan", file="programs/x.pdf", original_name="plan.pdf",
                              content_type="application/pdf", size=10, uploaded_by=users["applicant"])
    application.amount_requested = 30_000_000
    application.save()
    application.organisation.tax_code = "0301234567"
    application.organisation.save()
    body = officer.get(f"/programs/applications/{application.pk}/").content.decode()
    assert "Không thấy vấn đề nào về điều kiện tham gia." in body
    # and the reviewer, who does not decide eligibility, sees no such card
    Review.objects.create(application=application, reviewer=users["reviewer"])
    assert "Điều kiện tham gia</h2>" not in login(users["reviewer"]).get(f"/programs/applications/{application.pk}/").content.decode()


def test_withdrawing_asks_for_a_ticked_confirmation_and_changes_nothing_without_it(users):
    from django.contrib.messages import get_messages

    from innohub.accounts.tests.factories import MembershipFactory
    from innohub.activity.models import Event

    # given the applicant's submitted application
    application = ApplicationFactory(state="submitted")
    MembershipFactory(user=users["applicant"], organisation=application.organisation)
    c = login(users["applicant"])
    # when they open it, then the withdraw form carries a required confirmation box
    body = c.get(f"/programs/applications/{application.pk}/").content.decode()
    form = next(f for f in body.split("<form") if 'value="withdraw"' in f)
    assert 'type="checkbox" id="confirm-withdraw" name="confirm" value="1" required' in form
    assert "Tôi xác nhận rút hồ sơ này" in form
    # when they press the button without ticking it, then they are told and nothing changes
    events = Event.objects.count()
    response = c.post(f"/programs/applications/{application.pk}/transition/", {"transition": "withdraw"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Hãy đánh dấu ô xác nhận rút hồ sơ; chưa có gì thay đổi."]
    application.refresh_from_db()
    assert application.state == "submitted" and Event.objects.count() == events
    # when they tick it, then the application is withdrawn
    c.post(f"/programs/applications/{application.pk}/transition/", {"transition": "withdraw", "confirm": "1"})
    application.refresh_from_db()
    assert application.state == "withdrawn"


def test_the_amount_and_payment_inputs_have_a_type(users):
    from innohub.programs import services

    from .factories import AwardFactory

    ranked = ApplicationFactory(state="ranked")
    body = login(users["manager"]).get(f"/programs/applications/{ranked.pk}/decide/approve/").content.decode()
    assert 'type="text"' in _tag(body, "id_amount") and 'inputmode="numeric"' in _tag(body, "id_amount")
    award = AwardFactory()
    milestone = services.milestone_add(award=award, title="Mốc 1", due_on=dt.date(2026, 9, 27), amount=30_000_000, actor=users["officer"])
    decide(award.application, "contract", users["officer"])
    report_and_check(milestone, member=applicant_for(award.organisation), officer=users["officer"])
    body = login(users["officer"]).get(f"/programs/applications/{award.application_id}/").content.decode()
    assert 'name="key" type="text"' in body and 'name="reference" type="text"' in body


def test_after_a_transition_the_message_says_what_happened(users):
    from django.contrib.messages import get_messages

    # given a ranked application and two submitted ones
    ranked = ApplicationFactory(state="ranked")
    submitted = [ApplicationFactory(state="submitted") for _ in range(2)]
    manager, officer = login(users["manager"]), login(users["officer"])
    # when the manager approves one, then the message names the step, the reference and the new state
    response = manager.post(f"/programs/applications/{ranked.pk}/decide/approve/", _decision(amount="30.000.000"))
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Phê duyệt: hồ sơ {ranked.reference} nay ở trạng thái “Đã phê duyệt”; văn bản đã ký được lưu."]
    # when the officer starts the check of two at once, then the message says how many and their state
    response = officer.post("/programs/staff/applications/", {"ids": [a.pk for a in submitted], "transition": "start_check"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Bắt đầu kiểm tra điều kiện: 2 hồ sơ nay ở trạng thái “Đang kiểm tra điều kiện”."]


def test_the_applicant_is_told_in_their_own_wording_in_english(users):
    from django.contrib.messages import get_messages

    from innohub.accounts.tests.factories import MembershipFactory

    application = ApplicationFactory(state="submitted")
    MembershipFactory(user=users["applicant"], organisation=application.organisation)
    response = login(users["applicant"]).post(f"/en/programs/applications/{application.pk}/transition/",
                                              {"transition": "withdraw", "confirm": "1"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Withdraw: application {application.reference} is now “You withdrew it”."]


def _milestone_form(body: str) -> str:
    return next(f for f in body.split("<form") if "/milestones/add/" in f.split(">", 1)[0])


@pytest.mark.parametrize(("amount", "error"), [
    ("abc", "Hãy nhập số tiền bằng đồng, ví dụ 40.000.000."),
    ("5.000.000", "Tổng các đợt kinh phí sẽ vượt mức hỗ trợ (còn 0\u00a0₫ chưa phân bổ)."),
])
def test_a_milestone_with_a_bad_amount_keeps_the_input_and_shows_the_error_at_the_field(users, amount, error):
    from innohub.activity.models import Event
    from innohub.programs import services
    from innohub.programs.models import Milestone, Tranche

    from .factories import AwardFactory

    # given a contracted award of 30.000.000 ₫, all of it planned
    award = AwardFactory()
    services.milestone_add(award=award, title="Mốc 1", due_on=dt.date(2026, 12, 22), amount=30_000_000, actor=users["officer"])
    decide(award.application, "contract", users["officer"])
    events = Event.objects.count()
    # when the officer adds a milestone whose amount is not one, or is more than remains
    response = login(users["officer"]).post(f"/programs/applications/{award.application_id}/milestones/add/",
                                            {"title": "Mốc 2: sản phẩm mẫu", "due_on": "2027-02-15", "amount": amount})
    # then the page comes back with their input kept and the error under the amount
    assert response.status_code == 400
    form = _milestone_form(response.content.decode())
    assert 'value="Mốc 2: sản phẩm mẫu"' in form and 'value="2027-02-15"' in form and f'value="{amount}"' in form
    assert f'<p class="error" id="id_amount_error">{error}</p>' in form
    # and nothing is created
    assert Milestone.objects.count() == 1 and Tranche.objects.count() == 1 and Event.objects.count() == events


def test_a_save_with_errors_lists_them_at_the_top_with_links_to_their_fields_and_keeps_the_input(users):
    from innohub.accounts.tests.factories import MembershipFactory
    from innohub.activity.models import Event

    # given the founder's draft
    application = ApplicationFactory(amount_requested=40_000_000)
    MembershipFactory(user=users["applicant"], organisation=application.organisation)
    c = login(users["applicant"])
    # when they open it, then the amount reads as their hint writes it
    body = c.get(f"/programs/applications/{application.pk}/edit/").content.decode()
    assert 'name="amount_requested" value="40.000.000"' in body
    assert "prog-error-summary" not in body
    # when they save "năm" as the team size and a word as the amount
    events = Event.objects.count()
    response = c.post(f"/programs/applications/{application.pk}/edit/", {
        "title": "Tiêu đề mới", "amount_requested": "bốn mươi", "answer_team_size": "năm", "answer_summary": "Tóm tắt mới"})
    # then the page says so at the top, each problem linked to its field, and keeps what they typed
    assert response.status_code == 400
    body = response.content.decode()
    summary = body.split('class="form-errors error-summary prog-error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1"', 1)[1]
    summary = summary.split("</div>", 1)[0]
    assert "Có 2 lỗi; chưa có gì được lưu:" in summary
    assert '<a href="#id_amount_requested">Kinh phí đề nghị hỗ trợ (đồng): Hãy nhập số tiền bằng đồng, ví dụ 40.000.000.</a>' in summary
    assert '<a href="#id_answer_team_size">Số thành viên: Hãy nhập một số nguyên.</a>' in summary
    assert body.index("prog-error-summary") < body.index('id="id_title"')
    assert 'value="năm"' in body and 'value="bốn mươi"' in body and "Tóm tắt mới" in body
    assert 'aria-invalid="true"' in body and 'id="id_answer_team_size_error"' in body
    # and nothing was saved
    application.refresh_from_db()
    assert application.answers["team_size"] == "4" and application.title == "Cảm biến độ ẩm đất giá rẻ"
    assert Event.objects.count() == events


def test_the_amount_box_groups_the_saved_amount_in_english_too(users):
    from innohub.accounts.tests.factories import MembershipFactory

    application = ApplicationFactory(amount_requested=40_000_000)
    MembershipFactory(user=users["applicant"], organisation=application.organisation)
    c = login(users["applicant"])
    body = c.get(f"/en/programs/applications/{application.pk}/edit/").content.decode()
    assert 'name="amount_requested" value="40,000,000"' in body


def _check_form(body: str, milestone_pk: int) -> str:
    return next(f for f in body.split("<form") if f"/milestones/{milestone_pk}/check/" in f.split(">", 1)[0])


def test_the_officer_checks_a_milestone_met_or_not_met_with_a_note_and_not_met_needs_one(users):
    from django.contrib.messages import get_messages

    from innohub.activity.models import Event
    from innohub.programs import services
    from innohub.programs.models import Milestone

    from .factories import AwardFactory

    # given a contracted award with two milestones
    award = AwardFactory()
    first = services.milestone_add(award=award, title="Mốc 1", due_on=dt.date(2026, 12, 22), amount=10_000_000, actor=users["officer"])
    second = services.milestone_add(award=award, title="Mốc 2", due_on=dt.date(2027, 3, 22), amount=20_000_000, actor=users["officer"])
    decide(award.application, "contract", users["officer"])
    c = login(users["officer"])
    url = f"/programs/applications/{award.application_id}/"
    # before any report, the page offers no assessment and says it waits for the report (issue 27)
    body = c.get(url).content.decode()
    assert f"/milestones/{first.pk}/check/" not in body and "Đang chờ báo cáo của doanh nghiệp" in body
    member = applicant_for(award.organisation)
    for m in (first, second):
        services.milestone_report(milestone=m, actor=member, report="Đã làm xong.")
    # when the officer opens the page, then each milestone has a note box and the two buttons,
    # which name their milestone to a screen reader (two "Đạt" buttons did not say which was which)
    form = _check_form(c.get(url).content.decode(), first.pk)
    hidden = '<span class="visually-hidden"> – Mốc 1</span>'
    assert f'<label for="note-{first.pk}">Ghi chú gửi doanh nghiệp (bắt buộc nếu chưa đạt){hidden}</label>' in form
    assert f'name="met" value="1" class="btn btn-small">Đạt{hidden}</button>' in form
    assert f'name="met" value="0" class="btn btn-small btn-danger">Chưa đạt{hidden}</button>' in form
    # when they press "Chưa đạt" without a note, then the page says why at the note and nothing changes
    events = Event.objects.count()
    response = c.post(f"/programs/milestones/{second.pk}/check/", {"met": "0", "note": "  "})
    assert response.status_code == 400
    body = response.content.decode()
    form = _check_form(body, second.pk)
    assert f'<p class="error" id="note-{second.pk}-error">Hãy ghi chú vì sao mốc chưa đạt; chưa có gì thay đổi.</p>' in form
    # and the top of the page sums it up with a link to that note box, far down the page
    assert "<title>Lỗi: " in body
    summary = _error_summary(body)
    assert f'<a href="#note-{second.pk}">Mốc 2: Hãy ghi chú vì sao mốc chưa đạt; chưa có gì thay đổi.</a>' in summary
    second.refresh_from_db()
    assert second.state == Milestone.State.REPORTED and Event.objects.count() == events
    # when they press "Chưa đạt" with a note, then it is not met and the note is in the audit log
    response = c.post(f"/programs/milestones/{second.pk}/check/", {"met": "0", "note": "Chưa có hợp đồng với khách hàng."})
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Mốc “Mốc 2”: chưa đạt; doanh nghiệp đã được báo lý do."]
    second.refresh_from_db()
    assert second.state == Milestone.State.MISSED
    event = Event.objects.filter(action="milestone.checked").get()
    assert event.note == "Chưa có hợp đồng với khách hàng." and event.after["state"] == "missed"
    # when they press "Đạt" with no note, then it is met
    response = c.post(f"/programs/milestones/{first.pk}/check/", {"met": "1", "note": ""})
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == "Mốc “Mốc 1”: đạt."
    first.refresh_from_db()
    assert first.state == Milestone.State.MET
    assert Event.objects.filter(action="milestone.checked").count() == 2


def test_the_rank_button_waits_for_the_call_to_close_and_says_why(users):
    from django.contrib.messages import get_messages
    from django.utils import timezone

    from innohub.activity.models import Event

    # given an open call with an application under review
    call = CallFactory()
    ApplicationFactory(call=call, state="under_review")
    c = login(users["officer"])
    # when the officer opens its page, then the button waits (aria-disabled: still reached by
    # Tab and read with its reason) and the page names the closing
    body = c.get(f"/programs/staff/calls/{call.pk}/").content.decode()
    closes = f"{timezone.localtime(call.closes_at):%H:%M %d/%m/%Y}"
    assert 'value="rank"' not in body
    assert 'aria-disabled="true" aria-describedby="rank-why">Xếp hạng các hồ sơ đã chấm</button>' in body
    assert " disabled " not in body.split('aria-describedby="rank-why"')[0].rsplit("<button", 1)[1]
    assert f"Chỉ xếp hạng được khi đợt tiếp nhận đóng, lúc {closes}: đến lúc đó hồ sơ vẫn có thể được nộp thêm." in body
    # when a rank is posted all the same, then it is refused with the closing and nothing changes
    events = Event.objects.count()
    response = c.post(f"/programs/staff/calls/{call.pk}/", {"action": "rank"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Đợt tiếp nhận còn mở đến {closes}: hồ sơ vẫn có thể được nộp thêm, hãy xếp hạng sau khi đợt đóng. Chưa có hồ sơ nào được xếp hạng."]
    assert Event.objects.count() == events
    # once it has closed, the button is there
    _close(call)
    assert 'value="rank"' in c.get(f"/programs/staff/calls/{call.pk}/").content.decode()


def test_the_approval_amount_reads_as_the_reader_writes_it_and_is_awarded_as_such(users):
    # given a ranked application asking 40.000.000 ₫
    application = ApplicationFactory(state="ranked", amount_requested=40_000_000)
    c = login(users["manager"])
    # when the manager opens its approval page, then the amount box proposes 40.000.000, not 40000000
    body = c.get(f"/programs/applications/{application.pk}/decide/approve/").content.decode()
    assert 'value="40.000.000"' in _tag(body, "id_amount")
    # and approving with it as shown awards that amount
    c.post(f"/programs/applications/{application.pk}/decide/approve/", _decision(amount="40.000.000"))
    assert Award.objects.get(application=application).amount == 40_000_000


def _decision(**fields):
    """What the decision page posts: the signed record, the confirmation, and the given fields."""
    return {"number": "1234/QĐ-SKHCN", "signed_on": dt.date.today().isoformat(), "signer": "Lâm Đình Thắng, Giám đốc Sở",
            "confirm": "on", "file": SimpleUploadedFile("qd.pdf", b"%PDF-1.4 qd\n%%EOF\n"), **fields}


def test_an_applications_page_offers_no_rank_step_while_its_call_is_open(users):
    from django.contrib.messages import get_messages
    from django.utils import timezone

    from innohub.activity.models import Event

    # given an application under review in an open call
    call = CallFactory(reviewers_per_application=1)
    application = ApplicationFactory(call=call, state="under_review")
    c = login(users["officer"])
    # when the officer opens it, then no rank button is offered and the page says when it will be
    body = c.get(f"/programs/applications/{application.pk}/").content.decode()
    closes = f"{timezone.localtime(call.closes_at):%H:%M %d/%m/%Y}"
    assert 'name="transition" value="rank"' not in body
    assert f"Chỉ xếp hạng được khi đợt tiếp nhận đóng, lúc {closes}: đến lúc đó hồ sơ vẫn có thể được nộp thêm." in body
    # when the step is posted all the same, then it is refused with the closing and nothing changes
    events = Event.objects.count()
    response = c.post(f"/programs/applications/{application.pk}/transition/", {"transition": "rank"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Đợt tiếp nhận còn mở đến {closes}: hồ sơ vẫn có thể được nộp thêm, hãy xếp hạng sau khi đợt đóng. Chưa có hồ sơ nào được xếp hạng."]
    application.refresh_from_db()
    assert application.state == "under_review" and Event.objects.count() == events
    # once it has closed, the button is there and the note is gone
    _close(call)
    body = c.get(f"/programs/applications/{application.pk}/").content.decode()
    assert 'name="transition" value="rank"' in body and "Chỉ xếp hạng được khi" not in body


# -- accessibility: what a screen reader and a phone are given ----------------------------------


def _error_summary(body: str) -> str:
    """What the page's error summary box holds (its heading and links)."""
    return body.split('class="form-errors error-summary prog-error-summary"', 1)[1].split("</div>", 1)[0]


def _tag(body: str, element_id: str) -> str:
    """The opening tag of the element with this id."""
    start = body.index(f'id="{element_id}"')
    return body[body.rindex("<", 0, start):body.index(">", start) + 1]


def test_application_fields_read_their_help_and_error_and_mark_what_submitting_needs(users):
    # given the founder's draft
    application = ApplicationFactory()
    MembershipFactory(user=users["applicant"], organisation=application.organisation)
    c = login(users["applicant"])
    body = c.get(f"/programs/applications/{application.pk}/edit/").content.decode()
    # the help has the id Django's aria-describedby names (it named "…_helptext", the help had none)
    assert 'aria-describedby="id_amount_requested_helptext"' in _tag(body, "id_amount_requested")
    assert '<p class="help" id="id_amount_requested_helptext">Ví dụ 40.000.000 hoặc 40 triệu.</p>' in body
    assert 'aria-describedby="id_answer_summary_helptext"' in _tag(body, "id_answer_summary")
    # a required answer's star is for the eye; the label reads the name and aria-required the rest
    assert '<label for="id_answer_team_size">Số thành viên <span aria-hidden="true">*</span></label>' in body
    assert 'aria-required="true"' in _tag(body, "id_answer_team_size")
    assert "Các câu trả lời có dấu * là bắt buộc khi nộp hồ sơ" in body
    # the autosave's words are the page's, translated
    assert 'data-saving="Đang lưu…" data-saved="Đã lưu lúc"' in body
    # when a save fails, the field reads its help and its error, and the title says so
    response = c.post(f"/programs/applications/{application.pk}/edit/", {"amount_requested": "bốn mươi", "answer_team_size": "năm"})
    body = response.content.decode()
    assert "<title>Lỗi: Hồ sơ " in body
    amount = _tag(body, "id_amount_requested")
    assert 'aria-invalid="true"' in amount and 'aria-describedby="id_amount_requested_helptext id_amount_requested_error"' in amount
    assert 'aria-describedby="id_answer_team_size_error"' in _tag(body, "id_answer_team_size")
    assert body.count('id="id_answer_team_size_error"') == 1
    # on English pages the example amount is written the English way, as the box shows it
    english = c.get(f"/en/programs/applications/{application.pk}/edit/").content.decode()
    assert "For example 40,000,000 or 40 million." in english and 'data-saved="Saved at"' in english


def test_each_file_box_and_button_names_its_document(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from innohub.programs import services

    application = ApplicationFactory()
    MembershipFactory(user=users["applicant"], organisation=application.organisation)
    services.attachment_add(application=application, field_key="business_plan", actor=users["applicant"],
                            upload=SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 ke hoach\n%%EOF\n", content_type="application/pdf"))
    body = login(users["applicant"]).get(f"/programs/applications/{application.pk}/edit/").content.decode()
    assert '<label for="file-business_plan">Chọn tệp<span class="visually-hidden"> – Kế hoạch kinh doanh</span> (.pdf,.docx, ≤ 10 MB)</label>' in body
    assert 'Đính kèm<span class="visually-hidden"> – Bài thuyết trình</span></button>' in body
    assert 'Gỡ bỏ<span class="visually-hidden"> – ke-hoach.pdf</span></button>' in body
    assert '<h3>Kế hoạch kinh doanh <span aria-hidden="true">*</span><span class="visually-hidden">(bắt buộc)</span></h3>' in body


def test_an_award_amount_refused_comes_back_in_its_box_with_the_error_tied_to_it(users):
    from innohub.activity.models import Event

    # given a ranked application in a closed call, and the pre-incubation ceiling of 40.000.000 ₫
    application = ApplicationFactory(state="ranked", amount_requested=40_000_000)
    _close(application.call)
    c = login(users["manager"])
    body = c.get(f"/programs/applications/{application.pk}/decide/approve/").content.decode()
    box = _tag(body, "id_amount")
    assert 'inputmode="numeric"' in box and 'aria-describedby="id_amount_helptext"' in box
    assert '<p class="help" id="id_amount_helptext">Ví dụ 40.000.000 hoặc 40 triệu.</p>' in body
    events = Event.objects.count()
    # when the manager approves more than the ceiling
    response = c.post(f"/programs/applications/{application.pk}/decide/approve/", _decision(amount="50 triệu"))
    # then the page comes back with what they typed, the error under the box and summed up at the top
    assert response.status_code == 400
    body = response.content.decode()
    box = _tag(body, "id_amount")
    assert 'value="50 triệu"' in box and 'aria-invalid="true"' in box
    assert 'aria-describedby="id_amount_helptext id_amount_error"' in box
    assert '<p class="error" id="id_amount_error">Số tiền 50.000.000\u00a0₫ vượt mức tối đa 40.000.000\u00a0₫.</p>' in body
    summary = _error_summary(body)
    assert '<a href="#id_amount">Kinh phí được hỗ trợ (đồng): Số tiền 50.000.000\u00a0₫ vượt mức tối đa 40.000.000\u00a0₫.</a>' in summary
    assert "<title>Lỗi: " in body
    # and nothing changed
    application.refresh_from_db()
    assert application.state == "ranked" and not Award.objects.exists() and Event.objects.count() == events


def test_the_milestone_amount_box_brings_up_the_digits_keypad_and_reads_its_example(users):
    from .factories import AwardFactory

    award = AwardFactory()
    body = login(users["officer"]).get(f"/programs/applications/{award.application_id}/").content.decode()
    box = _tag(body, "id_amount")
    assert 'inputmode="numeric"' in box and 'aria-describedby="id_amount_helptext"' in box
    assert '<p class="help" id="id_amount_helptext">Ví dụ 40.000.000 hoặc 40 triệu.</p>' in body


def test_a_reviewers_problems_are_summed_up_and_tied_to_their_scores_and_reason(users):
    from .factories import ReviewFactory

    review = ReviewFactory()
    c = login(review.reviewer)
    url = f"/programs/reviews/{review.pk}/"
    body = c.get(url).content.decode()
    # the answers' sections (h3) sit under a heading of their own, not straight under the h1
    assert '<h2 id="answers-title">Nội dung hồ sơ và tệp</h2>' in body
    assert body.index('id="answers-title"') < body.index("<h3>")
    # when a score is missing (a browser without form checks lets it through)
    response = c.post(url, {"action": "submit", "score_innovation": "8", "score_team": "", "score_market": "7", "score_impact": "na", "score_feasibility": "8"})
    assert response.status_code == 400
    body = response.content.decode()
    select = _tag(body, "score-team")
    assert 'aria-invalid="true"' in select and 'score-team-error' in select.split("aria-describedby=", 1)[1]
    assert '<p class="error" id="score-team-error">Hãy cho điểm từ 0 đến 10.</p>' in body
    summary = _error_summary(body)
    assert '<a href="#score-team">Năng lực đội ngũ: Hãy cho điểm từ 0 đến 10.</a>' in summary
    assert "<title>Lỗi: " in body
    # the scores given are kept, "not applicable" too
    assert '<option value="na" selected>' in body and '<option value="8" selected>' in body
    # when they declare a conflict with only spaces as the reason
    response = c.post(url, {"action": "conflict", "reason": "   "})
    assert response.status_code == 400
    body = response.content.decode()
    reason = _tag(body, "id_reason")
    assert 'aria-invalid="true"' in reason and 'aria-describedby="id_reason_error"' in reason
    assert '<p class="error" id="id_reason_error">Hãy nêu ngắn gọn lý do xung đột lợi ích.</p>' in body
    assert '<a href="#id_reason">' in body
    review.refresh_from_db()
    assert review.state == Review.State.ASSIGNED


def test_vietnamese_text_on_english_programme_pages_is_marked_as_vietnamese(users):
    from .factories import ReviewFactory

    org = startup(name="Công ty Nấm Xanh")
    review = ReviewFactory(application=ApplicationFactory(organisation=org, state="under_review", title="Robot hái nấm",
                                                          answers={"summary": "Robot hái nấm cho trang trại nhỏ", "team_size": "4", "market": "domestic"}))
    application = review.application
    officer = login(users["officer"])
    body = officer.get(f"/en/programs/applications/{application.pk}/").content.decode()
    assert '<h1 lang="vi">Robot hái nấm</h1>' in body
    assert '<dd lang="vi">Công ty Nấm Xanh</dd>' in body
    assert '<dd lang="vi">Robot hái nấm cho trang trại nhỏ</dd>' in body
    assert "<dd>4</dd>" in body and "<dd>Domestic</dd>" in body  # numbers and English labels stay unmarked
    body = officer.get("/en/programs/staff/applications/").content.decode()
    assert 'data-label="Startup" lang="vi">Công ty Nấm Xanh</td>' in body
    body = login(review.reviewer).get(f"/en/programs/reviews/{review.pk}/").content.decode()
    assert '<h1 lang="vi">Robot hái nấm</h1>' in body
    # on Vietnamese pages nothing is marked: the page's language applies
    body = officer.get(f"/programs/applications/{application.pk}/").content.decode()
    main = body.split('<main', 1)[1]
    assert ' lang="' not in main


def test_staff_read_an_applications_history_and_its_applicant_does_not(users):
    """Given an application an officer has started checking, when staff open it they see who
    did what in its history; the startup's member, whose page it also is, sees no audit trail."""
    from innohub.programs.services import application_transition

    application = ApplicationFactory(state="submitted")
    MembershipFactory(user=users["applicant"], organisation=application.organisation)
    application_transition(application=application, transition="start_check", actor=users["officer"])

    body = login(users["manager"]).get(f"/programs/applications/{application.pk}/").content.decode()
    history = body[body.index("Diễn biến</h2>"):]
    assert "Bắt đầu kiểm tra điều kiện" in history and users["officer"].display_name in history
    applicant = login(users["applicant"]).get(f"/programs/applications/{application.pk}/").content.decode()
    assert "Diễn biến" not in applicant and "nhật ký hệ thống" not in applicant


def test_a_section_without_an_english_title_reads_in_vietnamese_on_english_pages(users):
    """Defect: the answers' section title was read without the Vietnamese fallback, so an
    English reader saw a blank heading where the form had no English title."""
    from innohub.programs.models import FormDefinition

    schema = {"sections": [{"key": "project", "title": {"vi": "Dự án"}, "fields": [
        {"key": "summary", "kind": "textarea", "label": {"vi": "Tóm tắt dự án", "en": "Project summary"}}]}]}
    form = FormDefinition.objects.create(code="no-english-title", version=1, title="F", schema=schema)
    application = ApplicationFactory(form=form, answers={"summary": "Cảm biến độ ẩm"})
    english = login(users["officer"]).get(f"/en/programs/applications/{application.pk}/").content.decode()
    assert "<h3>Dự án</h3>" in english and "<h3></h3>" not in english
    assert "<dt>Project summary</dt>" in english


def test_a_founders_list_of_applications_names_each_project(users):
    """Given two applications of the founder's startup, the list "Hồ sơ của tôi" names each by its
    project title beside its reference (a founder knows their projects by name, not by code)."""
    org = startup()
    MembershipFactory(user=users["applicant"], organisation=org)
    first = ApplicationFactory(organisation=org, title="Robot hái nấm")
    second = ApplicationFactory(organisation=org, title="")
    c = Client()
    c.force_login(users["applicant"])
    page = c.get("/programs/my/").content.decode()
    assert '<th scope="col">Tên dự án</th>' in page
    assert "Robot hái nấm" in page and first.reference in page and second.reference in page


def test_staff_read_what_was_paid_out_and_the_founder_what_was_received(users):
    """The award's line says "đã chi" (paid out) to staff and "đã nhận" (received) to the startup:
    "đã nhận" read to an officer as if the department had received the money."""
    from innohub.programs.tests.factories import AwardFactory

    award = AwardFactory(application=ApplicationFactory(state="approved", title="Robot hái nấm"))
    MembershipFactory(user=users["applicant"], organisation=award.application.organisation)
    pages = {}
    for role in ("officer", "applicant"):
        c = Client()
        c.force_login(users[role])
        pages[role] = c.get(f"/programs/applications/{award.application_id}/").content.decode()
    assert "· đã chi: <strong>" in pages["officer"] and "đã nhận" not in pages["officer"]
    assert "· đã nhận: <strong>" in pages["applicant"] and "đã chi:" not in pages["applicant"]
