"""Benchmark: the questions a question's page offers to merge it into.

The officer's page of a question compares it with the latest questions
(``selectors.DUPLICATE_CANDIDATES``, 500) by ``search.similar_texts``: BM25 over them and
the question, kept when each holds at least half of the other's words. For each vi-qa dev
set this reports, with the set's own questions as the questions asked:

* how good the offers are: two questions judged to the same passage ask for the same
  answer, the nearest thing these sets have to duplicates. *precision* is the share of
  offered questions that share a judged passage with the one asked; *found* the share of
  questions that have such a sibling among the candidates and get at least one offered;
  *offered* the share of questions offered anything;
* p50 / p95 time of one page's comparison in milliseconds, beside plain BM25 (bm25s
  over whitespace syllables, index built and searched the same way) in the same run.

    .venv/bin/python bench/qa_duplicates.py [--data DIR] [--candidates 500] [--min-coverage 0.5]

Needs ../shared/data/vi-qa (beside the repository) or ``--data DIR``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import bm25s
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

from qa_retrieval import DEFAULT_DATA, SETS  # noqa: E402  (this folder is on sys.path)

from innohub.qa.retrieval.evaluation import read_dataset  # noqa: E402


def plain_bm25(text: str, candidates: list[tuple[int, str]], k: int = 5) -> list[int]:
    """The baseline: bm25s over lower-case whitespace syllables, built and searched per page."""
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize([body for _pk, body in candidates], stopwords=None, show_progress=False), show_progress=False)
    ids, _scores = retriever.retrieve(bm25s.tokenize([text], stopwords=None, show_progress=False), k=min(k, len(candidates)), show_progress=False)
    return [candidates[i][0] for i in ids[0]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument("--min-coverage", type=float, default=None, help="instead of search.DUPLICATE_MIN_COVERAGE")
    args = parser.parse_args()

    import django

    django.setup()
    from innohub.qa import search
    from innohub.qa.search import similar_texts

    if args.min_coverage is not None:
        search.DUPLICATE_MIN_COVERAGE = args.min_coverage
    print(f"both ways at least {search.DUPLICATE_MIN_COVERAGE:.0%} of the other's words\n")

    print("| set | questions | offered anything | precision (offers) | found (questions with a sibling) | p50 / p95 ms | plain BM25 p50 / p95 ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in SETS:
        _passages, queries = read_dataset(args.data / name / "corpus.jsonl", args.data / name / "queries-dev.jsonl")
        queries = queries[: args.candidates + 1]
        offered = offers = precise = with_sibling = found = 0
        ours, plain = [], []
        for n, query in enumerate(queries):
            others = [(i, q.text) for i, q in enumerate(queries) if i != n]
            started = time.perf_counter()
            hits = similar_texts(query.text, others)
            ours.append((time.perf_counter() - started) * 1000.0)
            started = time.perf_counter()
            plain_bm25(query.text, others)
            plain.append((time.perf_counter() - started) * 1000.0)
            same_answer = {i for i, q in enumerate(queries) if i != n and q.relevant & query.relevant}
            offered += bool(hits)
            offers += len(hits)
            precise += sum(1 for i in hits if i in same_answer)
            if same_answer:
                with_sibling += 1
                found += bool(set(hits) & same_answer)
        print(
            f"| {name} | {len(queries)} | {offered / len(queries):.1%} | {precise / max(1, offers):.1%} ({offers}) | "
            f"{found / max(1, with_sibling):.1%} ({with_sibling}) | "
            f"{np.percentile(ours, 50):.0f} / {np.percentile(ours, 95):.0f} | {np.percentile(plain, 50):.0f} / {np.percentile(plain, 95):.0f} |"
        )

if __name__ == "__main__":
    main()
