"""The lexical index: BM25 over the Vietnamese analyser's terms, saved to a directory.

We use ``bm25s`` to build the index: it computes every (term, passage) BM25 weight
once, at index time, into a sparse matrix, and saves/loads it as numpy arrays (which
can be memory-mapped), so a query is only a sum of a few precomputed columns. We
score queries with our own few lines of numpy over that same matrix instead of
``BM25.retrieve`` because our queries are *weighted* (folded twins and bigrams count
less than exact accented syllables). Each term's postings are added in place with a
plain fancy-index addition (a term's postings name each passage once), not bm25s's
unbuffered ``np.add.at``: our queries carry four kinds of terms, so they have several
times more of them than a plain BM25 query (figures in ``bench/qa_retrieval.py``).
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from innohub.core.text import fold_diacritics

from . import lexicon
from .analysis import BIGRAM_JOINER, FOLDED_PREFIX, Analyzer

# bm25s sets its own logger to DEBUG and logs every build; keep our logs readable.
logging.getLogger("bm25s").setLevel(logging.WARNING)

_META_FILE = "innohub_passages.json"
FORMAT_VERSION = 1

# A passage's first words say what it is about: an answer restates the question ("Thủ
# tục kê khai giá thuốc … gồm 03 thủ tục"), a published answer starts with its question,
# an article with its heading. They are indexed LEAD_REPEATS more times (a lead field
# folded into the body, as BM25F would weigh it); measured on the vi-qa dev sets in
# docs/benchmarks.md.
LEAD_WORDS = 20
LEAD_REPEATS = 2


def lead(text: str, words: int = LEAD_WORDS) -> str:
    """The first ``words`` whitespace-separated words of ``text``."""
    return " ".join(text.split()[:words])


@dataclass(frozen=True, slots=True)
class Passage:
    """One retrievable unit: an id the caller understands, and the text to match."""

    id: str
    text: str
    title: str = ""

    @property
    def indexed_text(self) -> str:
        # The title ("Luật Cư trú 2020, Điều 38. ...") names the topic of the passage
        # in words queries use, so it is matched like the body.
        return f"{self.title}\n{self.text}" if self.title else self.text


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    score: float
    rank: int


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each kind of query term counts (an exact accented syllable is 1), and
    how much its repeats add.

    A term met ``n`` times in the query counts ``n (k3 + 1) / (n + k3)`` times: BM25's
    query-side saturation (Robertson's k3), so a long question that says "tiêm" five
    times is not ranked on that one word. ``k3=None`` counts every repeat in full.
    On the vi-qa dev sets k3 from 0.7 to 2 ranks alike and better than counting in full
    (docs/benchmarks.md).
    """

    accented_unigram: float = 1.0
    accented_bigram: float = 1.0
    folded_unigram: float = 0.5
    folded_bigram: float = 0.5
    k3: float | None = 1.2

    def repeats(self, count: int) -> float:
        """How many times a term met ``count`` times in the query counts."""
        if self.k3 is None:
            return float(count)
        return count * (self.k3 + 1.0) / (count + self.k3)


