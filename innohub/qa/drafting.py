"""Composing a draft answer from retrieved sources, with numbered citations.

Without a language model the draft is *extractive*: for three of the retrieved
sources, the sentences holding most of what the question asks about (not the words it
is asked with, "bao nhiêu", "không", nor "và", "được"), followed by the source's number
``[n]``. The three are the best-ranked source and then, each time, the
one that adds most of what the question asks about, so that a question asking two
things gets a line on each. With ``QA_LLM_BASE_URL`` set, the OpenAI-compatible ``/chat/completions``
endpoint (vLLM, Ollama, llama.cpp server) gets the question and the numbered sources
only, and every ``[n]`` in its reply is checked against them: a draft citing a number
that is not a retrieved source is flagged for the officer. We call the endpoint with
the standard library's ``urllib`` (one POST of JSON): no client library is worth a
dependency for it.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.core.text import has_diacritics, search_key, tokenize
from innohub.qa.retrieval import lexicon
from innohub.qa.retrieval.analysis import VIETNAMESE_STOPWORDS

# ";" joins the parts of one rule ("… một lần cho mỗi giai đoạn; kinh phí được cấp …"):
# cut there, a quote stopped at the semicolon
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+|\n+")
_CITATION_RE = re.compile(r"\[(\d{1,3})\]")
_BULLET_RE = re.compile(r"^(?:[-+*•–]\s+)+")
_CITATION_MARK_RE = re.compile(r"\s*\[\d{1,3}\]")
EXTRACTIVE_SOURCES = 3
# a source is taken for what it adds when it holds at least this many more of the words
# asked about: one more syllable ("khởi" of "khởi nghiệp") pulled in a clause on the
# dossier's certificate for a question on the amount of support
MIN_NEW_WORDS = 2
# the line an extractive draft opens with, by the question's language
OPENINGS = {"vi": "Sở Khoa học và Công nghệ trả lời như sau:", "en": "The Department answers as follows:"}
# A question asking *when* ("khi nào", "bao giờ"; matched folded, as typed on a phone),
# or naming this year or a later one, that the sources found do not answer: an extractive
# draft still quotes the closest clauses, so the officer is told to check. A time is a
# date ("ngày 08 tháng 5", "15/11/2026", "quý II", "hằng năm") or a time limit ("trong
# thời hạn 30 ngày làm việc"). A year already past is often told in passing ("thành lập
# năm 2023"), so only this year and later ones are looked for in the sources.
_WHEN_RE = re.compile(r"\b(?:khi nao|bao gio|luc nao|thoi diem nao|ngay nao|thang nao|nam nao|when|what date)\b")
_YEAR_RE = re.compile(r"(?<![\d/.])(?:19|20)\d{2}(?![\d/.])")
_DATE_RE = re.compile(
    r"\d{1,2}/\d{1,2}(?:/\d{2,4})?|\b(?:ngay|thang|quy|nam)\s+(?:\d|[ivx]+\b)|\bhang\s+(?:nam|quy|thang|tuan)\b"
    r"|(?<!\d)(?:19|20)\d{2}(?!\d)|\d+\s+(?:ngay|thang|nam|tuan|gio|quy)\b"
)
# the words a question is asked with ("bao nhiêu", "không", "tôi") and function words
_NOT_ASKED_ABOUT = VIETNAMESE_STOPWORDS | lexicon.ASKING
_NOT_ASKED_ABOUT_FOLDED = frozenset(search_key(w) for w in _NOT_ASKED_ABOUT)


@dataclass
class Source:
    number: int
    label: str  # "Quyết định 12/2026/QĐ-SKHCN, Điều 5, Khoản 2"
    text: str


@dataclass
class Draft:
    text: str
    generator: str  # "extractive" or "llm"
    flagged: bool = False
    flag_reason: str = ""


def _best_sentences(question: str, text: str, limit: int = 2, *, language: str = "vi") -> str:
    """The ``limit`` sentences of ``text`` holding most of what the question asks about,
    in their order (the first ones, for a question in another language)."""
    words, folded = _asked_about(question, language=language)
    sentences = [s for s in _quotable_sentences(text) if len(s) > 20]
    if not sentences:
        return text.strip()[:400]
    scored = sorted(enumerate(sentences), key=lambda p: (-len(words & _words(p[1], folded=folded)), p[0]))
    chosen = sorted(scored[:limit])
    return " ".join(s for _, s in chosen)


def _quotable(sentence: str) -> str:
    """A sentence as the draft quotes it. An earlier published answer is a source too,
    and its lines start with a bullet and end with the numbers of *its* sources: quoted
    as they were, the draft read "- - Giai đoạn ươm tạo …" and its "[1]" would point at
    the new answer's first source."""
    return _BULLET_RE.sub("", without_citations(sentence))


