"""The retrieval evaluation harness: a corpus and judged queries in, figures out.

Reads the JSONL format of the shared vi-qa sets (``corpus.jsonl``: ``id``, ``title``,
``text``; queries: ``id``, ``text``, ``relevant``), indexes the corpus on its own
(nothing of the site's data is touched), runs every query and reports recall@1/5/10,
MRR@10, per-query latency percentiles and the indexing time (and, when asked, a
bootstrap interval for MRR@10: how far it could move on other questions of the same
kind). Both input files are
checked whole before anything is indexed and every problem is reported at once with
its file and line, so a bad file never yields half a result. The metrics are a few
lines of arithmetic, written here rather than taken from a library (ir-measures,
pytrec_eval) to keep the harness dependency-free and its definitions visible.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from innohub.core.text import fold_diacritics

from .index import BM25Index, Hit, Passage

METRIC_KEYS = (
    "n",
    "recall@1",
    "recall@5",
    "recall@10",
    "mrr@10",
    "latency_ms_p50",
    "latency_ms_p95",
    "index_seconds",
)


@dataclass(frozen=True, slots=True)
class JudgedQuery:
    id: str
    text: str
    relevant: frozenset[str]


class DatasetError(ValueError):
    """A corpus or query file that cannot be used; ``problems`` lists every one."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = self.problems[:20]
        more = len(self.problems) - len(shown)
        text = "\n".join(shown) + (f"\n… and {more} more problems" if more > 0 else "")
        super().__init__(text)


def _read_jsonl(
    path: Path, *, required: dict[str, type | tuple[type, ...]], problems: list[str]
) -> list[tuple[int, dict]]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append(f"{path}: file not found")
        return []
    except IsADirectoryError:
        problems.append(f"{path}: is a directory, not a JSONL file")
        return []
    except OSError as exc:
        problems.append(f"{path}: cannot be read ({exc.strerror or exc})")
        return []
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        problems.append(f"{path}, line {bad_line}: not UTF-8 text")
        return []
    rows: list[tuple[int, dict]] = []
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}, line {number}: not valid JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict):
            problems.append(f"{path}, line {number}: expected a JSON object")
            continue
        bad = False
        for key, kind in required.items():
            if key not in obj:
                problems.append(f"{path}, line {number}: missing {key!r}")
                bad = True
            elif not isinstance(obj[key], kind):
                problems.append(f"{path}, line {number}: {key!r} has the wrong type")
                bad = True
        if not bad:
            rows.append((number, obj))
    if not rows and not any(p.startswith(str(path)) for p in problems):
        problems.append(f"{path}: holds no records")
    return rows


def read_dataset(
    corpus_path: str | Path, queries_path: str | Path
) -> tuple[list[Passage], list[JudgedQuery]]:
    """Read and check both files; raise :class:`DatasetError` listing every problem."""
    corpus_path, queries_path = Path(corpus_path), Path(queries_path)
    problems: list[str] = []
    corpus_rows = _read_jsonl(corpus_path, required={"id": str, "text": str}, problems=problems)
    query_rows = _read_jsonl(
        queries_path, required={"id": str, "text": str, "relevant": list}, problems=problems
    )
    passages: list[Passage] = []
    seen: dict[str, int] = {}
    for number, obj in corpus_rows:
        pid = obj["id"]
        if pid in seen:
            problems.append(f"{corpus_path}, line {number}: id {pid!r} already on line {seen[pid]}")
            continue
        seen[pid] = number
        title = obj.get("title") or ""
        if not isinstance(title, str):
            problems.append(f"{corpus_path}, line {number}: 'title' has the wrong type")
            continue
        passages.append(Passage(id=pid, text=obj["text"], title=title))
    queries: list[JudgedQuery] = []
    for number, obj in query_rows:
        relevant = obj["relevant"]
        if not relevant or not all(isinstance(r, str) for r in relevant):
            problems.append(f"{queries_path}, line {number}: 'relevant' must list corpus ids")
            continue
        unknown = [r for r in relevant if r not in seen]
        if corpus_rows and len(unknown) == len(relevant):
            # A query none of whose answers is in the corpus can never be found: a
            # mismatched pair of files, not a retrieval failure.
            problems.append(
                f"{queries_path}, line {number}: relevant id(s) {unknown[:3]!r} "
                f"not in {corpus_path.name}"
            )
            continue
        queries.append(JudgedQuery(id=obj["id"], text=obj["text"], relevant=frozenset(relevant)))
    if problems:
        raise DatasetError(problems)
    return passages, queries


MRR_INTERVAL_KEY = "mrr@10_ci95"


def first_relevant_ranks(
    ranked_ids: Sequence[Sequence[str]], relevant: Sequence[frozenset[str]]
) -> list[int | None]:
    """Each query's rank of its first relevant id in the top 10 (``None``: not there)."""
    if len(ranked_ids) != len(relevant):
        raise ValueError("one ranking per query is needed")
    return [
        next((r for r, pid in enumerate(ranking[:10], start=1) if pid in rel), None)
        for ranking, rel in zip(ranked_ids, relevant, strict=True)
    ]


