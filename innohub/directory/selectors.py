"""Reads on the directory: public search with facets, profiles, staff lists, likely duplicates.

Search folds the query the way the index was folded (core.text.search_key), so "trung tam
khoi nghiep", "Trung tâm Khởi nghiệp" and "khoi ngh" meet the same tokens. Each query word
must be the prefix of one of the organisation's tokens; each becomes a range scan on the
`SearchToken` index (see models), intersected by the database.

The public search and its facets are answered from an in-memory copy of that index and of the
facet columns (see search_index): the database then only fetches the page's rows. The database
path below stays for the staff lists (which see archived records too) and as the reference
the in-memory one is tested against.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Length, Substr

from innohub.core.i18n import in_language
from innohub.core.permissions import user_has_role
from innohub.core.text import search_key, tokenize
from innohub.directory import search_index
from innohub.directory.models import (
    TOKEN_LENGTH,
    ChangeRequest,
    Organisation,
    Position,
    Relation,
    SearchToken,
    Sector,
    name_key,
)
from innohub.directory.permissions import MANAGE_DIRECTORY, REGISTER_ORGANISATION

SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name", "id"),
    "-founded": ("-founded_on", "name", "id"),
    "-created": ("-created_at", "-id"),
    "verified": ("-verified", "name", "id"),
}
FACETS = ("kind", "sector", "province", "commune", "country", "stage")
FACET_FIELDS = {"province": "province_id", "commune": "commune_id"}  # codes of the 2025 units
MAX_QUERY_TERMS = 8
ID_LIST_LIMIT = 5000  # ids passed to the database as a list; beyond that, subqueries
ID_FETCH_LIMIT = 20_000  # a posting list longer than this is not fetched into Python
ID_CHECK_LIMIT = 5000  # candidates few enough to check each further term against


def query_terms(q: str) -> list[str]:
    """The folded words of a query; one-letter words are dropped when longer ones exist."""
    terms = list(dict.fromkeys(t[:TOKEN_LENGTH] for t in tokenize(search_key(q or ""))))
    longer = [t for t in terms if len(t) > 1]
    return (longer or terms)[:MAX_QUERY_TERMS]


def _token_range(term: str) -> QuerySet:
    return SearchToken.objects.filter(token__gte=term, token__lt=search_index.next_prefix(term))


def _token_filter(terms: list[str]) -> Q:
    """Organisations having, for every term, a token starting with it.

    Each term's posting list is counted (an index range, cheap); the rarest is fetched, and
    the others only checked against the candidates left, so the database ends up with a short
    list of ids. When even the rarest term is common (a broad query such as "cong ty"), the
    filter is left to the database as one subquery per term.
    """
    counts = {term: _token_range(term).count() for term in terms}
    order = sorted(terms, key=counts.__getitem__)
    if counts[order[0]] == 0:
        return Q(pk__in=[])
    if counts[order[0]] > ID_FETCH_LIMIT:
        return _token_subqueries(terms)
    ids = set(_token_range(order[0]).values_list("organisation_id", flat=True))
    for term in order[1:]:
        if len(ids) <= ID_CHECK_LIMIT:
            found = set(_token_range(term).filter(organisation_id__in=ids).values_list("organisation_id", flat=True))
        elif counts[term] <= ID_FETCH_LIMIT:
            found = set(_token_range(term).values_list("organisation_id", flat=True))
        else:
            break  # the remaining terms are common: checked by the database below
        ids &= found
        if not ids:
            return Q(pk__in=[])
    q = Q(pk__in=sorted(ids)) if len(ids) <= ID_LIST_LIMIT else Q()
    for term in order[1:]:
        if len(ids) > ID_CHECK_LIMIT and counts[term] > ID_FETCH_LIMIT:
            q &= Q(pk__in=_token_range(term).values("organisation_id"))
    if len(ids) > ID_LIST_LIMIT:
        return _token_subqueries(terms)
    return q


def _token_subqueries(terms: list[str]) -> Q:
    q = Q()
    for term in terms:
        q &= Q(pk__in=_token_range(term).values("organisation_id"))
    return q


def public_organisations() -> QuerySet[Organisation]:
    """Every live organisation (not archived, not merged): what duplicates and claims look at."""
    return Organisation.objects.filter(archived_at__isnull=True, merged_into__isnull=True)


def awaiting_registration() -> Q:
    """An organisation an applicant registered that staff have not verified yet (approving the
    registration verifies it; refusing it archives it)."""
    registered = ChangeRequest.objects.filter(organisation=OuterRef("pk"), kind=ChangeRequest.Kind.REGISTER)
    return Q(verified=False) & Q(Exists(registered))


def published_organisations() -> QuerySet[Organisation]:
    """What the public directory, its API list and its open data show: live organisations but
    self-registrations still waiting for staff (anyone may register anything, a formula for a
    name included; nothing of it is published until an officer has looked at it)."""
    return public_organisations().exclude(awaiting_registration())


@dataclass
class SearchParams:
    q: str = ""
    kind: str = ""
    sector: str = ""
    province: str = ""
    commune: str = ""
    country: str = ""
    stage: str = ""
    verified: bool = False
    sort: str = "name"

    @classmethod
    def from_query(cls, data: Any) -> SearchParams:
        get = data.get
        sort = get("sort") or "name"
        return cls(
            q=(get("q") or "")[:200], kind=(get("kind") or "")[:20], sector=(get("sector") or "")[:50],
            province=(get("province") or "")[:2], commune=(get("commune") or "")[:5], country=(get("country") or "")[:2].upper(),
            stage=(get("stage") or "")[:20], verified=get("verified") in ("1", "true", "on", True),
            sort=sort if sort in SORTS else "name",
        )

    def filters(self, *, without: str = "") -> Q:
        q = Q()
        if self.kind and without != "kind":
            q &= Q(kind=self.kind)
        if self.province and without != "province":
            q &= Q(province_id=self.province)
        if self.commune and without != "commune":
            q &= Q(commune_id=self.commune)
        if self.country and without != "country":
            q &= Q(country=self.country)
        if self.stage and without != "stage":
            q &= Q(stage=self.stage)
        if self.sector and without != "sector":
            q &= Q(pk__in=Organisation.sectors.through.objects.filter(sector__code=self.sector).values("organisation_id"))
        if self.verified:
            q &= Q(verified=True)
        return q

    def token_filter(self) -> Q | None:
        """The query words' filter, computed once per request (search and facets share it)."""
        if not hasattr(self, "_token_q"):
            terms = query_terms(self.q)
            self._token_q = _token_filter(terms) if terms else None
        return self._token_q

    def in_memory(self) -> tuple[search_index.DirectoryIndex, Any]:
        """The current in-memory index and the query words' mask over it (None: no words),
        computed once per request (search and facets share them)."""
        if not hasattr(self, "_in_memory"):
            index = search_index.get_index()
            terms = query_terms(self.q)
            self._in_memory = (index, index.match(terms) if terms else None)
        return self._in_memory

    @property
    def is_filtered(self) -> bool:
        return bool(self.kind or self.sector or self.province or self.commune or self.country or self.stage or self.verified)


