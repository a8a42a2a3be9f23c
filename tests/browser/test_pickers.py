"""The directory's picker in Chromium at 360 px: an officer opens an event from the back office
by clicking, adds a speaker and an organiser with the keyboard through the combobox (typing
without diacritics, arrows, Enter), removes a chip by its button, saves, and the public page
shows them; the ARIA states are checked on the way, axe-clean, no sideways scroll."""

import re

import pytest
from playwright.sync_api import expect

from innohub.directory.tests.factories import OrganisationFactory, PersonFactory, PositionFactory
from innohub.events.tests.factories import EventFactory
from tests.browser.conftest import check_page, staff_nav

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_adds_a_speaker_and_an_organiser_with_the_keyboard_on_a_phone(phone_for, users):
    event = EventFactory(title="Hội thảo Chuyển đổi số cho Doanh nghiệp nhỏ")
    for n in range(30):
        OrganisationFactory(name=f"Công ty Thử nghiệm Số {n:02d}")
    sihub = OrganisationFactory(name="Trung tâm Đổi mới Sáng tạo Sihub", kind="support")
    OrganisationFactory(name="Trung tâm Đổi mới Sáng tạo Quận Ba", kind="support")
    speaker = PositionFactory(person=PersonFactory(honorific="TS.", full_name="Nguyễn Thị Lan Anh"), organisation=sihub, title="Giám đốc").person
    PersonFactory(full_name="Nguyễn Thị Lan")

    officer = phone_for(users["officer"])
    officer.goto("/backoffice/")
    staff_nav(officer).get_by_role("link", name="Sự kiện và đào tạo").click()
    officer.get_by_role("link", name=event.title).click()
    # "Edit": "Sửa" in events' catalogue, "Chỉnh sửa" in the directory's (tests/translation_collisions.txt)
    officer.locator("main").get_by_role("link", name=re.compile(r"^(Chỉnh sửa|Sửa)$")).click()
    officer.wait_for_url("**/edit/")
    check_page(officer)

    # the speaker: typed without diacritics, the second suggestion chosen with the arrows and Enter
    box = officer.get_by_role("combobox", name="Diễn giả")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.focus()
    box.press_sequentially("nguyen thi lan", delay=30)
    listbox = officer.get_by_role("listbox", name="Gợi ý")
    expect(listbox.get_by_role("option")).to_have_count(2)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(officer.get_by_role("status").filter(has_text="2 gợi ý")).to_have_count(1)
    check_page(officer)  # the open listbox fits 360 px and passes axe
    box.press("ArrowDown")
    options = listbox.get_by_role("option")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    assert box.get_attribute("aria-activedescendant") == options.nth(0).get_attribute("id")
    expect(options.nth(0)).to_contain_text("Nguyễn Thị Lan")  # the namesake first (by name), then "… Lan Anh"
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    assert box.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    expect(options.nth(1)).to_contain_text("TS. Nguyễn Thị Lan Anh")
    expect(options.nth(1)).to_contain_text("Giám đốc, Trung tâm Đổi mới Sáng tạo Sihub")  # what tells namesakes apart
    box.press("Enter")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("")
    expect(officer.get_by_role("button", name="Bỏ chọn TS. Nguyễn Thị Lan Anh")).to_be_visible()
    assert officer.url.endswith("/edit/")  # Enter chose, it did not send the form

    # the organiser: a wrong one chosen, removed by its chip's button, the right one chosen
    organisers = officer.get_by_role("combobox", name="Đơn vị tổ chức")
    organisers.focus()
    organisers.press_sequentially("doi moi sang tao", delay=30)
    expect(officer.get_by_role("listbox", name="Gợi ý").filter(visible=True).get_by_role("option")).to_have_count(2)
    organisers.press("ArrowDown")  # "… Quận Ba" comes before "… Sihub": the wrong one
    organisers.press("Enter")
    officer.get_by_role("button", name="Bỏ chọn Trung tâm Đổi mới Sáng tạo Quận Ba").click()
    expect(organisers).to_be_focused()
    organisers.press_sequentially("sihub", delay=30)
    expect(officer.get_by_role("listbox", name="Gợi ý").filter(visible=True).get_by_role("option")).to_have_count(1)
    organisers.press("ArrowDown")
    organisers.press("Enter")
    expect(officer.get_by_role("button", name="Bỏ chọn Trung tâm Đổi mới Sáng tạo Sihub")).to_be_visible()
    # Escape closes an open list without choosing
    organisers.press_sequentially("cong ty thu", delay=30)
    expect(organisers).to_have_attribute("aria-expanded", "true")
    organisers.press("Escape")
    expect(organisers).to_have_attribute("aria-expanded", "false")
    organisers.press("Escape")
    expect(organisers).to_have_value("")
    check_page(officer)

    officer.get_by_role("button", name="Lưu").click()
    officer.wait_for_url(f"**/manage/{event.pk}/")
    assert list(event.speakers.all()) == [speaker]
    assert list(event.organisers.all()) == [sihub]

    officer.locator("main").get_by_role("link", name="Trang công khai").click()
    main = officer.locator("main")
    expect(main).to_contain_text("TS. Nguyễn Thị Lan Anh")
    expect(main.get_by_role("link", name="Trung tâm Đổi mới Sáng tạo Sihub")).to_be_visible()
    check_page(officer)
