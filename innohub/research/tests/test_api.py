"""Research over the API: the same operations and refusals as the pages."""

import datetime as dt

import pytest

from innohub.research import matching
from innohub.research.models import BudgetLine, Interest, Report
from innohub.research.tests.factories import NeedFactory, OfferFactory, TaskFactory, contracted_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    matching.forget()


def test_public_marketplace_search_without_diacritics(client):
    offer = OfferFactory(title="Băng gạc kháng khuẩn", summary="Nano vàng")
    OfferFactory(title="Cảm biến", summary="Ngập")
    data = client.get("/api/v1/research/offers", {"q": "bang gac"}).json()
    assert data["count"] == 1 and data["items"][0]["id"] == offer.pk
    need = NeedFactory(title="Cần băng gạc kháng khuẩn")
    assert client.get(f"/api/v1/research/needs/{need.pk}/matches").json()[0]["id"] == offer.pk
    assert client.get("/api/v1/research/needs", {"q": "bang gac"}).json()["count"] == 1


def test_staff_propose_step_budget_and_report(client_for):
    officer = client_for("officer")
    created = officer.post("/api/v1/research/tasks", {"code": "API-1", "title": "Nhiệm vụ"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["state"] == "proposed"
    task_id = created.json()["id"]
    assert "define" in officer.get(f"/api/v1/research/tasks/{task_id}/steps").json()
    task = TaskFactory(approved_total=100)
    over = officer.post(f"/api/v1/research/tasks/{task.pk}/budget-lines", {"source": "state", "year": 2026, "amount": 101},
                        content_type="application/json")
    assert over.status_code == 400 and not BudgetLine.objects.exists()
    contracted = contracted_task()
    late = officer.post(f"/api/v1/research/tasks/{contracted.pk}/reports", {"dated": "2027-01-05", "summary": "x"},
                        content_type="application/json")
    assert late.status_code == 400 and not Report.objects.exists()
    ok = officer.post(f"/api/v1/research/tasks/{contracted.pk}/reports", {"dated": dt.date(2026, 5, 1).isoformat(), "summary": "x"},
                      content_type="application/json")
    assert ok.status_code == 201


def test_interest_and_decline_over_the_api(client_for):
    offer = OfferFactory()
    applicant = client_for("applicant")
    assert applicant.post(f"/api/v1/research/offers/{offer.pk}/interest", {"message": "Quan tâm"}, content_type="application/json").status_code == 201
    assert applicant.post(f"/api/v1/research/offers/{offer.pk}/interest", {}, content_type="application/json").status_code == 400
    visitor = client_for("visitor")
    assert visitor.post(f"/api/v1/research/offers/{offer.pk}/decline", {"reason": "nope"}, content_type="application/json").status_code == 400
    assert visitor.post(f"/api/v1/research/offers/{offer.pk}/decline", {"reason": "benefit_unclear"}, content_type="application/json").status_code == 200
    assert Interest.objects.count() == 2


def test_nul_characters_are_dropped_not_stored(client_for):
    response = client_for("officer").post("/api/v1/research/tasks", {"code": "NUL-1", "title": "Tên\x00 nhiệm vụ"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["title"] == "Tên nhiệm vụ"
