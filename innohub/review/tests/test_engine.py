"""The review engine on subjects that are not applications: plain rows for the rules, and
directory organisations as subjects where the conflicts read the database."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innohub.review import (
    RankRow,
    ReviewerLoad,
    SubjectNeed,
    assign,
    conflicted_reviewers,
    organisation_conflicts,
    rank,
    scores_clean,
    weighted_score,
)


@dataclass(frozen=True)
class Criterion:
    code: str
    weight: int = 1
    min_score: int = 0
    max_score: int = 10
    allow_not_applicable: bool = False


COUNCIL = [Criterion("science", 3), Criterion("feasibility", 2), Criterion("impact", 1, allow_not_applicable=True)]


def test_weighted_score_uses_weights_and_leaves_not_applicable_out():
    assert weighted_score(criteria=COUNCIL, scores={"science": 10, "feasibility": 10, "impact": 0}) == Decimal("83.33")
    assert weighted_score(criteria=COUNCIL, scores={"science": 10, "feasibility": 10, "impact": None}) == Decimal("100.00")
    assert weighted_score(criteria=COUNCIL, scores={"science": 5, "feasibility": 0, "impact": None}) == Decimal("30.00")
    assert weighted_score(criteria=COUNCIL, scores={"science": None, "feasibility": None, "impact": None}) is None


@st.composite
def rubric_and_scores(draw):
    n = draw(st.integers(1, 6))
    criteria, scores = [], {}
    for i in range(n):
        low = draw(st.integers(0, 5))
        high = draw(st.integers(low + 1, 20))
        criteria.append(Criterion(f"c{i}", weight=draw(st.integers(1, 5)), min_score=low, max_score=high, allow_not_applicable=True))
        scores[f"c{i}"] = draw(st.one_of(st.none(), st.integers(low, high)))
    return criteria, scores


@given(rubric_and_scores())
def test_weighted_score_lies_between_the_lowest_and_highest_criterion_score(case):
    criteria, scores = case
    scaled = [Decimal(scores[c.code] - c.min_score) * 100 / (c.max_score - c.min_score) for c in criteria if scores[c.code] is not None]
    score = weighted_score(criteria=criteria, scores=scores)
    if not scaled:
        assert score is None
    else:
        assert min(scaled).quantize(Decimal("0.01")) - Decimal("0.01") <= score <= max(scaled).quantize(Decimal("0.01")) + Decimal("0.01")
        assert Decimal(0) <= score <= Decimal(100)


def test_scores_are_checked_against_each_range_and_na_only_where_allowed():
    clean, errors = scores_clean(criteria=COUNCIL, scores={"science": "11", "feasibility": "na", "impact": "na"})
    assert clean == {"science": 11, "feasibility": None, "impact": None}
    assert errors == {"science": "Hãy cho điểm từ 0 đến 10.", "feasibility": "Hãy cho điểm từ 0 đến 10."}
    clean, errors = scores_clean(criteria=COUNCIL, scores={"science": "7", "feasibility": 4, "impact": ""})
    assert errors == {"impact": "Hãy cho điểm từ 0 đến 10."}  # an empty answer is never taken as N/A
    assert scores_clean(criteria=COUNCIL, scores={"science": "7", "feasibility": "x", "impact": None})[1] == {"feasibility": "Hãy cho điểm từ 0 đến 10."}
    assert scores_clean(criteria=COUNCIL, scores={"science": 7, "feasibility": 4, "impact": None}) == ({"science": 7, "feasibility": 4, "impact": None}, {})


def test_assignment_balances_the_load_and_respects_conflicts_capacity_and_sectors():
    tasks = [SubjectNeed(key=f"task-{i}", need=2, excluded=frozenset({1}) if i % 2 else frozenset()) for i in range(10)]
    experts = [ReviewerLoad(id=uid, capacity=10) for uid in (1, 2, 3, 4, 5)]
    result = assign(subjects=tasks, reviewers=experts)
    assert len(result.pairs) == 20 and result.short == {}
    assert all(len({r for k, r in result.pairs if k == t.key}) == 2 for t in tasks)  # two different experts each
    assert not any(uid == 1 and int(key.split("-")[1]) % 2 for key, uid in result.pairs)  # never the conflicted one
    loads = Counter(uid for _k, uid in result.pairs)
    assert max(loads.values()) - min(loads.values()) <= 1 and result.per_reviewer == dict(loads)


def test_assignment_counts_the_load_already_carried_and_reports_what_is_short():
    experts = [ReviewerLoad(id=1, capacity=2, load=1), ReviewerLoad(id=2, capacity=4, load=0), ReviewerLoad(id=3, capacity=5, load=5)]
    result = assign(subjects=[SubjectNeed(key="a", need=3), SubjectNeed(key="b", need=1), SubjectNeed(key="done", need=0)], reviewers=experts)
    assert result.pairs == [("a", 2), ("a", 1), ("b", 2)]  # the least loaded first; the full one never
    assert result.short == {"a": 1}


def test_assignment_prefers_specialists_and_skips_other_sectors():
    experts = [ReviewerLoad(id=1, capacity=9), ReviewerLoad(id=2, capacity=9, sectors=frozenset({7})), ReviewerLoad(id=3, capacity=9, sectors=frozenset({8}))]
    result = assign(subjects=[SubjectNeed(key="agri", need=2, sectors=frozenset({7}))], reviewers=experts)
    assert result.pairs == [("agri", 2), ("agri", 1)]


def test_conflict_rules_members_declared_and_related_organisations():
    conflicts = conflicted_reviewers(
        organisations={10, 20, 30, 40},
        reviewer_orgs={1: {10}, 2: {99}, 3: set()},
        declared={3: {30}},
        related={99: {20}, 20: {99}},
    )
    assert conflicts == {10: {1}, 20: {2}, 30: {3}}


@dataclass(frozen=True)
class Proposal:
    key: int
    score: Decimal
    amount: int
    submitted_at: dt.datetime | None


def test_rank_orders_by_score_then_submission_and_draws_one_funding_line():
    t = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    rows = [
        Proposal(1, Decimal("80.00"), 50, t),
        Proposal(2, Decimal("90.00"), 60, t),
        Proposal(3, Decimal("80.00"), 30, t - dt.timedelta(days=1)),  # same score, earlier: first
        Proposal(4, Decimal("70.00"), 10, None),  # cheap enough to fit, but below the line already drawn
        Proposal(5, Decimal("70.00"), 10, t),
    ]
    ranked = rank(rows=rows, budget=100)
    assert [(r.key, r.rank, r.cumulative, r.above_funding_line) for r in ranked] == [
        (2, 1, 60, True), (3, 2, 90, True), (1, 3, 140, False), (5, 4, 150, False), (4, 5, 160, False)]
    assert [r.above_funding_line for r in rank(rows=[RankRow(key=1, score=Decimal(1), amount=100)], budget=100)] == [True]
    assert rank(rows=[], budget=100) == []


@pytest.mark.django_db
def test_conflicts_with_organisations_as_subjects_read_memberships_and_relations():
    from innohub.accounts.tests.factories import MembershipFactory, UserFactory
    from innohub.directory.tests.factories import OrganisationFactory, RelationFactory

    institute, lab, other = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    RelationFactory(source=lab, target=institute)  # the lab belongs to the institute
    insider, neighbour, outsider = UserFactory(), UserFactory(), UserFactory()
    MembershipFactory(user=insider, organisation=institute)
    MembershipFactory(user=neighbour, organisation=lab)
    conflicts = organisation_conflicts(reviewer_ids=[insider.pk, neighbour.pk, outsider.pk],
                                       organisation_ids=[institute.pk, other.pk], declared={outsider.pk: {other.pk}})
    assert conflicts == {institute.pk: {insider.pk, neighbour.pk}, other.pk: {outsider.pk}}


def test_a_draft_keeps_the_scores_given_and_checks_them_as_on_submission():
    from innohub.review import scores_draft

    criteria = [Criterion("a"), Criterion("b", allow_not_applicable=True), Criterion("c"), Criterion("d")]
    clean, errors = scores_draft(criteria=criteria, scores={"a": "7", "b": "na", "c": ""})
    assert clean == {"a": 7, "b": None} and errors == {}  # c (empty) and d (not given) are not scored yet: no problem in a draft
    assert scores_draft(criteria=criteria, scores={"b": None}) == ({"b": None}, {})  # None is "not applicable", as on submission
    clean, errors = scores_draft(criteria=criteria, scores={"a": "11", "c": "na", "d": "bảy", "b": None})
    assert set(errors) == {"a", "c", "d"}  # out of range, "not applicable" where it may not be, not a number
    assert scores_draft(criteria=criteria, scores={}) == ({}, {})


def test_draft_keep_sets_nothing_when_a_score_is_bad_and_draft_clear_forgets_it():
    from types import SimpleNamespace

    from innohub.review.drafts import draft_clear, draft_keep, form_values

    holder = SimpleNamespace(draft_scores={}, draft_comment="", draft_saved_at=None)
    criteria = [Criterion("a"), Criterion("b", allow_not_applicable=True)]
    assert draft_keep(holder, criteria=criteria, scores={"a": "12"}, comment="x") == {"a": "Hãy cho điểm từ 0 đến 10."}  # in the active language, Vietnamese first
    assert (holder.draft_scores, holder.draft_comment, holder.draft_saved_at) == ({}, "", None)
    assert draft_keep(holder, criteria=criteria, scores={"b": "na"}, comment="  half  ") == {}
    assert holder.draft_scores == {"b": None} and holder.draft_comment == "half" and holder.draft_saved_at is not None
    assert form_values({"a": 7, "b": None}) == {"a": "7", "b": "na"}
    draft_clear(holder)
    assert (holder.draft_scores, holder.draft_comment, holder.draft_saved_at) == ({}, "", None)
