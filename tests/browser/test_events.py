"""Events in Chromium at 360 px: from the home page to an event, registering (oneself and a
delegation by one person), a cancellation promoting the waiting list, staff checking in by
the scanner (a photo of the QR code decoded by the vendored jsQR, a typed code, a forged
and a reused code, a scan while offline sent when the network returns), certificates issued
and verified on the public page; axe-clean pages, no sideways scroll."""

import pytest
import segno
from playwright.sync_api import expect

from innohub.events.codes import checkin_code
from innohub.events.models import Certificate, CheckIn, Registration
from innohub.events.tests.factories import EventFactory
from innohub.events.workflows import has_flag
from tests.browser.conftest import PHONE, check_page, staff_nav

pytestmark = pytest.mark.django_db(transaction=True)


def test_register_delegate_cancel_check_in_and_verify_a_certificate_on_a_phone(page_at, phone_for, users, tmp_path):
    event = EventFactory(title="Diễn đàn Khởi nghiệp Đại học TP.HCM 2026", title_en="HCMC University Startup Forum 2026",
                         capacity=2, issues_certificates=True)

    # a visitor finds the event from the home page and registers on a phone
    visitor = page_at(PHONE)
    visitor.goto("/")
    visitor.get_by_role("button", name="Trình đơn").click()
    visitor.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Sự kiện").click()
    check_page(visitor)
    visitor.get_by_role("link", name=event.title).click()
    check_page(visitor)
    visitor.locator("main").get_by_role("link", name="Đăng ký", exact=True).click()
    visitor.get_by_label("Họ và tên").fill("Lâm Bảo Ngọc")
    visitor.get_by_role("textbox", name="E-mail").fill("ngoc@example.vn")
    visitor.get_by_label("Bạn tham dự với tư cách").select_option("academia")
    visitor.get_by_label("Hiển thị tên và tổ chức").check()
    visitor.get_by_label("Tôi đồng ý để Sở xử lý họ tên").check()
    check_page(visitor)
    visitor.get_by_role("button", name="Đăng ký").click()
    visitor.get_by_text("Đã đăng ký – được xác nhận").wait_for()
    expect(visitor.locator(".ev-qr svg")).to_be_visible()
    check_page(visitor)
    ngoc_page = visitor.url
    ngoc = Registration.objects.get(email="ngoc@example.vn")

    # a delegation head registers two members: one takes the last place, the other waits
    head = page_at(PHONE)
    head.goto(f"/events/{event.slug}/")
    head.get_by_role("link", name="Đăng ký theo đoàn").first.click()
    head.get_by_label("Họ và tên của bạn").fill("Kim Trưởng Đoàn")
    head.get_by_label("E-mail của bạn").fill("truongdoan@example.kr")
    head.get_by_role("textbox", name="Tổ chức (bắt buộc)").fill("KOTRA Hồ Chí Minh")
    head.get_by_label("Đoàn tham dự với tư cách").select_option("partner")
    head.get_by_label("Quốc gia").select_option("KR")
    head.get_by_label("Thành viên 1: họ và tên").fill("Kim Ji-woo")
    head.get_by_label("Thành viên 1: e-mail").fill("jiwoo@example.kr")
    head.get_by_label("Thành viên 2: họ và tên").fill("Park Min-jun")
    head.get_by_label("Thành viên 2: e-mail").fill("minjun@example.kr")
    check_page(head)
    # without the contact's confirmation that each member agreed, nothing is registered
    head.get_by_role("button", name="Đăng ký cho đoàn").click()
    expect(head.locator(".error-summary")).to_contain_text("Hãy đánh dấu vào ô để đồng ý")
    assert not Registration.objects.filter(email="jiwoo@example.kr").exists()
    check_page(head)
    head.get_by_label("Tôi xác nhận mỗi thành viên có tên ở đây đã đồng ý").check()
    head.get_by_role("button", name="Đăng ký cho đoàn").click()
    head.get_by_role("heading", name="Đã đăng ký cho đoàn").wait_for()
    expect(head.get_by_text("Trong danh sách chờ")).to_be_visible()
    check_page(head)
    minjun = Registration.objects.get(email="minjun@example.kr")
    assert has_flag(minjun.state, "waiting") and minjun.registered_by_name == "Kim Trưởng Đoàn"

    # a duplicate registration is refused with a clear message, nothing stored
    visitor.goto(f"/events/{event.slug}/register/")
    visitor.get_by_label("Họ và tên").fill("Ngọc lần hai")
    visitor.get_by_role("textbox", name="E-mail").fill("NGOC@example.vn")
    visitor.get_by_label("Tôi đồng ý để Sở xử lý họ tên").check()
    visitor.get_by_role("button", name="Đăng ký").click()
    expect(visitor.locator(".error-summary")).to_contain_text("đã đăng ký tham dự sự kiện này")
    assert Registration.objects.filter(event=event).count() == 3

    # Ngọc cancels: the waiting member is promoted
    visitor.goto(ngoc_page)
    visitor.get_by_role("link", name="Hủy đăng ký của tôi").click()
    check_page(visitor)
    visitor.get_by_role("button", name="Đồng ý, hủy đăng ký của tôi").click()
    visitor.get_by_text("Đã hủy đăng ký", exact=True).wait_for()
    assert has_flag(Registration.objects.get(pk=minjun.pk).state, "confirmed")
    assert has_flag(Registration.objects.get(pk=ngoc.pk).state, "cancelled")

    # the officer checks in at the door, from the back office on a phone
    officer = phone_for(users["officer"])
    officer.goto("/backoffice/")
    staff_nav(officer).get_by_role("link", name="Sự kiện và đào tạo").click()
    officer.get_by_role("link", name=event.title).click()
    officer.get_by_role("link", name="Điểm danh").click()
    officer.wait_for_url("**/checkin/")
    check_page(officer)
    jiwoo = Registration.objects.get(email="jiwoo@example.kr")
    photo = tmp_path / "qr.png"
    segno.make(checkin_code(jiwoo), error="m").save(str(photo), scale=8)
    officer.get_by_label("Hoặc đọc mã từ ảnh").set_input_files(str(photo))  # decoded in the page by jsQR
    expect(officer.locator("#ev-result")).to_have_text("Điểm danh thành công: Kim Ji-woo.")
    officer.get_by_label("Hoặc nhập, dán mã").fill(checkin_code(jiwoo))
    officer.get_by_role("button", name="Kiểm tra mã").click()
    expect(officer.locator("#ev-result")).to_contain_text("Đã điểm danh lúc")
    officer.get_by_label("Hoặc nhập, dán mã").fill(checkin_code(minjun)[:-2] + "zz")
    officer.get_by_role("button", name="Kiểm tra mã").click()
    expect(officer.locator("#ev-result")).to_contain_text("không do Sở cấp")
    assert CheckIn.objects.count() == 1
    check_page(officer)

    # the network drops: the scan waits on the phone and is sent when it returns
    officer.context.set_offline(True)
    officer.evaluate("code => window.innohubCheckinScanned(code)", checkin_code(minjun))
    expect(officer.locator("#ev-result")).to_contain_text("Mất mạng")
    expect(officer.locator("#ev-queue")).to_have_text("Đang chờ gửi: 1")
    assert CheckIn.objects.count() == 1
    officer.context.set_offline(False)
    officer.evaluate("window.dispatchEvent(new Event('online'))")
    expect(officer.locator("#ev-result")).to_contain_text("Đã gửi các lượt điểm danh")
    expect(officer.locator("#ev-queue")).to_have_text("")
    assert CheckIn.objects.count() == 2

    # certificates issued, then verified on the public page
    officer.goto(f"/events/manage/{event.pk}/certificates/")
    officer.get_by_role("button", name="Cấp giấy chứng nhận cho người đủ điều kiện").click()
    officer.get_by_text("Đã cấp 2 giấy chứng nhận.").wait_for()
    check_page(officer)
    number = Certificate.objects.get(registration=jiwoo).number
    visitor.goto("/events/")
    visitor.get_by_role("link", name="Kiểm tra giấy chứng nhận").click()
    visitor.get_by_label("Số giấy chứng nhận").fill(number)
    visitor.get_by_role("button", name="Kiểm tra").click()
    visitor.get_by_role("heading", name="Giấy chứng nhận hợp lệ").wait_for()
    expect(visitor.locator(".ev-verdict")).to_contain_text("Kim Ji-woo")
    check_page(visitor)

    # a manager revokes one: the public page says so
    manager = phone_for(users["manager"])
    manager.goto(f"/events/manage/{event.pk}/certificates/")
    manager.get_by_label(f"Lý do – {number}").fill("Điểm danh hộ")
    manager.get_by_role("button", name=f"Thu hồi – {number}").click()
    manager.get_by_text(f"Đã thu hồi giấy chứng nhận số {number}.").wait_for()
    visitor.reload()
    visitor.get_by_role("heading", name="Giấy chứng nhận đã bị thu hồi").wait_for()
