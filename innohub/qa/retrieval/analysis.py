"""The Vietnamese analyser: turns passages and queries into BM25 terms.

Vietnamese words are space-separated *syllables*, and most words are two syllables
("khởi nghiệp", "doanh nghiệp"), so we index each syllable and each pair of adjacent
syllables (bigrams) — the cheap, dictionary-free stand-in for word segmentation.
Every term exists twice: in its accented form ("khởi") and diacritic-folded under a
``~`` prefix ("~khoi"), the two forms living side by side in one index like two fields.
A query typed with diacritics is matched on both (exact accented forms are the
precise signal, folded forms forgive a wrong or missing mark); a query typed without
any diacritics ("khoi nghiep", as people type on phones) is matched on the folded
forms, which hold every passage's words, and on accented forms the index guesses
from the corpus's own bigrams (:meth:`BM25Index.restore_diacritics`), because a
folded syllable is ambiguous ("ban" is bán, bàn, bạn, bản…) where its accented
bigram rarely is.

We build on :mod:`innohub.core.text` (NFC, casefold, folding) rather than a
segmenter such as underthesea or pyvi: those pull in large models or CRF
dependencies, while syllable bigrams alone lift MRR@10 on the three vi-qa dev sets
by 0.05–0.07 over syllables (measure with ``manage.py qa_eval``).
No Django imports here: the analyser is plain Python, used by the index, the
evaluation harness and the benchmark alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from innohub.core.text import fold_diacritics, normalize

FOLDED_PREFIX = "~"
BIGRAM_JOINER = "_"

# Letters and digits form syllables; anything else (punctuation, symbols) ends a
# phrase, and bigrams never cross a phrase boundary ("Điều 3. Giải thích" gives no
# "3_giải"). Hyphens and dots inside a token ("covid-19", "tp.hcm") also split.
_PHRASE_SPLIT_RE = re.compile(r"[^\w\s]+|_+", re.UNICODE)
_SYLLABLE_RE = re.compile(r"[^\W_]+", re.UNICODE)

# Function syllables so frequent that, as unigrams, they rank nothing and cost the
# most time to score (their posting lists cover most passages). They stay inside
# bigrams, where "của người" or "được tiêm" still mean something. Kept short and
# general on purpose: a list tuned to the dev sets would not carry over.
VIETNAMESE_STOPWORDS: frozenset[str] = frozenset(
    {
        "và", "của", "là", "các", "có", "được", "cho", "trong", "với", "những",
        "này", "để", "không", "thì", "một", "đã", "khi", "theo", "từ", "về",
        "tại", "do", "đến", "hoặc", "như", "bị", "mà", "nào", "ra", "vào",
        "nhưng", "vì", "nếu", "lại", "đó", "ở", "sẽ", "đang", "hay", "cũng",
        "thế", "gì", "vậy", "ạ", "ơi", "nhé", "à", "rằng", "thể", "hơn",
    }
)  # fmt: skip


# Vietnamese has a few thousand distinct syllables; folding each one once instead of
# at every occurrence halves the time to analyse a large corpus.
_fold_syllable = lru_cache(maxsize=65_536)(fold_diacritics)


@dataclass(frozen=True, slots=True)
class Analyzer:
    """Configurable analysis shared by indexing and querying.

    ``bigrams`` adds adjacent-syllable pairs; ``folded`` adds the diacritic-folded
    twin of every term; ``stopwords`` are dropped as unigrams only.
    """

    bigrams: bool = True
    folded: bool = True
    stopwords: frozenset[str] = field(default=VIETNAMESE_STOPWORDS)

    def phrases(self, text: str) -> list[list[str]]:
        """NFC, lower-cased syllables, grouped into punctuation-free phrases."""
        clean = normalize(text).casefold()
        out = []
        for chunk in _PHRASE_SPLIT_RE.split(clean):
            syllables = _SYLLABLE_RE.findall(chunk)
            if syllables:
                out.append(syllables)
        return out

    def respell(self, text: str, syllables: list[str]) -> str:
        """``text`` with its syllables (in the order :meth:`phrases` gives them) written
        as ``syllables``, everything else as typed: punctuation, digits, spacing, and
        each syllable's capitals ("COVID-19", "Cho em hoi?" → "Cho em hỏi?"). When they
        do not pair one for one with the text's syllables, they are joined by spaces."""
        text = normalize(text)
        found = list(_SYLLABLE_RE.finditer(text))
        if len(found) != len(syllables):
            return " ".join(syllables)
        parts, end = [], 0
        for match, form in zip(found, syllables, strict=True):
            typed = match.group()
            if typed.isupper() and len(typed) > 1:
                form = form.upper()
            elif typed[:1].isupper():
                form = form[:1].upper() + form[1:]
            parts += [text[end : match.start()], form]
            end = match.end()
        return "".join(parts) + text[end:]

    def _terms(self, phrases: Iterable[list[str]], *, prefix: str) -> list[str]:
        terms: list[str] = []
        for syllables in phrases:
            terms.extend(prefix + s for s in syllables if s not in self.stopwords)
            if self.bigrams:
                terms.extend(
                    prefix + a + BIGRAM_JOINER + b
                    for a, b in zip(syllables, syllables[1:], strict=False)
                )
        return terms

    def _folded_phrases(self, phrases: list[list[str]]) -> list[list[str]]:
        return [[_fold_syllable(s) for s in syllables] for syllables in phrases]

    def accented_terms(self, text: str) -> list[str]:
        return self._terms(self.phrases(text), prefix="")

    def folded_terms(self, text: str) -> list[str]:
        return self._terms(self._folded_phrases(self.phrases(text)), prefix=FOLDED_PREFIX)

    def index_terms(self, text: str) -> list[str]:
        """Every term a passage is indexed under: accented, and folded beside it."""
        phrases = self.phrases(text)
        terms = self._terms(phrases, prefix="")
        if self.folded:
            terms += self._terms(self._folded_phrases(phrases), prefix=FOLDED_PREFIX)
        return terms

    def query_terms(self, text: str) -> tuple[list[str], list[str]]:
        """``(accented, folded)`` terms of a query.

        A query without a single diacritic gives no accented terms: its syllables
        would only match the rare passages written without marks, and would skew
        the ranking toward them.
        """
        phrases = self.phrases(text)
        folded_phrases = self._folded_phrases(phrases)
        typed_marks = folded_phrases != phrases
        accented = self._terms(phrases, prefix="") if typed_marks or not self.folded else []
        folded = self._terms(folded_phrases, prefix=FOLDED_PREFIX) if self.folded else []
        return accented, folded