def in_memory_search() -> bool:
    """The in-memory index serves public searches once this process has one (search_index)."""
    return bool(getattr(settings, "DIRECTORY_SEARCH_IN_MEMORY", True)) and search_index.available()


def _with_sectors(qs: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return qs.select_related("province", "commune", "former_district").prefetch_related(Prefetch("sectors", queryset=Sector.objects.only("id", "code", "name", "name_en")))


class OrganisationResults:
    """Public search results held as ordered ids; rows are fetched a page (or a chunk) at a time.

    Behaves like the queryset it replaces where the pages, the API and open data use it:
    `count()`, `len()`, slicing, iteration and `iterator(chunk_size=…)`.
    """

    ordered = True  # for Paginator

    def __init__(self, ids: Any) -> None:
        self.ids = ids

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def exists(self) -> bool:
        return len(self.ids) > 0

    def get(self) -> Organisation:
        """The one result, raising as `QuerySet.get()` does when there are none or several."""
        if len(self.ids) > 1:
            raise Organisation.MultipleObjectsReturned(f"get() returned more than one Organisation -- it returned {len(self.ids)}!")
        found = self[:1]
        if not found:
            raise Organisation.DoesNotExist("Organisation matching query does not exist.")
        return found[0]

    def _fetch(self, ids: list[int]) -> list[Organisation]:
        if not ids:
            return []
        rows = {o.pk: o for o in _with_sectors(published_organisations().filter(pk__in=ids))}
        return [rows[pk] for pk in ids if pk in rows]

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, slice):
            return self._fetch([int(pk) for pk in self.ids[key]])
        found = self._fetch([int(self.ids[key])])
        if not found:
            raise IndexError(key)
        return found[0]

    def iterator(self, chunk_size: int = 2000):
        for start in range(0, len(self.ids), chunk_size):
            yield from self[start:start + chunk_size]

    def __iter__(self):
        return self.iterator()

    def __repr__(self) -> str:
        return f"<OrganisationResults: {len(self.ids)}>"


