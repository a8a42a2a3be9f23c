"""Issue 27, one continuous run in Chromium at 360 px, by clicking only after each person's
home page: an officer (logged in with the two-step code) authors a call in the back office —
programme, dates, budget, form, rubric, reviewers per application, minimum score, eligibility,
required documents — previews and publishes it; a founder finds it from the home page and
applies (the answers typed before a file is attached are kept, the declaration, the receipt);
the officer checks eligibility from the work queue and assigns the two reviewers the engine
proposes; each reviewer scores from their queue; the officer ranks; the manager approves from
their queue with the signed decision (number, date, signer, scan) and an explicit amount; the
officer plans two milestones and records the contract; the founder reports each milestone with
evidence, the officer assesses it from the queue and records its payment, until the last one.
Amounts read 40.000.000 ₫, dates 07/12/2026; awarded and paid are shown as the two figures they
are. axe-clean and no sideways scroll on the pages people work on.

The one step no click makes is time passing: the call's closing date is moved to a minute ago
before the ranking (ranking waits for the call to close).
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from innohub.accounts.tests.factories import MembershipFactory
from innohub.programs import defaults
from innohub.programs.models import (
    Application,
    Award,
    Call,
    DecisionRecord,
    Disbursement,
    ReviewerProfile,
)
from innohub.programs.tests.factories import reviewer, startup
from tests.browser.conftest import check_page, staff_nav

pytestmark = pytest.mark.django_db(transaction=True)

NBSP = "\u00a0"
TITLE = "Hỗ trợ tiền ươm tạo – đợt thử nghiệm cuối năm"
PROJECT = "Robot hái nấm"
SCORES = {  # the two reviewers' scores, criterion by criterion ("na": not applicable)
    "reviewer": [("Tính đổi mới sáng tạo", "9"), ("Năng lực đội ngũ", "8"), ("Thị trường và mô hình kinh doanh", "7"),
                 ("Tác động xã hội và môi trường", "na"), ("Tính khả thi của kế hoạch", "8")],
    "expert": [("Tính đổi mới sáng tạo", "8"), ("Năng lực đội ngũ", "8"), ("Thị trường và mô hình kinh doanh", "8"),
               ("Tác động xã hội và môi trường", "7"), ("Tính khả thi của kế hoạch", "8")],
}
MILESTONES = [("Mẫu thử hoạt động", 60), ("Khách hàng đầu tiên", 120)]  # title, due in days; 20.000.000 ₫ each


def _back_office(page):
    page.goto("/")
    page.get_by_role("button", name="Trình đơn").click()
    page.get_by_role("link", name="Trang quản trị").click()
    return staff_nav(page)


def _nav(page):
    return staff_nav(page)


def _text(locator) -> str:
    """What a locator reads, its spaces (the no-break one before ₫ too) made plain."""
    return " ".join(locator.inner_text().replace(NBSP, " ").split())


def _vnd(amount: int) -> str:
    return f"{amount:,} ₫".replace(",", ".")


def _pdf(tmp_path, name, text):
    path = tmp_path / name
    path.write_bytes(f"%PDF-1.4 {text}\n%%EOF\n".encode())
    return str(path)


def _sign(page, tmp_path, number, signed_on):
    page.get_by_label("Số văn bản đã ký").fill(number)
    page.get_by_label("Ngày ký").fill(signed_on.isoformat())
    page.get_by_label("Người ký (họ tên và chức vụ)").fill("Lâm Đình Thắng, Giám đốc Sở")
    page.get_by_label("Bản quét văn bản đã ký").set_input_files(_pdf(tmp_path, f"{number.replace('/', '-')}.pdf", number))
    page.get_by_label("Tôi xác nhận quyết định này").check()


def test_a_call_from_its_authoring_to_the_last_payment_by_clicking(phone_for, users, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    defaults.ensure_programmes(today.year)
    org = startup(name="Công ty Nấm Xanh")
    MembershipFactory(user=users["applicant"], organisation=org)
    ReviewerProfile.objects.create(user=users["reviewer"])
    expert = reviewer(username="chuyen-gia-hai")

    # --- the officer authors the call, previews it and publishes it -------------------------------------
    officer = phone_for(users["officer"])
    _back_office(officer).get_by_role("link", name="Các đợt tiếp nhận").click()
    officer.get_by_role("link", name="Tạo đợt tiếp nhận").click()
    opens = timezone.localtime(timezone.now() - dt.timedelta(hours=1))
    closes = opens + dt.timedelta(days=30)
    officer.locator("#id_programme").select_option(label="Chương trình hỗ trợ tiền ươm tạo")
    officer.locator("#id_title").fill(TITLE)
    officer.locator("#id_eligibility").fill("Có trụ sở tại Thành phố Hồ Chí Minh\nThành lập không quá 5 năm")
    officer.locator("#id_required_documents").fill("Kế hoạch kinh doanh (PDF)")
    officer.locator("#id_opens_at").fill(opens.strftime("%Y-%m-%dT%H:%M"))
    officer.locator("#id_closes_at").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    officer.get_by_label("Tổng ngân sách (đồng)").fill("400 triệu")
    officer.get_by_label("Số chuyên gia đánh giá mỗi hồ sơ").fill("2")
    officer.get_by_label("Hạn hoàn thành đánh giá").fill((closes.date() + dt.timedelta(days=14)).isoformat())
    officer.get_by_label("Điểm sàn để được tài trợ (thang 100)").fill("65")
    check_page(officer)
    officer.get_by_role("button", name="Lưu bản nháp và xem trước").click()
    officer.get_by_text("Xem trước bản nháp: doanh nghiệp chưa thấy đợt này").wait_for()
    expect(officer.locator("main")).to_contain_text("Hồ sơ đạt dưới 65 điểm (thang 100) không được đề xuất tài trợ.")
    assert "Tổng ngân sách 400.000.000 ₫" in _text(officer.locator("main dl").first)
    officer.get_by_role("button", name="Công bố đợt tiếp nhận").click()
    officer.get_by_text("Đã công bố đợt tiếp nhận trên trang công khai.").wait_for()
    call = Call.objects.get()
    assert (call.budget, call.reviewers_per_application, call.min_score, call.published_at is not None) == (400_000_000, 2, 65, True)

    # --- the founder finds it from the home page and applies -------------------------------------------------
    founder = phone_for(users["applicant"])
    founder.goto("/")
    founder.locator("#open-calls").get_by_role("link", name=TITLE).click()
    founder.get_by_role("heading", name="Điều kiện tham gia").wait_for()
    founder.get_by_role("button", name="Bắt đầu lập hồ sơ").click()
    founder.get_by_label("Tên dự án").fill(PROJECT)
    founder.get_by_label("Kinh phí đề nghị hỗ trợ (đồng)").fill("40 triệu")
    founder.get_by_role("textbox", name="Tóm tắt dự án", exact=True).fill("Robot hái nấm cho trang trại nhỏ")
    founder.get_by_role("textbox", name="Tính đổi mới sáng tạo", exact=True).fill("Thị giác máy tính nhận biết nấm chín")
    founder.get_by_role("textbox", name="Số thành viên", exact=True).fill("4")
    founder.get_by_role("textbox", name="Kế hoạch sử dụng kinh phí và các mốc", exact=True).fill("Mẫu thử trong 3 tháng, khách hàng đầu tiên sau 6 tháng")
    founder.locator("#file-business_plan").set_input_files(_pdf(tmp_path, "ke-hoach.pdf", "ke hoach kinh doanh"))
    founder.get_by_role("button", name="Đính kèm – Kế hoạch kinh doanh").click()
    founder.get_by_text("Đã đính kèm tệp ke-hoach.pdf và lưu các câu trả lời.").wait_for()
    expect(founder.get_by_role("textbox", name="Tóm tắt dự án", exact=True)).to_have_value("Robot hái nấm cho trang trại nhỏ")
    check_page(founder)
    founder.get_by_role("button", name="Lưu lại", exact=True).click()
    founder.get_by_text("Hồ sơ đã đầy đủ và có thể nộp.").wait_for()
    founder.get_by_label("Tôi cam đoan thông tin trong hồ sơ").check()
    founder.get_by_role("button", name="Nộp hồ sơ").click()
    receipt = founder.locator("#receipt")
    expect(receipt).to_contain_text("Biên nhận hồ sơ")
    expect(receipt).to_contain_text(f"Tên dự án: {PROJECT}")
    expect(receipt).to_contain_text("Tệp: ke-hoach.pdf")
    application = Application.objects.get()
    expect(receipt).to_contain_text(application.reference)
    check_page(founder)

    # --- the officer checks eligibility from the work queue, then assigns the reviewers proposed ---------------
    _nav(officer).get_by_role("link", name="Tổng quan").click()
    officer.locator('[data-queue="programs.eligibility"]').get_by_role("link", name=application.reference).click()
    officer.get_by_role("button", name="Bắt đầu kiểm tra điều kiện").click()
    officer.get_by_text("Không thấy vấn đề nào về điều kiện tham gia.").wait_for()
    officer.get_by_role("button", name="Đủ điều kiện – chuyển thẩm định").click()
    expect(officer.locator(".messages")).to_contain_text("Đủ điều kiện – chuyển thẩm định")
    _nav(officer).get_by_role("link", name="Các đợt tiếp nhận").click()
    officer.get_by_role("link", name=TITLE).click()
    officer.get_by_role("link", name="Phân công chuyên gia", exact=True).click()
    officer.get_by_text("Phương án phân công đề xuất (chưa lưu)").wait_for()
    check_page(officer)
    officer.get_by_role("button", name="Lưu phân công").click()
    officer.get_by_text("Đã phân công 2 phiếu đánh giá.").wait_for()

    # --- each reviewer scores from their queue -----------------------------------------------------------------
    for who, user in (("reviewer", users["reviewer"]), ("expert", expert)):
        page = phone_for(user)
        _back_office(page)
        page.locator('[data-queue="programs.reviews"]').get_by_role("link", name=application.reference).click()
        for label, value in SCORES[who]:
            page.get_by_label(label).select_option(value)
        if who == "reviewer":
            check_page(page)
        page.get_by_role("button", name="Nộp phiếu đánh giá").click()
        page.get_by_text("Đã nộp phiếu đánh giá.").wait_for()
        page.context.close()

    # --- time passes: the call closes; the officer ranks -----------------------------------------------------------
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    _nav(officer).get_by_role("link", name="Các đợt tiếp nhận").click()
    officer.get_by_role("link", name=TITLE).click()
    officer.get_by_role("button", name="Xếp hạng các hồ sơ đã chấm").click()
    officer.get_by_role("cell", name="trong ngân sách — đề xuất tài trợ").wait_for()
    check_page(officer)

    # --- the manager approves from their queue: the signed decision, the amount written out ------------------------
    manager = phone_for(users["manager"])
    _back_office(manager)
    manager.locator('[data-queue="programs.approvals"]').get_by_role("link", name=application.reference).click()
    manager.get_by_role("link", name="Phê duyệt…", exact=True).click()
    amount = manager.get_by_label("Kinh phí được hỗ trợ (đồng)")
    expect(amount).to_have_value("40.000.000")  # proposed, to confirm: never left blank
    amount.fill("40.000.000")
    _sign(manager, tmp_path, "1234/QĐ-SKHCN", today)
    check_page(manager)
    manager.get_by_role("button", name="Xác nhận: Phê duyệt").click()
    expect(manager.locator(".messages")).to_contain_text("văn bản đã ký được lưu")
    records = manager.locator("section", has=manager.get_by_role("heading", name="Quyết định và hợp đồng"))
    expect(records).to_contain_text("1234/QĐ-SKHCN")
    record = _text(records.locator("tbody tr").first)
    assert today.strftime("%d/%m/%Y") in record and "Lâm Đình Thắng, Giám đốc Sở" in record and "40.000.000 ₫" in record, record
    assert Award.objects.get().amount == 40_000_000

    # --- the officer plans two milestones and records the contract ---------------------------------------------------
    _nav(officer).get_by_role("link", name="Hồ sơ đăng ký").click()
    officer.locator("main").get_by_role("link", name=application.reference).first.click()
    for title, days in MILESTONES:
        officer.get_by_role("textbox", name="Mốc thực hiện").fill(title)
        officer.get_by_label("Hạn", exact=False).first.fill((today + dt.timedelta(days=days)).isoformat())
        officer.get_by_label("Đợt kinh phí chi khi đạt mốc (đồng)").fill("20.000.000")
        officer.get_by_role("button", name="Thêm mốc").click()
        officer.get_by_role("cell", name=title).first.wait_for()
    officer.get_by_role("link", name="Ghi nhận ký hợp đồng…").click()
    _sign(officer, tmp_path, "15/2026/HĐ-SKHCN", today)
    officer.get_by_role("button", name="Xác nhận: Ghi nhận ký hợp đồng").click()
    expect(officer.get_by_role("cell", name="15/2026/HĐ-SKHCN")).to_be_visible()
    assert set(DecisionRecord.objects.values_list("kind", flat=True)) == {"approval", "contract"}

    # --- each milestone: the founder reports with evidence, the officer assesses it from the queue and pays -------------
    for n, (title, _days) in enumerate(MILESTONES, start=1):
        founder.goto("/")
        founder.get_by_role("button", name="Trình đơn").click()
        founder.get_by_role("link", name="Hồ sơ của tôi").click()
        founder.get_by_role("row", name=PROJECT).get_by_role("link", name=application.reference).click()
        founder.get_by_role("textbox", name=f"Báo cáo của bạn – {title}").fill(f"Đã hoàn thành: {title.lower()}.")
        founder.get_by_label(f"– {title}").and_(founder.locator("input[type=file]")).set_input_files(
            _pdf(tmp_path, f"bien-ban-{n}.pdf", f"bien ban moc {n}"))
        founder.get_by_role("button", name=f"Gửi báo cáo – {title}").click()
        founder.get_by_text("Đã gửi báo cáo.").wait_for()

        _nav(officer).get_by_role("link", name="Tổng quan").click()
        officer.locator('[data-queue="programs.milestones"]').get_by_role("link", name=title).click()
        expect(officer.get_by_role("link", name=f"bien-ban-{n}.pdf")).to_be_visible()  # the evidence, with the report
        officer.get_by_role("button", name=f"Đạt – {title}", exact=True).click()
        officer.get_by_text(f"Mốc “{title}”: đạt.").wait_for()
        officer.get_by_label(f"Số ủy nhiệm chi – {title}").fill(f"UNC-2026-00{n}")
        officer.get_by_label(f"Ngày chi – {title}").fill(today.isoformat())
        officer.get_by_role("button", name=f"Ghi nhận giải ngân – {title}").click()
        officer.get_by_text("Đã ghi nhận giải ngân.").wait_for()
        award = _text(officer.locator("section", has=officer.get_by_role("heading", name="Hỗ trợ, mốc thực hiện và giải ngân")))
        assert f"Kinh phí được hỗ trợ: 40.000.000 ₫ · đã chi: {_vnd(20_000_000 * n)}" in award, award
        assert f"{today.strftime('%d/%m/%Y')} · 20.000.000 ₫" in award, award
        if n == 1:
            check_page(officer)
            # the payments list: paid so far and awarded are two figures
            _nav(officer).get_by_role("link", name="Hồ sơ đăng ký").click()
            officer.get_by_role("link", name="Giải ngân").first.click()
            totals = _text(officer.locator("section", has=officer.get_by_role("heading", name="Tổng của các khoản chi trong danh sách")))
            assert "Tổng số tiền đã chi 20.000.000 ₫" in totals and "Tổng mức hỗ trợ đã duyệt của các khoản đó 40.000.000 ₫" in totals, totals
            check_page(officer)
    assert sorted(Disbursement.objects.values_list("amount", flat=True)) == [20_000_000, 20_000_000]

    # --- the founder reads the whole of it: awarded and paid, each payment dated ------------------------------------------
    founder.goto("/")
    founder.get_by_role("button", name="Trình đơn").click()
    founder.get_by_role("link", name="Hồ sơ của tôi").click()
    founder.get_by_role("row", name=PROJECT).get_by_role("link", name=application.reference).click()
    founder.get_by_role("heading", name="Hỗ trợ, mốc thực hiện và giải ngân").wait_for()
    page = _text(founder.locator("main"))
    assert "Kinh phí được hỗ trợ: 40.000.000 ₫ · đã nhận: 40.000.000 ₫" in page, page
    assert page.count(f"{today.strftime('%d/%m/%Y')} · 20.000.000 ₫") == 2, page
    check_page(founder)
