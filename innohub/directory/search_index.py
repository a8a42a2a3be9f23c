"""An in-memory copy of what public search needs, so that a query, its facets and its page cost
a few milliseconds at 100,000 organisations on SQLite and PostgreSQL alike.

What it holds, for the public organisations only (not archived, not merged), as numpy arrays
indexed by a position (the organisation's rank in the name order): id, kind, province and
commune codes, country, stage, verified, every sort order, the sector links, and the search tokens as sorted
unique tokens with their posting lists (a prefix is a `bisect` range of tokens, hence one
contiguous slice of postings). At 100,000 organisations (1.1 million token rows) that is about
25 MB per process, mostly the int64 postings and the token strings (int32 would halve the arrays).

Results must equal the database path (`selectors._search_queryset`, `selectors._facets_db`),
which stays for staff lists and as the reference in the tests. So everything that depends on a
collation is taken from the database when loading: the name order comes from `ORDER BY name,
id`, and the order of facet values with equal counts from one `ORDER BY` over the distinct
values; NULL founding dates go where the database puts them.

Coherence: the index is reloaded when the directory's version in the cache (bumped by the
services, also on commit; Redis shared by every app server in production) or the table's
fingerprint (largest id and largest `updated_at`, two index lookups, read on every request)
changes, so several app servers (or processes with a local-memory cache) and direct saves are
caught too. Loading takes 2-4 s at 100k organisations on this 2-core machine (see
bench/directory_search.py). With DIRECTORY_INDEX_BACKGROUND_REFRESH (the default) no request
waits for it: the request that sees the change starts one rebuild in a background thread
and every search meanwhile answers from the index it has (results of the moment before the
write; the page's rows are still read from the database, so an organisation archived since is
not shown); a process that has no index yet answers from the database path until its first
one is built. A write is found on every server once its rebuild ends: well under a second at
the demo's size, the loading time at 100k. Without the setting (the tests), the first search
after a write rebuilds it while the other threads wait.

Why hand-written rather than a library: a search engine (bm25s, Whoosh, a database full-text
engine) would rank and tokenise differently from the existing token table that defines the
behaviour, and none of them counts facets; numpy does the set and counting work.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from innohub.core.refresh import BackgroundRefreshed
from innohub.directory.models import ChangeRequest, Organisation, SearchToken, Sector

VERSION_KEY = "directory:facets:version"  # one directory version: facet cache and this index
VALUE_FACETS = ("kind", "province", "commune", "country", "stage")
# the facets' columns: province and commune are foreign keys holding the units' codes
FACET_COLUMNS = {"kind": "kind", "province": "COALESCE(province_id, '')", "commune": "COALESCE(commune_id, '')",
                 "country": "country", "stage": "stage"}


def directory_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None) or 1


def directory_changed() -> None:
    """Called by every service that changes the directory: now, and again once committed."""

    def bump() -> None:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 2, None)

    bump()
    transaction.on_commit(bump)


def _fingerprint() -> tuple[Any, ...]:
    table = connection.ops.quote_name(Organisation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT MAX(id) FROM {table}), (SELECT MAX(updated_at) FROM {table})")  # noqa: S608
        max_id, max_updated = cursor.fetchone()
    return (directory_version(), max_id, str(max_updated))


def next_prefix(term: str) -> str:
    """The first string after every string starting with `term` (the end of its prefix range)."""
    return term[:-1] + chr(ord(term[-1]) + 1)


@dataclass
class ValueColumn:
    """One facet column: a code per organisation, the values, and their database order."""

    codes: np.ndarray
    values: list[str]
    rank: np.ndarray  # rank of each value's code in the database's ORDER BY

    def code(self, value: str) -> int:
        try:
            return self.values.index(value)
        except ValueError:
            return -1


@dataclass
class DirectoryIndex:
    fingerprint: tuple[Any, ...]
    ids: np.ndarray  # int64, by position (name order)
    id_order: np.ndarray  # positions sorted by id
    columns: dict[str, ValueColumn]
    verified: np.ndarray
    orders: dict[str, np.ndarray]  # sort name → positions in that order
    sector_org: np.ndarray  # position of each (organisation, sector) link
    sector_idx: np.ndarray  # sector index of each link
    sectors: list[tuple[str, str, str]]  # (code, name, name_en) by sector index
    sector_rank: np.ndarray
    tokens: list[str]  # sorted, unique
    starts: np.ndarray  # postings of tokens[i] are postings[starts[i]:starts[i + 1]]
    postings: np.ndarray
    _sector_masks: dict[int, np.ndarray] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.ids)

    def positions_of(self, ids: np.ndarray) -> np.ndarray:
        """Positions of these organisation ids, -1 for those not in the index."""
        if not self.size:
            return np.full(len(ids), -1, dtype=np.int64)
        sorted_ids = self.ids[self.id_order]
        found = np.minimum(np.searchsorted(sorted_ids, ids), self.size - 1)
        hit = sorted_ids[found] == ids
        return np.where(hit, self.id_order[found], -1)

    def match(self, terms: list[str]) -> np.ndarray:
        """Organisations having, for every term, a token starting with it (rarest term first)."""
        ranges = []
        for term in terms:
            lo = bisect.bisect_left(self.tokens, term)
            hi = bisect.bisect_left(self.tokens, next_prefix(term), lo)
            ranges.append((int(self.starts[hi] - self.starts[lo]), int(self.starts[lo]), int(self.starts[hi])))
        ranges.sort()
        mask = np.zeros(self.size, dtype=bool)
        _n, a, b = ranges[0]
        mask[self.postings[a:b]] = True
        for _n, a, b in ranges[1:]:
            if not mask.any():
                break
            other = np.zeros(self.size, dtype=bool)
            other[self.postings[a:b]] = True
            mask &= other
        return mask

    def has_sector(self, code: str) -> np.ndarray:
        idx = next((i for i, s in enumerate(self.sectors) if s[0] == code), -1)
        if idx not in self._sector_masks:
            mask = np.zeros(self.size, dtype=bool)
            mask[self.sector_org[self.sector_idx == idx]] = True
            self._sector_masks[idx] = mask
        return self._sector_masks[idx]

    def filter_mask(self, params: Any, *, without: str = "") -> np.ndarray | None:
        """The facet filters of `params` (SearchParams) as a mask; None when there are none."""
        mask: np.ndarray | None = None

        def add(m: np.ndarray) -> None:
            nonlocal mask
            mask = m if mask is None else mask & m

        for name in VALUE_FACETS:
            value = getattr(params, name)
            if value and without != name:
                column = self.columns[name]
                add(column.codes == column.code(value))
        if params.sector and without != "sector":
            add(self.has_sector(params.sector))
        if params.verified:
            add(self.verified)
        return mask

    def ordered_ids(self, mask: np.ndarray | None, sort: str) -> np.ndarray:
        order = self.orders.get(sort, self.orders["name"])
        chosen = order if mask is None else order[mask[order]]
        return self.ids[chosen]

    def value_counts(self, name: str, mask: np.ndarray | None, limit: int) -> list[tuple[str, int]]:
        """(value, count) of a facet column over `mask`, most frequent first, empty value left out."""
        column = self.columns[name]
        codes = column.codes if mask is None else column.codes[mask]
        counts = np.bincount(codes, minlength=len(column.values))
        found = [i for i in np.flatnonzero(counts) if column.values[i] != ""]
        found.sort(key=lambda i: (-counts[i], column.rank[i]))
        return [(column.values[i], int(counts[i])) for i in found[:limit]]

    def sector_counts(self, mask: np.ndarray | None, limit: int) -> list[tuple[str, str, str, int]]:
        links = self.sector_idx if mask is None else self.sector_idx[mask[self.sector_org]]
        counts = np.bincount(links, minlength=len(self.sectors))
        found = sorted(np.flatnonzero(counts), key=lambda i: (-counts[i], self.sector_rank[i]))
        return [(*self.sectors[i], int(counts[i])) for i in found[:limit]]


def _ranks(ordered_values: list[str], values: list[str]) -> np.ndarray:
    position = {v: i for i, v in enumerate(ordered_values)}
    return np.array([position.get(v, len(position)) for v in values], dtype=np.int64)


def _order_sql(sort: str) -> str:
    """ORDER BY of the database path's sort (selectors.SORTS), for a window function."""
    from innohub.directory.selectors import SORTS

    parts = []
    for name in SORTS[sort]:
        column = connection.ops.quote_name(name.lstrip("-"))  # the fields' own names are their columns
        parts.append(f"{column} DESC" if name.startswith("-") else column)
    return ", ".join(parts)


