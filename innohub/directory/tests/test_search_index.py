"""The in-memory search index: same results, order and facets as the database path, and reloaded
after every change to the directory (through a service, or a direct save seen by another app
server whose cache did not hear of it)."""

import datetime as dt
import random

import pytest
from django.core.cache import cache
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innohub.core.text import fold_diacritics
from innohub.directory import search_index, selectors, services
from innohub.directory.models import Organisation
from innohub.directory.tests.factories import OrganisationFactory, SectorFactory

pytestmark = pytest.mark.django_db

WORDS = ["Công ty", "Trung tâm", "Khởi nghiệp", "Sáng tạo", "Robot", "Sao Việt", "Mekong", "Sài Gòn", "Năng lượng",
         "Xanh", "Bán dẫn", "Y tế", "Số", "Đại Dương", "An Khang", "Cổ phần", "TNHH"]
COMMUNES = ["26740", "27139", "27169", "26842", "26929", "26884", None]  # today's wards; None: not placed
KINDS = Organisation.Kind.values
STAGES = ["", *Organisation.Stage.values]
SORTS = list(selectors.SORTS)


@pytest.fixture
def sample():
    """About 120 organisations with names drawn from a small vocabulary (so queries share words),
    every facet value, missing founding dates, equal names, archived and merged records."""
    rng = random.Random(3)
    sectors = [SectorFactory(code=c, name=n, name_en=e) for c, n, e in [
        ("ai", "Trí tuệ nhân tạo", "AI"), ("energy", "Năng lượng", "Energy"), ("health", "Y tế", "Health"),
        ("agri", "Nông nghiệp", "Agriculture"), ("edu", "Giáo dục", ""), ("chips", "Bán dẫn", "Semiconductors")]]
    orgs = []
    for i in range(120):
        name = " ".join(rng.sample(WORDS, rng.randint(2, 4))) if i % 17 else "Công ty Robot Xanh"  # some equal names
        orgs.append(OrganisationFactory(
            name=name, name_en=rng.choice(["", "Green Robotics", "Startup Center"]), kind=rng.choice(KINDS),
            stage=rng.choice(STAGES), commune_id=rng.choice(COMMUNES), province_id=rng.choice(["79", "79", "79", None]), country=rng.choice(["VN"] * 4 + ["AU", "SG"]),
            verified=rng.random() < 0.6, founded_on=rng.choice([None, dt.date(2010 + rng.randint(0, 14), 1 + rng.randint(0, 11), 1)]),
            tax_code=f"03{i:08d}" if rng.random() < 0.5 else "", with_sectors=rng.sample(sectors, rng.randint(0, 3)),
        ))
    for org in orgs[::11]:
        org.archived_at = timezone.now()
        org.save()
    orgs[5].merged_into, orgs[5].archived_at = orgs[6], timezone.now()
    orgs[5].save()
    return orgs


def _facets(facets):
    return [(f.name, [(v.value, v.label, v.count, v.selected) for v in f.values]) for f in facets]


def _word(draw_word: str, how: str) -> str:
    if how == "folded":
        return fold_diacritics(draw_word).lower()
    if how == "prefix":
        first = fold_diacritics(draw_word.split()[0]).lower()
        return first[: max(1, len(first) - 2)]
    return draw_word


query_strategy = st.lists(
    st.tuples(st.sampled_from([*WORDS, "0300000", "green", "startup cent", "zzz"]), st.sampled_from(["as is", "folded", "prefix"])),
    max_size=3,
).map(lambda parts: " ".join(_word(w, how) for w, how in parts))
params_strategy = st.builds(
    selectors.SearchParams,
    q=query_strategy,
    kind=st.sampled_from(["", *KINDS]),
    sector=st.sampled_from(["", "", "ai", "energy", "edu", "unknown"]),
    commune=st.sampled_from(["", "", *COMMUNES[:-1], "99999"]),
    province=st.sampled_from(["", "", "79", "01"]),
    country=st.sampled_from(["", "", "", "VN", "AU"]),
    stage=st.sampled_from(["", "", *Organisation.Stage.values]),
    verified=st.booleans(),
    sort=st.sampled_from(SORTS),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=params_strategy, language=st.sampled_from(["vi", "en"]))
