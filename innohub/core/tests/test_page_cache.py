"""The public page cache (innohub/core/page_cache.py): an anonymous visitor's second look at a page is
answered from the cache, and a write that changes what the page shows is seen on the very next
request, whatever made the write (a service, a bulk update); a signed-in user is never answered
from it, each visitor gets their own CSRF token, and a page built from an index older than the
database is not kept. Runs on both databases (the suite's two runs)."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from innohub.core import page_cache
from innohub.directory.models import Organisation
from innohub.directory.services import organisation_update
from innohub.directory.tests.factories import OrganisationFactory
from innohub.programs.services.ceilings import ceiling_set
from innohub.programs.tests.factories import programme
from innohub.qa.models import Answer
from innohub.qa.tests.factories import AnswerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _get(client: Client, url: str, **extra) -> tuple[str, str]:
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response.headers.get(page_cache.HEADER, ""), response.content.decode()


def _api(client: Client, url: str) -> list[dict]:
    return json.loads(_get(client, url)[1])["items"]


def test_a_directory_search_is_cached_and_a_write_is_found_on_the_next_request(client, users):
    # given a public search seen once
    org = OrganisationFactory(name="Trung tâm Sao Khuê", slug="sao-khue")
    assert _get(client, "/directory/?q=sao+khue")[0] == "miss"
    state, page = _get(client, "/directory/?q=sao+khue")
    assert (state, "Trung tâm Sao Khuê" in page) == ("hit", True)
    # when an officer renames it
    organisation_update(organisation=org, actor=users["officer"], data={"name": "Trung tâm Sao Khuê Mới"})
    # then the very next search shows the new name, and is cached again
    state, page = _get(client, "/directory/?q=sao+khue")
    assert (state, "Trung tâm Sao Khuê Mới" in page) == ("miss", True)
    assert _get(client, "/directory/?q=sao+khue")[0] == "hit"


def test_a_bulk_update_outside_any_service_invalidates_too(client):
    OrganisationFactory(name="Viện Hoa Sen", slug="hoa-sen")
    _get(client, "/api/v1/directory/organisations?q=hoa+sen")
    state, body = _get(client, "/api/v1/directory/organisations?q=hoa+sen")
    assert state == "hit" and [o["name"] for o in json.loads(body)["items"]] == ["Viện Hoa Sen"]
    # (the search index notices a write by the rows' updated_at; the page cache by the statement)
    Organisation.objects.filter(slug="hoa-sen").update(archived_at=timezone.now(), updated_at=timezone.now())
    state, body = _get(client, "/api/v1/directory/organisations?q=hoa+sen")
    assert state == "miss" and json.loads(body)["count"] == 0


def test_a_new_ceiling_is_on_the_home_page_at_once(client, users):
    # the budget a visitor reads is never an old one
    incubation = programme("incubation")
    ceiling_set(programme=incubation, year=timezone.localdate().year, amount=95_000_000, actor=users["administrator"])
    _get(client, "/")
    state, page = _get(client, "/")
    assert state == "hit" and "95.000.000" in page
    ceiling_set(programme=incubation, year=timezone.localdate().year, amount=120_000_000, actor=users["administrator"])
    state, page = _get(client, "/")
    assert state == "miss" and "120.000.000" in page and "95.000.000" not in page


def test_a_published_answer_appears_and_a_withdrawn_one_goes_at_once(client):
    assert "Vườn ươm" not in _get(client, "/qa/?q=vuon+uom")[1]
    assert _get(client, "/qa/?q=vuon+uom")[0] == "hit"
    answer = AnswerFactory(published_question="Vườn ươm công nghệ được hỗ trợ gì?")
    assert "Vườn ươm công nghệ được hỗ trợ gì?" in _get(client, "/qa/?q=vuon+uom")[1]
    assert [a["question"] for a in _api(client, "/api/v1/qa/answers?q=vuon+uom")] == ["Vườn ươm công nghệ được hỗ trợ gì?"]
    Answer.objects.filter(pk=answer.pk).update(published_at=None)
    Answer.objects.filter(pk=answer.pk).delete()
    assert "Vườn ươm công nghệ" not in _get(client, "/qa/?q=vuon+uom")[1]
    assert _api(client, "/api/v1/qa/answers?q=vuon+uom") == []


def test_each_visitor_gets_a_csrf_token_of_their_own_that_works(users):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/")
    response = second.get("/")
    assert response.headers[page_cache.HEADER] == "hit"
    tokens = CSRF.findall(response.content.decode())
    assert tokens and page_cache.CSRF_PLACEHOLDER not in response.content.decode()
    assert second.cookies["csrftoken"].value != first.cookies["csrftoken"].value
    # the cached page's token goes with this visitor's own cookie: the language switch accepts it
    switched = second.post("/i18n/setlang/", {"csrfmiddlewaretoken": tokens[0], "language": "en", "next": "/"})
    assert switched.status_code == 302
    # and a token from someone else's page does not
    stranger = Client(enforce_csrf_checks=True)
    stranger.get("/qa/")
    assert stranger.post("/i18n/setlang/", {"csrfmiddlewaretoken": tokens[0], "language": "en"}).status_code == 403


def test_signed_in_users_and_visitors_with_a_session_are_never_answered_from_the_cache(client, client_for):
    _get(client, "/directory/")
    assert _get(client, "/directory/")[0] == "hit"
    officer = client_for("officer")
    response = officer.get("/directory/")
    assert response.status_code == 200 and page_cache.HEADER not in response.headers
    assert page_cache.HEADER not in client.get("/directory/", HTTP_AUTHORIZATION="Bearer x").headers


def test_the_languages_are_cached_apart(client):
    assert 'lang="vi"' in _get(client, "/directory/")[1]
    state, page = _get(client, "/en/directory/")
    assert state == "miss" and 'lang="en"' in page


def test_a_page_built_from_an_index_older_than_the_database_is_not_kept(client, settings):
    """With background refresh, the request that sees a write is answered from the index held
    while a rebuild runs beside it: that answer is given but not stored."""
    from innohub.directory import search_index

    settings.DIRECTORY_INDEX_BACKGROUND_REFRESH = True
    OrganisationFactory(name="Công ty Ngân Hà", slug="ngan-ha")
    holder = search_index._refreshed  # the process's index
    holder.forget()
    holder.get()  # held now, with the first one
    OrganisationFactory(name="Công ty Ngân Hà Hai", slug="ngan-ha-2")
    search_index.directory_changed()
    assert holder._refreshing.acquire(blocking=False)  # as if a rebuild were running beside
    try:
        state, page = _get(client, "/directory/?q=ngan+ha")
    finally:
        holder._refreshing.release()
    assert (state, "Công ty Ngân Hà Hai" in page) == ("miss", False)
    assert cache.get(page_cache._page_key(_request("/directory/?q=ngan+ha"))) is None
    # once the index is current, the page shows the new one and is kept
    settings.DIRECTORY_INDEX_BACKGROUND_REFRESH = False
    state, page = _get(client, "/directory/?q=ngan+ha")
    assert (state, "Công ty Ngân Hà Hai" in page) == ("miss", True)
    assert _get(client, "/directory/?q=ngan+ha")[0] == "hit"
    holder.forget()


def _request(url: str):
    from django.test import RequestFactory

    request = RequestFactory().get(url)
    request.LANGUAGE_CODE = "vi"
    return request


def test_writes_and_reads_are_told_by_table():
    assert page_cache._label_of(Organisation._meta.db_table) == "directory"
    assert page_cache.WRITE.match('UPDATE "directory_organisation" SET "name" = %s').group(1) == "directory_organisation"
    assert page_cache.WRITE.match('INSERT INTO "qa_answer" ("id") VALUES (1)').group(1) == "qa_answer"
    assert page_cache.WRITE.match('DELETE FROM "qa_answer" WHERE 1').group(1) == "qa_answer"
    assert set(page_cache.READ.findall('SELECT 1 FROM "a" INNER JOIN "b" ON 1 WHERE x IN (SELECT 1 FROM "c")')) == {"a", "b", "c"}


def test_every_cached_view_named_by_an_app_is_a_public_page_that_exists():
    """A misspelt name would leave its page uncached without a word; a staff page must never be named."""
    from django.urls import resolve, reverse

    from innohub.core import registry

    names = registry.cached_views()
    assert {"portal:home", "directory:list", "qa:faq", "indicators:home", "api-1:list_organisations", "api-1:list_answers"} <= names
    for name in names:
        match = resolve(reverse(name))
        assert match.view_name == name
        if not name.startswith("api-1:"):
            assert getattr(match.func, "public", False), name


def test_data_kept_outside_the_database_and_a_changed_setting_invalidate_too(client, settings):
    """The Q&A's passage vectors are files a worker writes (qa.search.embed says so); a setting
    changed while running (the tests' override_settings) may show on any page."""
    _get(client, "/qa/?q=vuon+uom")
    assert _get(client, "/qa/?q=vuon+uom")[0] == "hit"
    page_cache.data_changed("qa")
    assert _get(client, "/qa/?q=vuon+uom")[0] == "miss"
    assert _get(client, "/qa/?q=vuon+uom")[0] == "hit"
    settings.SOURCE_CODE_URL = "https://git.example.vn/sokhcn/innohub"
    state, page = _get(client, "/qa/?q=vuon+uom")
    assert state == "miss" and 'href="https://git.example.vn/sokhcn/innohub"' in page