def organisation_search(*, user: Any, params: SearchParams, base: QuerySet | None = None) -> OrganisationResults | QuerySet[Organisation]:
    """The public list (or `base`) matching the query and filters, sorted; sectors prefetched."""
    if base is None and in_memory_search():
        index, mask = params.in_memory()
        filters = index.filter_mask(params)
        if filters is not None:
            mask = filters if mask is None else mask & filters
        return OrganisationResults(index.ordered_ids(mask, params.sort))
    return _search_queryset(params=params, base=base)


def _search_queryset(*, params: SearchParams, base: QuerySet | None = None) -> QuerySet[Organisation]:
    """The database path: staff lists, and the reference for the in-memory one."""
    qs = published_organisations() if base is None else base
    token_q = params.token_filter()
    if token_q is not None:
        qs = qs.filter(token_q)
    qs = qs.filter(params.filters())
    return _with_sectors(qs.order_by(*SORTS.get(params.sort, SORTS["name"])))


def facets_invalidate() -> None:
    """The directory changed: cached facets and the in-memory search index are out of date."""
    search_index.directory_changed()


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    name: str
    values: list[FacetValue] = field(default_factory=list)


def organisation_facets(*, user: Any, params: SearchParams, language: str = "vi", limit: int = 30) -> list[Facet]:
    """Counts per value of each facet, over the results filtered by everything except that facet.

    The unfiltered browse (no query, no filter) is cached until the next write to the directory.
    """
    cache_key = None
    if not query_terms(params.q) and not params.is_filtered:
        cache_key = f"directory:facets:{search_index.directory_version()}:{language}"
        cached = cache.get(cache_key)
        if cached is not None:
            return cached
    if in_memory_search():
        facets = _facets_in_memory(params=params, language=language, limit=limit)
    else:
        facets = _facets_db(params=params, language=language, limit=limit)
    if cache_key:
        cache.set(cache_key, facets, 300)
    return facets


def _facet_labels() -> dict[str, dict[str, Any]]:
    from innohub.places.models import Commune, Province

    communes = Organisation.objects.exclude(commune=None).values("commune_id")
    return {
        "kind": dict(Organisation.Kind.choices), "stage": dict(Organisation.Stage.choices),
        "province": dict(Province.objects.values_list("code", "name")),
        "commune": dict(Commune.objects.filter(code__in=communes).values_list("code", "name")),
    }


def _facets_in_memory(*, params: SearchParams, language: str, limit: int) -> list[Facet]:
    index, matched = params.in_memory()
    labels = _facet_labels()
    facets = []
    for name in FACETS:
        mask = index.filter_mask(params, without=name)
        if matched is not None:
            mask = matched if mask is None else mask & matched
        selected = getattr(params, name)
        if name == "sector":
            values = [FacetValue(code, in_language(vi, en, language), n, code == selected)
                      for code, vi, en, n in index.sector_counts(mask, limit)]
        else:
            mapping = labels.get(name, {})
            values = [FacetValue(v, str(mapping.get(v, v)), n, v == selected) for v, n in index.value_counts(name, mask, limit)]
        facets.append(Facet(name, values))
    return facets


