"""The two documented subsets of vicov19qa measured with ``qa_eval --cv 5`` in session 20
(issue 33, docs/benchmarks.md), where the machine could not encode the 4,449 passages.

Writes, under the folder given (default ``var/``), in corpus order:

* ``vicov-250/``: the first 250 dev questions, their 250 answers and 250 other answers
  drawn at random (seed 0);
* ``vicov-1500/``: all 500 dev questions, their answers, the 250 drawn above and other
  answers drawn at random (seed 0) up to 1,500 passages.

Then, for each: ``manage.py qa_eval --corpus DIR/corpus.jsonl --queries DIR/queries-dev.jsonl
--cv 5 [--fold-queries] --dense-cache CACHE`` (one CACHE for both: the second reuses the
vectors of the first by their text).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

# the vi-qa sets beside the repository, as bench/qa_retrieval.py finds them
SOURCE = Path(__file__).resolve().parents[2] / "shared" / "data" / "vi-qa" / "vicov19qa"


def _write(folder: Path, corpus: list[dict], keep: set[str], queries: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "corpus.jsonl").open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(p, ensure_ascii=False) + "\n" for p in corpus if p["id"] in keep)
    with (folder / "queries-dev.jsonl").open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(q, ensure_ascii=False) + "\n" for q in queries)


def main(target: Path) -> None:
    corpus = [json.loads(line) for line in (SOURCE / "corpus.jsonl").open(encoding="utf-8")]
    queries = [json.loads(line) for line in (SOURCE / "queries-dev.jsonl").open(encoding="utf-8")]

    first = queries[:250]
    relevant = {r for q in first for r in q["relevant"]}
    others = [p["id"] for p in corpus if p["id"] not in relevant]
    small = relevant | set(random.Random(0).sample(others, 500 - len(relevant)))
    _write(target / "vicov-250", corpus, small, first)

    keep = {r for q in queries for r in q["relevant"]} | small
    others = [p["id"] for p in corpus if p["id"] not in keep]
    keep |= set(random.Random(0).sample(others, 1500 - len(keep)))
    _write(target / "vicov-1500", corpus, keep, queries)
    print(f"{len(small)} and {len(keep)} passages written under {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("var"))
