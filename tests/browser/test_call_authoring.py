"""Issue 27 in Chromium at 360 px, by clicking only after the home page: an officer authors a
call in the back office, previews it and publishes it; a founder finds it from the home page;
each staff role lands on its work queues with their counts in the navigation. axe-clean."""

import datetime as dt

import pytest
from django.utils import timezone

from innohub.accounts.tests.factories import MembershipFactory
from innohub.programs import defaults
from innohub.programs.models import Call, Review, ReviewerProfile
from innohub.programs.tests.factories import ApplicationFactory, CallFactory, startup
from tests.browser.conftest import check_page, staff_nav

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_authors_previews_and_publishes_a_call_then_a_founder_finds_it(phone_for, users):
    defaults.ensure_programmes(timezone.localdate().year)
    officer = phone_for(users["officer"])
    officer.goto("/")
    officer.get_by_role("button", name="Trình đơn").click()
    officer.get_by_role("link", name="Trang quản trị").click()
    staff_nav(officer).get_by_role("link", name="Các đợt tiếp nhận").click()
    officer.get_by_role("link", name="Tạo đợt tiếp nhận").click()
    check_page(officer)

    # a first try with the call closing before it opens is refused, what was typed kept
    opens = timezone.localtime(timezone.now() - dt.timedelta(hours=2))
    closes = timezone.localtime(timezone.now() + dt.timedelta(days=30))
    officer.locator("#id_programme").select_option(label="Chương trình hỗ trợ tiền ươm tạo")
    officer.locator("#id_title").fill("Hỗ trợ tiền ươm tạo – đợt thử nghiệm 2026")
    officer.locator("#id_eligibility").fill("Có trụ sở tại Thành phố Hồ Chí Minh\nThành lập không quá 5 năm")
    officer.locator("#id_required_documents").fill("Kế hoạch kinh doanh (PDF)\nBáo cáo tài chính năm gần nhất")
    officer.locator("#id_opens_at").fill(opens.strftime("%Y-%m-%dT%H:%M"))
    officer.locator("#id_closes_at").fill(opens.strftime("%Y-%m-%dT%H:%M"))
    officer.locator("#id_budget").fill("600 triệu")
    officer.locator("#id_reviewers_per_application").fill("2")
    officer.get_by_role("button", name="Lưu bản nháp và xem trước").click()
    officer.get_by_text("Hạn nộp hồ sơ phải sau thời điểm mở nhận hồ sơ.").first.wait_for()
    assert officer.locator("#id_title").input_value() == "Hỗ trợ tiền ươm tạo – đợt thử nghiệm 2026"
    assert not Call.objects.exists()
    check_page(officer)

    officer.locator("#id_closes_at").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    officer.get_by_role("button", name="Lưu bản nháp và xem trước").click()
    officer.get_by_text("Xem trước bản nháp: doanh nghiệp chưa thấy đợt này").wait_for()
    call = Call.objects.get()
    assert call.budget == 600_000_000 and call.published_at is None
    assert officer.get_by_role("heading", name="Cách chấm điểm hồ sơ").is_visible()
    assert officer.get_by_text("Kế hoạch kinh doanh (PDF)").is_visible()
    check_page(officer)
    officer.get_by_role("button", name="Công bố đợt tiếp nhận").click()
    officer.get_by_text("Đã công bố đợt tiếp nhận trên trang công khai.").wait_for()
    call.refresh_from_db()
    assert call.published_at is not None

    # the founder finds it from the home page, by its stage's card, and reads how it is scored
    org = startup(name="Công ty Nấm Xanh")
    MembershipFactory(user=users["applicant"], organisation=org)
    founder = phone_for(users["applicant"])
    founder.goto("/")
    open_calls = founder.locator("#open-calls")
    assert "Hỗ trợ tiền ươm tạo – đợt thử nghiệm 2026" in open_calls.inner_text()
    check_page(founder)
    founder.locator("#stages").get_by_role("link", name="Chương trình hỗ trợ tiền ươm tạo").click()
    founder.get_by_role("heading", name="Chương trình hỗ trợ tiền ươm tạo", level=1).wait_for()
    check_page(founder)
    founder.get_by_role("link", name="Hỗ trợ tiền ươm tạo – đợt thử nghiệm 2026").click()
    founder.get_by_role("heading", name="Điều kiện tham gia").wait_for()
    assert founder.get_by_text("Thành lập không quá 5 năm").is_visible()
    assert founder.get_by_role("heading", name="Cách chấm điểm hồ sơ").is_visible()
    check_page(founder)
    founder.get_by_role("button", name="Bắt đầu lập hồ sơ").click()
    founder.wait_for_url("**/edit/")
    founder.goto("/")  # back to the home page, then only clicks: the founder's applications from the navigation
    founder.get_by_role("button", name="Trình đơn").click()
    founder.get_by_role("link", name="Hồ sơ của tôi").click()
    founder.get_by_text("Hỗ trợ tiền ươm tạo – đợt thử nghiệm 2026").first.wait_for()
    founder.goto("/")
    founder.get_by_role("button", name="Trình đơn").click()
    founder.get_by_role("link", name="Trang của tôi").click()
    founder.get_by_text("Bước tiếp theo:").first.wait_for()
    check_page(founder)