def without_citations(text: str) -> str:
    """``text`` without its ``[n]`` (which point at the sources of the answer it comes from)."""
    return " ".join(_CITATION_MARK_RE.sub("", text).split())


def _quotable_sentences(text: str) -> list[str]:
    """The sentences of ``text`` a draft may quote: an earlier answer's opening line is
    not one (nor does it say what that answer is about: its "Khoa học" matched the "học"
    of "trường đại học")."""
    return [s for s in map(_quotable, _SENTENCE_RE.split(text)) if s and s not in OPENINGS.values()]


def summary(text: str, *, query: str = "", language: str = "vi") -> str:
    """An answer as one run of its sentences, for a list of answers: without the opening
    line drafts start with, the lines' bullets and the ``[n]`` (which link to sources only
    on the answer's own page). In the list, each card read "Sở Khoa học và Công nghệ trả
    lời như sau: - … [1]" before the reader reached what it says. For a search, the run
    starts at the first sentence holding most of the words searched for ("…" before it),
    so that what matched is what a phone shows before the text is cut."""
    sentences = _quotable_sentences(text)
    words, folded = _asked_about(query, language=language) if query else (set(), False)
    held: list[int] = [len(words & _words(sentence, folded=folded)) for sentence in sentences]
    most = max(held, default=0)
    start = held.index(most) if most else 0
    return ("… " if start else "") + " ".join(sentences[start:])


def _words(text: str, *, folded: bool) -> set[str]:
    return {search_key(w) for w in tokenize(text)} if folded else set(tokenize(text))


def _asked_about(question: str, *, language: str = "vi") -> tuple[set[str], bool]:
    """``(words, folded)``: the question's words that say what it is about, and whether
    they are to be compared without their marks, as for a question typed without any
    (a word is then left out when one of the words questions are asked with folds to
    it, "co" for "có"). With marks, "dùng" (use) is not "dựng" (build), nor "lương"
    (salary) "lường" (measure). A question in another language than Vietnamese has no
    word to compare with the Vietnamese passages: folded, English "it" would be "ít"
    (few), "can" "cần" (need)."""
    if language != "vi":
        return set(), False
    if has_diacritics(question):
        return {w for w in tokenize(question) if len(w) > 1 and w not in _NOT_ASKED_ABOUT}, False
    words = {
        search_key(w)
        for w in tokenize(question)
        if len(w) > 1
        and w not in _NOT_ASKED_ABOUT
        and not (w == search_key(w) and w in _NOT_ASKED_ABOUT_FOLDED)
    }
    return words, True


def pick_sources(question: str, sources: list[Source], limit: int = EXTRACTIVE_SOURCES, *, language: str = "vi") -> list[Source]:
    """``limit`` sources for an extractive draft, in their retrieved order: the best-ranked
    one, then each time the one holding most of the question's words that those chosen do
    not hold yet (by rank when equal, and when none adds ``MIN_NEW_WORDS``). "Giai đoạn tăng tốc được
    hỗ trợ bao nhiêu và có được dùng để chi lương không?" gets the clause on the amount and
    the one on salaries, even when two more clauses on amounts rank between them."""
    if len(sources) <= limit:
        return list(sources)
    wanted, folded = _asked_about(question, language=language)
    held = {source.number: wanted & _words(" ".join(_quotable_sentences(source.text)), folded=folded) for source in sources}
    chosen, rest = [sources[0]], list(sources[1:])
    covered = set(held[sources[0].number])
    while len(chosen) < limit and rest:
        best = max(rest, key=lambda source: len(held[source.number] - covered))  # first of equals
        if len(held[best.number] - covered) < MIN_NEW_WORDS:
            best = rest[0]
        chosen.append(best)
        rest.remove(best)
        covered |= held[best.number]
    return sorted(chosen, key=lambda source: source.number)


def compose_extractive(question: str, sources: list[Source], *, language: str = "vi") -> Draft:
    if not sources:
        text = (
            "Chưa tìm thấy văn bản nào trong cơ sở tri thức trả lời câu hỏi này; cán bộ cần soạn câu trả lời."
            if language == "vi"
            else "No document in the knowledge base answers this question yet; an officer needs to write the answer."
        )
        return Draft(text=text, generator="extractive", flagged=True, flag_reason=_("no document in the knowledge base was found for this question"))
    lines = [OPENINGS["vi" if language == "vi" else "en"]]
    for source in pick_sources(question, sources, language=language):
        lines.append(f"- {_best_sentences(question, source.text, language=language)} [{source.number}]")
    return Draft(text="\n".join(lines), generator="extractive")


def cited_numbers(text: str) -> set[int]:
    """The source numbers ``[n]`` a text cites."""
    return {int(n) for n in _CITATION_RE.findall(text)}


