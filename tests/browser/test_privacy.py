"""A person downloads the copy of their data in headless Chromium at 360 px, in Vietnamese: the
link e-mailed when an administrator carried out their request opens a page with a button, the
button saves the JSON file; a tampered link shows a clear refusal. axe finds nothing serious,
nothing scrolls sideways."""

import json
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from innohub.activity.models import Event
from innohub.privacy import services
from innohub.qa.tests.factories import QuestionFactory
from tests.browser.conftest import PHONE, check_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_requester_downloads_their_copy_on_a_phone_and_a_tampered_link_is_refused(page_at, users):
    QuestionFactory(asker_email="lan@example.vn", asker_name="Nguyễn Thị Lan", text="Xin hỏi thủ tục ươm tạo?")
    obj = services.request_submit(kind="access", email="lan@example.vn", name="Lan", details="", actor=None, ip=f"test-{uuid.uuid4()}")
    obj = services.request_confirm(token=services.confirm_token(obj), actor=None)
    services.request_carry_out(request=obj, actor=users["administrator"])
    obj.refresh_from_db()
    path = services.export_path(obj)

    page = page_at(PHONE)
    page.goto(path)
    expect(page.get_by_role("heading", name="Tải bản sao dữ liệu của bạn")).to_be_visible()
    expect(page.locator("main")).to_contain_text(obj.reference)
    check_page(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải bản sao về").click()
    download = info.value
    assert download.suggested_filename == f"du-lieu-ca-nhan-{obj.reference}.json"
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["questions"][0]["name"] == "Nguyễn Thị Lan"
    assert Event.objects.filter(action="personal_data.export_downloaded", target_id=str(obj.pk)).count() == 1

    token = path.rstrip("/").rsplit("/", 1)[1]
    page.goto(path.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB")))
    expect(page.get_by_role("alert")).to_contain_text("Liên kết tải xuống này không hợp lệ")
    assert "lan@example.vn" not in page.content() and "Nguyễn Thị Lan" not in page.content()
    check_page(page)
