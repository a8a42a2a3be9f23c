"""General Vietnamese, beside a corpus's own usage: for reading a query typed without marks,
and for weighing how much each word of a search says (:func:`rarity`, :data:`ASKING`).

The dense encoder only understands Vietnamese with its diacritics, so a query typed
without them ("toi muon hoi thu tuc gi") is given to it with the marks guessed back.
Guessing from the corpus alone fails on the asker's own words: a corpus of *answers*
rarely holds "tôi", "gì", "bao nhiêu" or "ạ", so they came back as "tới", "gi", "bảo
nhiều", "a". Two general sources fix that:

* syllable frequencies of general Vietnamese from ``wordfreq`` (its Vietnamese list
  ships inside the package, nothing is downloaded), as the share of each accented form
  among the forms that fold to the same letters;
* the closed class of Vietnamese question phrasing (question words, pronouns, polite
  particles, the ways of asking for advice), listed here, whose adjacent pairs count as
  bigram evidence the corpus may lack.

:meth:`BM25Index.likely_reading <innohub.qa.retrieval.index.BM25Index.likely_reading>`
combines them with the corpus's own forms and bigrams.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache

from innohub.core.text import fold_diacritics, normalize

# How people ask: question words, pronouns, particles and set phrases of asking. Their
# adjacent pairs are bigram evidence; their syllables are candidate forms.
QUESTION_PHRASES: tuple[str, ...] = (
    "bao nhiêu", "bao lâu", "bao giờ", "ở đâu", "đi đâu", "từ đâu", "đâu là",
    "như thế nào", "thế nào", "làm thế nào", "ra sao", "là gì", "để làm gì",
    "vì sao", "tại sao", "làm sao", "khi nào", "lúc nào", "hay không", "có phải",
    "phải không", "đúng không", "được không", "có không", "không ạ", "vậy ạ",
    "xin hỏi", "cho hỏi", "cho tôi hỏi", "cho em hỏi", "tôi muốn hỏi", "em muốn hỏi",
    "muốn biết", "xin cảm ơn", "cảm ơn", "cám ơn", "xin chào", "chào bác sĩ",
    "thưa bác sĩ", "bác sĩ ơi", "nhờ bác sĩ", "tư vấn giúp", "giúp tôi", "giúp em",
    "tôi có", "tôi đã", "tôi bị", "tôi là", "tôi cần", "tôi muốn", "em có", "em đã",
    "em bị", "em là", "em cần", "em muốn", "mình có", "mình muốn", "có được",
    "những gì", "những ai", "gì không", "thì sao", "có nên", "nên làm gì",
    "phải làm gì", "cần làm gì", "thủ tục gì", "giấy tờ gì", "gồm những gì",
)  # fmt: skip

# The syllables a question is asked with rather than about: question words, pronouns,
# particles, courtesy. Sharing them says nothing of whether a passage answers it.
ASKING: frozenset[str] = frozenset(
    {
        "bao", "nhiêu", "lâu", "giờ", "đâu", "nào", "sao", "gì", "thế", "ai", "hỏi",
        "tôi", "em", "mình", "ạ", "nhé", "vậy", "chào", "cảm", "cám", "ơn",
        "muốn", "biết", "giúp", "phải", "không", "có", "nên", "cần", "làm",  # not "xin": "vắc xin"
    }
)  # fmt: skip

# Pseudo-count of a question pair, in passages: enough to outweigh a chance pair of
# the corpus, not a pair the corpus uses often.
QUESTION_PAIR_COUNT = 50


def _shares(forms: Mapping[str, float]) -> dict[str, float]:
    total = sum(forms.values())
    return {form: value / total for form, value in forms.items()} if total > 0 else {}


@lru_cache(maxsize=1)
def _general_frequencies() -> Mapping[str, Mapping[str, float]]:
    """Folded syllable -> {accented form: its frequency in general Vietnamese}."""
    from wordfreq import get_frequency_dict  # read on first use: it takes a second

    table: dict[str, dict[str, float]] = {}
    for word, frequency in get_frequency_dict("vi").items():
        word = normalize(word).casefold()
        if word.isalpha():  # one syllable, no digits or punctuation
            forms = table.setdefault(fold_diacritics(word), {})
            forms[word] = forms.get(word, 0.0) + frequency
    return table


@lru_cache(maxsize=1)
def general_rarity() -> Mapping[str, float]:
    """Folded syllable -> how much it says in general Vietnamese: minus the logarithm of
    its frequency, all its accented forms together (wordfreq). "ở", "đâu", "là" say
    little (4–5.3), "tiêm" or "nộp" much (8.8, 10.2); a syllable missing from the list is
    :func:`rarity` of the rarest."""
    return {key: -math.log(sum(forms.values())) for key, forms in _general_frequencies().items()}


def rarity(folded_syllable: str) -> float:
    """:func:`general_rarity` of one folded syllable; one general Vietnamese never uses
    ("blockchain", a name) counts as the rarest listed."""
    found = general_rarity().get(folded_syllable)
    return found if found is not None else _rarest()


@lru_cache(maxsize=1)
def _rarest() -> float:
    return max(general_rarity().values(), default=1.0)


@lru_cache(maxsize=1)
def general_forms() -> Mapping[str, Mapping[str, float]]:
    """Folded syllable -> {accented form: its share among that syllable's forms} in
    general Vietnamese (wordfreq); question phrases' syllables are added when missing."""
    table = {key: dict(forms) for key, forms in _general_frequencies().items()}
    for phrase in QUESTION_PHRASES:
        for syllable in phrase.split():
            table.setdefault(fold_diacritics(syllable), {}).setdefault(syllable, 0.0)
    return {
        key: _shares(forms) or dict.fromkeys(forms, 1.0 / len(forms))
        for key, forms in table.items()
    }


@lru_cache(maxsize=1)
def question_pairs() -> frozenset[tuple[str, str]]:
    """Adjacent accented syllable pairs of :data:`QUESTION_PHRASES`."""
    pairs: set[tuple[str, str]] = set()
    for phrase in QUESTION_PHRASES:
        syllables = phrase.split()
        pairs.update(zip(syllables, syllables[1:], strict=False))
    return frozenset(pairs)
