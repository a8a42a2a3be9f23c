"""Issue 27, part B: signed decision and contract records, explicit amounts, bulk decisions, ranking
checks (warnings, minimum score, ranks 1..n), milestones assessed only on a report with evidence,
draft deletion, the declaration and the receipt. Every refusal changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from innohub.activity.models import Event, Notification
from innohub.core.errors import ApplicationError, ConflictError
from innohub.programs import selectors, services
from innohub.programs.models import (
    Application,
    Award,
    Call,
    DecisionRecord,
    Milestone,
    MilestoneEvidence,
    Review,
)

from .factories import (
    ApplicationFactory,
    AwardFactory,
    CallFactory,
    applicant_for,
    decide,
    report_and_check,
    reviewer,
    signed_record,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _unchanged(application, *, events):
    application.refresh_from_db()
    return Event.objects.count() == events and not DecisionRecord.objects.filter(application=application).exists()


# --- decisions ------------------------------------------------------------------------------------


def test_an_approval_records_its_signed_decision_with_the_explicit_amount(users):
    application = ApplicationFactory(state="ranked", amount_requested=35_000_000)
    decide(application, "approve", users["manager"], amount="30.000.000", record=signed_record(number="77/QĐ-SKHCN"))
    record = DecisionRecord.objects.get(application=application)
    assert (record.kind, record.number, record.amount, record.signer) == ("approval", "77/QĐ-SKHCN", 30_000_000, "Lâm Đình Thắng, Giám đốc Sở")
    assert record.original_name == "quyet-dinh.pdf" and record.content_type == "application/pdf" and record.file.read().startswith(b"%PDF")
    assert Award.objects.get(application=application).amount == 30_000_000
    event = Event.objects.get(action="application.record_added")
    assert event.before == {} and event.after["number"] == "77/QĐ-SKHCN" and event.after["amount"] == 30_000_000
    approve = Event.objects.get(action="application.approve")
    assert approve.before["state"] == "ranked" and approve.after["state"] == "approved"


def test_a_blank_amount_is_refused_never_defaulted_and_nothing_changes(users):
    application = ApplicationFactory(state="ranked", amount_requested=40_000_000)
    events = Event.objects.count()
    for blank in (None, ""):
        with pytest.raises(ApplicationError) as refused:
            decide(application, "approve", users["manager"], amount=blank)
        assert refused.value.extra == {"amount": "required"}
    assert _unchanged(application, events=events) and application.state == "ranked"
    assert not Award.objects.exists() and Call.objects.get(pk=application.call_id).awarded_total == 0


@pytest.mark.parametrize(("field", "value"), [
    ("number", " "), ("signer", ""), ("signed_on", None), ("file", None),
    ("signed_on", dt.date.today() + dt.timedelta(days=3)),
    ("file", SimpleUploadedFile("qd.pdf", b"MZ\x90\x00 not a pdf")),
    ("file", SimpleUploadedFile("qd.exe", b"%PDF-1.4\n%%EOF\n")),
])
def test_a_decision_without_a_complete_signed_record_is_refused_and_changes_nothing(users, field, value):
    application = ApplicationFactory(state="ranked")
    events = Event.objects.count()
    record = {**signed_record(), field: value}
    with pytest.raises(ApplicationError):
        decide(application, "approve", users["manager"], amount="30.000.000", record=record)
    assert _unchanged(application, events=events) and application.state == "ranked" and not Award.objects.exists()


def test_a_rejection_and_a_termination_record_their_decisions(users):
    rejected = ApplicationFactory(state="ranked")
    decide(rejected, "reject", users["manager"], message="Điểm thấp hơn điểm sàn.", record=signed_record(number="80/QĐ"))
    assert DecisionRecord.objects.get(application=rejected).kind == "rejection"
    award = AwardFactory(application=ApplicationFactory(state="contracted"))
    decide(award.application, "terminate", users["manager"], message="Không thực hiện hợp đồng.", record=signed_record(number="81/QĐ"))
    record = DecisionRecord.objects.get(application=award.application)
    assert (record.kind, record.number) == ("termination", "81/QĐ")
    # the reason is still needed: a record alone does not reject
    other = ApplicationFactory(state="ranked")
    with pytest.raises(ApplicationError):
        decide(other, "reject", users["manager"], message="")
    other.refresh_from_db()
    assert other.state == "ranked" and not DecisionRecord.objects.filter(application=other).exists()


def test_the_contract_records_its_number_date_and_file(users):
    award = AwardFactory(amount=30_000_000)
    services.milestone_add(award=award, title="Mẫu thử", due_on=dt.date(2027, 1, 31), amount=30_000_000, actor=users["officer"])
    events = Event.objects.count()
    with pytest.raises(ApplicationError):  # without its record
        services.application_transition(application=award.application, transition="contract", actor=users["officer"])
    assert _unchanged(award.application, events=events) and award.application.state == "approved"
    decide(award.application, "contract", users["officer"], record=signed_record(number="15/2026/HĐ-SKHCN", name="hop-dong.pdf"))
    record = DecisionRecord.objects.get(application=award.application)
    assert (record.kind, record.number, record.original_name, record.amount) == ("contract", "15/2026/HĐ-SKHCN", "hop-dong.pdf", 30_000_000)


def test_only_managers_decide_and_staff_records_are_hidden_from_others(users):
    application = ApplicationFactory(state="ranked")
    with pytest.raises(PermissionDenied):
        decide(application, "approve", users["officer"], amount="30.000.000")
    assert not DecisionRecord.objects.exists()
    decide(application, "approve", users["manager"], amount="30.000.000")
    assert selectors.decision_records(user=users["reviewer"], application=application).count() == 0
    member = applicant_for(application.organisation)
    assert selectors.decision_records(user=member, application=application).count() == 1


def test_a_bulk_approval_gives_each_its_own_amount_under_one_signed_decision(users):
    call = CallFactory(budget=100_000_000)
    first, second, third = (ApplicationFactory(call=call, state="ranked", amount_requested=a) for a in (40_000_000, 30_000_000, 35_000_000))
    events = Event.objects.count()
    # an incomplete decision approves nothing
    with pytest.raises(ApplicationError):
        services.application_bulk_decide(amounts={first.pk: "40.000.000"}, record={**signed_record(), "number": ""}, actor=users["manager"])
    assert Event.objects.count() == events and not Award.objects.exists()
    result = services.application_bulk_decide(
        amounts={first.pk: "40.000.000", second.pk: "25 triệu", third.pk: ""}, record=signed_record(number="90/QĐ"), actor=users["manager"])
    assert sorted(result["done"]) == sorted([first.pk, second.pk]) and list(result["failed"]) == [third.reference]
    assert {a.application_id: a.amount for a in Award.objects.all()} == {first.pk: 40_000_000, second.pk: 25_000_000}
    assert set(DecisionRecord.objects.values_list("application_id", "number")) == {(first.pk, "90/QĐ"), (second.pk, "90/QĐ")}
    third.refresh_from_db()
    assert third.state == "ranked"


# --- ranking --------------------------------------------------------------------------------------


def _scored(call, score, amount=30_000_000, expert=None):
    expert = expert or reviewer()
    app = ApplicationFactory(call=call, state="under_review", amount_requested=amount, submitted_at=timezone.now())
    review = Review.objects.create(application=app, reviewer=expert)
    services.review_submit(review=review, actor=expert, scores={c: score for c in ("innovation", "team", "market", "impact", "feasibility")})
    return app


def test_ranking_warns_of_unchecked_and_unscored_applications_and_needs_confirmation(users):
    call = CallFactory(reviewers_per_application=1, closes_at=timezone.now() - dt.timedelta(days=1))
    scored = _scored(call, 9)
    ApplicationFactory.create_batch(2, call=call, state="submitted")
    half = ApplicationFactory(call=call, state="under_review")
    Review.objects.create(application=half, reviewer=reviewer())
    assert selectors.ranking_warnings(call=call) == {"unchecked": 2, "unscored": 1}
    events = Event.objects.count()
    with pytest.raises(ConflictError) as refused:
        services.call_rank(call=call, actor=users["officer"])
    assert refused.value.code == "ranking_unconfirmed"
    assert "2 hồ sơ chưa kiểm tra điều kiện và 1 hồ sơ chưa chấm điểm đủ" in str(refused.value.message)
    scored.refresh_from_db()
    assert scored.state == "under_review" and scored.rank is None and Event.objects.count() == events
    assert services.call_rank(call=call, actor=users["officer"], confirm=True)["ranked"] == 1
    assert Event.objects.get(action="call.ranked").after["confirmed_warnings"] == {"unchecked": 2, "unscored": 1}


def test_nothing_below_the_minimum_score_is_above_the_funding_line_whatever_the_budget(users):
    call = CallFactory(budget=400_000_000, reviewers_per_application=1, closes_at=timezone.now() - dt.timedelta(days=1))
    assert call.min_score == 70  # the default
    expert = reviewer()
    good, weak = _scored(call, 8, expert=expert), _scored(call, 6, expert=expert)  # 80 and 60 out of 100
    result = services.call_rank(call=call, actor=users["officer"])
    assert result["above_line"] == 1 and result["below_min_score"] == 1
    good.refresh_from_db()
    weak.refresh_from_db()
    assert (good.rank, good.above_funding_line) == (1, True) and (weak.rank, weak.above_funding_line) == (2, False)


def test_ranks_run_one_to_n_once_some_are_decided(users):
    call = CallFactory(budget=400_000_000, reviewers_per_application=1, closes_at=timezone.now() - dt.timedelta(days=1))
    expert = reviewer()
    apps = [_scored(call, s, expert=expert) for s in (9, 8, 7.5, 7)]
    services.call_rank(call=call, actor=users["officer"])
    decide(Application.objects.get(pk=apps[1].pk), "approve", users["manager"], amount="30.000.000")
    services.call_rank(call=call, actor=users["officer"])
    ranks = [r.rank for r in selectors.call_ranking(user=users["officer"], call=call)]
    assert ranks == [1, 2, 3]


# --- milestones -----------------------------------------------------------------------------------


def _contracted(users):
    award = AwardFactory(amount=30_000_000)
    milestone = services.milestone_add(award=award, title="Mẫu thử", due_on=dt.date(2027, 1, 31), amount=30_000_000, actor=users["officer"])
    decide(award.application, "contract", users["officer"])
    return award, milestone


def test_a_milestone_is_not_assessed_without_a_report_and_nothing_changes(users):
    award, milestone = _contracted(users)
    events = Event.objects.count()
    for met in (True, False):
        with pytest.raises(ConflictError) as refused:
            services.milestone_check(milestone=milestone, actor=users["officer"], met=met, note="x")
        assert refused.value.code == "no_report" and "chưa gửi báo cáo" in str(refused.value.message)
    milestone.refresh_from_db()
    assert milestone.state == Milestone.State.PENDING and Event.objects.count() == events
    with pytest.raises(ConflictError):  # and so its payment stays locked
        services.disbursement_record(tranche=milestone.tranche, actor=users["officer"], key="UNC-1", paid_on=timezone.localdate())
    report_and_check(milestone, member=applicant_for(award.organisation), officer=users["officer"])
    milestone.refresh_from_db()
    assert milestone.state == Milestone.State.MET


def test_a_report_carries_evidence_files_and_a_bad_file_refuses_the_whole_report(users):
    award, milestone = _contracted(users)
    member = applicant_for(award.organisation)
    events = Event.objects.count()
    bad = [SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 ok\n%%EOF\n"), SimpleUploadedFile("anh.png", b"not a png")]
    with pytest.raises(ApplicationError):
        services.milestone_report(milestone=milestone, actor=member, report="Xong", files=bad)
    milestone.refresh_from_db()
    assert milestone.state == Milestone.State.PENDING and not MilestoneEvidence.objects.exists() and Event.objects.count() == events
    services.milestone_report(milestone=milestone, actor=member, report="Xong mẫu thử",
                              files=[SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 ok\n%%EOF\n")])
    evidence = MilestoneEvidence.objects.get()
    assert evidence.milestone_id == milestone.pk and evidence.original_name == "bien-ban.pdf"
    assert Event.objects.get(action="milestone.reported").after["evidence"] == ["bien-ban.pdf"]


# --- the applicant: draft deletion, declaration, receipt -------------------------------------------


def test_a_draft_is_deleted_audited_and_a_submitted_one_is_not(users):
    draft = ApplicationFactory()
    member = applicant_for(draft.organisation)
    with pytest.raises(PermissionDenied):
        services.application_delete_draft(application=draft, actor=users["applicant"])
    reference = draft.reference
    services.application_delete_draft(application=draft, actor=member)
    assert not Application.objects.filter(reference=reference).exists()
    event = Event.objects.get(action="application.draft_deleted")
    assert event.before["reference"] == reference and event.after == {}
    submitted = ApplicationFactory(state="submitted", submitted_at=timezone.now())
    events = Event.objects.count()
    with pytest.raises(ConflictError):
        services.application_delete_draft(application=submitted, actor=applicant_for(submitted.organisation))
    assert Application.objects.filter(pk=submitted.pk).exists() and Event.objects.count() == events
    # and a draft is no longer withdrawn
    other = ApplicationFactory()
    assert "withdraw" not in {t.code for t in selectors.available_transitions(user=applicant_for(other.organisation), application=other)}


def _ready(application):
    from innohub.programs.models import Attachment

    application.title, application.amount_requested = "Robot hái nấm", 30_000_000
    application.answers = {"summary": "S", "innovation": "I", "team_size": "3", "plan": "P"}
    application.save()
    Attachment.objects.create(application=application, field_key="business_plan", original_name="ke-hoach.pdf",
                              content_type="application/pdf", size=10, uploaded_by=application.created_by,
                              file=SimpleUploadedFile("k.pdf", b"%PDF-1.4\n%%EOF\n"))


def test_submitting_needs_the_declaration_and_sends_a_receipt_by_email(users):
    application = ApplicationFactory()
    member = applicant_for(application.organisation, email="founder@example.vn")
    _ready(application)
    events = Event.objects.count()
    with pytest.raises(ApplicationError) as refused:
        services.application_transition(application=application, transition="submit", actor=member)
    assert "cam đoan" in str(refused.value.message)
    application.refresh_from_db()
    assert application.state == "draft" and application.declared_at is None and Event.objects.count() == events
    services.application_transition(application=application, transition="submit", actor=member, declaration=True)
    application.refresh_from_db()
    assert application.state == "submitted" and application.declared_at is not None
    receipt = Notification.objects.get(recipient=member, subject__startswith="Biên nhận")
    assert application.reference in receipt.subject and "Robot hái nấm" in receipt.body and "ke-hoach.pdf" in receipt.body
    assert receipt.send_email  # and by e-mail


def test_the_migration_gives_stored_workflows_the_record_guards_and_deletes_drafts_rather_than_withdrawing():
    import copy
    import importlib

    from django.apps import apps

    from innohub.programs.models import Workflow
    from innohub.programs.workflows import DEFAULT_WORKFLOW, workflow_problems

    old = copy.deepcopy(DEFAULT_WORKFLOW)  # as stored before issue 27
    for step in old["transitions"]:
        step["guards"] = [g for g in step["guards"] if g not in ("declaration", "decision_record", "contract_record")]
        step["effects"] = [e for e in step["effects"] if e not in ("send_receipt", "record_decision", "record_contract")]
        if step["code"] == "withdraw":
            step["source"] = ["draft", *step["source"]]
    workflow = Workflow.objects.create(code="stored", version=1, name="Stored", definition=old)
    importlib.import_module("innohub.programs.migrations.0004_decision_records").update_workflows(apps, None)
    workflow.refresh_from_db()
    steps = {t["code"]: t for t in workflow.definition["transitions"]}
    assert steps["approve"]["guards"] == ["decision_record"]
    assert steps["approve"]["effects"] == ["create_award", "decide", "record_decision", "notify_applicant"]
    assert steps["contract"]["guards"] == ["has_milestones", "contract_record"] and "record_contract" in steps["contract"]["effects"]
    assert "declaration" in steps["submit"]["guards"] and "draft" not in steps["withdraw"]["source"]
    assert workflow_problems(workflow.definition) == []
