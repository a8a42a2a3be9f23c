"""The rules of support programmes, through the services (given / when / then)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from innohub.accounts.tests.factories import MembershipFactory
from innohub.activity.models import Event, Notification
from innohub.core.errors import ApplicationError, ConflictError
from innohub.programs import selectors, services, tasks
from innohub.programs.models import (
    Application,
    Award,
    Call,
    Disbursement,
    Milestone,
    Review,
    StageCeiling,
    Tranche,
)
from innohub.programs.stages import DEFAULT_STAGES

from .factories import (
    ApplicationFactory,
    AwardFactory,
    CallFactory,
    applicant_for,
    decide,
    programme,
    report_and_check,
    reviewer,
    signed_record,
    startup,
)

pytestmark = pytest.mark.django_db


def codes(application):
    return {p["code"] for p in selectors.eligibility_problems(application)}


# --- stages -------------------------------------------------------------------------------------------


def test_stage_list_falls_back_to_defaults_without_programmes():
    assert [(s.code, s.ceiling) for s in selectors.stage_list()] == [(s.code, s.ceiling) for s in DEFAULT_STAGES]


def test_stage_list_uses_the_ceiling_of_the_year():
    p = programme("incubation")
    StageCeiling.objects.create(programme=p, year=2027, amount=90_000_000)
    by_code = {s.code: s.ceiling for s in selectors.stage_list(year=2027)}
    assert by_code == {"pre_incubation": 40_000_000, "incubation": 90_000_000, "acceleration": 400_000_000}
    assert {s.code: s.ceiling for s in selectors.stage_list(year=2026)}["incubation"] == 80_000_000


# --- eligibility ---------------------------------------------------------------------------------------


def test_a_complete_application_has_no_problem():
    application = ApplicationFactory()
    application.attachments.create(field_key="business_plan", file="x.pdf", original_name="x.pdf", content_type="application/pdf", size=4, uploaded_by=application.created_by)
    assert selectors.eligibility_problems(application) == []


def test_eligibility_reasons_are_all_listed_at_once():
    org = startup(tax_code="", commune_id=None)
    call = CallFactory(opens_at=timezone.now() - dt.timedelta(days=30), closes_at=timezone.now() - dt.timedelta(days=1))
    application = ApplicationFactory(call=call, organisation=org, amount_requested=45_000_000)
    assert {"call_closed", "amount_above_ceiling", "profile_incomplete", "answer_missing"} <= codes(application)


def test_already_holding_an_award_at_the_stage_is_a_problem():
    award = AwardFactory()
    application = ApplicationFactory(organisation=award.organisation, call=CallFactory())
    assert "already_awarded" in codes(application)


def test_previous_stage_is_required_when_the_call_says_so():
    call = CallFactory(programme=programme("incubation"), require_previous_stage=True)
    application = ApplicationFactory(call=call)
    assert "previous_stage_required" in codes(application)
    previous = AwardFactory(organisation=application.organisation, application=ApplicationFactory(organisation=application.organisation, state="completed"))
    assert previous.stage == "pre_incubation"
    assert "previous_stage_required" not in codes(application)


def test_submit_is_refused_with_reasons_and_changes_nothing():
    application = ApplicationFactory(amount_requested=50_000_000)
    member = applicant_for(application.organisation)
    with pytest.raises(ApplicationError) as exc:
        services.application_transition(application=application, transition="submit", actor=member)
    assert any("40.000.000" in p for p in exc.value.extra["problems"])
    application.refresh_from_db()
    assert application.state == "draft" and not Event.objects.filter(action="application.submit").exists()


# --- applicant flow ------------------------------------------------------------------------------------


def _ready(application):
    application.attachments.create(field_key="business_plan", file="x.pdf", original_name="x.pdf", content_type="application/pdf", size=4, uploaded_by=application.created_by)
    return application


@pytest.mark.parametrize(
    ("language", "message"),
    [("vi", "Hãy nhập số tiền bằng đồng, ví dụ 40.000.000."), ("en", "Enter an amount in VND, for example 40,000,000.")],
)
def test_an_amount_that_is_not_one_is_refused_in_the_readers_own_figures(language, message):
    # Given an application being written; when a member types a word for the amount
    org = startup()
    member = applicant_for(org)
    application = services.application_start(call=CallFactory(), organisation=org, actor=member)
    with translation.override(language), pytest.raises(ApplicationError) as refused:
        services.application_save(application=application, actor=member, amount_requested="bốn mươi")
    # then the example is written as that reader writes amounts, and nothing is saved
    assert refused.value.extra["amount_requested"] == message
    application.refresh_from_db()
    assert application.amount_requested in (0, None)


def test_start_save_submit_return_resubmit():
    org = startup()
    member = applicant_for(org)
    call = CallFactory()
    application = services.application_start(call=call, organisation=org, actor=member)
    with pytest.raises(ConflictError):
        services.application_start(call=call, organisation=org, actor=member)
    services.application_save(application=application, actor=member, title="Máy bay không người lái", amount_requested="35 triệu",
                              answers={"summary": "S", "innovation": "I", "team_size": "3", "plan": "P", "unknown": "ignored"})
    application.refresh_from_db()
    assert application.amount_requested == 35_000_000 and "unknown" not in application.answers
    _ready(application)
    services.application_transition(application=application, transition="submit", actor=member, declaration=True)
    officer = MembershipFactory().user
    officer.role = "officer"
    officer.save()
    services.application_transition(application=application, transition="start_check", actor=officer)
    with pytest.raises(ApplicationError):
        services.application_transition(application=application, transition="return", actor=officer)
    services.application_transition(application=application, transition="return", actor=officer, message="Bổ sung báo cáo tài chính")
    application.refresh_from_db()
    assert application.state == "returned"
    assert selectors.state_label(application, for_applicant=True) == "Cần bổ sung thông tin"
    assert Notification.objects.filter(recipient=member, subject__contains=application.reference).exists()
    services.application_transition(application=application, transition="resubmit", actor=member, message="Đã bổ sung")
    application.refresh_from_db()
    assert application.state == "submitted"
    assert list(application.messages.values_list("kind", flat=True)) == ["request", "reply"]
    actions = list(Event.objects.filter(target_id=str(application.pk)).values_list("action", flat=True))
    assert {"application.started", "application.submit", "application.return", "application.resubmit"} <= set(actions)


def test_applicant_of_another_organisation_cannot_act(users):
    application = _ready(ApplicationFactory())
    with pytest.raises(PermissionDenied):
        services.application_transition(application=application, transition="submit", actor=users["applicant"])
    with pytest.raises(PermissionDenied):
        services.application_save(application=application, actor=users["applicant"], title="x")
    application.refresh_from_db()
    assert application.state == "draft" and application.title != "x"


def test_transition_from_the_wrong_state_is_a_conflict(users):
    application = ApplicationFactory(state="draft")
    with pytest.raises(ConflictError):
        services.application_transition(application=application, transition="approve", actor=users["manager"])


def test_officer_cannot_approve(users):
    application = ApplicationFactory(state="ranked")
    with pytest.raises(PermissionDenied):
        services.application_transition(application=application, transition="approve", actor=users["officer"])
    assert not Award.objects.exists()


def test_withdraw_frees_the_call_for_a_new_application():
    application = ApplicationFactory(state="submitted")
    member = applicant_for(application.organisation)
    services.application_transition(application=application, transition="withdraw", actor=member)
    again = services.application_start(call=application.call, organisation=application.organisation, actor=member)
    assert again.pk != application.pk


def test_attachments_are_checked_for_type_and_size():
    application = ApplicationFactory()
    member = applicant_for(application.organisation)
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ApplicationError):
        services.attachment_add(application=application, field_key="business_plan", upload=fake, actor=member)
    exe = SimpleUploadedFile("plan.exe", b"%PDF-1.4", content_type="application/octet-stream")
    with pytest.raises(ApplicationError):
        services.attachment_add(application=application, field_key="business_plan", upload=exe, actor=member)
    big = SimpleUploadedFile("plan.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1) + b"\n%%EOF", content_type="application/pdf")
    with pytest.raises(ApplicationError) as too_big:
        services.attachment_add(application=application, field_key="business_plan", upload=big, actor=member)
    assert too_big.value.extra == {"business_plan": "size"}
    assert not application.attachments.exists()
    good = SimpleUploadedFile("Kế hoạch.pdf", b"%PDF-1.4 content\n%%EOF\n", content_type="application/pdf")
    attachment = services.attachment_add(application=application, field_key="business_plan", upload=good, actor=member)
    assert attachment.original_name == "Kế hoạch.pdf" and "Kế hoạch" not in attachment.file.name
    assert "answer_missing" not in codes(application)


# --- awards and budget -----------------------------------------------------------------------------------


def test_approve_creates_the_award_and_uses_the_budget(users):
    application = ApplicationFactory(state="ranked", amount_requested=30_000_000)
    decide(application, "approve", users["manager"], amount="30.000.000")
    award = Award.objects.get(application=application)
    call = Call.objects.get(pk=application.call_id)
    assert (award.amount, award.ceiling, call.awarded_total) == (30_000_000, 40_000_000, 30_000_000)


def test_approval_above_ceiling_or_budget_is_refused(users):
    call = CallFactory(budget=50_000_000)
    first = ApplicationFactory(call=call, state="ranked")
    with pytest.raises(ApplicationError):
        decide(first, "approve", users["manager"], amount="41.000.000")
    decide(first, "approve", users["manager"], amount="40.000.000")
    second = ApplicationFactory(call=call, state="ranked", amount_requested=20_000_000)
    with pytest.raises(ConflictError):
        decide(second, "approve", users["manager"], amount="20.000.000")
    second.refresh_from_db()
    assert second.state == "ranked" and Call.objects.get(pk=call.pk).awarded_total == 40_000_000


def test_the_database_refuses_awards_beyond_budget_or_ceiling():
    award = AwardFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Call.objects.filter(pk=award.call_id).update(awarded_total=award.call.budget + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.filter(pk=award.pk).update(amount=award.ceiling + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardFactory(organisation=award.organisation, application=ApplicationFactory(organisation=award.organisation, state="approved"))


# --- milestones and disbursements -------------------------------------------------------------------------


def _contracted_award(users, amount=30_000_000):
    award = AwardFactory(amount=amount)
    m1 = services.milestone_add(award=award, title="Mẫu thử", due_on=dt.date(2026, 12, 31), amount=amount // 2, actor=users["officer"])
    services.milestone_add(award=award, title="Khách hàng đầu tiên", due_on=dt.date(2027, 3, 31), amount=amount // 2, actor=users["officer"])
    with pytest.raises(ApplicationError):
        services.milestone_add(award=award, title="Thêm", due_on=dt.date(2027, 6, 1), amount=1, actor=users["officer"])
    decide(award.application, "contract", users["officer"], record=signed_record(number="15/2026/HĐ-SKHCN"))
    return award, m1


def test_disbursement_needs_a_met_milestone_and_is_idempotent(users):
    award, milestone = _contracted_award(users)
    tranche = milestone.tranche
    with pytest.raises(ConflictError):
        services.disbursement_record(tranche=tranche, actor=users["officer"], key="UNC-001", paid_on=dt.date(2026, 11, 23))
    report_and_check(milestone, member=applicant_for(award.organisation), officer=users["officer"])
    first, created = services.disbursement_record(tranche=tranche, actor=users["officer"], key="UNC-001", paid_on=dt.date(2026, 11, 23))
    again, created_again = services.disbursement_record(tranche=tranche, actor=users["officer"], key="UNC-001", paid_on=dt.date(2026, 11, 23))
    assert created and not created_again and first.pk == again.pk
    with pytest.raises(ConflictError):
        services.disbursement_record(tranche=tranche, actor=users["officer"], key="UNC-002", paid_on=dt.date(2026, 11, 23))
    award.refresh_from_db()
    assert award.disbursed_total == 15_000_000 and Disbursement.objects.count() == 1
    assert Event.objects.filter(action="disbursement.recorded").count() == 1


def test_the_database_refuses_disbursing_beyond_the_award(users):
    award, _m = _contracted_award(users)
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.filter(pk=award.pk).update(disbursed_total=award.amount + 1)


def test_complete_needs_every_milestone_met(users):
    award, m1 = _contracted_award(users)
    services.application_transition(application=award.application, transition="start", actor=users["officer"])
    with pytest.raises(ApplicationError):
        services.application_transition(application=award.application, transition="complete", actor=users["officer"])
    member = applicant_for(award.organisation)
    for m in award.milestones.all():
        report_and_check(m, member=member, officer=users["officer"])
    services.application_transition(application=award.application, transition="complete", actor=users["officer"])


def test_overdue_reminder_is_sent_once_a_day(users):
    award, m1 = _contracted_award(users)
    member = applicant_for(award.organisation)
    Milestone.objects.filter(pk=m1.pk).update(due_on=timezone.localdate() - dt.timedelta(days=3))
    tasks.remind_overdue_milestones.call()
    tasks.remind_overdue_milestones.call()
    assert Notification.objects.filter(recipient=member, subject__contains=m1.title).count() == 1


# --- reviews, assignment, ranking -------------------------------------------------------------------------


def test_weighted_score_leaves_not_applicable_out():
    from innohub.programs import defaults

    criteria = list(defaults.default_rubric().criteria.all())
    all_ten = {c.code: 10 for c in criteria}
    assert services.weighted_score(criteria=criteria, scores=all_ten) == Decimal("100.00")
    with_na = {**all_ten, "impact": None}
    assert services.weighted_score(criteria=criteria, scores=with_na) == Decimal("100.00")
    zero_impact = {**all_ten, "impact": 0}
    assert services.weighted_score(criteria=criteria, scores=zero_impact) == Decimal("90.00")


def test_review_submit_checks_ranges_and_na():
    application = ApplicationFactory(state="under_review")
    expert = reviewer()
    review = Review.objects.create(application=application, reviewer=expert)
    with pytest.raises(ApplicationError) as exc:
        services.review_submit(review=review, actor=expert, scores={"innovation": 11, "team": "na"})
    assert {"innovation", "team", "market", "feasibility"} <= set(exc.value.extra)
    services.review_submit(review=review, actor=expert, scores={"innovation": 8, "team": 6, "market": 7, "impact": "na", "feasibility": 5}, comment="Tốt")
    review.refresh_from_db()
    assert review.state == "submitted" and review.scores["impact"] is None and review.weighted_score == Decimal("66.67")


def test_assignment_balances_load_and_skips_conflicts_capacity_and_sectors(users):
    call = CallFactory(reviewers_per_application=2)
    apps = [ApplicationFactory(call=call, state="under_review") for _ in range(4)]
    a, b, c = reviewer(capacity=10), reviewer(capacity=10), reviewer(capacity=10)
    full = reviewer(capacity=0)
    other_sector = reviewer(capacity=10, sectors=["fintech"])
    MembershipFactory(user=a, organisation=apps[0].organisation)  # a works at the first startup
    result = services.reviewers_assign(call=call, actor=users["officer"])
    assert result["assigned"] == 8 and not result["short"]
    pairs = set(Review.objects.values_list("application_id", "reviewer_id"))
    assert (apps[0].pk, a.pk) not in pairs
    assert not Review.objects.filter(reviewer__in=[full, other_sector]).exists()
    loads = sorted(Review.objects.filter(reviewer__in=[a, b, c]).values_list("reviewer").annotate(n=__import__("django.db.models", fromlist=["Count"]).Count("id")).values_list("n", flat=True))
    assert max(loads) - min(loads) <= 1
    # a declared conflict takes the reviewer out, and the next run finds a replacement
    review = Review.objects.filter(application=apps[1]).first()
    services.review_declare_conflict(review=review, actor=review.reviewer, reason="Từng cố vấn cho nhóm")
    services.reviewers_assign(call=call, actor=users["officer"])
    live = Review.objects.filter(application=apps[1]).exclude(state="conflict")
    assert live.count() == 2 and review.reviewer_id not in set(live.values_list("reviewer_id", flat=True))


def test_ranking_orders_by_score_and_draws_the_funding_line(users):
    call = CallFactory(budget=70_000_000, reviewers_per_application=1, closes_at=timezone.now() - dt.timedelta(days=1))
    expert = reviewer()
    scores = [9, 5, 7]
    apps = []
    for s in scores:
        app = ApplicationFactory(call=call, state="under_review", amount_requested=30_000_000, submitted_at=timezone.now())
        review = Review.objects.create(application=app, reviewer=expert)
        services.review_submit(review=review, actor=expert, scores={"innovation": s, "team": s, "market": s, "impact": s, "feasibility": s})
        apps.append(app)
    pending = ApplicationFactory(call=call, state="under_review")
    Review.objects.create(application=pending, reviewer=reviewer())
    with pytest.raises(ConflictError) as unconfirmed:  # one application is not fully scored: the ranking asks to confirm
        services.call_rank(call=call, actor=users["officer"])
    assert unconfirmed.value.code == "ranking_unconfirmed" and unconfirmed.value.extra == {"unchecked": 0, "unscored": 1}
    assert not Application.objects.filter(call=call, rank__isnull=False).exists()
    result = services.call_rank(call=call, actor=users["officer"], confirm=True)
    assert result == {"ranked": 3, "moved": 3, "above_line": 2, "below_min_score": 1}
    ranking = selectors.call_ranking(user=users["officer"], call=call)
    assert [r.pk for r in ranking] == [apps[0].pk, apps[2].pk, apps[1].pk]
    assert [r.above_funding_line for r in ranking] == [True, True, False]
    assert [r.cumulative for r in ranking] == [30_000_000, 60_000_000, 90_000_000]
    assert Application.objects.get(pk=pending.pk).state == "under_review"
    assert Event.objects.filter(action="application.rank").count() == 3
    event = Event.objects.filter(action="application.rank", target_id=str(apps[0].pk)).get()
    assert (event.after["state"], event.after["rank"], event.before, event.actor) == ("ranked", 1, {"state": "under_review"}, users["officer"])


def test_reviewers_see_others_scores_only_when_allowed(users):
    application = ApplicationFactory(state="under_review")
    r1, r2 = reviewer(), reviewer()
    rev1 = Review.objects.create(application=application, reviewer=r1)
    Review.objects.create(application=application, reviewer=r2)
    assert list(selectors.application_reviews(user=r1, application=application)) == [rev1]
    services.review_submit(review=rev1, actor=r1, scores={"innovation": 5, "team": 5, "market": 5, "impact": 5, "feasibility": 5})
    assert selectors.application_reviews(user=r1, application=application).count() == 1
    Call.objects.filter(pk=application.call_id).update(share_scores_after_review=True)
    application.refresh_from_db()
    assert selectors.application_reviews(user=r1, application=application).count() == 2
    assert selectors.application_reviews(user=users["officer"], application=application).count() == 2


def test_applicant_sees_only_own_organisations_applications(users):
    mine = ApplicationFactory()
    MembershipFactory(user=users["applicant"], organisation=mine.organisation)
    ApplicationFactory()
    assert list(selectors.application_list(user=users["applicant"])) == [mine]
    with pytest.raises(PermissionDenied):
        selectors.application_list(user=users["visitor"])


def test_assignment_never_picks_a_reviewer_related_through_the_directory(users):
    from innohub.directory.models import Relation
    from innohub.directory.tests.factories import OrganisationFactory

    call = CallFactory(reviewers_per_application=1)
    application = ApplicationFactory(call=call, state="under_review")
    incubator = OrganisationFactory(kind="support")
    Relation.objects.create(source=application.organisation, target=incubator, kind="incubated_by")
    insider = reviewer(capacity=10)
    MembershipFactory(user=insider, organisation=incubator)  # works at the startup's incubator
    outsider = reviewer(capacity=10)
    services.reviewers_assign(call=call, actor=users["officer"])
    assert list(Review.objects.values_list("reviewer_id", flat=True)) == [outsider.pk]
    Review.objects.all().delete()
    outsider.reviewer_profile.active = False
    outsider.reviewer_profile.save()
    result = services.reviewers_assign(call=call, actor=users["officer"])
    assert result["short"] == {application.pk: 1} and not Review.objects.exists()


def test_a_payment_dated_after_today_is_refused_and_changes_nothing(users):
    from django.utils import timezone

    # given a met milestone of a contracted award
    award, milestone = _contracted_award(users)
    report_and_check(milestone, member=applicant_for(award.organisation), officer=users["officer"])
    events = Event.objects.count()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    # when the officer records its payment dated tomorrow
    with pytest.raises(ApplicationError) as refused:
        services.disbursement_record(tranche=milestone.tranche, actor=users["officer"], key="UNC-009", paid_on=tomorrow)
    # then a clear error names the date, and no payment, total or event was written
    assert str(refused.value.message) == f"Ngày chi {tomorrow:%d/%m/%Y} là sau hôm nay: chỉ ghi nhận khoản chi khi đã chi."
    assert refused.value.extra == {"paid_on": "future"}
    award.refresh_from_db()
    assert not Disbursement.objects.exists() and award.disbursed_total == 0 and Event.objects.count() == events
    # and today is accepted
    _d, created = services.disbursement_record(tranche=milestone.tranche, actor=users["officer"], key="UNC-009", paid_on=timezone.localdate())
    assert created


@pytest.mark.parametrize(("language", "amount"), [("vi", "40.000.000\u00a0₫"), ("en", "40,000,000\u00a0VND")])
def test_a_tranche_and_a_payment_name_their_amount_as_the_reader_writes_it(language, amount):
    # their names are what the audit log and the admin show; they read "40,000,000 ₫" in both
    tranche = Tranche(milestone=Milestone(title="Sản phẩm mẫu"), amount=40_000_000)
    with translation.override(language):
        assert str(tranche) == f"Sản phẩm mẫu · {amount}"
        award = Award(application=Application(reference="HS-TEST"), amount=40_000_000)
        assert str(Disbursement(award=award, tranche=tranche, amount=40_000_000)) == f"HS-TEST · {amount} · {amount}"


def test_a_milestone_not_met_needs_a_note_and_without_one_nothing_changes(users):
    import datetime as dt

    from innohub.activity.models import Event
    from innohub.core.errors import ApplicationError
    from innohub.programs import services
    from innohub.programs.models import Milestone

    from .factories import AwardFactory

    award = AwardFactory()
    milestone = services.milestone_add(award=award, title="Mốc 1", due_on=dt.date(2026, 12, 22), amount=30_000_000, actor=users["officer"])
    services.milestone_report(milestone=milestone, actor=applicant_for(award.organisation), report="Đã xong mẫu thử.")
    events = Event.objects.count()
    with pytest.raises(ApplicationError) as exc:
        services.milestone_check(milestone=milestone, actor=users["officer"], met=False, note="")
    assert exc.value.extra == {"note": "required"}
    milestone.refresh_from_db()
    assert milestone.state == Milestone.State.REPORTED and Event.objects.count() == events


def test_a_call_still_open_is_not_ranked_and_the_message_names_its_closing(users):
    # given an open call closing in 19 days whose one application is fully reviewed
    closes = (timezone.now() + dt.timedelta(days=19)).replace(hour=17, minute=0, second=0, microsecond=0)
    call = CallFactory(reviewers_per_application=1, closes_at=closes)
    expert = reviewer()
    app = ApplicationFactory(call=call, state="under_review", submitted_at=timezone.now())
    review = Review.objects.create(application=app, reviewer=expert)
    services.review_submit(review=review, actor=expert, scores={"innovation": 8, "team": 8, "market": 8, "impact": 8, "feasibility": 8})
    events = Event.objects.count()
    # when the officer ranks before the closing, then it is refused, naming the closing, and nothing changes
    with pytest.raises(ConflictError) as exc:
        services.call_rank(call=call, actor=users["officer"])
    assert str(exc.value.message) == (f"Đợt tiếp nhận còn mở đến {timezone.localtime(closes):%H:%M %d/%m/%Y}: hồ sơ vẫn có thể được nộp thêm, "
                                     "hãy xếp hạng sau khi đợt đóng. Chưa có hồ sơ nào được xếp hạng.")
    app.refresh_from_db()
    assert app.state == "under_review" and app.rank is None and Event.objects.count() == events
    # when it has closed, then it is ranked
    call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    call.save(update_fields=["closes_at"])
    assert services.call_rank(call=call, actor=users["officer"])["ranked"] == 1


def _reviewed_under_open_call(*, closes, workflow=None):
    call = CallFactory(reviewers_per_application=1, closes_at=closes, **({"workflow": workflow} if workflow else {}))
    expert = reviewer()
    app = ApplicationFactory(call=call, state="under_review", submitted_at=timezone.now())
    review = Review.objects.create(application=app, reviewer=expert)
    services.review_submit(review=review, actor=expert, scores={"innovation": 8, "team": 8, "market": 8, "impact": 8, "feasibility": 8})
    return app


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("vi", "Đợt tiếp nhận còn mở đến {:%H:%M %d/%m/%Y}: hồ sơ vẫn có thể được nộp thêm, hãy xếp hạng sau khi đợt đóng. "
               "Chưa có hồ sơ nào được xếp hạng."),
        ("en", "The call is still open until {:%d/%m/%Y %H:%M}: applications can still arrive, so rank them once it closes. "
               "Nothing was ranked."),
    ],
)
def test_one_application_is_not_ranked_by_its_workflow_step_while_the_call_is_open(users, language, message):
    # given a stored workflow whose rank step notifies the applicant and has no guard of its own
    from innohub.programs.models import Workflow
    from innohub.programs.workflows import DEFAULT_WORKFLOW

    definition = {**DEFAULT_WORKFLOW, "transitions": [
        {**t, "guards": [], "effects": ["notify_applicant"]} if t["code"] == "rank" else t for t in DEFAULT_WORKFLOW["transitions"]]}
    workflow = Workflow.objects.create(code="ranks-early", name="Xếp hạng sớm", definition=definition)
    # and a fully reviewed application of a call that closes in 19 days, with a member to notify
    closes = (timezone.now() + dt.timedelta(days=19)).replace(hour=17, minute=0, second=0, microsecond=0)
    app = _reviewed_under_open_call(closes=closes, workflow=workflow)
    member = applicant_for(app.organisation)
    events, notifications = Event.objects.count(), Notification.objects.count()
    # when an officer takes the rank step, then it is refused with the ranking's own words
    with translation.override(language), pytest.raises(ConflictError) as refused:
        services.application_transition(application=app, transition="rank", actor=users["officer"])
    assert refused.value.code == "call_open"
    assert str(refused.value.message) == message.format(timezone.localtime(closes))
    # and nothing changed: state, rank, audit log, notifications
    app.refresh_from_db()
    assert (app.state, app.rank) == ("under_review", None)
    assert Event.objects.count() == events and Notification.objects.count() == notifications
    # when the call has closed, then the same step ranks it and notifies the member
    app.call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    app.call.save(update_fields=["closes_at"])
    services.application_transition(application=app, transition="rank", actor=users["officer"])
    app.refresh_from_db()
    assert app.state == "ranked" and Event.objects.filter(action="application.rank", target_id=str(app.pk)).exists()
    assert Notification.objects.filter(recipient=member, subject__contains=app.reference).exists()


def test_the_rank_step_is_offered_only_once_the_call_has_closed(users):
    # given a fully reviewed application of an open call
    app = _reviewed_under_open_call(closes=timezone.now() + dt.timedelta(days=3))
    # then the officer is not offered the rank step, but is told it waits for the closing
    officer = users["officer"]
    assert "rank" not in {t.code for t in selectors.available_transitions(user=officer, application=app)}
    assert selectors.ranking_waits_for_close(user=officer, application=app)
    # and the manager may still reject it meanwhile
    assert {t.code for t in selectors.available_transitions(user=users["manager"], application=app)} == {"reject"}
    # when the call has closed, then the step is offered and nothing waits
    app.call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    app.call.save(update_fields=["closes_at"])
    assert "rank" in {t.code for t in selectors.available_transitions(user=officer, application=app)}
    assert not selectors.ranking_waits_for_close(user=officer, application=app)
    # and an applicant, who may never rank, is never told it waits
    assert not selectors.ranking_waits_for_close(user=applicant_for(app.organisation), application=app)
