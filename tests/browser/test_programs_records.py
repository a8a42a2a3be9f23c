"""Issue 27, part B, in headless Chromium at 360 px, in Vietnamese, by clicking: the founder fills part
of an application, attaches a file and sees the typed answers kept, confirms the declaration and
submits, and sees the receipt; the manager approves with the signed decision's number, date, signer,
scan and an explicit amount; the officer records the contract with its number, is refused a milestone
without its report and assesses it on the report; the disbursement list shows its totals. axe clean.

Uses the shared Chromium fixtures of tests/browser/conftest.py.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from innohub.accounts.tests.factories import MembershipFactory
from innohub.programs import services
from innohub.programs.models import Application, Award, DecisionRecord, Disbursement
from innohub.programs.tests.factories import CallFactory, ReviewFactory, startup
from tests.browser.conftest import PHONE, assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone(page_at, login):
    def _page(user):
        page = page_at(PHONE)
        login(page, user)
        return page

    return _page


def _sign(page, tmp_path, number):
    scan = tmp_path / "van-ban-da-ky.pdf"
    scan.write_bytes(b"%PDF-1.4 van ban da ky\n%%EOF\n")
    page.get_by_label("Số văn bản đã ký").fill(number)
    page.get_by_label("Ngày ký").fill(timezone.localdate().isoformat())
    page.get_by_label("Người ký (họ tên và chức vụ)").fill("Lâm Đình Thắng, Giám đốc Sở")
    page.get_by_label("Bản quét văn bản đã ký").set_input_files(str(scan))
    page.get_by_label("Tôi xác nhận quyết định này").check()


def test_typed_answers_kept_declaration_receipt_decision_contract_milestone_and_totals_on_a_phone(phone, users, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    call = CallFactory(title="Đợt tiền ươm tạo 2026", reviewers_per_application=1)
    org = startup(name="Công ty Nấm Xanh")
    MembershipFactory(user=users["applicant"], organisation=org)

    # the founder starts and types part of the application, then attaches a file before saving
    founder = phone(users["applicant"])
    founder.goto("/programs/")
    founder.get_by_role("link", name="Đợt tiền ươm tạo 2026").first.click()
    founder.get_by_role("button", name="Bắt đầu lập hồ sơ").click()
    founder.get_by_label("Tên dự án").fill("Robot hái nấm")
    founder.get_by_label("Kinh phí đề nghị hỗ trợ (đồng)").fill("40 triệu")
    founder.get_by_role("textbox", name="Tóm tắt dự án", exact=True).fill("Robot hái nấm cho trang trại nhỏ")
    plan = tmp_path / "ke-hoach.pdf"
    plan.write_bytes(b"%PDF-1.4 ke hoach kinh doanh\n%%EOF\n")
    founder.locator("#file-business_plan").set_input_files(str(plan))
    founder.get_by_role("button", name="Đính kèm – Kế hoạch kinh doanh").click()
    founder.get_by_text("Đã đính kèm tệp ke-hoach.pdf và lưu các câu trả lời.").wait_for()
    # the answers typed before the file are still on the screen, and saved
    expect(founder.get_by_role("textbox", name="Tóm tắt dự án", exact=True)).to_have_value("Robot hái nấm cho trang trại nhỏ")
    expect(founder.get_by_label("Tên dự án")).to_have_value("Robot hái nấm")
    application = Application.objects.get(organisation=org)
    assert application.answers["summary"] == "Robot hái nấm cho trang trại nhỏ" and application.attachments.count() == 1
    assert_no_horizontal_scroll(founder)
    assert_accessible(founder)
    # the rest of the answers, then the declaration and the submission
    founder.get_by_role("textbox", name="Tính đổi mới sáng tạo", exact=True).fill("Thị giác máy tính")
    founder.get_by_role("textbox", name="Số thành viên", exact=True).fill("4")
    founder.get_by_role("textbox", name="Kế hoạch sử dụng kinh phí và các mốc", exact=True).fill("Mẫu thử trong 3 tháng")
    founder.get_by_role("button", name="Lưu lại", exact=True).click()
    founder.get_by_text("Hồ sơ đã đầy đủ và có thể nộp.").wait_for()
    founder.get_by_label("Tôi cam đoan thông tin trong hồ sơ").check()
    founder.get_by_role("button", name="Nộp hồ sơ").click()
    receipt = founder.locator("#receipt")
    expect(receipt).to_contain_text("Biên nhận hồ sơ")
    expect(receipt).to_contain_text(application.reference)
    expect(receipt).to_contain_text("Tên dự án: Robot hái nấm")
    expect(receipt).to_contain_text("Tệp: ke-hoach.pdf")
    application.refresh_from_db()
    assert application.state == "submitted" and application.declared_at is not None
    assert_no_horizontal_scroll(founder)
    assert_accessible(founder)

    # reviewed and ranked (their own pages are tested elsewhere): set up directly
    for step in ("start_check", "accept"):
        services.application_transition(application=application, transition=step, actor=users["officer"])
    review = ReviewFactory(application=application)
    services.review_submit(review=review, actor=review.reviewer, scores={c: 8 for c in ("innovation", "team", "market", "impact", "feasibility")})
    call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    call.save(update_fields=["closes_at"])
    services.call_rank(call=call, actor=users["officer"])

    # the manager approves on the confirm page: the signed decision and an explicit amount
    manager = phone(users["manager"])
    manager.goto(f"/programs/applications/{application.pk}/")
    manager.get_by_role("link", name="Phê duyệt…", exact=True).click()
    amount = manager.get_by_label("Kinh phí được hỗ trợ (đồng)")
    expect(amount).to_have_value("40.000.000")
    amount.fill("35.000.000")
    _sign(manager, tmp_path, "1234/QĐ-SKHCN")
    assert_no_horizontal_scroll(manager)
    assert_accessible(manager)
    manager.get_by_role("button", name="Xác nhận: Phê duyệt").click()
    expect(manager.locator(".messages")).to_contain_text("văn bản đã ký được lưu")
    expect(manager.locator("#records-title")).to_have_text("Quyết định và hợp đồng")
    expect(manager.get_by_role("cell", name="1234/QĐ-SKHCN")).to_be_visible()
    assert Award.objects.get(application=application).amount == 35_000_000

    # the officer plans a milestone, records the contract with its number
    officer = phone(users["officer"])
    officer.goto(f"/programs/applications/{application.pk}/")
    officer.get_by_role("textbox", name="Mốc thực hiện").fill("Mẫu thử hoạt động")
    officer.get_by_label("Hạn", exact=False).first.fill("2026-12-31")
    officer.get_by_label("Đợt kinh phí chi khi đạt mốc (đồng)").fill("35.000.000")
    officer.get_by_role("button", name="Thêm mốc").click()
    officer.get_by_role("link", name="Ghi nhận ký hợp đồng…").click()
    _sign(officer, tmp_path, "15/2026/HĐ-SKHCN")
    officer.get_by_role("button", name="Xác nhận: Ghi nhận ký hợp đồng").click()
    expect(officer.get_by_role("cell", name="15/2026/HĐ-SKHCN")).to_be_visible()
    assert set(DecisionRecord.objects.values_list("kind", flat=True)) == {"approval", "contract"}
    # no report yet: no assessment is offered, and the page says it waits for the report
    expect(officer.get_by_text("Đang chờ báo cáo của doanh nghiệp")).to_be_visible()
    expect(officer.get_by_role("button", name="Đạt – Mẫu thử hoạt động", exact=True)).to_have_count(0)
    response = officer.request.post(f"{officer.url.split('/programs/')[0]}/programs/milestones/{application.award.milestones.get().pk}/check/",
                                    form={"met": "1", "csrfmiddlewaretoken": officer.locator("input[name=csrfmiddlewaretoken]").first.input_value()})
    assert response.ok and application.award.milestones.get().state == "pending"  # refused, nothing changed

    # the founder reports with evidence; the officer assesses it on the report and pays
    founder.goto(f"/programs/applications/{application.pk}/")
    founder.get_by_label("Báo cáo của bạn").fill("Mẫu thử đã hái được 200 kg nấm")
    photo = tmp_path / "bien-ban.pdf"
    photo.write_bytes(b"%PDF-1.4 bien ban nghiem thu\n%%EOF\n")
    founder.get_by_label("Tệp minh chứng").set_input_files(str(photo))
    founder.get_by_role("button", name="Gửi báo cáo").click()
    founder.get_by_text("Đã gửi báo cáo.").wait_for()
    officer.goto(f"/programs/applications/{application.pk}/")
    expect(officer.get_by_role("link", name="bien-ban.pdf")).to_be_visible()
    officer.get_by_role("button", name="Đạt – Mẫu thử hoạt động", exact=True).click()
    officer.get_by_text("Mốc “Mẫu thử hoạt động”: đạt.").wait_for()
    officer.get_by_label("Số ủy nhiệm chi").fill("UNC-2026-001")
    officer.get_by_label("Ngày chi").fill(timezone.localdate().isoformat())
    officer.get_by_role("button", name="Ghi nhận giải ngân").click()
    officer.get_by_text("Đã ghi nhận giải ngân.").wait_for()
    assert Disbursement.objects.get().amount == 35_000_000
    assert_accessible(officer)

    # the disbursement list, reached from the staff list, with its totals
    officer.goto("/programs/staff/applications/")
    officer.get_by_role("link", name="Giải ngân").first.click()
    expect(officer.get_by_text("Tổng số tiền đã chi")).to_be_visible()
    expect(officer.locator("dl").first).to_contain_text("35.000.000")
    assert_no_horizontal_scroll(officer)
    assert_accessible(officer)


def test_the_dashboard_charts_and_the_bulk_approval_page_on_a_phone(phone, users, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    from innohub.programs.tests.factories import ApplicationFactory

    call = CallFactory(title="Đợt ươm tạo 2026", reviewers_per_application=1, closes_at=timezone.now() - dt.timedelta(days=1))
    ApplicationFactory(call=call, state="submitted")
    ranked = [ApplicationFactory(call=call, state="ranked", score=s, rank=i + 1, above_funding_line=s >= 70, amount_requested=30_000_000)
              for i, s in enumerate((82, 75, 64))]
    manager = phone(users["manager"])
    manager.goto(f"/programs/staff/calls/{call.pk}/")
    # the charts are images with a name, each beside its table; the ranking warns before it runs
    expect(manager.locator("svg[role=img]")).to_have_count(3)
    expect(manager.get_by_text("Còn 1 hồ sơ chưa kiểm tra điều kiện.")).to_be_visible()
    expect(manager.get_by_role("cell", name="dưới điểm sàn — không đề xuất")).to_be_visible()
    assert_no_horizontal_scroll(manager)
    assert_accessible(manager)
    # two ranked applications approved at once, each amount shown to confirm
    manager.goto(f"/programs/staff/applications/?call={call.pk}")
    for application in ranked[:2]:
        manager.get_by_label(f"Chọn {application.reference}").check()
    manager.get_by_label("Thao tác").select_option("approve")
    manager.get_by_role("button", name="Áp dụng").click()
    expect(manager.get_by_label(f"Kinh phí được hỗ trợ (đồng) – {ranked[0].reference}")).to_have_value("30.000.000")
    manager.get_by_label(f"Kinh phí được hỗ trợ (đồng) – {ranked[1].reference}").fill("25.000.000")
    _sign(manager, tmp_path, "90/QĐ-SKHCN")
    assert_no_horizontal_scroll(manager)
    assert_accessible(manager)
    manager.get_by_role("button", name="Xác nhận: Phê duyệt").click()
    expect(manager.locator(".messages")).to_contain_text("Phê duyệt: 2 hồ sơ")
    assert {a.application_id: a.amount for a in Award.objects.all()} == {ranked[0].pk: 30_000_000, ranked[1].pk: 25_000_000}