def test_each_staff_role_lands_on_its_queues_with_counts(phone_for, users):
    call = CallFactory(title="Đợt hàng đợi", reviews_due_on=timezone.localdate() + dt.timedelta(days=3))
    for i in range(2):
        ApplicationFactory(call=call, state="submitted", submitted_at=timezone.now(), title=f"Hồ sơ chờ kiểm tra {i}")
    ApplicationFactory(call=call, state="ranked", rank=1, score=80, title="Hồ sơ chờ phê duyệt")
    ReviewerProfile.objects.create(user=users["reviewer"])
    Review.objects.create(application=ApplicationFactory(call=call, state="under_review", title="Hồ sơ cần chấm điểm"), reviewer=users["reviewer"])

    officer = phone_for(users["officer"])
    officer.goto("/")
    officer.get_by_role("button", name="Trình đơn").click()
    officer.get_by_role("link", name="Trang quản trị").click()
    officer.get_by_role("heading", name="Hồ sơ chờ kiểm tra điều kiện 2").wait_for()
    # closed on a phone, the menu says how many things wait; opened, it counts them by entry
    nav = officer.get_by_role("navigation", name="Điều hướng trang quản trị")
    assert not nav.get_by_role("link", name="Hồ sơ đăng ký 2 việc đang chờ").is_visible()
    assert nav.get_by_role("button", name="Danh mục trang quản trị").inner_text().strip().endswith("việc đang chờ")
    assert staff_nav(officer).get_by_role("link", name="Hồ sơ đăng ký 2 việc đang chờ").is_visible()
    queue = officer.locator('[data-queue="programs.eligibility"]')
    assert "Hồ sơ chờ kiểm tra 0" in queue.inner_text() and "Hồ sơ chờ kiểm tra 1" in queue.inner_text()
    check_page(officer)
    queue.get_by_role("link").first.click()  # the oldest first, straight to its page
    officer.get_by_role("heading", name="Hồ sơ chờ kiểm tra 0").wait_for()

    # the reviewers of the call: the proposal, then one application's reviewers
    staff_nav(officer).get_by_role("link", name="Các đợt tiếp nhận").click()
    officer.get_by_role("link", name="Đợt hàng đợi").click()
    officer.get_by_role("link", name="Phân công chuyên gia", exact=True).click()
    officer.get_by_text("Phương án phân công đề xuất (chưa lưu)").wait_for()
    check_page(officer)
    officer.locator("table").get_by_role("link").first.click()
    officer.get_by_role("heading", name="Thêm chuyên gia").wait_for()
    check_page(officer)

    reviewer = phone_for(users["reviewer"])
    reviewer.goto("/")
    reviewer.get_by_role("button", name="Trình đơn").click()
    reviewer.get_by_role("link", name="Trang quản trị").click()
    reviewer.get_by_text("Hồ sơ cần chấm điểm").wait_for()
    assert call.reviews_due_on.strftime("%d/%m/%Y") in reviewer.locator("main").inner_text()
    assert staff_nav(reviewer).get_by_role("link", name="Hồ sơ tôi đánh giá 1 việc đang chờ").is_visible()
    check_page(reviewer)

    manager = phone_for(users["manager"])
    manager.goto("/")
    manager.get_by_role("button", name="Trình đơn").click()
    manager.get_by_role("link", name="Trang quản trị").click()
    manager.get_by_role("heading", name="Hồ sơ đã xếp hạng chờ phê duyệt 1").wait_for()
    assert manager.get_by_text("Hồ sơ chờ phê duyệt").is_visible()
    assert manager.get_by_role("heading", name="Ngân sách đã sử dụng theo đợt tiếp nhận").is_visible()
    check_page(manager)
