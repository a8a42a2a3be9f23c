"""The chain from a cooperation action to the index, the pages editing a task's team and
partners, and needs posted by enterprises themselves (moderated before they are public):
what staff and enterprises see, and every refusal keeps what was typed and changes nothing."""

import datetime as dt

import pytest

from innohub.accounts.tests.factories import MembershipFactory
from innohub.activity.models import Event, Notification
from innohub.cooperation.tests.factories import (
    ActionFactory,
    DirectionFactory,
    MeetingFactory,
    PartnerFactory,
)
from innohub.directory.tests.factories import OrganisationFactory
from innohub.research import matching, services
from innohub.research.models import Need, Task, TaskPartner, TeamMember
from innohub.research.tests.factories import NeedFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    matching.forget()


@pytest.fixture
def action(users):
    partner = PartnerFactory(organisation__name="Griffith University")
    return ActionFactory(direction=DirectionFactory(meeting=MeetingFactory(partner=partner, title="Làm việc với Griffith")),
                         what="Đặt hàng nghiên cứu cảm biến ngập", owner=users["officer"])


def _whole_chain(users, task):
    """An output of the task offered, transferred to a buyer, and a spin-off in the directory."""
    task.host.commune_id = "26740"
    task.host.save()
    Task.objects.filter(pk=task.pk).update(state="accepted")
    task.refresh_from_db()
    output = services.output_add(task=task, actor=users["officer"], kind="prototype", title="Cảm biến SiC mẫu thử", trl=6)
    offer = services.offer_create(actor=users["officer"], organisation=task.host, output=output, title="Cảm biến áp suất SiC",
                                  summary="Đo mực nước trực tuyến")
    spin_off = OrganisationFactory(kind="startup", name="SiC Sense JSC")
    buyer = OrganisationFactory(kind="enterprise", name="Công ty Thiết bị Đô thị")
    services.deal_record(offer=offer, actor=users["manager"], buyer=buyer, kind="spin_off", signed_on=dt.date(2026, 5, 4),
                         value=500_000_000, spin_off=spin_off)
    return output, offer, spin_off


# -- the chain ---------------------------------------------------------------------------
def test_an_action_links_the_task_it_led_to_and_the_chain_shows_it_all_the_way_to_the_index(client_for, users, action):
    task = TaskFactory(code="NV-SIC", title="Cảm biến áp suất SiC cho trạm đo ngập")
    officer = client_for("officer")
    response = officer.post(f"/cooperation/actions/{action.pk}/research-task/", {"code": " NV-SIC "})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.origin_action == action
    assert Event.objects.filter(action="task.origin_linked", target_id=str(task.pk)).exists()
    action_page = officer.get(f"/cooperation/actions/{action.pk}/").content.decode()
    assert f"/research/tasks/{task.pk}/chain/" in action_page and "NV-SIC" in action_page

    _whole_chain(users, task)
    task_page = officer.get(f"/research/tasks/{task.pk}/").content.decode()
    assert "Đặt hàng nghiên cứu cảm biến ngập" in task_page and f"/research/tasks/{task.pk}/chain/" in task_page
    chain = officer.get(f"/research/tasks/{task.pk}/chain/").content.decode()
    for seen in ("Đặt hàng nghiên cứu cảm biến ngập", "Griffith University", "Làm việc với Griffith", "Cảm biến SiC mẫu thử",
                 "Cảm biến áp suất SiC", "Công ty Thiết bị Đô thị", "SiC Sense JSC", "500.000.000"):
        assert seen in chain, seen
    # the index's figures: one output and one deal of this chain, in the host's commune, in their year
    assert "Kết quả" in chain or "kết quả" in chain
    assert chain.count('data-label="Năm"') >= 2

    partner_page = officer.get(f"/cooperation/partners/{action.direction.meeting.partner.pk}/").content.decode()
    assert f"/research/tasks/{task.pk}/chain/" in partner_page and "Cảm biến áp suất SiC cho trạm đo ngập" in partner_page


def test_the_chain_counts_what_the_index_counts(users, action):
    from innohub.research import selectors

    task = TaskFactory(origin_action=action)
    output, _offer, _spin_off = _whole_chain(users, task)
    chain = selectors.task_chain(user=users["officer"], pk=task.pk)
    figures = {(f["code"], f["year"]): (f["mine"], f["total"]) for f in chain["figures"]}
    year = output.created_at.year
    assert figures[("research_outputs", year)] == (1, 1)
    assert figures[("technology_transfers", 2026)] == (1, 1)
    assert chain["action"] == action and [s.name for s in chain["spin_offs"]] == ["SiC Sense JSC"]