def build(fingerprint: tuple[Any, ...] = ()) -> DirectoryIndex:
    """Load the index from the database (five queries).

    The sort orders are ranks computed by the database (window functions) with the same ORDER BY
    as the database path, so collations and the place of NULLs are the database's own.
    """
    from innohub.directory.selectors import SORTS

    table = connection.ops.quote_name(Organisation._meta.db_table)
    changes = connection.ops.quote_name(ChangeRequest._meta.db_table)
    sorts = ["name", *(sort for sort in SORTS if sort != "name")]  # name first: its rank is the position
    ranks = ", ".join(f"ROW_NUMBER() OVER (ORDER BY {_order_sql(sort)})" for sort in sorts)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, {', '.join(FACET_COLUMNS[n] for n in VALUE_FACETS)}, verified, {ranks} FROM {table} "  # noqa: S608 - our names
            "WHERE archived_at IS NULL AND merged_into_id IS NULL "
            # as selectors.published_organisations: no self-registration staff have not verified
            f"AND NOT (verified = %s AND id IN (SELECT organisation_id FROM {changes} WHERE kind = %s))",
            [False, ChangeRequest.Kind.REGISTER.value],
        )
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    first_rank = len(VALUE_FACETS) + 2
    rows.sort(key=lambda r: r[first_rank])  # name order: a position is the rank in it
    n = len(rows)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
    positions = np.arange(n, dtype=np.int64)
    columns: dict[str, ValueColumn] = {}
    for col, name in enumerate(VALUE_FACETS, start=1):
        values: dict[str, int] = {}
        codes = np.fromiter((values.setdefault(r[col], len(values)) for r in rows), dtype=np.int32, count=n)
        columns[name] = ValueColumn(codes, list(values), np.zeros(len(values), dtype=np.int64))
    verified = np.fromiter((bool(r[first_rank - 1]) for r in rows), dtype=bool, count=n)
    orders = {"name": positions}
    for col, sort in enumerate(sorts[1:], start=first_rank + 1):
        orders[sort] = np.argsort(np.fromiter((r[col] for r in rows), dtype=np.int64, count=n), kind="stable")
    # Equal counts are ordered by value in the database's collation: ask it once for all.
    sector_rows: list[tuple[int, str, str, str]] = []
    ordered: dict[str, list[str]] = {name: [] for name in VALUE_FACETS}
    sector_table = connection.ops.quote_name(Sector._meta.db_table)
    selects = " UNION ALL ".join(
        f"SELECT '{name}', {FACET_COLUMNS[name]}, 0, '', '' FROM {table} GROUP BY {FACET_COLUMNS[name]}"  # noqa: S608 - our column names
        for name in VALUE_FACETS
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 'sector', name, id, code, name_en FROM {sector_table} UNION ALL {selects} ORDER BY 2, 3"  # noqa: S608
        )
        for facet, value, pk, code, name_en in cursor.fetchall():
            if facet == "sector":
                sector_rows.append((pk, code, value, name_en))
            else:
                ordered[facet].append(value)
    for name, column in columns.items():
        column.rank = _ranks(ordered[name], column.values)
    sector_index = {pk: i for i, (pk, *_rest) in enumerate(sector_rows)}
    through = Organisation.sectors.through
    links = list(through.objects.values_list("organisation_id", "sector_id"))
    link_orgs = np.fromiter((o for o, _s in links), dtype=np.int64, count=len(links))
    link_sectors = np.fromiter((sector_index.get(s, -1) for _o, s in links), dtype=np.int64, count=len(links))
    idx_order = np.argsort(ids, kind="stable")
    index = DirectoryIndex(
        fingerprint=fingerprint, ids=ids, id_order=idx_order, columns=columns, verified=verified, orders=orders,
        sector_org=np.zeros(0, np.int64), sector_idx=np.zeros(0, np.int64),
        sectors=[(code, name, name_en) for _pk, code, name, name_en in sector_rows],
        sector_rank=np.arange(len(sector_rows), dtype=np.int64),
        tokens=[], starts=np.zeros(1, np.int64), postings=np.zeros(0, np.int64),
    )
    link_pos = index.positions_of(link_orgs)
    keep = (link_pos >= 0) & (link_sectors >= 0)
    index.sector_org, index.sector_idx = link_pos[keep], link_sectors[keep]
    index.tokens, index.starts, index.postings = _load_tokens(index)
    return index


