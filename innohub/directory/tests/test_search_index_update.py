"""The in-memory search index brought up to date in place (search_index.update): after any mix of
creations, renames, archives and restores, sector changes, verifications, registrations and
merges applied one by one, it answers exactly like the database path and like a fresh full build,
without being rebuilt; a write it cannot follow (a bulk update that leaves updated_at alone, seen by
the page cache) makes it rebuild in full instead, and is found too."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest
from django.utils import timezone

from innohub.directory import search_index, selectors, services
from innohub.directory.models import ChangeRequest, Organisation
from innohub.directory.tests.factories import OrganisationFactory
from innohub.directory.tests.test_search_index import COMMUNES, KINDS, STAGES, WORDS, sample  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

CHECKED = [
    selectors.SearchParams(),
    selectors.SearchParams(q="cong ty"),
    selectors.SearchParams(q="Sao Việt", sort="-founded"),
    selectors.SearchParams(q="rob", sort="verified"),
    selectors.SearchParams(q="khoi ngh", kind="startup"),
    selectors.SearchParams(q="trung tam", sort="-created"),
    selectors.SearchParams(q="benchword"),
    selectors.SearchParams(sector="ai", sort="-created"),
    selectors.SearchParams(commune="26740", verified=True),
    selectors.SearchParams(country="AU", sort="-founded"),
    selectors.SearchParams(stage="growth", sector="energy"),
    selectors.SearchParams(q="xanh", province="79", sort="verified"),
]


def _answer(index: search_index.DirectoryIndex, params: selectors.SearchParams) -> tuple:
    """What the in-memory path answers with this very index: ids in order, and facet counts."""
    terms = selectors.query_terms(params.q)
    matched = index.match(terms) if terms else None
    filters = index.filter_mask(params)
    mask = filters if matched is None else (matched if filters is None else matched & filters)
    facets = []
    for name in selectors.FACETS:
        m = index.filter_mask(params, without=name)
        if matched is not None:
            m = matched if m is None else m & matched
        facets.append(index.sector_counts(m, 30) if name == "sector" else index.value_counts(name, m, 30))
    return index.ordered_ids(mask, params.sort).tolist(), facets


def _facets(facets):
    return [(f.name, [(v.value, v.count) for v in f.values]) for f in facets]


def _check_equal_to_database_and_full_build(context: str) -> search_index.DirectoryIndex:
    held = search_index.get_index()
    fresh = search_index.build()
    for checked in CHECKED:
        params = dataclasses.replace(checked)  # a new request: SearchParams keeps its index and mask
        memory = [o.pk for o in selectors.organisation_search(user=None, params=params)]
        assert memory == list(selectors._search_queryset(params=params).values_list("pk", flat=True)), (context, params)
        assert _facets(selectors._facets_in_memory(params=params, language="vi", limit=30)) == _facets(
            selectors._facets_db(params=params, language="vi", limit=30)), (context, params)
        assert _answer(held, params) == _answer(fresh, params), (context, params)
    return held


def _name(rng: random.Random) -> str:
    return " ".join(rng.sample(WORDS, rng.randint(2, 4)))


@pytest.mark.parametrize("seed", [1, 2])
def test_changes_applied_one_by_one_answer_like_the_database_and_a_full_build(sample, users, seed):  # noqa: F811
    officer, applicant = users["officer"], users["applicant"]
    rng = random.Random(seed)
    orgs = list(sample)
    search_index.forget()
    assert search_index.get_index().updates == 0  # a full build
    operations = ["create", "rename", "archive", "restore", "sectors", "facets", "verify", "merge", "register", "decide"]
    for step in range(24):
        operation = operations[step % len(operations)] if step < len(operations) else rng.choice(operations)
        live = [o for o in orgs if o.archived_at is None and o.merged_into_id is None]
        org = rng.choice([o for o in live if not services.validate_organisation({}, instance=o)])  # an officer can save it
        if operation == "create":
            orgs.append(services.organisation_create(actor=officer, data={
                "kind": rng.choice(KINDS), "helix": "private", "name": f"{_name(rng)} Benchword{step}",
                "commune": rng.choice(COMMUNES[:-1]), "province": "79", "founded_on": rng.choice([None, dt.date(2015, 3, step + 1)]),
            }, sectors=rng.sample(["ai", "energy", "health", "edu"], rng.randint(0, 2)), verified=rng.random() < 0.5))
        elif operation == "rename":
            services.organisation_update(organisation=org, actor=officer, data={"name": _name(rng), "name_en": rng.choice(["", "Green Robotics"])})
        elif operation == "archive":
            services.organisation_archive(organisation=org, actor=officer)
        elif operation == "restore":
            archived = [o for o in orgs if o.archived_at is not None and o.merged_into_id is None]
            if archived:
                services.organisation_archive(organisation=rng.choice(archived), actor=officer, restore=True)
        elif operation == "sectors":
            services.organisation_update(organisation=org, actor=officer, data={}, sectors=rng.sample(["ai", "energy", "health", "agri", "chips"], rng.randint(0, 3)))
        elif operation == "facets":  # a value no organisation had: its place among the others comes from the database
            kind = rng.choice(KINDS)
            services.organisation_update(organisation=org, actor=officer, data={
                "kind": kind, "country": rng.choice(["VN", "AU", "JP", "DE"]), "stage": rng.choice(STAGES) if kind == "startup" else "",
                "founded_on": rng.choice([None, dt.date(2001, 1, 1), dt.date(2024, 5, 5)])})
        elif operation == "verify":
            unverified = [o for o in live if not o.verified]
            if unverified:
                services.organisation_verify(organisation=rng.choice(unverified), actor=officer)
        elif operation == "merge":
            keep, duplicate = rng.sample(live, 2)
            services.organisation_merge(keep=keep, duplicate=duplicate, actor=officer)
        elif operation == "register":  # a self-registration stays out of the public directory until approved
            change = services.organisation_register(actor=applicant, data={"name": f"{_name(rng)} Benchword{step}", "commune": COMMUNES[0], "province": "79"}, sectors=["ai"])
            orgs.append(change.organisation)
        elif operation == "decide":
            pending = ChangeRequest.objects.filter(kind=ChangeRequest.Kind.REGISTER, state=ChangeRequest.State.PENDING).first()
            if pending:
                services.change_request_decide(change=pending, actor=officer, approve=rng.random() < 0.5)
        for o in orgs:
            o.refresh_from_db()
        held = _check_equal_to_database_and_full_build(f"step {step}: {operation}")
        assert held.updates > 0, f"step {step}: {operation} rebuilt the index in full"


def test_a_change_that_committed_late_is_still_found(sample):  # noqa: F811
    """updated_at is set when a row is saved, before it commits: a row saved earlier than the latest
    one the index saw, but committed after, is looked at again (CHANGE_MARGIN)."""
    search_index.get_index()
    late = OrganisationFactory(name="Trung tâm Muộn Màng")
    Organisation.objects.filter(pk=late.pk).update(updated_at=timezone.now() - dt.timedelta(seconds=30))
    OrganisationFactory(name="Trung tâm Đúng Giờ")  # what the index saw last …
    search_index.get_index()
    held = search_index.get_index()
    assert [o.name for o in selectors.organisation_search(user=None, params=selectors.SearchParams(q="muon mang"))] == ["Trung tâm Muộn Màng"]
    assert held.updates > 0


def test_nothing_that_changes_what_the_index_holds_keeps_its_arrays(sample, users):  # noqa: F811
    """A write to people (no organisation changed) leaves the index's arrays as they are."""
    held = search_index.get_index()
    services.person_create(actor=users["officer"], full_name="Nguyễn Văn An")
    search_index.directory_changed()
    again = search_index.get_index()
    assert again is not held and again.updates == held.updates + 1 and again.ids is held.ids


