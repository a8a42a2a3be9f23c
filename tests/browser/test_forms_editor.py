"""The forms editor in Chromium at 360 px, by clicking only after the home page: an officer opens
the application form from the back office's navigation, writes a new version, is refused a schema
with two problems (both listed, what was typed kept, nothing saved), previews the corrected one and
saves it; the old version is untouched. No sideways scroll, axe-clean on every page."""

import json

import pytest
from playwright.sync_api import expect

from innohub.activity.models import Event as AuditEvent
from innohub.programs import defaults
from innohub.programs.models import FormDefinition
from tests.browser.conftest import check_page, refused_summary, staff_nav

pytestmark = pytest.mark.django_db(transaction=True)

TWO_PROBLEMS = {"sections": [{"key": "you", "title": {"vi": "Về nhóm"}, "fields": [
    {"key": "team_size", "kind": "slider", "label": {"vi": "Số thành viên nhóm"}},
    {"key": "pitch", "kind": "textarea", "label": {"en": "Pitch"}},
]}]}
GOOD = {"sections": [{"key": "you", "title": {"vi": "Về nhóm", "en": "About the team"}, "fields": [
    {"key": "team_size", "kind": "number", "required": True, "label": {"vi": "Số thành viên nhóm", "en": "Team size"}},
    {"key": "pitch", "kind": "textarea", "label": {"vi": "Giới thiệu ngắn", "en": "Pitch"}, "max_length": 2000},
    {"key": "deck", "kind": "file", "label": {"vi": "Bài thuyết trình", "en": "Pitch deck"}, "accept": [".pdf"], "max_size_mb": 5},
]}]}


def test_an_officer_writes_a_new_version_of_an_application_form(phone_for, users):
    old = defaults.default_form()
    old_schema = old.schema
    page = phone_for(users["officer"])
    page.goto("/")
    page.get_by_role("button", name="Trình đơn").click()
    page.get_by_role("link", name="Trang quản trị").click()
    staff_nav(page).get_by_role("link", name="Biểu mẫu", exact=True).click()  # on a phone, a menu opened first
    page.get_by_role("heading", name="Biểu mẫu", exact=True).wait_for()
    check_page(page)

    page.get_by_role("link", name=old.title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("phiên bản 1")
    check_page(page)
    page.get_by_role("link", name="Viết phiên bản mới").click()
    page.get_by_label("Lược đồ (JSON)").wait_for()
    check_page(page)

    # a schema with two problems is refused: both listed, what was typed kept, nothing saved
    typed = json.dumps(TWO_PROBLEMS, ensure_ascii=False, indent=2)
    page.get_by_label("Tên biểu mẫu").fill("Hồ sơ đề nghị hỗ trợ – bản 2")
    page.get_by_label("Lược đồ (JSON)").fill(typed)
    page.get_by_role("button", name="Lưu phiên bản mới").click()
    summary = refused_summary(page)
    expect(summary).to_contain_text("team_size: loại trường “slider” không tồn tại.")
    expect(summary).to_contain_text("pitch: cần có nhãn tiếng Việt.")
    assert page.get_by_label("Lược đồ (JSON)").input_value() == typed
    assert page.get_by_label("Tên biểu mẫu").input_value() == "Hồ sơ đề nghị hỗ trợ – bản 2"
    assert FormDefinition.objects.filter(code=old.code).count() == 1
    check_page(page)

    # corrected, it is previewed as applicants will see it, still unsaved
    page.get_by_label("Lược đồ (JSON)").fill(json.dumps(GOOD, ensure_ascii=False, indent=2))
    page.get_by_role("button", name="Xem trước").click()
    preview = page.locator(".forms-preview")
    expect(preview.get_by_label("Số thành viên nhóm")).to_be_visible()
    expect(preview).to_contain_text("Bài thuyết trình (.pdf, tối đa 5 MB)")
    assert FormDefinition.objects.filter(code=old.code).count() == 1
    check_page(page)

    # saved: version 2 beside version 1, which is as it was, and the save is audited
    page.get_by_role("button", name="Lưu phiên bản mới").click()
    page.get_by_text("Đã lưu phiên bản 2 của biểu mẫu.").wait_for()
    expect(page.get_by_role("heading", level=1)).to_contain_text("phiên bản 2")
    expect(page.locator(".forms-preview").get_by_label("Giới thiệu ngắn")).to_be_visible()
    check_page(page)
    new = FormDefinition.objects.get(code=old.code, version=2)
    assert new.schema == GOOD and new.title == "Hồ sơ đề nghị hỗ trợ – bản 2"
    old.refresh_from_db()
    assert old.schema == old_schema and old.version == 1
    assert AuditEvent.objects.filter(action="form.version_written", target_id=str(new.pk), actor=users["officer"]).exists()
