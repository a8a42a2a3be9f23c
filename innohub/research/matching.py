"""Matching offers and needs with the Q&A's Vietnamese-aware retrieval: the same analyser
(accented and diacritic-folded syllables and bigrams) and BM25 index (`qa.retrieval`), so a
search typed without diacritics ("bang gac khang khuan") finds "băng gạc kháng khuẩn", and an
enterprise's need is matched with the offers that answer it.

The marketplace is small (hundreds of rows), so one index of offers and one of needs are built
in memory from the published rows and kept until a row changes (`forget`, called by the
services; the key also holds the row count and latest change, for other processes).
"""

from __future__ import annotations

import threading
from typing import Any

from django.db.models import Count, Max

from innohub.qa.retrieval.index import BM25Index, Passage
from innohub.research.models import Need, Offer

_lock = threading.Lock()
_cache: dict[str, tuple[Any, BM25Index | None]] = {}


def forget() -> None:
    with _lock:
        _cache.clear()


def _key(model: Any) -> tuple:
    agg = model.objects.filter(published=True).aggregate(n=Count("id"), last=Max("updated_at"))
    return (agg["n"], agg["last"])


def _offer_text(offer: Offer) -> tuple[str, str]:
    return offer.title, f"{offer.summary}\n{offer.licence_terms}"


def _need_text(need: Need) -> tuple[str, str]:
    return need.title, need.description


def _index(name: str) -> BM25Index | None:
    model: Any = Offer if name == "offers" else Need
    text: Any = _offer_text if name == "offers" else _need_text
    key = _key(model)
    with _lock:
        cached = _cache.get(name)
        if cached is not None and cached[0] == key:
            return cached[1]
    rows = list(model.objects.filter(published=True))
    passages = [Passage(id=str(row.pk), title=text(row)[0], text=text(row)[1]) for row in rows]
    index = BM25Index.build(passages) if passages else None
    with _lock:
        _cache[name] = (key, index)
    return index


def search_ids(name: str, query: str, *, k: int = 200) -> list[int]:
    """Ids of the published offers or needs matching the query, best first."""
    index = _index(name)
    if index is None or not query.strip():
        return []
    return [int(hit.id) for hit in index.search(query, k=k)]


def needs_for_offer(offer: Offer, *, k: int = 5) -> list[int]:
    title, body = _offer_text(offer)
    return search_ids("needs", f"{title}\n{body}", k=k)


def offers_for_need(need: Need, *, k: int = 5) -> list[int]:
    title, body = _need_text(need)
    return search_ids("offers", f"{title}\n{body}", k=k)
