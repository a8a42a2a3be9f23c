"""The engine's ranking draws the same order and funding line as a call's ranking does
today, so `programs.services.ranking` can hand its loop to `rank()` without a change."""

import datetime as dt

import pytest
from django.utils import timezone

from innohub.programs import services
from innohub.programs.models import Application, Review
from innohub.programs.tests.factories import ApplicationFactory, CallFactory, reviewer
from innohub.review import RankRow, rank

pytestmark = pytest.mark.django_db


def test_rank_matches_the_calls_ranking(users):
    call = CallFactory(budget=100_000_000, reviewers_per_application=1, closes_at=timezone.now() - dt.timedelta(days=1))
    expert, start = reviewer(), timezone.now() - dt.timedelta(days=5)
    # ties on score told apart by submission, an amount that would still fit below the line
    for i, (score, amount) in enumerate([(7, 30_000_000), (9, 50_000_000), (7, 20_000_000), (5, 10_000_000), (9, 40_000_000), (3, 5_000_000)]):
        app = ApplicationFactory(call=call, state="under_review", amount_requested=amount, submitted_at=start + dt.timedelta(hours=6 - i))
        review = Review.objects.create(application=app, reviewer=expert)
        services.review_submit(review=review, actor=expert, scores=dict.fromkeys(["innovation", "team", "market", "impact", "feasibility"], score))
    remaining = call.remaining_budget
    services.call_rank(call=call, actor=users["officer"])
    stored = list(Application.objects.filter(call=call).order_by("rank").values_list("pk", "rank", "above_funding_line", "score", "amount_requested", "submitted_at"))
    engine = rank(rows=[RankRow(key=pk, score=score, amount=amount, submitted_at=at) for pk, _r, _a, score, amount, at in stored],
                  budget=remaining)
    assert [(r.key, r.rank, r.above_funding_line) for r in engine] == [(pk, r, above) for pk, r, above, *_ in stored]
    assert [r.above_funding_line for r in engine] == [True, True, False, False, False, False]
