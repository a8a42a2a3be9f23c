"""Benchmark: what the FAQ search's coverage floor costs and what it leaves out.

The public FAQ search and the suggestions while typing leave out an answer that holds
less than ``QA_SEARCH_MIN_COVERAGE`` of the search's words, each weighed by its rarity
(``BM25Index.coverage``). For each vi-qa dev set, lexically as the FAQ search runs, and
beside the same index without a floor in the same run, this reports:

* MRR@10 of the set's own questions (what the floor must not lose), as typed and
  without diacritics;
* the share of the *other* sets' questions that get no answer at all (a law question
  asked of COVID-19 answers, say). These sets are neighbours (health law, health
  questions, laws), so this is a low bound: a search about vaccines in a startup
  department's FAQ shares far less with it;
* p50 / p95 search time in milliseconds.

    .venv/bin/python bench/qa_search_floor.py [--floors 0.1,0.15,0.2] [--data DIR]

Needs ../shared/data/vi-qa (beside the repository) or ``--data DIR``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qa_retrieval import DEFAULT_DATA, SETS  # noqa: E402  (this folder is on sys.path)

from innohub.core.text import fold_diacritics  # noqa: E402
from innohub.qa.retrieval.evaluation import rank_metrics, read_dataset  # noqa: E402
from innohub.qa.retrieval.index import BM25Index  # noqa: E402


def measure(index: BM25Index, queries, others, floor: float) -> dict[str, float]:
    rankings, folded, latencies = [], [], []
    for query in queries:
        started = time.perf_counter()
        rankings.append([h.id for h in index.search(query.text, k=10, min_coverage=floor)])
        latencies.append((time.perf_counter() - started) * 1000.0)
        folded.append([h.id for h in index.search(fold_diacritics(query.text), k=10, min_coverage=floor)])
    relevant = [q.relevant for q in queries]
    nothing = [not index.search(q.text, k=10, min_coverage=floor) for q in others]
    return {
        "mrr@10": rank_metrics(rankings, relevant)["mrr@10"],
        "mrr@10_folded": rank_metrics(folded, relevant)["mrr@10"],
        "others_answered_nothing": float(np.mean(nothing)),
        "latency_ms_p50": float(np.percentile(latencies, 50)),
        "latency_ms_p95": float(np.percentile(latencies, 95)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--floors", default="0.1,0.15,0.2", help="comma-separated floors beside 0 (none)")
    args = parser.parse_args()
    floors = [0.0] + [float(f) for f in args.floors.split(",") if f.strip()]
    data = {s: read_dataset(args.data / s / "corpus.jsonl", args.data / s / "queries-dev.jsonl") for s in SETS}
    results = []
    print(f"{'set':<12} {'floor':>5} {'MRR@10':>7} {'folded':>7} {'others: none':>12} {'p50 ms':>7} {'p95 ms':>7}")
    for name in SETS:
        passages, queries = data[name]
        index = BM25Index.build(passages)
        others = [q for other in SETS if other != name for q in data[other][1]]
        for floor in floors:
            row = {"set": name, "floor": floor, **measure(index, queries, others, floor)}
            results.append(row)
            print(
                f"{name:<12} {floor:>5.2f} {row['mrr@10']:>7.4f} {row['mrr@10_folded']:>7.4f} "
                f"{row['others_answered_nothing']:>12.3f} {row['latency_ms_p50']:>7.2f} {row['latency_ms_p95']:>7.2f}"
            )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