def _facets_db(*, params: SearchParams, language: str, limit: int) -> list[Facet]:
    """The database path of organisation_facets (the reference for the in-memory one)."""
    base = published_organisations()
    token_q = params.token_filter()
    if token_q is not None:
        base = base.filter(token_q)
    facets = []
    labels = _facet_labels()
    for name in FACETS:
        qs = base.filter(params.filters(without=name))
        selected = getattr(params, name)
        if name == "sector":
            rows = (
                Organisation.sectors.through.objects.filter(organisation__in=qs.values("pk"))
                .values_list("sector__code", "sector__name", "sector__name_en")
                .annotate(n=Count("id"))
                .order_by("-n", "sector__name")[:limit]
            )
            values = [FacetValue(code, in_language(vi, en, language), n, code == selected) for code, vi, en, n in rows]
        else:
            column = FACET_FIELDS.get(name, name)
            empty = {f"{column}__isnull": True} if name in FACET_FIELDS else {name: ""}
            value_rows = qs.exclude(**empty).values_list(column).annotate(n=Count("id")).order_by("-n", column)[:limit]
            mapping = labels.get(name, {})
            values = [FacetValue(v, str(mapping.get(v, v)), n, v == selected) for v, n in value_rows]
        facets.append(Facet(name, values))
    return facets


def organisation_public_detail(*, user: Any, slug: str) -> Organisation:
    """One organisation for its profile page, with its people and relations loaded."""
    from django.shortcuts import get_object_or_404

    qs = Organisation.objects.select_related("merged_into", "verified_by", "province", "commune", "former_district").prefetch_related("sectors")
    org = get_object_or_404(qs, slug=slug)
    followable = org.merged_into is not None and org.merged_into.is_public  # the page redirects
    staff = user_has_role(user, MANAGE_DIRECTORY)
    hidden = not org.is_public and not followable
    # a registration waiting for staff: its owners and staff see its page, nobody else
    hidden = hidden or (not staff and not org.verified and Organisation.objects.filter(awaiting_registration(), pk=org.pk).exists()
                        and not organisations_of_member(user=user).filter(pk=org.pk).exists())
    if hidden and not staff:
        from django.http import Http404

        raise Http404
    return org


def organisation_people(*, organisation: Organisation) -> list[Position]:
    return list(
        Position.objects.filter(organisation=organisation, ended_on__isnull=True)
        .select_related("person").order_by("kind", "person__full_name")
    )


def organisation_relations(*, organisation: Organisation) -> list[dict[str, Any]]:
    """Relations both ways, each as (label seen from this organisation, the other organisation)."""
    rows: list[dict[str, Any]] = []
    for rel in Relation.objects.filter(source=organisation).select_related("target").filter(target__archived_at__isnull=True):
        rows.append({"relation": rel, "other": rel.target, "outgoing": True})
    for rel in Relation.objects.filter(target=organisation).select_related("source").filter(source__archived_at__isnull=True):
        rows.append({"relation": rel, "other": rel.source, "outgoing": False})
    rows.sort(key=lambda r: (r["relation"].kind, r["other"].name))
    return rows


def organisations_of_member(*, user: Any) -> QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).order_by("name")


def can_edit_directly(user: Any) -> bool:
    return user_has_role(user, MANAGE_DIRECTORY)


def can_propose_edit(user: Any, organisation: Organisation) -> bool:
    return user_has_role(user, REGISTER_ORGANISATION) and organisation.memberships.filter(user=user).exists()


def can_claim(user: Any, organisation: Organisation) -> bool:
    return (
        user_has_role(user, REGISTER_ORGANISATION)
        and organisation.kind == Organisation.Kind.STARTUP
        and organisation.is_public
        and not organisation.memberships.exists()
    )


# --- Staff -----------------------------------------------------------------------------------


def staff_organisation_list(*, user: Any, params: SearchParams, state: str = "") -> QuerySet[Organisation]:
    if not user_has_role(user, MANAGE_DIRECTORY):
        raise PermissionDenied
    base = Organisation.objects.all()
    if state == "archived":
        base = base.filter(archived_at__isnull=False)
    elif state == "unverified":
        base = base.filter(archived_at__isnull=True, verified=False)
    elif state != "all":
        base = base.filter(archived_at__isnull=True)
    pending = ChangeRequest.objects.filter(organisation=OuterRef("pk"), state=ChangeRequest.State.PENDING)
    return _search_queryset(params=params, base=base).select_related("province", "commune", "former_district").annotate(has_pending=Exists(pending))


