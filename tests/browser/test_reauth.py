"""Re-authentication before a decision on money, in Chromium: a manager whose confirmation is
stale fills the approval, is asked for the password, and the approval goes through with the
amount typed and the scan chosen before (innohub/accounts/reauth.py)."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from playwright.sync_api import expect

from innohub.accounts.reauth import SESSION_KEY
from innohub.programs.models import Award, DecisionRecord
from innohub.programs.tests.factories import ApplicationFactory
from tests.browser.conftest import PHONE, assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)


def _make_stale(page) -> None:
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=key)
    session[SESSION_KEY] = int(time.time()) - 11 * 60
    session.save()


def test_a_stale_manager_confirms_the_password_and_the_approval_keeps_what_was_typed(page_at, login, users, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    application = ApplicationFactory(state="ranked", amount_requested=40_000_000)
    page = page_at(PHONE)
    login(page, "manager")
    _make_stale(page)  # the log-in was eleven minutes ago
    page.goto("/")
    page.goto(f"/programs/applications/{application.pk}/")
    page.get_by_role("link", name="Phê duyệt…", exact=True).click()
    page.get_by_label("Kinh phí được hỗ trợ (đồng)").fill("35.000.000")
    scan = tmp_path / "quyet-dinh.pdf"
    scan.write_bytes(b"%PDF-1.4 van ban da ky\n%%EOF\n")
    page.get_by_label("Số văn bản đã ký").fill("77/QĐ-SKHCN")
    page.get_by_label("Ngày ký").fill(timezone.localdate().isoformat())
    page.get_by_label("Người ký (họ tên và chức vụ)").fill("Lâm Đình Thắng, Giám đốc Sở")
    page.get_by_label("Bản quét văn bản đã ký").set_input_files(str(scan))
    page.get_by_label("Tôi xác nhận quyết định này").check()
    page.get_by_role("button", name="Xác nhận: Phê duyệt").click()

    expect(page.get_by_role("heading", name="Xác nhận danh tính")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Nội dung bạn đã nhập được giữ lại")
    assert not Award.objects.exists()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_label("Mật khẩu của bạn").fill("correct-horse-battery")
    page.locator("main").get_by_role("button", name="Xác nhận", exact=True).click()

    expect(page.locator(".messages")).to_contain_text("văn bản đã ký được lưu")
    expect(page.get_by_role("cell", name="77/QĐ-SKHCN")).to_be_visible()
    assert Award.objects.get(application=application).amount == 35_000_000
    assert DecisionRecord.objects.get().original_name == "quyet-dinh.pdf"
