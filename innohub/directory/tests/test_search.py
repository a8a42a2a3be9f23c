"""Public search: diacritics optional, word prefixes, facets, sorting, paging, no N+1."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innohub.directory import search_index, selectors
from innohub.directory.models import Organisation
from innohub.directory.tests.factories import OrganisationFactory, SectorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub():
    return OrganisationFactory(name="Trung tâm Khởi nghiệp sáng tạo TP.HCM", short_name="Startup Center",
                               kind=Organisation.Kind.SUPPORT, stage="", slug="startup-center", commune_id="26740")


def _names(q, **filters):
    params = selectors.SearchParams(q=q, **filters)
    return [o.name for o in selectors.organisation_search(user=None, params=params)]


@pytest.mark.parametrize("query", [
    "Trung tâm Khởi nghiệp", "trung tam khoi nghiep", "TRUNG TAM KHOI NGHIEP", "khoi ngh", "Khởi",
    "trung tâm khoi", "startup cent", "Trung tâm Khởi nghiệp",  # the last one is NFD
])
def test_finds_the_startup_center_with_or_without_diacritics_and_from_partial_words(hub, query):
    import unicodedata

    OrganisationFactory(name="Công ty TNHH Nông nghiệp Sao Việt")
    assert _names(unicodedata.normalize("NFD", query) if query.endswith("nghiệp") else query) == [hub.name]


def test_every_word_must_match(hub):
    assert _names("trung tam robot") == []


def test_tax_code_prefix_finds_the_organisation():
    org = OrganisationFactory(tax_code="0312345678")
    assert _names("031234") == [org.name]


def test_archived_and_merged_records_are_not_listed(hub):
    hub.archived_at = hub.created_at
    hub.save()
    assert _names("khoi nghiep") == []


def test_facets_count_results_and_ignore_their_own_filter(hub):
    ai = SectorFactory(code="ai", name="Trí tuệ nhân tạo")
    OrganisationFactory(name="Công ty AI Khởi Nguyên", commune_id="27139", with_sectors=[ai])
    OrganisationFactory(name="Công ty AI Sao Mai", commune_id="27139", stage=Organisation.Stage.GROWTH, with_sectors=[ai])
    params = selectors.SearchParams(q="", commune="27139")  # Phường Xuân Hòa (former Quận 3)
    facet_list = selectors.organisation_facets(user=None, params=params)
    facets = {f.name: {v.value: v.count for v in f.values} for f in facet_list}
    assert facets["commune"] == {"27139": 2, "26740": 1}  # its own filter is ignored
    labels = {v.value: v.label for f in facet_list if f.name == "commune" for v in f.values}
    assert labels == {"27139": "Phường Xuân Hòa", "26740": "Phường Sài Gòn"}
    assert facets["province"] == {"79": 2}
    assert facets["kind"] == {"startup": 2}
    assert facets["sector"] == {"ai": 2}
    assert facets["stage"] == {"incubation": 1, "growth": 1}


def test_sorting_by_founding_date():
    import datetime as dt

    OrganisationFactory(name="A cũ", founded_on=dt.date(2015, 1, 1))
    OrganisationFactory(name="B mới", founded_on=dt.date(2024, 1, 1))
    assert _names("", sort="-founded")[:2] == ["B mới", "A cũ"]
    assert _names("", sort="name")[:2] == ["A cũ", "B mới"]


def test_page_shows_results_facets_and_paging(client, hub):
    for i in range(25):
        OrganisationFactory(name=f"Công ty Khởi nghiệp Xanh {i:02d}")
    response = client.get("/directory/", {"q": "khoi nghiep", "page": 2})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Trang 2 / 2" in body or "2 / 2" in body
    assert 'aria-current="page"' in body
    english = client.get("/en/directory/", {"q": "trung tam khoi nghiep"}).content.decode()
    assert "Trung tâm Khởi nghiệp sáng tạo TP.HCM" in english


def test_list_page_query_count_does_not_grow_with_results(client):
    sector = SectorFactory(code="energy")
    OrganisationFactory.create_batch(3, with_sectors=[sector])
    search_index.get_index()  # the page's own queries: the index's update is counted in bench/
    with CaptureQueriesContext(connection) as few:
        assert client.get("/directory/", {"q": "cong ty"}).status_code == 200
    OrganisationFactory.create_batch(15, with_sectors=[sector])
    search_index.get_index()
    with CaptureQueriesContext(connection) as many:
        assert client.get("/directory/", {"q": "cong ty"}).status_code == 200
    assert len(many) == len(few)
    assert len(many) <= 12


def test_profile_query_count_is_bounded(client, hub):
    from innohub.directory.tests.factories import PositionFactory, RelationFactory

    PositionFactory.create_batch(5, organisation=hub)
    for _ in range(5):
        RelationFactory(target=hub)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/directory/{hub.slug}/")
    assert response.status_code == 200
    assert len(ctx) <= 12


def test_open_data_csv_and_json_list_public_records_without_phone_numbers(client, hub):
    import json

    hub.phone = "0909123456"
    hub.save()
    csv_body = b"".join(client.get("/directory/open-data.csv").streaming_content).decode("utf-8-sig")
    assert csv_body.splitlines()[0].startswith("slug,name,")
    assert "Trung tâm Khởi nghiệp" in csv_body and "0909123456" not in csv_body
    data = json.loads(b"".join(client.get("/directory/open-data.json", {"q": "khoi"}).streaming_content))
    assert [d["slug"] for d in data] == ["startup-center"]
    assert client.get("/directory/open-data.xml").status_code == 404
