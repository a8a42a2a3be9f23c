"""With background refresh (production's setting), no search waits for the index to be rebuilt:
a process without an index answers from the database, a write is answered from the index of the
moment before it until the rebuild beside has finished, then found."""

import pytest

from innohub.directory import search_index, selectors, services
from innohub.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)  # the rebuild runs in its own thread and connection


def _found(q: str) -> list[str]:
    params = selectors.SearchParams(q=q)
    return [o.name for o in selectors.organisation_search(user=None, params=params)[:20]]


@pytest.fixture
def background(settings):
    settings.DIRECTORY_INDEX_BACKGROUND_REFRESH = True
    search_index.forget()
    yield
    search_index.wait_for_refresh()
    search_index.forget()


def test_a_cold_process_answers_from_the_database_while_its_index_is_built(background):
    OrganisationFactory(name="Công ty Robot Mekong")
    assert search_index.current() is None
    assert _found("robot mekong") == ["Công ty Robot Mekong"]  # the database path, no wait
    search_index.wait_for_refresh()
    assert search_index.current() is not None and selectors.in_memory_search()
    assert _found("robot mekong") == ["Công ty Robot Mekong"]


def test_a_write_is_found_once_the_rebuild_beside_the_searches_ends(background, users):
    OrganisationFactory(name="Công ty Robot Mekong")
    selectors.in_memory_search()
    search_index.wait_for_refresh()
    before = search_index.current()
    services.organisation_create(actor=users["officer"], data={
        "kind": "startup", "helix": "private", "name": "Trung tâm Bán dẫn Sao Việt", "province": "79"})
    # the first search after the write does not wait: it answers from the index it has …
    assert _found("ban dan sao viet") in ([], ["Trung tâm Bán dẫn Sao Việt"])
    # … and the refresh started beside it finds the new organisation, by an update in place
    search_index.wait_for_refresh()
    assert search_index.current() is not before and search_index.current().updates > 0
    assert _found("ban dan sao viet") == ["Trung tâm Bán dẫn Sao Việt"]