def test_in_memory_results_order_and_facets_equal_the_database_path(sample, params, language):
    memory = selectors.organisation_search(user=None, params=params)
    database = selectors._search_queryset(params=params)
    assert [o.pk for o in memory] == list(database.values_list("pk", flat=True)), params
    in_memory = selectors._facets_in_memory(params=params, language=language, limit=30)
    assert _facets(in_memory) == _facets(selectors._facets_db(params=params, language=language, limit=30)), params


def test_results_behave_like_the_queryset_they_replace(sample):
    params = selectors.SearchParams(q="cong ty", sort="-founded")
    results = selectors.organisation_search(user=None, params=params)
    expected = list(selectors._search_queryset(params=params))
    assert results.count() == len(results) == len(expected) > 20
    assert results[3:9] == expected[3:9]
    assert results[0] == expected[0]
    assert list(results.iterator(chunk_size=7)) == expected
    assert results.exists()
    with pytest.raises(Organisation.MultipleObjectsReturned):
        results.get()
    with pytest.raises(Organisation.DoesNotExist):
        selectors.organisation_search(user=None, params=selectors.SearchParams(q="zzz")).get()


def _search(q, **filters):
    return [o.name for o in selectors.organisation_search(user=None, params=selectors.SearchParams(q=q, **filters))]


def _sector_counts(**filters):
    facets = selectors.organisation_facets(user=None, params=selectors.SearchParams(q="", **filters))
    return {v.value: v.count for f in facets if f.name == "sector" for v in f.values}


def test_index_is_reloaded_after_each_service_write(users):
    officer = users["officer"]
    ai = SectorFactory(code="ai", name="Trí tuệ nhân tạo")
    org = services.organisation_create(actor=officer, data={"kind": "startup", "helix": "private", "name": "Công ty Sao Mai"})
    assert _search("sao mai") == ["Công ty Sao Mai"]  # the index is loaded here
    loaded = search_index.get_index()

    services.organisation_update(organisation=org, actor=officer, data={"name": "Công ty Bình Minh"})
    assert _search("sao mai") == []
    assert _search("binh min") == ["Công ty Bình Minh"]
    assert search_index.get_index() is not loaded

    services.organisation_update(organisation=org, actor=officer, data={}, sectors=["ai"])  # sectors only
    assert _sector_counts(commune="", kind="startup") == {"ai": 1}
    assert _search("", sector=ai.code) == ["Công ty Bình Minh"]

    services.organisation_archive(organisation=org, actor=officer)
    assert _search("binh minh") == []
    services.organisation_archive(organisation=org, actor=officer, restore=True)
    assert _search("binh minh") == ["Công ty Bình Minh"]


def test_another_app_server_notices_a_write_its_cache_did_not_hear_of(users):
    """Servers with a local-memory cache do not see each other's version bumps; the table's
    fingerprint (largest id, latest updated_at) still changes with every write."""
    officer = users["officer"]
    SectorFactory(code="ai", name="Trí tuệ nhân tạo")
    org = services.organisation_create(actor=officer, data={"kind": "startup", "helix": "private", "name": "Công ty Sao Mai"})
    assert _sector_counts(kind="startup") == {}  # a filter: the unfiltered browse's facets are cached apart
    version = cache.get(search_index.VERSION_KEY)

    services.organisation_update(organisation=org, actor=officer, data={}, sectors=["ai"])
    cache.set(search_index.VERSION_KEY, version, None)  # as if this server had not heard of the write
    assert _sector_counts(kind="startup") == {"ai": 1}

    Organisation.objects.filter(pk=org.pk).get().save()  # a direct save, no service
    OrganisationFactory(name="Trung tâm Khởi nghiệp")
    cache.set(search_index.VERSION_KEY, version, None)
    assert _search("khoi nghiep") == ["Trung tâm Khởi nghiệp"]


def test_an_empty_directory_searches_and_counts_nothing():
    search_index.forget()
    assert _search("robot") == []
    assert _search("") == []
    assert all(not f.values for f in selectors.organisation_facets(user=None, params=selectors.SearchParams(q="robot")))
