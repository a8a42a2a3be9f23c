"""A delegation's visit recorded and followed up in headless Chromium at 360 px, in Vietnamese:
the officer logs in from the home page, reaches cooperation from the staff navigation, records
the meeting with a person of the directory, a direction and an action, moves the action to
done, and finds it on the partner's page and on the follow-up board; axe finds nothing
serious on the way, and nothing scrolls sideways.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from innohub.accounts.tests.factories import totp_code, totp_device_for
from innohub.cooperation.models import Action, Meeting
from innohub.cooperation.tests.factories import PartnerFactory, UnitFactory
from innohub.directory.tests.factories import PersonFactory, PositionFactory
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    refused_summary,
    staff_nav,
)

pytestmark = pytest.mark.django_db(transaction=True)


def checked(page):
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_a_visit_recorded_and_its_action_followed_to_done_on_a_phone(page_at, users):
    officer = users["officer"]
    unit = UnitFactory(code="qlcn", name="Phòng Quản lý Công nghệ", head=users["manager"])
    unit.members.add(officer)
    partner = PartnerFactory(organisation__name="Chính quyền tiểu bang Victoria", country="AU")
    delegate = PersonFactory(honorific="Bà", full_name="Jane Delegate")
    PositionFactory(person=delegate, organisation=partner.organisation, title="Trưởng đoàn")

    device = totp_device_for(officer)  # staff give their authenticator's code after the password
    page = page_at(PHONE)
    page.goto("/")
    menu = page.get_by_role("button", name="Trình đơn")
    if menu.is_visible():  # on a phone the header's links are behind the menu button
        menu.click()
    page.locator("header").get_by_role("link", name="Đăng nhập").first.click()
    page.get_by_label("Tên đăng nhập hoặc e-mail").fill(officer.username)
    page.get_by_label("Mật khẩu").fill("correct-horse-battery")
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    page.get_by_label("Mã xác thực").fill(totp_code(device))
    page.locator("main").get_by_role("button", name="Xác thực").click()
    page.wait_for_load_state()
    if "/backoffice/" not in page.url:
        page.goto("/backoffice/")
    staff_nav(page).get_by_role("link", name="Hợp tác quốc tế").click()
    expect(page.get_by_role("heading", name="Đối tác quốc tế")).to_be_visible()
    checked(page)

    page.get_by_role("link", name="Chính quyền tiểu bang Victoria").click()
    page.locator("main a.btn", has_text="Ghi nhận buổi làm việc").click()  # the partner chosen already
    page.get_by_label("Tiêu đề").fill("Tiếp Đoàn công tác tiểu bang Victoria")
    page.get_by_label("Ngày").fill("2026-10-24")
    page.get_by_label("Địa điểm").fill("Trụ sở Sở")
    page.get_by_label("Biên bản (tiếng Việt)").fill("Hai bên thống nhất kết nối hệ sinh thái.")
    checked(page)
    page.get_by_role("button", name="Ghi nhận buổi làm việc").click()
    expect(page.get_by_role("heading", name="Tiếp Đoàn công tác tiểu bang Victoria")).to_be_visible()
    meeting = Meeting.objects.get()
    checked(page)

    # a person of the directory, with the title the directory gives on the day
    page.get_by_label("Người (trong danh bạ)").fill("jane delegate")  # the directory's picker: resolved when sent
    page.locator("#participant_side").select_option(label="Đoàn đối tác")
    page.get_by_role("button", name="Thêm người", exact=True).click()
    expect(page.get_by_role("cell", name="Trưởng đoàn")).to_be_visible()

    page.locator("#direction_text").fill("Kết nối đưa startup Việt Nam ra thế giới")
    page.get_by_role("button", name="Ghi nhận hướng hợp tác").click()
    direction = meeting.directions.get()

    # an action due before the meeting is refused, what was typed is kept
    page.locator(f"#direction-{direction.pk} summary").click()
    page.locator(f"#id_d{direction.pk}-what").fill("Lập danh sách startup tham gia")
    page.locator(f"#id_d{direction.pk}-due_date").fill("2026-10-01")
    page.get_by_role("button", name="Thêm việc này").click()
    expect(refused_summary(page)).to_contain_text("không thể trước buổi làm việc")
    expect(page.locator(f"#id_d{direction.pk}-what")).to_have_value("Lập danh sách startup tham gia")
    assert not Action.objects.exists()
    page.locator(f"#id_d{direction.pk}-due_date").fill("")
    page.locator(f"#id_d{direction.pk}-due_working_days").fill("10")
    page.get_by_role("button", name="Thêm việc này").click()
    page.get_by_role("link", name="Lập danh sách startup tham gia").first.click()
    checked(page)

    page.get_by_role("button", name="Thống nhất").click()
    page.get_by_role("button", name="Hoàn thành").click()
    expect(page.locator(".coop-facts .coop-state")).to_have_text("Hoàn thành")
    action = Action.objects.get()
    assert action.is_done and action.closed_on is not None

    page.get_by_role("link", name="Chính quyền tiểu bang Victoria").first.click()
    timeline = page.locator(".coop-timeline")
    expect(timeline.get_by_text("Lập danh sách startup tham gia")).to_be_visible()
    expect(timeline.locator(".coop-state").first).to_have_text("Hoàn thành")
    expect(timeline.get_by_text("Bà Jane Delegate (Trưởng đoàn)")).to_be_visible()
    checked(page)

    staff_nav(page).get_by_role("link", name="Bảng theo dõi thực hiện").click()
    expect(page.get_by_role("link", name="Lập danh sách startup tham gia")).to_be_visible()
    checked(page)


def test_an_officer_corrects_a_partner_and_a_meeting_without_the_admin(page_at, login, users):
    """Both from their pages, by clicking: the partner's note and country, the meeting's date.
    A date after an action it agreed falls due is refused, keeping what was typed."""
    from innohub.cooperation.tests.factories import ActionFactory, DirectionFactory, MeetingFactory

    unit = UnitFactory(code="qlcn", name="Phòng Quản lý Công nghệ", head=users["manager"])
    unit.members.add(users["officer"])
    partner = PartnerFactory(organisation__name="Viện Học tập Người lớn Singapore", country="SG", contact_owner=users["officer"])
    meeting = MeetingFactory(partner=partner, unit=unit, title="Làm việc với IAL", held_on=dt.date(2024, 10, 25))
    ActionFactory(direction=DirectionFactory(meeting=meeting), due_date=dt.date(2024, 12, 31), owner=users["officer"])

    page = page_at(DESKTOP)
    login(page, "officer")
    page.goto("/")
    page.get_by_role("link", name="Trang quản trị").click()
    staff_nav(page).get_by_role("link", name="Hợp tác quốc tế").click()
    page.get_by_role("link", name="Viện Học tập Người lớn Singapore").first.click()
    page.get_by_role("link", name="Sửa thông tin đối tác").click()
    checked(page)
    page.get_by_label("Ghi chú").fill("Đơn vị thuộc Bộ Giáo dục Singapore; đào tạo và AI trong doanh nghiệp")
    page.get_by_role("button", name="Lưu thông tin đối tác").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Viện Học tập Người lớn Singapore")
    expect(page.get_by_text("Đơn vị thuộc Bộ Giáo dục Singapore; đào tạo và AI trong doanh nghiệp")).to_be_visible()

    page.get_by_role("link", name="Làm việc với IAL").first.click()
    page.get_by_role("link", name="Sửa thông tin buổi làm việc").click()
    page.get_by_label("Chủ đề").fill("Đào tạo; AI trong doanh nghiệp")
    page.locator("#id_held_on").fill("2025-01-15")  # the browser's date picker
    page.get_by_role("button", name="Lưu thông tin buổi làm việc").click()
    expect(page.locator(".error-summary")).to_contain_text("có hạn 31/12/2024, trước ngày 15/01/2025")
    expect(page.get_by_label("Chủ đề")).to_have_value("Đào tạo; AI trong doanh nghiệp")
    checked(page)
    page.locator("#id_held_on").fill("2024-10-25")
    page.get_by_role("button", name="Lưu thông tin buổi làm việc").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Làm việc với IAL")
    expect(page.locator(".coop-facts")).to_contain_text("Đào tạo; AI trong doanh nghiệp")
    meeting.refresh_from_db()
    assert (meeting.topics, meeting.held_on) == ("Đào tạo; AI trong doanh nghiệp", dt.date(2024, 10, 25))
