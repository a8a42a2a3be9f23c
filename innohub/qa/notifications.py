"""The notifications the Q&A service sends, declared as messages (`activity.messages`).

Staff hear of the steps that are theirs (assigned, awaiting approval, returned, taken down,
due soon or late); a member who asked hears of the outcome, with the answer and the
documents it cites written out in their language when they read it. Askers known only by
e-mail get their letters from `qa.letters` instead.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from innohub.activity.messages import Lookup, date, message


def _answers(ids: set[Any]) -> dict[Any, Any]:
    from innohub.qa.selectors import asker_answers_shown

    return asker_answers_shown([i for i in ids if i])


def _answer_text(answer: Any, _value: Any) -> str:
    from innohub.qa.letters import answer_text as render

    return render(answer)


# The answer the asker of a question (stored by its id) reads, as published, as plain text with
# the documents it cites, in the reader's language; nothing while it is not published (taken
# down for correction, say).
answer_text = Lookup(load=_answers, show=_answer_text, missing=lambda _value: "")


QUESTION_ASSIGNED = message(
    "qa.question_assigned", subject=gettext_noop("Question %(code)s is assigned to you (due %(due)s)"), params={"due": date},
)
ANSWER_AWAITS_APPROVAL = message(
    "qa.answer_awaits_approval", subject=gettext_noop("The answer to question %(code)s awaits your approval (due %(due)s)"),
    params={"due": date},
)
DRAFT_RETURNED = message(
    "qa.draft_returned", subject=gettext_noop("Your draft for question %(code)s is returned"), body="%(reason)s", params={"due": date},
)
ANSWER_TAKEN_DOWN = message(
    "qa.answer_taken_down", subject=gettext_noop("The answer to question %(code)s is taken down for correction"), body="%(reason)s",
    params={"due": date},
)
QUESTION_OVERDUE = message(
    "qa.question_overdue", subject=gettext_noop("Question %(code)s is overdue: it was due %(due)s"), params={"due": date},
)
QUESTION_DUE = message(
    "qa.question_due", subject=gettext_noop("Question %(code)s is due %(due)s"), params={"due": date},
)
QUESTION_ANSWERED = message(
    "qa.question_answered", subject=gettext_noop("Your question %(code)s has an answer"), body="%(answer)s", params={"answer": answer_text},
)
ANSWER_CORRECTED = message(
    "qa.answer_corrected", subject=gettext_noop("The answer to your question %(code)s has been corrected"), body="%(answer)s",
    params={"answer": answer_text},
)
QUESTION_NEWS = message(
    "qa.question_news", subject=gettext_noop("News about your question %(code)s"), body="%(reason)s%(answer)s",
    params={"answer": answer_text},
)