def top_positions(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` highest scores, best first; ties broken by corpus order
    so that results are stable from run to run."""
    k = min(k, scores.size)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    top = np.argpartition(-scores, k - 1)[:k] if k < scores.size else np.arange(scores.size)
    return top[np.lexsort((top, -scores[top]))]


class BM25Index:
    """A built or loaded BM25 index with its passage ids and analyser."""

    def __init__(
        self,
        *,
        model: bm25s.BM25,
        passage_ids: list[str],
        analyzer: Analyzer,
        weights: Weights,
    ) -> None:
        self._model = model
        self.passage_ids = passage_ids
        self.analyzer = analyzer
        self.weights = weights
        scores = model.scores
        self._data = scores["data"]
        self._indices = scores["indices"]
        self._indptr = scores["indptr"]
        self._vocab: dict[str, int] = model.vocab_dict
        self._restorations: dict[str, tuple[int, str]] | None = None
        self._forms: dict[str, dict[str, int]] | None = None
        self._reading_options: dict[str, list[tuple[str, float]]] = {}

    def __len__(self) -> int:
        return len(self.passage_ids)

    @classmethod
    def build(
        cls,
        passages: Iterable[Passage],
        *,
        analyzer: Analyzer | None = None,
        weights: Weights | None = None,
        k1: float = 1.2,
        b: float = 0.75,
        lead_repeats: int = LEAD_REPEATS,
    ) -> BM25Index:
        analyzer = analyzer or Analyzer()
        ids: list[str] = []
        corpus_terms: list[list[str]] = []
        for passage in passages:
            ids.append(passage.id)
            terms = analyzer.index_terms(passage.indexed_text)
            if lead_repeats:
                terms += analyzer.index_terms(lead(passage.text)) * lead_repeats
            corpus_terms.append(terms)
        if not ids:
            raise ValueError("cannot build an index over no passages")
        model = bm25s.BM25(k1=k1, b=b)
        model.index(corpus_terms, show_progress=False)
        return cls(model=model, passage_ids=ids, analyzer=analyzer, weights=weights or Weights())

    def with_weights(self, weights: Weights) -> BM25Index:
        """The same index (one model, shared) queried with other term weights."""
        return BM25Index(
            model=self._model, passage_ids=self.passage_ids, analyzer=self.analyzer, weights=weights
        )

    # -- persistence ---------------------------------------------------------------
    def save(self, directory: str | Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self._model.save(str(directory), show_progress=False)
        meta = {
            "format": FORMAT_VERSION,
            "passage_ids": self.passage_ids,
            "analyzer": {
                "bigrams": self.analyzer.bigrams,
                "folded": self.analyzer.folded,
                "stopwords": sorted(self.analyzer.stopwords),
            },
            "weights": {name: getattr(self.weights, name) for name in Weights.__dataclass_fields__},
        }
        (directory / _META_FILE).write_text(json.dumps(meta, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, directory: str | Path, *, mmap: bool = False) -> BM25Index:
        directory = Path(directory)
        meta_path = directory / _META_FILE
        if not meta_path.is_file():
            raise FileNotFoundError(f"{directory} holds no innohub retrieval index")
        meta = json.loads(meta_path.read_text("utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"{directory}: index format {meta.get('format')!r} is not supported")
        model = bm25s.BM25.load(str(directory), mmap=mmap, show_progress=False, verbosity=0)
        a = meta["analyzer"]
        analyzer = Analyzer(
            bigrams=a["bigrams"], folded=a["folded"], stopwords=frozenset(a["stopwords"])
        )
        return cls(
            model=model,
            passage_ids=meta["passage_ids"],
            analyzer=analyzer,
            weights=Weights(**meta["weights"]),
        )

    # -- diacritic restoration -------------------------------------------------------
    def _restoration_table(self) -> dict[str, tuple[int, str]]:
        # folded syllable or bigram -> (document frequency, its commonest accented form
        # in this corpus). Built on first use from the vocabulary, which already holds
        # every accented term and its posting count: nothing extra to store.
        if self._restorations is None:
            df = np.diff(self._indptr)
            table: dict[str, tuple[int, str]] = {}
            for term, term_id in self._vocab.items():
                if not term or term.startswith(FOLDED_PREFIX):
                    continue
                key = fold_diacritics(term)
                count = int(df[term_id])
                # equal counts go to the first form in alphabetical order: the
                # vocabulary's order changes with Python's string hashing, so taking the
                # first one met read a folded query differently from process to process
                if key not in table or (-count, term) < (-table[key][0], table[key][1]):
                    table[key] = (count, term)
            self._restorations = table
        return self._restorations

    def restore_diacritics(self, phrases: list[list[str]]) -> list[list[str]]:
        """Guess the accented form of folded syllables from this corpus's own usage.

        Each syllable takes the accented form of the commonest accented bigram it is
        part of ("tiem vac xin" -> "tiêm vắc xin"), or, alone, its commonest accented
        form. Unknown syllables stay as typed.
        """
        table = self._restoration_table()
        restored: list[list[str]] = []
        for syllables in phrases:
            choice: list[str | None] = [None] * len(syllables)
            support = [-1] * len(syllables)
            for j in range(len(syllables) - 1):
                found = table.get(syllables[j] + BIGRAM_JOINER + syllables[j + 1])
                if found is None:
                    continue
                count, bigram = found
                left, right = bigram.split(BIGRAM_JOINER)
                for position, form in ((j, left), (j + 1, right)):
                    if count > support[position]:
                        choice[position], support[position] = form, count
            restored.append(
                [
                    form if form is not None else table.get(syl, (0, syl))[1]
                    for syl, form in zip(syllables, choice, strict=True)
                ]
            )
        return restored

    # How many accented forms of one folded syllable a reading weighs, and how much a
    # known pair of adjacent syllables counts against the forms' own likelihood.
    READING_FORMS = 8
    READING_PAIR_WEIGHT = 2.0

    def _corpus_forms(self) -> dict[str, dict[str, int]]:
        # folded syllable -> {accented form: document frequency}, from the vocabulary's
        # accented unigrams (stopwords are not among them: general Vietnamese has them)
        if self._forms is None:
            df = np.diff(self._indptr)
            forms: dict[str, dict[str, int]] = {}
            for term, term_id in self._vocab.items():
                if term and not term.startswith(FOLDED_PREFIX) and BIGRAM_JOINER not in term:
                    forms.setdefault(fold_diacritics(term), {})[term] = int(df[term_id])
            self._forms = forms
        return self._forms

    def _options(self, syllable: str) -> list[tuple[str, float]]:
        """The likeliest accented forms of a folded syllable with their log-likelihood:
        the mean of the form's share among the corpus's forms of it and among general
        Vietnamese's (only one of them when the other does not know the syllable); a
        stopword form, which the index does not count, takes its general share in both."""
        cached = self._reading_options.get(syllable)
        if cached is not None:
            return cached
        corpus = self._corpus_forms().get(syllable)
        total = sum(corpus.values()) if corpus else 0
        general = lexicon.general_forms().get(syllable) or {}
        corpus_shares = None
        if corpus and total:
            # Stopwords are not indexed as unigrams, so the corpus cannot count them:
            # without this, a corpus of answers read "vì", "có" and "do" as "vị", "cơ"
            # and "độ". They keep their share of general Vietnamese, and the corpus
            # shares the rest among the forms it does count.
            unseen = {form: share for form, share in general.items() if form in self.analyzer.stopwords}
            rest = 1.0 - sum(unseen.values())
            corpus_shares = {form: count / total * rest for form, count in corpus.items()} | unseen
        shares = [table for table in (corpus_shares, general) if table]
        forms = {form for table in shares for form in table}
        if not forms:
            options = [(syllable, 0.0)]  # a code, a number, a foreign word: as typed
        else:
            options = sorted(
                (
                    (form, math.log(sum(t.get(form, 0.0) for t in shares) / len(shares) + 1e-4))
                    for form in forms
                ),
                key=lambda option: (-option[1], option[0]),
            )[: self.READING_FORMS]
        self._reading_options[syllable] = options
        return options

    def _pair_score(self, left: str, right: str) -> float:
        term_id = self._vocab.get(left + BIGRAM_JOINER + right)
        count = int(self._indptr[term_id + 1] - self._indptr[term_id]) if term_id is not None else 0
        if (left, right) in lexicon.question_pairs():
            count += lexicon.QUESTION_PAIR_COUNT
        return self.READING_PAIR_WEIGHT * math.log1p(count)

    def likely_reading(self, phrases: list[list[str]]) -> list[list[str]]:
        """The likeliest accented reading of folded phrases, for a reader of language.

        Unlike :meth:`restore_diacritics`, which guesses the forms *this corpus* uses
        (what BM25 can match), this reads the query as Vietnamese: each phrase is decoded
        (Viterbi) over every syllable's likeliest forms, scoring each form by its share
        in the corpus and in general Vietnamese (:mod:`.lexicon`) and each adjacent pair
        by how often the corpus, or the phrasing of questions, joins them. An answer
        corpus alone reads "toi muon hoi bao nhieu" as "tới muốn hội bảo nhiều".
        """
        read: list[list[str]] = []
        for syllables in phrases:
            if not syllables:
                read.append([])
                continue
            lattice = [self._options(s) for s in syllables]
            best: list[dict[str, tuple[float, str]]] = [{f: (u, "") for f, u in lattice[0]}]
            for options in lattice[1:]:
                previous = best[-1]
                step: dict[str, tuple[float, str]] = {}
                for form, likelihood in options:
                    step[form] = max(
                        (
                            (score + likelihood + self._pair_score(before, form), before)
                            for before, (score, _) in previous.items()
                        ),
                        key=lambda candidate: candidate[0],
                    )
                best.append(step)
            form = max(best[-1], key=lambda f: best[-1][f][0])
            reading = [form]
            for step in reversed(best[1:]):
                form = step[form][1]
                reading.append(form)
            read.append(reading[::-1])
        return read

    # -- querying ------------------------------------------------------------------
    def query_terms(self, query: str) -> tuple[list[str], list[str], bool]:
        """``(accented, folded, restored)``: a query typed without a single diacritic
        gets accented terms guessed by :meth:`restore_diacritics` (``restored`` True)."""
        accented, folded = self.analyzer.query_terms(query)
        if accented or not self.analyzer.folded:
            return accented, folded, False
        folded_phrases = [
            [fold_diacritics(s) for s in syllables] for syllables in self.analyzer.phrases(query)
        ]
        restored = self.analyzer._terms(self.restore_diacritics(folded_phrases), prefix="")
        return restored, folded, True

    def _read(self, query: str) -> tuple[list[list[str]], bool]:
        """``(phrases, restored)``: the query's phrases, read with their diacritics
        (:meth:`likely_reading`, ``restored`` True) when it was typed without any."""
        phrases = self.analyzer.phrases(query)
        if not self.analyzer.folded or not phrases or self.analyzer.query_terms(query)[0]:
            return phrases, False
        return self.likely_reading(phrases), True

    def restored_query(self, query: str) -> str:
        """The query read with its diacritics when it was typed without any, for the
        components that read language (the dense encoder): see :meth:`likely_reading`."""
        phrases, restored = self._read(query)
        if not restored:
            return query
        # The encoder reads the question as typed, only with its marks back: its
        # punctuation and capitals carry meaning too (MRR@10 without diacritics +0.010
        # to +0.019 on the vi-qa dev sets against lower-cased syllables joined by commas).
        return self.analyzer.respell(query, [form for phrase in phrases for form in phrase])

    def _weighted_term_ids(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        accented, folded, _ = self.query_terms(query)
        w = self.weights
        # term id -> (its weight, how many times the query has it)
        by_id: dict[int, tuple[float, int]] = {}

        def add(terms: Sequence[str], unigram_weight: float, bigram_weight: float) -> None:
            for term in terms:
                term_id = self._vocab.get(term)
                if term_id is None:
                    continue
                weight = bigram_weight if "_" in term else unigram_weight
                by_id[term_id] = (weight, by_id.get(term_id, (weight, 0))[1] + 1)

        # Restored accents are weighted like typed ones: on the dev sets that
        # brings folded queries within 3% of accented ones.
        add(accented, w.accented_unigram, w.accented_bigram)
        add(folded, w.folded_unigram, w.folded_bigram)
        ids = np.fromiter(by_id.keys(), dtype=np.int64, count=len(by_id))
        weights = np.fromiter(
            (weight * w.repeats(count) for weight, count in by_id.values()),
            dtype=np.float32,
            count=len(by_id),
        )
        return ids, weights

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage for ``query`` (zeros when nothing matches)."""
        scores = np.zeros(len(self.passage_ids), dtype=np.float32)
        ids, weights = self._weighted_term_ids(query)
        # One term at a time, its postings added in place: a term's postings name each
        # passage once, so a plain fancy-index addition is right, and it reads only the
        # postings' slices. Gathering every posting first and summing them with one
        # bincount built four arrays the size of all postings (a million at p50 on
        # 100,000 passages) and took three times as long (docs/benchmarks.md).
        for term_id, weight in zip(ids.tolist(), weights.tolist(), strict=True):
            start, end = self._indptr[term_id], self._indptr[term_id + 1]
            if end > start:
                scores[self._indices[start:end]] += self._data[start:end] * np.float32(weight)
        return scores

    def coverage(self, query: str, positions: Sequence[int] | np.ndarray) -> np.ndarray:
        """How much of ``query`` each passage at ``positions`` holds, from 0 to 1: the
        share of the query's distinct syllables that the passage contains, each weighed
        by how much it says, in this corpus (BM25's idf) and in general Vietnamese
        (:func:`lexicon.rarity`). A question typed without marks is read with them
        (:meth:`likely_reading`) and measured alike.

        The syllables a question is asked with (:data:`lexicon.ASKING`: "bao nhiêu",
        "ở đâu", "tôi") and stop-words do not count: a passage sharing only those with
        the question answers another one. A syllable no passage uses counts as rare as
        one passage's: in a corpus of a few answers, idf would otherwise make every word
        of a long question outweigh all those it shares."""
        phrases, _ = self._read(query)
        skip = self.analyzer.stopwords | lexicon.ASKING
        syllables = {s for phrase in phrases for s in phrase if s not in skip}
        positions = np.asarray(positions, dtype=np.int64)
        held = np.zeros(positions.size, dtype=np.float64)
        total = 0.0
        n = len(self.passage_ids)
        for term in {FOLDED_PREFIX + fold_diacritics(s) for s in syllables} if self.analyzer.folded else syllables:
            syllable = fold_diacritics(term.removeprefix(FOLDED_PREFIX))
            term_id = self._vocab.get(term)
            postings = (
                self._indices[self._indptr[term_id] : self._indptr[term_id + 1]]
                if term_id is not None
                else np.zeros(0, dtype=np.int64)
            )
            found_in = max(postings.size, 1)
            weight = math.log(1.0 + (n - found_in + 0.5) / (found_in + 0.5)) * lexicon.rarity(syllable)
            total += weight
            held += weight * np.isin(positions, postings)
        return held / total if total > 0 else held

    def search(self, query: str, *, k: int = 10, min_coverage: float = 0.0) -> list[Hit]:
        """The ``k`` best passages, best first; passages matching nothing are left out,
        and so are those holding less than ``min_coverage`` of the query
        (:meth:`coverage`)."""
        scores = self.scores(query)
        top = top_positions(scores, k)
        top = top[scores[top] > 0]
        if min_coverage > 0 and top.size:
            top = top[self.coverage(query, top) >= min_coverage]
        return [
            Hit(id=self.passage_ids[i], score=float(scores[i]), rank=r)
            for r, i in enumerate(top, start=1)
        ]
