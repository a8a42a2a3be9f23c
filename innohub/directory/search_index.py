"""An in-memory copy of what public search needs, so that a query, its facets and its page cost
a few milliseconds at 100,000 organisations on SQLite and PostgreSQL alike.

What it holds, for the public organisations only (not archived, not merged), as numpy arrays
indexed by a position (the organisation's rank in the name order after a full build; updates
append after it): id, updated_at, kind, province and
commune codes, country, stage, verified, every sort order, the sector links, and the search tokens as sorted
unique tokens with their posting lists (a prefix is a `bisect` range of tokens, hence one
contiguous slice of postings). At 100,000 organisations (1.1 million token rows) that is about
25 MB per process, mostly the int64 postings and the token strings (int32 would halve the arrays).

Results must equal the database path (`selectors._search_queryset`, `selectors._facets_db`),
which stays for staff lists and as the reference in the tests. So everything that depends on a
collation is taken from the database when loading: the name order comes from `ORDER BY name,
id`, and the order of facet values with equal counts from one `ORDER BY` over the distinct
values; NULL founding dates go where the database puts them.

Coherence: every search reads the index's fingerprint (cheap): the directory's version in the
shared cache (bumped by the services, also on commit), the page cache's versions of the
directory's tables (any write, from anywhere, when the page cache is on) and of the writes the
update cannot follow, and the table's largest id and latest `updated_at` (two index lookups:
direct saves, and servers whose cache is not shared). When it moved, the index is brought up to
date **in place** (`update`): the organisations changed since it was made (an id above the
largest it saw, or an `updated_at` after the latest it saw less a minute's margin, since
`updated_at` is set before commit and by each server's clock) whose `updated_at` it does not hold
lose their old positions (`alive`); the public ones get new positions at the end with their facet
values, sector links and tokens (a small second token list), and a place in each sort order that
the database decides with the database path's own ORDER BY, among a sample of the others and then
among the few around it (collations and NULLs stay the database's). That is a dozen queries by
primary key, tens of milliseconds at 100k organisations, where loading takes 2-4 s. A full
rebuild remains for what the update cannot follow: a DELETE, a bulk `.update()` that leaves
`updated_at` alone, a write to the sectors (seen by the page cache's statement wrapper, so only
when it is on: with a local-memory cache such a write is seen at the next full build), a new
sector, more than MAX_CHANGED organisations at once (an import), and compaction after MAX_STALE
dead positions. With the page cache off, the update counts the public organisations instead (a
100 ms scan at 100k on PostgreSQL) and rebuilds when the count does not add up: that sees a
delete, or rows the tests' rolled-back transactions left in the index. With
DIRECTORY_INDEX_BACKGROUND_REFRESH (the default) no request waits for either: the request that
sees the change starts the update (or rebuild) in a background thread and every search meanwhile
answers from the index it has (the page's rows are still read from the database, so an
organisation archived since is not shown); a process that has no index yet answers from the
database path until its first one is built. A write is found on every server within the update's
time (see docs/benchmarks.md). Without the setting (the tests), the first search after a write
updates or rebuilds it while the other threads wait. Every update and build reads one snapshot
(REPEATABLE READ on PostgreSQL, a read transaction on SQLite).

Why hand-written rather than a library: a search engine (bm25s, Whoosh, a database full-text
engine) would rank and tokenise differently from the existing token table that defines the
behaviour, and none of them counts facets; numpy does the set and counting work.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from innohub.core import page_cache
from innohub.core.refresh import BackgroundRefreshed
from innohub.directory.models import ChangeRequest, Organisation, SearchToken, Sector

VERSION_KEY = "directory:facets:version"  # one directory version: facet cache and this index
VALUE_FACETS = ("kind", "province", "commune", "country", "stage")
# the facets' columns: province and commune are foreign keys holding the units' codes
FACET_COLUMNS = {"kind": "kind", "province": "COALESCE(province_id, '')", "commune": "COALESCE(commune_id, '')",
                 "country": "country", "stage": "stage"}
FACET_FIELDS = {"province": "province_id", "commune": "commune_id"}
# page-cache label bumped by a directory write the update cannot follow (see _untracked_write)
UNTRACKED = "directory:index-untracked"
# updated_at is set when a row is saved, not when it commits, and by each app server's clock: the
# update looks again at rows saved this long before the latest it has seen (a slower transaction,
# another server's clock) and skips those whose updated_at it already holds
CHANGE_MARGIN = dt.timedelta(seconds=60)
MAX_CHANGED = 200  # changed organisations applied in place; more (an import) rebuild in full
MAX_STALE = 5000  # positions left dead by updates before a full rebuild compacts them (and the added tokens)
PROBE_STEP = 16  # placing changed rows in a sort order: every step-th row first (step ≥ 16), then the step around each
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MICROSECOND = dt.timedelta(microseconds=1)


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


class Fingerprint(NamedTuple):
    """What tells a process its index is out of date, read on every search (cheap)."""

    version: int  # the directory's version, bumped by the services (shared cache)
    writes: str  # the page cache's version of the directory's tables: any write ('' when off)
    untracked: tuple[str, str]  # writes the update cannot follow, and the page cache's ALL ('' when off)
    max_id: int | None  # the table's largest id and latest updated_at: direct saves, and other
    max_updated: str  # servers when the cache is not shared


def _fingerprint() -> Fingerprint:
    table = connection.ops.quote_name(Organisation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT MAX(id) FROM {table}), (SELECT MAX(updated_at) FROM {table})")  # noqa: S608
        max_id, max_updated = cursor.fetchone()
    versions = page_cache.versions([Organisation._meta.app_label, UNTRACKED, page_cache.ALL])
    return Fingerprint(directory_version(), versions.get(Organisation._meta.app_label, ""),
                       (versions.get(UNTRACKED, ""), versions.get(page_cache.ALL, "")), max_id, str(max_updated))


def _untracked_write(table: str, sql: str) -> None:
    """A write the page cache saw (it is on) that the update cannot follow: the update finds what
    changed by the organisations' ids and updated_at, so a DELETE, an UPDATE of organisations that
    leaves updated_at alone (a bulk ``.update()``) and any write to the sectors make the next
    refresh a full rebuild. Tokens and sector links are written with a save of their organisation
    (the services), which the update follows."""
    if table == Sector._meta.db_table:
        page_cache.data_changed(UNTRACKED)
    elif table == Organisation._meta.db_table:
        verb = sql.lstrip()[:6].upper()
        assignments = sql.split(" WHERE ", 1)[0]
        if verb == "DELETE" or (verb == "UPDATE" and connection.ops.quote_name("updated_at") not in assignments):
            page_cache.data_changed(UNTRACKED)


page_cache.observe_writes(_untracked_write)


def _micros(value: Any) -> int:
    """A datetime as read from either database (SQLite's raw cursor gives text) in microseconds."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)  # stored in UTC (USE_TZ)
    return (value - EPOCH) // MICROSECOND


@contextmanager
def _snapshot() -> Iterator[None]:
    """One view of the directory for the several queries of a build or an update (a write that
    commits between two of them is seen by the next refresh, not half by this one)."""
    nested = connection.in_atomic_block  # a caller's transaction (the tests): its view already
    with transaction.atomic():
        if not nested and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield  # SQLite: a read transaction in WAL mode is a snapshot from its first read


def _maxima() -> tuple[int, dt.datetime | None]:
    found = Organisation.objects.order_by().values_list("id", "updated_at")
    last_id = found.order_by("-id").first()
    last_updated = found.order_by("-updated_at").first()
    return (last_id[0] if last_id else 0), (last_updated[1] if last_updated else None)


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
class TokenList:
    """Sorted unique tokens and their postings: those of tokens[i] are postings[starts[i]:starts[i + 1]]."""

    tokens: list[str]
    starts: np.ndarray
    postings: np.ndarray

    def span(self, term: str) -> tuple[int, int]:
        """The postings of every token starting with `term` (one contiguous slice)."""
        lo = bisect.bisect_left(self.tokens, term)
        hi = bisect.bisect_left(self.tokens, next_prefix(term), lo)
        return int(self.starts[lo]), int(self.starts[hi])

    @classmethod
    def of(cls, pairs: list[tuple[str, int]]) -> TokenList:
        pairs = sorted(pairs)
        tokens: list[str] = []
        starts: list[int] = []
        for i, (token, _position) in enumerate(pairs):
            if not tokens or tokens[-1] != token:
                tokens.append(token)
                starts.append(i)
        starts.append(len(pairs))
        return cls(tokens, np.array(starts, dtype=np.int64), np.fromiter((p for _t, p in pairs), dtype=np.int64, count=len(pairs)))


@dataclass
class DirectoryIndex:
    """Arrays by position. A full build places the organisations in name order; an update marks
    the positions of changed organisations dead (`alive`) and appends their new state after the
    others, its tokens in a small second list (`added`), its place in each sort order asked of
    the database."""

    fingerprint: Any
    ids: np.ndarray  # int64, by position
    id_order: np.ndarray  # live positions sorted by id
    columns: dict[str, ValueColumn]
    verified: np.ndarray
    orders: dict[str, np.ndarray]  # sort name → live positions in that order
    sector_org: np.ndarray  # position of each (organisation, sector) link
    sector_idx: np.ndarray  # sector index of each link
    sectors: list[tuple[str, str, str]]  # (code, name, name_en) by sector index
    sector_rank: np.ndarray
    tokens: list[str]  # sorted, unique
    starts: np.ndarray  # postings of tokens[i] are postings[starts[i]:starts[i + 1]]
    postings: np.ndarray
    sector_pks: list[int] = field(default_factory=list)  # by sector index
    updated: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # updated_at (µs) by position
    alive: np.ndarray | None = None  # None: every position (a full build)
    added: TokenList | None = None  # tokens of the organisations applied since the build
    added_pairs: list[tuple[str, int]] = field(default_factory=list)
    max_id: int = 0  # what the database held when the index was made: where the next update looks
    max_updated: dt.datetime | None = None
    taken_at: dt.datetime | None = None
    updates: int = 0  # updates since the full build (0: built)
    _sector_masks: dict[int, np.ndarray] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """Positions, dead ones included (the length of every mask)."""
        return len(self.ids)

    @property
    def live(self) -> int:
        return len(self.id_order)

    def positions_of(self, ids: np.ndarray) -> np.ndarray:
        """Live positions of these organisation ids, -1 for those not in the index."""
        ids = np.asarray(ids, dtype=np.int64)
        if not self.live:
            return np.full(len(ids), -1, dtype=np.int64)
        sorted_ids = self.ids[self.id_order]
        found = np.minimum(np.searchsorted(sorted_ids, ids), self.live - 1)
        hit = sorted_ids[found] == ids
        return np.where(hit, self.id_order[found], -1)

    def match(self, terms: list[str]) -> np.ndarray:
        """Organisations having, for every term, a token starting with it (rarest term first)."""
        lists = [TokenList(self.tokens, self.starts, self.postings)]
        if self.added is not None:
            lists.append(self.added)
        ranges = []
        for term in terms:
            slices = [(tokens.postings, *tokens.span(term)) for tokens in lists]
            ranges.append((sum(b - a for _p, a, b in slices), slices))
        ranges.sort(key=lambda r: r[0])
        mask: np.ndarray | None = None
        for _n, slices in ranges:
            found = np.zeros(self.size, dtype=bool)
            for postings, a, b in slices:
                found[postings[a:b]] = True
            mask = found if mask is None else mask & found
            if not mask.any():
                break
        assert mask is not None  # noqa: S101 - terms is never empty
        return mask if self.alive is None else mask & self.alive

    def has_sector(self, code: str) -> np.ndarray:
        idx = next((i for i, s in enumerate(self.sectors) if s[0] == code), -1)
        if idx not in self._sector_masks:
            mask = np.zeros(self.size, dtype=bool)
            mask[self.sector_org[self.sector_idx == idx]] = True
            self._sector_masks[idx] = mask
        return self._sector_masks[idx]

    def filter_mask(self, params: Any, *, without: str = "") -> np.ndarray | None:
        """The facet filters of `params` (SearchParams) as a mask; None when there are none (and
        no position is dead)."""
        mask: np.ndarray | None = self.alive

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
        mask = self.alive if mask is None else mask
        codes = column.codes if mask is None else column.codes[mask]
        counts = np.bincount(codes, minlength=len(column.values))
        found = [i for i in np.flatnonzero(counts) if column.values[i] != ""]
        found.sort(key=lambda i: (-counts[i], column.rank[i]))
        return [(column.values[i], int(counts[i])) for i in found[:limit]]

    def sector_counts(self, mask: np.ndarray | None, limit: int) -> list[tuple[str, str, str, int]]:
        links = self.sector_idx if mask is None else self.sector_idx[mask[self.sector_org]]  # links of live positions only
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


def _published_sql() -> tuple[str, list[Any]]:
    """FROM … WHERE of the public organisations, as selectors.published_organisations: live (not
    archived, not merged) and no self-registration staff have not verified."""
    table = connection.ops.quote_name(Organisation._meta.db_table)
    changes = connection.ops.quote_name(ChangeRequest._meta.db_table)
    return (f"FROM {table} WHERE archived_at IS NULL AND merged_into_id IS NULL "  # noqa: S608 - our names
            f"AND NOT (verified = %s AND id IN (SELECT organisation_id FROM {changes} WHERE kind = %s))",
            [False, ChangeRequest.Kind.REGISTER.value])


def _row_columns() -> str:
    return f"id, {', '.join(FACET_COLUMNS[n] for n in VALUE_FACETS)}, verified, updated_at"


def _value_orders() -> tuple[dict[str, list[str]], list[tuple[int, str, str, str]]]:
    """Every value of each facet column in the database's collation (equal counts are ordered by
    value, as the database path does), and the sectors by name: one query."""
    table = connection.ops.quote_name(Organisation._meta.db_table)
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
    return ordered, sector_rows


def build(fingerprint: Any = ()) -> DirectoryIndex:
    """Load the index from the database (six queries, one snapshot).

    The sort orders are ranks computed by the database (window functions) with the same ORDER BY
    as the database path, so collations and the place of NULLs are the database's own.
    """
    from innohub.directory.selectors import SORTS

    sorts = ["name", *(sort for sort in SORTS if sort != "name")]  # name first: its rank is the position
    ranks = ", ".join(f"ROW_NUMBER() OVER (ORDER BY {_order_sql(sort)})" for sort in sorts)
    published, params = _published_sql()
    with _snapshot():
        taken_at = timezone.now()
        max_id, max_updated = _maxima()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {_row_columns()}, {ranks} {published}", params)  # noqa: S608 - our names
            rows: list[tuple[Any, ...]] = cursor.fetchall()
        ordered, sector_rows = _value_orders()
        through = Organisation.sectors.through
        links = list(through.objects.values_list("organisation_id", "sector_id"))
        token_rows = _token_rows()
    first_rank = len(VALUE_FACETS) + 3
    rows.sort(key=lambda r: r[first_rank])  # name order: a position is the rank in it
    n = len(rows)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
    positions = np.arange(n, dtype=np.int64)
    columns: dict[str, ValueColumn] = {}
    for col, name in enumerate(VALUE_FACETS, start=1):
        values: dict[str, int] = {}
        codes = np.fromiter((values.setdefault(r[col], len(values)) for r in rows), dtype=np.int32, count=n)
        columns[name] = ValueColumn(codes, list(values), _ranks(ordered[name], list(values)))
    verified = np.fromiter((bool(r[first_rank - 2]) for r in rows), dtype=bool, count=n)
    updated = np.fromiter((_micros(r[first_rank - 1]) for r in rows), dtype=np.int64, count=n)
    orders = {"name": positions}
    for col, sort in enumerate(sorts[1:], start=first_rank + 1):
        orders[sort] = np.argsort(np.fromiter((r[col] for r in rows), dtype=np.int64, count=n), kind="stable")
    sector_index = {pk: i for i, (pk, *_rest) in enumerate(sector_rows)}
    link_orgs = np.fromiter((o for o, _s in links), dtype=np.int64, count=len(links))
    link_sectors = np.fromiter((sector_index.get(s, -1) for _o, s in links), dtype=np.int64, count=len(links))
    idx_order = np.argsort(ids, kind="stable")
    index = DirectoryIndex(
        fingerprint=fingerprint, ids=ids, id_order=idx_order, columns=columns, verified=verified, orders=orders,
        sector_org=np.zeros(0, np.int64), sector_idx=np.zeros(0, np.int64),
        sectors=[(code, name, name_en) for _pk, code, name, name_en in sector_rows],
        sector_rank=np.arange(len(sector_rows), dtype=np.int64),
        tokens=[], starts=np.zeros(1, np.int64), postings=np.zeros(0, np.int64),
        sector_pks=[pk for pk, *_rest in sector_rows], updated=updated,
        max_id=max_id, max_updated=max_updated, taken_at=taken_at,
    )
    link_pos = index.positions_of(link_orgs)
    keep = (link_pos >= 0) & (link_sectors >= 0)
    index.sector_org, index.sector_idx = link_pos[keep], link_sectors[keep]
    index.tokens, index.starts, index.postings = _load_tokens(index, token_rows)
    return index


def _token_rows() -> list[tuple[str, str]]:
    """(token, its organisation ids joined by commas) in token order: the database groups the
    token rows, ten times fewer rows to bring into Python than one per (token, organisation)."""
    table = connection.ops.quote_name(SearchToken._meta.db_table)
    if connection.vendor == "postgresql":
        joined = "string_agg(organisation_id::text, ',')"
    else:
        joined = "group_concat(organisation_id, ',')"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token, {joined} FROM {table} GROUP BY token ORDER BY token")  # noqa: S608 - our names
        return cursor.fetchall()


def _load_tokens(index: DirectoryIndex, rows: list[tuple[str, str]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Unique tokens in code-point order (= the binary collation of the token column) and postings."""
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


def update(index: DirectoryIndex, fingerprint: Any = ()) -> DirectoryIndex | None:
    """The index brought up to date from the organisations changed since it was made, or None when
    only a full build will do: a write it cannot follow (see _untracked_write), more than
    MAX_CHANGED organisations changed, a new sector, or MAX_STALE dead positions to compact.

    Changed organisations are those with an id above the largest it saw or an updated_at after the
    latest it saw (less CHANGE_MARGIN) whose updated_at it does not hold. Their old positions die;
    the public ones among them get new positions with their facet values, sector links and tokens,
    and a place in each sort order that the database decides (see _places): a few milliseconds
    of queries by primary key instead of seconds of loading.
    """
    if not isinstance(fingerprint, Fingerprint) or not isinstance(index.fingerprint, Fingerprint):
        return None
    if fingerprint.untracked != index.fingerprint.untracked or index.size - index.live > MAX_STALE:
        return None
    published, params = _published_sql()
    with _snapshot():
        taken_at = timezone.now()
        max_id, max_updated = _maxima()
        if max_id < index.max_id or (index.max_updated and (max_updated is None or max_updated < index.max_updated)):
            return None  # the database went back (a restore, a rolled-back transaction the index saw)
        total = None  # the count of public organisations: what the update cannot see otherwise
        if not page_cache.enabled():  # (with it on, _untracked_write sees deletes and bulk updates)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) {published}", params)  # noqa: S608 - our names
                total = cursor.fetchone()[0]
        changed = Organisation.objects.order_by().filter(pk__gt=index.max_id)
        if index.max_updated is not None:
            since = min(index.max_updated, index.taken_at or index.max_updated) - CHANGE_MARGIN
            changed = Organisation.objects.order_by().filter(Q(pk__gt=index.max_id) | Q(updated_at__gt=since))
        seen = list(changed.values_list("pk", "updated_at"))
        held = index.positions_of(np.fromiter((pk for pk, _u in seen), dtype=np.int64, count=len(seen)))
        stale = [pk for (pk, updated), position in zip(seen, held, strict=True)
                 if position < 0 or index.updated[position] != _micros(updated)]
        if len(stale) > MAX_CHANGED:
            return None
        if not stale:
            return _same(index, fingerprint, max_id, max_updated, taken_at) if total in (None, index.live) else None
        listed = ", ".join(str(int(pk)) for pk in stale)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {_row_columns()} {published} AND id IN ({listed}) ORDER BY id", params)  # noqa: S608 - ints
            rows: list[tuple[Any, ...]] = cursor.fetchall()
        dead = index.positions_of(np.array(stale, dtype=np.int64))
        dead = dead[dead >= 0]
        if not rows and not len(dead):  # only rows it does not show, still not public (archived ones)
            return _same(index, fingerprint, max_id, max_updated, taken_at) if total in (None, index.live) else None
        new_ids = [r[0] for r in rows]
        links = list(Organisation.sectors.through.objects.filter(organisation_id__in=new_ids).values_list("organisation_id", "sector_id"))
        tokens = list(SearchToken.objects.filter(organisation_id__in=new_ids).values_list("organisation_id", "token"))
        sector_index = {pk: i for i, pk in enumerate(index.sector_pks)}
        if any(sector not in sector_index for _o, sector in links):
            return None  # a sector the index does not know: its name's place comes with a build
        n, k = index.size, len(rows)
        alive = np.ones(n + k, dtype=bool) if index.alive is None else np.concatenate([index.alive, np.ones(k, dtype=bool)])
        alive[dead] = False
        if total is not None and int(alive.sum()) != total:
            return None
        new_positions = np.arange(n, n + k, dtype=np.int64)
        orders = {}
        for sort, order in index.orders.items():
            kept = order[alive[order]]
            if len(kept) != index.live - len(dead):
                return None  # not expected: an order that does not hold every live position
            orders[sort] = _merge(kept, new_positions, _places(sort, index.ids[kept], new_ids))
        columns, new_values = _extend_columns(index, rows)
        if new_values:
            ordered, _sectors = _value_orders()
            for name, column in columns.items():
                column.rank = _ranks(ordered[name], column.values)
    ids = np.concatenate([index.ids, np.array(new_ids, dtype=np.int64)])
    live = np.flatnonzero(alive)
    position_of = dict(zip(new_ids, new_positions.tolist(), strict=True))
    keep_links = alive[index.sector_org]
    added_pairs = [(token, p) for token, p in index.added_pairs if alive[p]]
    added_pairs += [(token, position_of[pk]) for pk, token in tokens]
    return DirectoryIndex(
        fingerprint=fingerprint, ids=ids, id_order=live[np.argsort(ids[live], kind="stable")], columns=columns,
        verified=np.concatenate([index.verified, np.fromiter((bool(r[-2]) for r in rows), dtype=bool, count=k)]),
        orders=orders,
        sector_org=np.concatenate([index.sector_org[keep_links], np.array([position_of[o] for o, _s in links], dtype=np.int64)]),
        sector_idx=np.concatenate([index.sector_idx[keep_links], np.array([sector_index[s] for _o, s in links], dtype=np.int64)]),
        sectors=index.sectors, sector_rank=index.sector_rank, sector_pks=index.sector_pks,
        tokens=index.tokens, starts=index.starts, postings=index.postings,
        updated=np.concatenate([index.updated, np.fromiter((_micros(r[-1]) for r in rows), dtype=np.int64, count=k)]),
        alive=alive, added=TokenList.of(added_pairs), added_pairs=added_pairs,
        max_id=max(max_id, index.max_id), max_updated=max_updated, taken_at=taken_at, updates=index.updates + 1,
    )


def _same(index: DirectoryIndex, fingerprint: Any, max_id: int, max_updated: dt.datetime | None, taken_at: dt.datetime) -> DirectoryIndex:
    """Nothing the index holds changed (a write to people or relations): the same arrays, newer marks."""
    same = DirectoryIndex(**{f: getattr(index, f) for f in index.__dataclass_fields__ if f != "_sector_masks"})
    same.fingerprint, same.taken_at = fingerprint, taken_at
    same.max_id, same.max_updated = max(max_id, index.max_id), max_updated or index.max_updated
    same.updates = index.updates + 1
    same._sector_masks = index._sector_masks  # same positions: the same masks
    return same


def _extend_columns(index: DirectoryIndex, rows: list[tuple[Any, ...]]) -> tuple[dict[str, ValueColumn], bool]:
    """The facet columns with the new rows' codes appended; whether a value is new to a column."""
    columns: dict[str, ValueColumn] = {}
    new_values = False
    for col, name in enumerate(VALUE_FACETS, start=1):
        column = index.columns[name]
        values = list(column.values)
        codes = []
        for row in rows:
            code = values.index(row[col]) if row[col] in values else -1
            if code < 0:
                values.append(row[col])
                code, new_values = len(values) - 1, True
            codes.append(code)
        columns[name] = ValueColumn(np.concatenate([column.codes, np.array(codes, dtype=np.int32)]), values,
                                    column.rank if len(values) == len(column.values) else np.zeros(len(values), np.int64))
    return columns, new_values


def _places(sort: str, kept_ids: np.ndarray, new_ids: list[int]) -> list[int]:
    """The place (0-based) of each new organisation in the order `sort` of the kept and new ones.

    The kept ones are in that order already; the database orders the new ones among every
    step-th kept one (which stretch each falls in), then among the kept ones of that stretch,
    with the very ORDER BY of the database path: its collation, its place for NULLs. Two queries by
    primary key of about √n rows each for one new row (316 at 100k), where ranking all n again
    would sort them all.
    """
    if not new_ids:
        return []
    order_sql = _order_sql(sort)
    table = connection.ops.quote_name(Organisation._meta.db_table)

    def ordered(ids: list[int]) -> list[int]:
        listed = ", ".join(str(int(pk)) for pk in ids)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {table} WHERE id IN ({listed}) ORDER BY {order_sql}")  # noqa: S608 - ints, our names
            return [row[0] for row in cursor.fetchall()]

    new = set(new_ids)
    # n / step probes, then step rows around each new one: least rows in all at step ≈ √(n / new)
    step = max(PROBE_STEP, math.isqrt(len(kept_ids) // len(new_ids)))
    probes = kept_ids[::step].tolist()
    stretch: dict[int, int] = {}  # new id → how many probes come before it
    seen = 0
    for pk in ordered([*probes, *new_ids]):
        if pk in new:
            stretch[pk] = seen
        else:
            seen += 1
    # stretch s > 0 lies after probe s - 1: the kept rows between it and the next probe
    bucket_of: dict[int, int] = {}
    for s in {s for s in stretch.values() if s > 0}:
        for pk in kept_ids[(s - 1) * step + 1:s * step].tolist():
            bucket_of[pk] = s
    before_in_bucket: dict[int, int] = {}
    places: dict[int, int] = {}
    newer = 0  # new rows placed before, in the database's order
    for pk in ordered([*bucket_of, *new_ids]):
        if pk in new:
            s = stretch[pk]
            kept_before = 0 if s == 0 else (s - 1) * step + 1 + before_in_bucket.get(s, 0)
            places[pk] = kept_before + newer
            newer += 1
        else:
            before_in_bucket[bucket_of[pk]] = before_in_bucket.get(bucket_of[pk], 0) + 1
    return [places[pk] for pk in new_ids]


def _merge(kept: np.ndarray, new_positions: np.ndarray, places: list[int]) -> np.ndarray:
    """`kept` with each new position inserted at its place."""
    merged = np.empty(len(kept) + len(new_positions), dtype=np.int64)
    slot = np.zeros(len(merged), dtype=bool)
    where = np.array(places, dtype=np.int64)
    slot[where] = True
    if slot.sum() != len(new_positions):
        raise AssertionError("two organisations placed at the same rank")
    merged[where] = new_positions
    merged[~slot] = kept
    return merged


def background_refresh() -> bool:
    return bool(getattr(settings, "DIRECTORY_INDEX_BACKGROUND_REFRESH", False))


# the rebuild beside the searches and the swap: core.refresh (shared with the Q&A's indexes)
_refreshed: BackgroundRefreshed[Any, DirectoryIndex] = BackgroundRefreshed(
    "directory-index", version=_fingerprint, build=build, background=background_refresh, update=update)


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