def renumber_citations(text: str) -> tuple[str, dict[int, int]]:
    """``text`` with its ``[n]`` numbered in the order they first appear ([1], [2], [3] …)
    and the map from each stored number to the number shown. A draft keeps the numbers of
    the sources as retrieved, so a published answer could read "[1] … [3] … [7]" to the
    citizen; what readers see (page, e-mail, API) is numbered as it is read."""
    order: dict[int, int] = {}
    for match in _CITATION_RE.finditer(text or ""):
        order.setdefault(int(match.group(1)), len(order) + 1)
    return _CITATION_RE.sub(lambda m: f"[{order[int(m.group(1))]}]", text or ""), order


def check_citations(text: str, numbers: set[int]) -> tuple[bool, str]:
    """(flagged, reason): every [n] must be one of the retrieved sources, and there must be
    one. The reason is for the officer, in the active language."""
    cited = cited_numbers(text)
    unknown = sorted(cited - numbers)
    if unknown:
        return True, _("cites sources that were not retrieved: %(numbers)s") % {"numbers": ", ".join(f"[{n}]" for n in unknown)}
    if not cited:
        return True, _("cites no source")
    return False, ""


def generate_with_llm(question: str, sources: list[Source], *, language: str = "vi") -> Draft:
    """Ask the configured endpoint; raises OSError/ValueError when it fails or answers nonsense."""
    numbered = "\n\n".join(f"[{s.number}] {s.label}\n{s.text}" for s in sources)
    system = (
        "Bạn là cán bộ Sở Khoa học và Công nghệ TP.HCM. Chỉ trả lời dựa trên các nguồn được đánh số bên dưới, "
        "ghi số nguồn trong ngoặc vuông như [1] sau mỗi ý. Nếu các nguồn không trả lời được, hãy nói rõ."
        if language == "vi"
        else "You are an officer of the HCMC Department of Science and Technology. Answer only from the numbered "
        "sources below, citing their numbers in square brackets like [1] after each point. If they do not answer, say so."
    )
    payload = {
        "model": settings.QA_LLM_MODEL,
        "messages": [
            {"role": "system", "content": f"{system}\n\n{numbered}"},
            {"role": "user", "content": question},
        ],
        "temperature": 0.1,
    }
    headers = {"Content-Type": "application/json"}
    if settings.QA_LLM_API_KEY:
        headers["Authorization"] = f"Bearer {settings.QA_LLM_API_KEY}"
    url = settings.QA_LLM_BASE_URL.rstrip("/") + "/chat/completions"
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), headers=headers, method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=settings.QA_LLM_TIMEOUT_SECONDS) as response:  # noqa: S310
        body = json.loads(response.read().decode("utf-8"))
    text = str(body["choices"][0]["message"]["content"]).strip()
    if not text:
        raise ValueError("empty completion")
    flagged, reason = check_citations(text, {s.number for s in sources})
    return Draft(text=text, generator="llm", flagged=flagged, flag_reason=reason)


def unanswered_hint(question: str, sources: list[Source], draft_text: str) -> str:
    """Why the draft may not answer the question, or "" (a hint: it does not flag the draft).

    The question names this year or a later one that no source found mentions ("… trong
    năm 2027?"), or asks
    when and the draft gives no date. Either way the sources were the closest clauses
    the knowledge base holds, not an answer, and the officer should write one."""
    asked = search_key(question)
    this_year = timezone.localdate().year
    named = {year for year in _YEAR_RE.findall(asked) if int(year) >= this_year}
    years = sorted(named - set(_YEAR_RE.findall(search_key(" ".join(s.text for s in sources)))))
    if years:
        return _("the question names %(years)s, which no source found mentions: the knowledge base may not answer it") % {"years": ", ".join(years)}
    if _WHEN_RE.search(asked) and not _DATE_RE.search(search_key(without_citations(draft_text))):
        return _("the question asks when, and the draft gives no date: the knowledge base may not answer it")
    return ""


def compose(question: str, sources: list[Source], *, language: str = "vi") -> Draft:
    draft = _compose(question, sources, language=language)
    if sources and not draft.flagged:
        hint = unanswered_hint(question, sources, draft.text)
        draft.flag_reason = "; ".join(r for r in (draft.flag_reason, hint) if r)
    return draft


def _compose(question: str, sources: list[Source], *, language: str = "vi") -> Draft:
    if settings.QA_LLM_BASE_URL and sources:
        try:
            return generate_with_llm(question, sources, language=language)
        except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
            draft = compose_extractive(question, sources, language=language)
            draft.flag_reason = _("the language model could not be reached (%(error)s); the draft is extractive") % {"error": type(exc).__name__}
            return draft
    return compose_extractive(question, sources, language=language)
