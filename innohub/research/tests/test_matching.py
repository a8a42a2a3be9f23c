"""The marketplace's search and matching use the Q&A's Vietnamese-aware retrieval: typed
without diacritics, a search finds the accented offer; a need is matched with the offer."""

import pytest

from innohub.research import matching, selectors
from innohub.research.tests.factories import NeedFactory, OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    matching.forget()
    yield
    matching.forget()


def _market():
    dressing = OfferFactory(title="Băng gạc kháng khuẩn nano vàng", summary="Băng dán vết thương kháng khuẩn trên nền Polyurethane")
    sensor = OfferFactory(title="Cảm biến áp suất SiC", summary="Quan trắc ngập lụt đô thị trực tuyến")
    return dressing, sensor


def test_a_search_typed_without_diacritics_finds_the_offer():
    dressing, sensor = _market()
    assert list(selectors.offers_public(user=None, query="bang gac khang khuan")) == [dressing]
    assert list(selectors.offers_public(user=None, query="cam bien ngap"))[0] == sensor


def test_a_search_with_diacritics_finds_it_too():
    dressing, _sensor = _market()
    assert list(selectors.offers_public(user=None, query="kháng khuẩn"))[0] == dressing


def test_a_need_is_matched_with_the_offer_that_answers_it():
    dressing, _sensor = _market()
    need = NeedFactory(title="Cần công nghệ băng gạc kháng khuẩn cho bệnh viện", description="Sản xuất vật tư y tế trong nước")
    assert list(selectors.matched_offers(user=None, need=need))[0] == dressing
    assert need in list(selectors.matched_needs(user=None, offer=dressing))


def test_a_new_offer_is_searchable_at_once(users):
    from innohub.directory.tests.factories import OrganisationFactory
    from innohub.research import services

    _market()
    assert not list(selectors.offers_public(user=None, query="robot"))
    services.offer_create(actor=users["officer"], organisation=OrganisationFactory(), title="Robot hái nấm", summary="Thị giác máy tính")
    assert len(list(selectors.offers_public(user=None, query="robot hai nam"))) == 1