def change_request_list(*, user: Any, state: str = ChangeRequest.State.PENDING) -> QuerySet[ChangeRequest]:
    if not user_has_role(user, MANAGE_DIRECTORY):
        raise PermissionDenied
    qs = ChangeRequest.objects.select_related("organisation", "proposed_by", "decided_by")
    return qs.filter(state=state) if state else qs


def change_request_list_for_applicant(*, user: Any) -> QuerySet[ChangeRequest]:
    if not getattr(user, "is_authenticated", False):
        return ChangeRequest.objects.none()
    return ChangeRequest.objects.filter(proposed_by=user).select_related("organisation")


@dataclass
class DuplicateGroup:
    reason: str
    organisations: list[Organisation]


def likely_duplicates(*, user: Any, limit: int = 50) -> list[DuplicateGroup]:
    """Groups of live organisations sharing a tax code's first ten digits or a reduced name."""
    if not user_has_role(user, MANAGE_DIRECTORY):
        raise PermissionDenied
    live = public_organisations()
    groups: list[DuplicateGroup] = []
    bases = (
        live.exclude(tax_code="").annotate(base=Substr("tax_code", 1, 10)).values("base")
        .annotate(n=Count("id")).filter(n__gt=1).values_list("base", flat=True)[:limit]
    )
    for base in list(bases):
        orgs = list(live.filter(tax_code__startswith=base).order_by("created_at"))
        groups.append(DuplicateGroup("tax_code", orgs))
    keys = (
        live.exclude(name_key="").values("name_key").annotate(n=Count("id")).filter(n__gt=1)
        .values_list("name_key", flat=True)[:limit]
    )
    seen = {frozenset(o.pk for o in g.organisations) for g in groups}
    for key in list(keys):
        orgs = list(live.filter(name_key=key).order_by("created_at"))
        if frozenset(o.pk for o in orgs) not in seen:
            groups.append(DuplicateGroup("name", orgs))
    return groups[:limit]


def similar_organisations(*, user: Any, organisation: Organisation, threshold: float = 0.8, limit: int = 10) -> list[tuple[Organisation, float]]:
    """Live organisations whose reduced name is close to this one's (difflib ratio), best first."""
    if not user_has_role(user, MANAGE_DIRECTORY):
        raise PermissionDenied
    key = organisation.name_key or name_key(organisation.name)
    words = sorted(set(tokenize(key)), key=len, reverse=True)[:2]
    if not words:
        return []
    candidates = (
        public_organisations().exclude(pk=organisation.pk).filter(_token_filter(words))
        .annotate(key_len=Length("name_key")).only("id", "name", "slug", "name_key", "tax_code", "kind")[:500]
    )
    scored: list[tuple[Organisation, float]] = []
    for other in candidates:
        ratio = difflib.SequenceMatcher(None, key, other.name_key).ratio()
        if organisation.tax_code and other.tax_code[:10] == organisation.tax_code[:10]:
            ratio = 1.0
        if ratio >= threshold:
            scored.append((other, round(ratio, 2)))
    scored.sort(key=lambda pair: -pair[1])
    return scored[:limit]


def sectors_all() -> list[Sector]:
    return list(Sector.objects.order_by("name"))


# --- Figures for the ecosystem index ----------------------------------------------------------
def organisations_by_commune(*, kinds: list[str]) -> list[tuple[str, Any]]:
    """(commune code, founded on) of every organisation of these kinds placed in a commune:
    what the ecosystem index counts. Figures only, nothing about anyone, so no user is asked."""
    rows = Organisation.objects.filter(kind__in=kinds).exclude(commune=None)
    return [(str(code), founded) for code, founded in rows.values_list("commune_id", "founded_on")]


def startup_sectors_by_commune() -> list[tuple[str, Any, int]]:
    """(commune code, founded on, sector id) of each startup's sectors, for the index."""
    rows = Organisation.objects.filter(kind="startup", sectors__isnull=False).exclude(commune=None)
    return [(str(code), founded, sector) for code, founded, sector in rows.values_list("commune_id", "founded_on", "sectors")]
