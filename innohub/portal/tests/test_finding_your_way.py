"""Finding one's way without knowing an address (issue 27): the home page lists the open
calls, its stage cards lead to each stage's page with its calls, and the founder's space
lists their applications with their state and next step, linked from the navigation."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from innohub.accounts.tests.factories import MembershipFactory
from innohub.programs.tests.factories import ApplicationFactory, CallFactory, programme, startup

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_open_calls_with_stage_ceiling_and_deadline(client):
    call = CallFactory(title="Hỗ trợ ươm tạo 2026", programme=programme("incubation"))
    CallFactory(title="Đợt chưa mở", opens_at=timezone.now() + dt.timedelta(days=3))
    CallFactory(title="Đợt nháp", published_at=None)
    body = client.get("/").content.decode()
    section = body.split('id="open-calls"', 1)[1].split("</section>", 1)[0]
    assert call.title in section and f"/programs/calls/{call.pk}/" in section
    assert call.programme.name in section
    assert "tối đa" in section and "hạn nộp" in section and timezone.localtime(call.closes_at).strftime("%d/%m/%Y") in section
    assert "Đợt chưa mở" not in body and "Đợt nháp" not in body


@pytest.mark.parametrize("path", ["/", "/programs/"])
def test_the_stage_cards_lead_to_the_stage_pages_with_their_open_calls(client, path):
    call = CallFactory(title="Tăng tốc 2026", programme=programme("acceleration"))
    CallFactory(title="Tiền ươm tạo 2026", programme=programme("pre_incubation"))
    body = client.get(path).content.decode()
    for stage in ("pre_incubation", "incubation", "acceleration"):
        assert f'href="/programs/stages/{stage}/"' in body
    stage_page = client.get("/programs/stages/acceleration/").content.decode()
    assert call.title in stage_page and "Tiền ươm tạo 2026" not in stage_page
    assert client.get("/programs/stages/nothing/").status_code == 404


def test_the_founder_finds_their_applications_from_the_navigation_and_my_space(users):
    founder = users["applicant"]
    org = startup(name="Công ty Nấm Xanh")
    MembershipFactory(user=founder, organisation=org)
    draft = ApplicationFactory(organisation=org, title="Robot hái nấm", state="draft")
    returned = ApplicationFactory(organisation=org, title="Cảm biến độ ẩm", state="returned")
    c = Client()
    c.force_login(founder)
    body = c.get("/my/").content.decode()
    assert 'href="/programs/my/"' in body.split("</nav>", 1)[0]  # the header's navigation
    assert "Hồ sơ của tôi" in body and "Robot hái nấm" in body and "Cảm biến độ ẩm" in body
    assert "Bản nháp – chưa nộp" in body and "Hoàn thiện và nộp hồ sơ trước" in body
    assert "Gửi thông tin bổ sung Sở đã yêu cầu." in body
    assert f"/programs/applications/{draft.pk}/edit/" in body and f"/programs/applications/{returned.pk}/edit/" in body


def test_a_citizen_sees_no_application_card(users):
    c = Client()
    c.force_login(users["visitor"])
    body = c.get("/my/").content.decode()
    assert "Hồ sơ của tôi" not in body