def _verified_names(q: str) -> list[str]:
    return [o.name for o in selectors.organisation_search(user=None, params=selectors.SearchParams(q=q, verified=True))]


def test_a_bulk_update_that_leaves_updated_at_alone_is_seen_through_the_page_cache(sample, page_cache_on):  # noqa: F811
    org = OrganisationFactory(name="Công ty Lặng Lẽ", verified=False)
    search_index.forget()
    assert _verified_names("lang le") == []
    built = search_index.get_index()
    # when a bulk update changes a row without touching updated_at (nothing the update can find) …
    Organisation.objects.filter(pk=org.pk).update(verified=True)
    # … the next search rebuilds in full and finds it
    assert _verified_names("lang le") == ["Công ty Lặng Lẽ"]
    rebuilt = search_index.get_index()
    assert rebuilt is not built and rebuilt.updates == 0
    # a bulk update that sets updated_at is followed in place
    Organisation.objects.filter(pk=org.pk).update(verified=False, updated_at=timezone.now())
    assert _verified_names("lang le") == []
    assert search_index.get_index().updates == 1
    _check_equal_to_database_and_full_build("bulk updates")


def test_a_delete_and_a_sector_renamed_are_seen_through_the_page_cache(sample, page_cache_on):  # noqa: F811
    from innohub.directory.models import Sector

    doomed = OrganisationFactory(name="Công ty Tạm Thời")
    search_index.get_index()
    Organisation.objects.filter(pk=doomed.pk).delete()
    assert _verified_names("tam thoi") == [] and search_index.get_index().updates == 0
    Sector.objects.filter(code="ai").update(name="A Trí tuệ nhân tạo")  # ties between counts are ordered by name
    _check_equal_to_database_and_full_build("a sector renamed")
    assert search_index.get_index().updates == 0


def test_without_the_page_cache_a_bulk_update_is_found_once_its_row_is_saved(sample):  # noqa: F811
    """Without a shared cache the page cache is off: a bulk update that leaves updated_at alone is
    not seen until something saves the row (documented in docs/operations.md)."""
    org = OrganisationFactory(name="Công ty Lặng Lẽ", verified=False)
    assert _verified_names("lang le") == []
    Organisation.objects.filter(pk=org.pk).update(verified=True)
    org.refresh_from_db()
    org.save()
    assert _verified_names("lang le") == ["Công ty Lặng Lẽ"]
    assert search_index.get_index().updates > 0


def test_many_changes_at_once_are_each_placed_where_the_database_puts_them(users):
    """Forty renames, some to equal names, and ten new organisations between two searches: each
    takes its place in every sort order among 300 others (ties broken by id, as the database does)."""
    rng = random.Random(7)
    orgs = [OrganisationFactory(name=_name(rng), founded_on=rng.choice([None, dt.date(2010 + i % 14, 1, 1)]), verified=i % 3 == 0)
            for i in range(300)]
    search_index.get_index()
    for org in rng.sample(orgs, 40):
        services.organisation_update(organisation=org, actor=users["officer"], data={"name": rng.choice(["Công ty Robot Xanh", _name(rng)])})
    for i in range(10):
        OrganisationFactory(name=rng.choice(["Công ty Robot Xanh", _name(rng)]), founded_on=rng.choice([None, dt.date(2020, 1, i + 1)]))
    held = _check_equal_to_database_and_full_build("fifty changes at once")
    assert held.updates == 1 and held.live == 310
    for sort in selectors.SORTS:
        assert held.ordered_ids(None, sort).tolist() == list(
            selectors._search_queryset(params=selectors.SearchParams(sort=sort)).values_list("pk", flat=True)), sort