def _load_tokens(index: DirectoryIndex) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Unique tokens in code-point order (= the binary collation of the token column) and postings.

    The database groups the token rows (one row per token, its organisation ids joined by
    commas): ten times fewer rows to bring into Python than one per (token, organisation).
    """
    table = connection.ops.quote_name(SearchToken._meta.db_table)
    if connection.vendor == "postgresql":
        joined = "string_agg(organisation_id::text, ',')"
    else:
        joined = "group_concat(organisation_id, ',')"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token, {joined} FROM {table} GROUP BY token ORDER BY token")  # noqa: S608 - our names
        rows = cursor.fetchall()
    if any(rows[i][0] >= rows[i + 1][0] for i in range(len(rows) - 1)):  # not expected under a binary collation
        rows.sort()
    tokens = [token for token, _ids in rows]
    sizes = np.fromiter((ids.count(",") + 1 for _token, ids in rows), dtype=np.int64, count=len(rows))
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    owners = np.array(",".join(ids for _token, ids in rows).split(","), dtype=np.int64) if rows else np.zeros(0, np.int64)
    positions = index.positions_of(owners)
    keep = positions >= 0
    kept_before = np.concatenate([[0], np.cumsum(keep)]).astype(np.int64)
    return tokens, kept_before[starts], positions[keep]


def background_refresh() -> bool:
    return bool(getattr(settings, "DIRECTORY_INDEX_BACKGROUND_REFRESH", False))


# the rebuild beside the searches and the swap: core.refresh (shared with the Q&A's indexes)
_refreshed: BackgroundRefreshed[tuple[Any, ...], DirectoryIndex] = BackgroundRefreshed(
    "directory-index", version=_fingerprint, build=build, background=background_refresh)


def current() -> DirectoryIndex | None:
    """The index this process holds now, whatever its version (None before the first build)."""
    return _refreshed.value


def available() -> bool:
    """Whether a search may use the index now without waiting. With background refresh, a
    process without an index starts building one and answers from the database meanwhile."""
    return _refreshed.available()


def refreshing() -> bool:
    """Whether a background rebuild runs now in this process."""
    return _refreshed.refreshing()


def get_index() -> DirectoryIndex:
    """The current index. When the directory changed since it was loaded: with background refresh,
    the loaded one while a rebuild runs beside; otherwise the rebuilt one (the caller waits)."""
    return _refreshed.get()


def wait_for_refresh(timeout: float = 30.0) -> None:
    """Block until no background rebuild runs (benchmarks and the production check)."""
    _refreshed.wait_for_refresh(timeout)


def forget() -> None:
    """Drop the loaded index (tests, and after restoring a database)."""
    _refreshed.forget()
