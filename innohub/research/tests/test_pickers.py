"""Research's forms choose organisations through the directory's picker: a typed name, with or
without diacritics, resolved on the server; several matches shown again to choose from."""

import datetime as dt

import pytest
from django.utils import timezone

from innohub.directory.tests.factories import OrganisationFactory
from innohub.research.models import Regime, Task
from innohub.research.tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


def test_a_deals_buyer_typed_by_name_is_recorded(client_for):
    offer = OfferFactory()
    buyer = OrganisationFactory(kind="enterprise", name="Công ty Cổ phần Dược phẩm Phương Nam")
    response = client_for("officer").post(f"/research/offers/{offer.pk}/deal/",
                                          {"buyer_q": "duoc pham phuong nam", "spin_off_q": "", "kind": "licence", "signed_on": "2026-03-01"})
    assert response.status_code == 302
    assert offer.deals.get().buyer == buyer and offer.deals.get().signed_on == dt.date(2026, 3, 1)


def test_an_ambiguous_buyer_comes_back_on_the_offer_page_and_records_nothing(client_for):
    offer = OfferFactory()
    a = OrganisationFactory(kind="enterprise", name="Công ty Nhựa Bình Minh")
    b = OrganisationFactory(kind="enterprise", name="Công ty Nhựa Bình Dương")
    OrganisationFactory(kind="enterprise", name="Công ty Nhựa Bình An", archived_at=timezone.now())
    response = client_for("officer").post(f"/research/offers/{offer.pk}/deal/",
                                          {"buyer_q": "nhua binh", "kind": "licence", "signed_on": "2026-03-01", "value": "1.000.000"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nhiều tổ chức khớp với “nhua binh”" in page
    assert f'name="buyer" value="{a.pk}"' in page and f'name="buyer" value="{b.pk}"' in page
    assert "Công ty Nhựa Bình An" not in page  # archived: not offered
    assert 'value="1.000.000"' in page
    assert not offer.deals.exists()


def test_a_tasks_host_is_typed_on_the_proposal_form(client_for):
    host = OrganisationFactory(kind="academia", name="Viện Sinh học Nhiệt đới")
    response = client_for("officer").post("/research/tasks/new/", {
        "code": "NV-2030-01", "title": "Nghiên cứu giống lúa chịu mặn", "regime": Regime.LAW_2025, "host_q": "sinh hoc nhiet doi"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Task.objects.get(code="NV-2030-01").host == host
