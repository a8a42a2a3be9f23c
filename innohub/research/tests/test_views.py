"""Pages of research: what officers, council members and companies see and do, by clicking."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from innohub.activity.models import Event
from innohub.research import matching, services
from innohub.research.models import BudgetLine, Interest, Report, Task
from innohub.research.tests.factories import (
    PDF,
    NeedFactory,
    OfferFactory,
    TaskFactory,
    contracted_task,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    matching.forget()


def test_the_staff_navigation_leads_to_the_tasks_and_a_task_page(client_for):
    task = TaskFactory(title="Cảm biến áp suất SiC")
    officer = client_for("officer")
    home = officer.get("/backoffice/", follow=True).content.decode()
    assert "/research/tasks/" in home
    listing = officer.get("/research/tasks/").content.decode()
    assert "Cảm biến áp suất SiC" in listing
    page = officer.get(f"/research/tasks/{task.pk}/").content.decode()
    assert "Đề xuất đặt hàng" in page and "Xác định nhiệm vụ" in page  # the stage and the step offered


def test_an_officer_proposes_a_task_and_takes_a_step(client_for):
    officer = client_for("officer")
    response = officer.post("/research/tasks/new/", {"code": "NV-9", "title": "Nghiên cứu AI", "regime": "2025"})
    task = Task.objects.get(code="NV-9")
    assert response.status_code == 302
    officer.post(f"/research/tasks/{task.pk}/step-define/")
    task.refresh_from_db()
    assert task.state == "defined"


def test_a_refused_proposal_keeps_what_was_typed(client_for):
    TaskFactory(code="NV-1")
    response = client_for("officer").post("/research/tasks/new/", {"code": "NV-1", "title": "Tên giữ nguyên", "regime": "2025"})
    assert response.status_code == 400
    assert "Tên giữ nguyên" in response.content.decode() and Task.objects.count() == 1


def test_a_budget_line_over_the_total_shows_the_error_and_adds_nothing(client_for):
    task = TaskFactory(approved_total=100_000_000)
    officer = client_for("officer")
    response = officer.post(f"/research/tasks/{task.pk}/budget/", {"source": "state", "year": 2026, "amount": "200.000.000"}, follow=True)
    assert "vượt tổng kinh phí được phê duyệt" in response.content.decode() or "over the approved total" in response.content.decode()
    assert not BudgetLine.objects.exists()


def test_a_late_report_is_refused_on_the_page(client_for):
    task = contracted_task()
    response = client_for("officer").post(f"/research/tasks/{task.pk}/report/",
                                          {"kind": "periodic", "dated": "2027-02-01", "summary": "Trễ"}, follow=True)
    assert "31/12/2026" in response.content.decode()
    assert not Report.objects.exists()


def test_minutes_are_attached_on_the_page_and_acceptance_follows(client_for, users, make_user):
    task = TaskFactory(state="acceptance_council")
    council = services.council_create(task=task, kind="acceptance", actor=users["officer"])
    expert = make_user(role="reviewer")
    services.council_member_add(council=council, user=expert, actor=users["officer"])
    services.council_score_submit(council=council, actor=expert, scores={"products": 8, "quality": 8, "application": 8})
    manager = client_for("manager")
    refused = manager.post(f"/research/tasks/{task.pk}/step-accept/", follow=True).content.decode()
    assert "biên bản" in refused.lower() or "minutes" in refused
    manager.post(f"/research/tasks/{task.pk}/minutes-{council.pk}/", {"minutes": SimpleUploadedFile("bb.pdf", PDF)})
    manager.post(f"/research/tasks/{task.pk}/step-accept/")
    task.refresh_from_db()
    assert task.state == "accepted"


def test_a_council_member_scores_on_their_page(client, users, make_user):
    task = TaskFactory(state="selection_council")
    council = services.council_create(task=task, kind="selection", actor=users["officer"])
    expert = make_user(role="reviewer")
    services.council_member_add(council=council, user=expert, actor=users["officer"])
    client.force_login(expert)
    assert f"/research/councils/{council.pk}/" in client.get("/research/councils/").content.decode()
    bad = client.post(f"/research/councils/{council.pk}/", {"score_objectives": 11, "score_method": 8, "score_team": 8, "score_budget": 8})
    assert bad.status_code == 400 and not council.scores.exists()
    client.post(f"/research/councils/{council.pk}/", {"score_objectives": 9, "score_method": 8, "score_team": 8, "score_budget": 8})
    assert council.scores.get().total is not None
    # a member of no council is refused another's council
    other = make_user(role="reviewer")
    client.force_login(other)
    assert client.get(f"/research/councils/{council.pk}/").status_code == 403


def test_the_marketplace_search_without_diacritics_and_interest(client, users):
    offer = OfferFactory(title="Băng gạc kháng khuẩn nano vàng", summary="Vật tư y tế kháng khuẩn")
    OfferFactory(title="Cảm biến áp suất", summary="Ngập lụt")
    NeedFactory(title="Cần băng gạc kháng khuẩn", description="Bệnh viện")
    page = client.get("/research/", {"q": "bang gac khang khuan"}).content.decode()
    assert "Băng gạc kháng khuẩn nano vàng" in page and "Cảm biến áp suất" not in page
    detail = client.get(f"/research/offers/{offer.pk}/").content.decode()
    assert "Cần băng gạc kháng khuẩn" in detail  # the matched need
    assert client.post(f"/research/offers/{offer.pk}/interest/", {"message": "x"}).status_code == 302  # to log in
    assert not Interest.objects.exists()
    client.force_login(users["applicant"])
    client.post(f"/research/offers/{offer.pk}/interest/", {"message": "Chúng tôi quan tâm"})
    assert Interest.objects.get().state == "expressed"
    assert Event.objects.filter(action="interest.expressed").exists()


def test_a_decline_needs_a_reason(client, users):
    offer = OfferFactory()
    client.force_login(users["applicant"])
    assert client.post(f"/research/offers/{offer.pk}/decline/", {"reason": ""}).status_code == 400
    client.post(f"/research/offers/{offer.pk}/decline/", {"reason": "route_unclear"})
    assert Interest.objects.get().decline_reason == "route_unclear"


def test_needs_list_and_pipeline_and_export(client, client_for):
    NeedFactory(title="Cần cảm biến ngập")
    assert "Cần cảm biến ngập" in client.get("/research/needs/", {"q": "cam bien"}).content.decode()
    task = contracted_task()
    Task.objects.filter(pk=task.pk).update(state="accepted")
    officer = client_for("officer")
    assert task.host.name in officer.get("/research/pipeline/").content.decode()
    export = officer.get("/research/tasks/results.xlsx")
    assert export.status_code == 200 and export["Content-Disposition"].endswith('.xlsx"')
    assert officer.get("/research/deals/").status_code == 200


def test_an_officer_records_a_deal_on_the_offer_page(client_for):
    from innohub.directory.tests.factories import OrganisationFactory

    offer = OfferFactory()
    buyer = OrganisationFactory(kind="enterprise")
    client_for("officer").post(f"/research/offers/{offer.pk}/deal/", {"buyer": buyer.pk, "kind": "licence", "signed_on": "2026-03-01", "value": "500.000.000"})
    assert offer.deals.get().value == 500_000_000
    assert dt.date(2026, 3, 1) == offer.deals.get().signed_on


def test_staff_offer_a_technology_publish_a_need_and_follow_up_a_deal(client_for):
    from innohub.directory.tests.factories import OrganisationFactory

    institute, company = OrganisationFactory(kind="academia"), OrganisationFactory(kind="enterprise")
    officer = client_for("officer")
    assert "/research/offers/new/" in officer.get("/research/tasks/").content.decode()
    officer.post("/research/offers/new/", {"organisation": institute.pk, "title": "Quy trình nano vàng", "summary": "Tóm tắt",
                                          "ip_status": "filed", "trl": "5"})
    officer.post("/research/needs/new/", {"organisation": company.pk, "title": "Cần quy trình nano", "description": "Mô tả"})
    from innohub.research.models import Need, Offer

    offer = Offer.objects.get(title="Quy trình nano vàng")
    assert offer.trl == 5 and Need.objects.filter(title="Cần quy trình nano").exists()
    officer.post(f"/research/offers/{offer.pk}/deal/", {"buyer": company.pk, "kind": "licence", "signed_on": "2026-03-01"})
    deal = offer.deals.get()
    officer.post(f"/research/deals/{deal.pk}/follow-up/", {"in_production": "on", "revenue": "120.000.000", "jobs": "5"})
    deal.refresh_from_db()
    assert deal.in_production and deal.revenue == 120_000_000 and deal.jobs == 5
    assert "120.000.000" in officer.get("/research/deals/").content.decode()


def test_a_refused_report_keeps_what_was_typed(client_for):
    task = contracted_task()
    response = client_for("officer").post(f"/research/tasks/{task.pk}/report/",
                                          {"kind": "periodic", "dated": "2027-02-01", "summary": "Nội dung giữ lại"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nội dung giữ lại" in page and "31/12/2026" in page