def rank_metrics(
    ranked_ids: Sequence[Sequence[str]], relevant: Sequence[frozenset[str]]
) -> dict[str, float]:
    """Recall@1/5/10 (a hit is any relevant id in the top k) and MRR@10, averaged."""
    return _metrics_of(first_relevant_ranks(ranked_ids, relevant))


def _metrics_of(first_ranks: Sequence[int | None]) -> dict[str, float]:
    n = len(first_ranks)
    if n == 0:
        return {"recall@1": 0.0, "recall@5": 0.0, "recall@10": 0.0, "mrr@10": 0.0}

    def recall_at(k: int) -> float:
        return sum(1 for r in first_ranks if r is not None and r <= k) / n

    return {
        "recall@1": recall_at(1),
        "recall@5": recall_at(5),
        "recall@10": recall_at(10),
        "mrr@10": sum(1.0 / r for r in first_ranks if r is not None) / n,
    }


def bootstrap_interval(
    values: Sequence[float], *, resamples: int, level: float = 0.95, seed: int = 0
) -> tuple[float, float]:
    """The percentile bootstrap interval of the mean of ``values``: the queries are drawn
    again with replacement ``resamples`` times, and the middle ``level`` of the means
    is kept. It says how far a figure measured on these queries could move on other
    queries of the same kind (500 questions give about ±0.04 on MRR@10). Seeded, so
    a run gives the same interval again."""
    if resamples < 1:
        raise ValueError("resamples must be at least 1")
    if not 0 < level < 1:
        raise ValueError("level must lie between 0 and 1")
    data = np.asarray(values, dtype=np.float64)
    if data.size == 0:
        return 0.0, 0.0
    rng = np.random.default_rng(seed)
    means = np.empty(resamples, dtype=np.float64)
    for start in range(0, resamples, 1000):  # bounded memory: 1,000 resamples at a time
        count = min(1000, resamples - start)
        means[start : start + count] = data[rng.integers(0, data.size, (count, data.size))].mean(1)
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(means, [tail, 100.0 - tail])
    return float(low), float(high)


Searcher = Callable[[str, int], list[str]]


class Retriever(Protocol):
    def search(self, query: str, *, k: int = 10) -> list[Hit]: ...


def run_queries(
    search: Searcher,
    queries: Sequence[JudgedQuery],
    *,
    fold_queries: bool = False,
    k: int = 10,
    bootstrap: int = 0,
) -> dict[str, Any]:
    """Run every query through ``search`` (text, k → ranked ids); metrics + latency, and
    with ``bootstrap`` resamples the 95 % interval of MRR@10 (:data:`MRR_INTERVAL_KEY`)."""
    rankings: list[list[str]] = []
    latencies: list[float] = []
    for query in queries:
        text = fold_diacritics(query.text) if fold_queries else query.text
        started = time.perf_counter()
        ranking = search(text, k)
        latencies.append((time.perf_counter() - started) * 1000.0)
        rankings.append(ranking)
    figures: dict[str, Any] = {"n": len(queries)}
    first_ranks = first_relevant_ranks(rankings, [q.relevant for q in queries])
    figures.update(_metrics_of(first_ranks))
    lat = np.asarray(latencies) if latencies else np.zeros(1)
    figures["latency_ms_p50"] = float(np.percentile(lat, 50))
    figures["latency_ms_p95"] = float(np.percentile(lat, 95))
    if bootstrap:
        reciprocal = [1.0 / r if r else 0.0 for r in first_ranks]
        figures[MRR_INTERVAL_KEY] = list(bootstrap_interval(reciprocal, resamples=bootstrap))
    return figures


def evaluate(
    corpus_path: str | Path,
    queries_path: str | Path,
    *,
    fold_queries: bool = False,
    k: int = 10,
    index_factory: Callable[[list[Passage]], Retriever] | None = None,
    bootstrap: int = 0,
) -> dict[str, Any]:
    """Index ``corpus_path`` apart from anything else and score ``queries_path`` on it.

    Returns the keys of :data:`METRIC_KEYS`, and :data:`MRR_INTERVAL_KEY` (``[low,
    high]``) when ``bootstrap`` resamples are asked for. Raises :class:`DatasetError`
    for unusable files before any indexing is done.
    """
    if bootstrap < 0:
        raise ValueError("bootstrap must be 0 (none) or a number of resamples")
    passages, queries = read_dataset(corpus_path, queries_path)
    build: Callable[[list[Passage]], Retriever] = index_factory or (lambda ps: BM25Index.build(ps))
    started = time.perf_counter()
    index = build(passages)
    index_seconds = time.perf_counter() - started

    def search(text: str, top_k: int) -> list[str]:
        return [hit.id for hit in index.search(text, k=top_k)]

    figures = run_queries(
        search, queries, fold_queries=fold_queries, k=max(k, 10), bootstrap=bootstrap
    )
    figures["index_seconds"] = index_seconds
    figures["n"] = int(figures["n"])
    keys = METRIC_KEYS + ((MRR_INTERVAL_KEY,) if bootstrap else ())
    return {key: figures[key] for key in keys}