def test_an_unknown_code_is_refused_with_what_was_typed_kept_and_nothing_linked(client_for, action):
    before = Event.objects.count()
    response = client_for("officer").post(f"/cooperation/actions/{action.pk}/research-task/", {"code": "NV-KHONG-CO"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "NV-KHONG-CO" in page and "Không có nhiệm vụ nghiên cứu nào có mã" in page
    assert Event.objects.count() == before and not Task.objects.filter(origin_action=action).exists()


def test_a_task_led_to_by_another_action_is_not_linked_again(users, action):
    from innohub.core.errors import ApplicationError

    other = ActionFactory(owner=users["officer"])
    task = TaskFactory(code="NV-2", origin_action=other)
    with pytest.raises(ApplicationError, match="hành động hợp tác khác"):
        services.task_origin_link(code="NV-2", action=action, actor=users["officer"])
    task.refresh_from_db()
    assert task.origin_action == other


@pytest.mark.parametrize("role", ["visitor", "applicant", "reviewer"])
def test_the_chain_and_the_link_are_for_staff_only(client_for, users, action, role):
    task = TaskFactory(code="NV-3")
    client = client_for(role)
    assert client.get(f"/research/tasks/{task.pk}/chain/").status_code in (302, 403)
    client.post(f"/cooperation/actions/{action.pk}/research-task/", {"code": "NV-3"})
    task.refresh_from_db()
    assert task.origin_action is None


# -- team and partners ---------------------------------------------------------------------
def test_an_officer_adds_and_removes_team_members_audited(client_for):
    task = TaskFactory()
    officer = client_for("officer")
    assert officer.post(f"/research/tasks/{task.pk}/team/", {"name": "TS. Trần Văn Minh", "role": "Thư ký khoa học"}).status_code == 302
    member = TeamMember.objects.get(task=task)
    page = officer.get(f"/research/tasks/{task.pk}/team/").content.decode()
    assert "TS. Trần Văn Minh" in page and "Thư ký khoa học" in page
    assert officer.post(f"/research/tasks/{task.pk}/team/", {"remove": member.pk}).status_code == 302
    assert not TeamMember.objects.filter(task=task).exists()
    assert list(Event.objects.filter(target_id=str(task.pk), action__startswith="team.").values_list("action", flat=True)
                .order_by("id")) == ["team.member_added", "team.member_removed"]


def test_a_team_member_without_a_name_is_refused_and_the_role_typed_is_kept(client_for):
    task = TaskFactory()
    response = client_for("officer").post(f"/research/tasks/{task.pk}/team/", {"name": "  ", "role": "Kỹ thuật viên đo đạc"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kỹ thuật viên đo đạc" in page and "Chưa lưu được" in page
    assert not TeamMember.objects.filter(task=task).exists()


def test_a_partner_twice_or_the_host_itself_is_refused_and_the_role_typed_is_kept(client_for):
    task = TaskFactory()
    csiro = OrganisationFactory(kind="partner", name="CSIRO")
    officer = client_for("officer")
    assert officer.post(f"/research/tasks/{task.pk}/partners/",
                        {"organisation": csiro.pk, "kind": "international", "role": "Đồng chủ trì"}).status_code == 302
    again = officer.post(f"/research/tasks/{task.pk}/partners/", {"organisation": csiro.pk, "kind": "international", "role": "Vai trò mới gõ"})
    assert again.status_code == 400 and "Vai trò mới gõ" in again.content.decode() and "đã là đối tác" in again.content.decode()
    host = officer.post(f"/research/tasks/{task.pk}/partners/", {"organisation": task.host.pk, "kind": "domestic", "role": "x"})
    assert host.status_code == 400
    assert list(TaskPartner.objects.filter(task=task).values_list("role", flat=True)) == ["Đồng chủ trì"]
    assert Event.objects.filter(action="task.partner_added", target_id=str(task.pk)).count() == 1


@pytest.mark.parametrize("role", ["visitor", "applicant", "reviewer"])
def test_team_and_partner_pages_are_for_staff_only(client_for, role):
    task = TaskFactory()
    client = client_for(role)
    for page in ("team", "partners"):
        assert client.get(f"/research/tasks/{task.pk}/{page}/").status_code in (302, 403)
    client.post(f"/research/tasks/{task.pk}/team/", {"name": "X"})
    assert not TeamMember.objects.filter(task=task).exists()


# -- needs posted by enterprises ---------------------------------------------------------------
@pytest.fixture
def enterprise(users):
    org = OrganisationFactory(kind="enterprise", name="Công ty Vật tư Y tế Phương Nam")
    MembershipFactory(user=users["applicant"], organisation=org)
    return org


NEED = {"title": "Băng gạc kháng khuẩn", "description": "Chúng tôi cần băng gạc kháng khuẩn cho vết thương mãn tính, sản xuất được ở quy mô công nghiệp.",
        "field": "Vật tư y tế", "min_trl": "6", "budget": "2 tỷ", "needed_by": "2030-06-30", "contact": "Phòng R&D"}


def test_an_enterprise_posts_a_need_which_is_public_only_once_an_officer_approves_it(client_for, users, enterprise):
    member = client_for("applicant")
    assert member.post("/research/needs/post/", {"organisation": enterprise.pk, **NEED}).status_code == 302
    need = Need.objects.get(title="Băng gạc kháng khuẩn")
    assert (need.moderation, need.published, need.posted_by, need.budget, need.min_trl) == ("pending", False, users["applicant"], 2_000_000_000, 6)
    assert member.get(f"/research/needs/{need.pk}/").status_code == 404
    assert "Băng gạc kháng khuẩn" not in client_for("visitor").get("/research/needs/?q=bang gac").content.decode()
    assert "Chờ kiểm duyệt" in member.get("/research/needs/post/").content.decode()

    officer = client_for("officer")
    assert "Băng gạc kháng khuẩn" in officer.get("/research/needs/moderation/").content.decode()
    assert officer.post(f"/research/needs/{need.pk}/moderate/", {"decision": "approve"}).status_code == 302
    need.refresh_from_db()
    assert need.published and need.moderation == "approved"
    assert "Băng gạc kháng khuẩn" in client_for("visitor").get("/research/needs/?q=bang gac khang khuan").content.decode()
    public_page = client_for("visitor").get(f"/research/needs/{need.pk}/").content.decode()
    assert "2.000.000.000" in public_page and "Vật tư y tế" in public_page and "30/06/2030" in public_page
    assert Notification.objects.filter(recipient=users["applicant"], message="research.need_approved").exists()
    assert Event.objects.filter(action="need.approved", target_id=str(need.pk)).exists()


def test_a_need_refused_by_the_officer_needs_a_reason_the_enterprise_reads(client_for, users, enterprise):
    need = services.need_post(actor=users["applicant"], organisation=enterprise, title="Nhu cầu", description=NEED["description"])
    officer = client_for("officer")
    refused = officer.post(f"/research/needs/{need.pk}/moderate/", {"decision": "reject", "note": ""})
    assert refused.status_code == 400
    need.refresh_from_db()
    assert need.moderation == "pending"
    officer.post(f"/research/needs/{need.pk}/moderate/", {"decision": "reject", "note": "Trùng với nhu cầu đã đăng"})
    need.refresh_from_db()
    assert (need.moderation, need.published) == ("rejected", False)
    assert "Trùng với nhu cầu đã đăng" in client_for("applicant").get("/research/needs/post/").content.decode()


def test_bad_input_keeps_what_was_typed_and_stores_nothing(client_for, enterprise):
    response = client_for("applicant").post("/research/needs/post/", {**NEED, "organisation": enterprise.pk, "description": "Quá ngắn",
                                                                     "needed_by": "2020-01-01", "title": "Tiêu đề giữ lại"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tiêu đề giữ lại" in page and "Quá ngắn" in page and "30" in page and "Phòng R&amp;D" in page
    assert not Need.objects.exists()


def test_only_members_of_an_enterprise_post_and_only_for_their_own(client_for, users, enterprise):
    other = OrganisationFactory(kind="enterprise", name="Công ty khác")
    startup = OrganisationFactory(kind="startup")
    MembershipFactory(user=users["visitor"], organisation=startup)
    outsider = client_for("visitor")
    page = outsider.get("/research/needs/post/").content.decode()
    assert "thành viên của một doanh nghiệp" in page and 'name="title"' not in page
    assert outsider.post("/research/needs/post/", {"organisation": startup.pk, **NEED}).status_code == 403
    assert client_for("applicant").post("/research/needs/post/", {"organisation": other.pk, **NEED}).status_code == 400
    assert not Need.objects.exists()
    assert client_for("applicant").get("/research/needs/moderation/").status_code in (302, 403)
    staff_need = NeedFactory()
    assert staff_need.published and staff_need.moderation == "approved"  # a need staff publish is public at once


def test_needs_awaiting_moderation_are_a_staff_work_queue(client_for, users):
    from innohub.core.queues import counts_for, queues_for

    NeedFactory(title="Vật liệu lọc nước nhiễm mặn", moderation=Need.Moderation.PENDING, published=False)
    NeedFactory(title="Đã đăng từ trước", moderation=Need.Moderation.APPROVED, published=True)
    assert counts_for(users["officer"])["research.needs"] == 1
    page = client_for("officer").get("/backoffice/").content.decode()
    assert "Nhu cầu công nghệ chờ kiểm duyệt" in page and "Vật liệu lọc nước nhiễm mặn" in page and "Đã đăng từ trước" not in page
    for role in ("reviewer", "applicant"):
        assert "research.needs" not in [q.code for q in queues_for(users[role])]
