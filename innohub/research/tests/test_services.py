"""Services of research: each step of a task through the workflow engine, and every refusal
changes nothing (a budget line over the approved total, a report after the contract's end,
an acceptance without the council's minutes, a conflicted council member)."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from innohub.accounts.tests.factories import MembershipFactory
from innohub.activity.models import Event
from innohub.core.errors import ApplicationError, ConflictError
from innohub.directory.tests.factories import OrganisationFactory, RelationFactory
from innohub.research import services, workflows
from innohub.research.models import BudgetLine, Council, CouncilMember, Interest, Report, Task
from innohub.research.tests.factories import (
    PDF,
    NeedFactory,
    OfferFactory,
    TaskFactory,
    contracted_task,
)

pytestmark = pytest.mark.django_db


def _events() -> int:
    return Event.objects.count()


def test_a_task_goes_from_proposal_to_assets_assigned(users, make_user):
    officer, manager = users["officer"], users["manager"]
    expert = make_user(role="reviewer")
    host = OrganisationFactory(kind="academia")
    task = services.task_propose(actor=officer, code="NV-1", title="Băng gạc kháng khuẩn", host=host, trl_start=3, trl_target=6,
                                 proposal={"urgency": "Nội địa hóa vật tư y tế"})
    assert task.state == "proposed" and task.proposal == {"urgency": "Nội địa hóa vật tư y tế"}
    for step, actor in (("define", officer), ("assign_directly", manager), ("receive_dossiers", officer), ("check_dossiers", officer)):
        task = services.task_transition(task=task, transition=step, actor=actor)
    assert workflows.has_flag(task, "selection")
    council = services.council_create(task=task, kind="selection", actor=officer)
    services.council_member_add(council=council, user=expert, actor=officer)
    services.council_score_submit(council=council, actor=expert, scores={"objectives": 9, "method": 8, "team": 8, "budget": 7})
    task = services.task_transition(task=task, transition="select", actor=officer)
    services.budget_line_add(task=task, actor=officer, source="state", year=2026, amount=600_000_000)
    services.budget_line_add(task=task, actor=officer, source="counterpart", year=2026, amount=200_000_000)
    services.task_budget_approve(task=task, actor=manager, total=800_000_000)
    task = services.task_transition(task=task, transition="appraise_budget", actor=manager)
    services.task_contract_record(task=task, actor=officer, number="HĐ-01", start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    for step in ("sign_contract", "start"):
        task = services.task_transition(task=task, transition=step, actor=officer)
    services.report_submit(task=task, actor=officer, dated=dt.date(2026, 6, 30), summary="Báo cáo 6 tháng",
                           evidence=SimpleUploadedFile("bao-cao.pdf", PDF))
    for step in ("self_evaluate", "send_to_acceptance"):
        task = services.task_transition(task=task, transition=step, actor=officer)
    acceptance = services.council_create(task=task, kind="acceptance", actor=officer)
    services.council_member_add(council=acceptance, user=expert, actor=officer)
    services.council_score_submit(council=acceptance, actor=expert, scores={"products": 9, "quality": 8, "application": 8})
    services.council_minutes_attach(council=acceptance, actor=officer, upload=SimpleUploadedFile("bien-ban.pdf", PDF))
    task = services.task_transition(task=task, transition="accept", actor=manager)
    assert workflows.has_flag(task, "accepted")
    assert services.council_result(acceptance)["grade"].label == "Khá"
    task = services.task_transition(task=task, transition="register_results", actor=officer)
    task = services.task_transition(task=task, transition="assign_assets", actor=manager)
    assert workflows.has_flag(task, "closed")
    assert Event.objects.filter(action="task.accept", target_id=str(task.pk)).exists()


def test_both_regimes_have_the_flags_the_code_needs():
    assert workflows.TASK.problems(workflows.REGIME_2025) == []
    assert workflows.TASK.problems(workflows.REGIME_2013) == []
    old = TaskFactory.build(regime="2013", state="acceptance_council")
    assert "Nghị định 08/2014" in workflows.state_help(old) or "Decree 08/2014" in workflows.state_help(old)


def test_a_budget_line_over_the_approved_total_is_refused_and_changes_nothing(users):
    task = TaskFactory(approved_total=1_000_000_000)
    services.budget_line_add(task=task, actor=users["officer"], source="state", year=2026, amount=900_000_000)
    before = _events()
    with pytest.raises(ApplicationError, match="vượt tổng kinh phí") as exc:
        services.budget_line_add(task=task, actor=users["officer"], source="counterpart", year=2026, amount=100_000_001)
    assert exc.value.code == "over_approved_total"
    assert BudgetLine.objects.filter(task=task).count() == 1 and _events() == before


def test_an_approved_total_below_the_lines_is_refused(users):
    task = TaskFactory()
    services.budget_line_add(task=task, actor=users["officer"], source="state", year=2026, amount=500)
    with pytest.raises(ApplicationError):
        services.task_budget_approve(task=task, actor=users["manager"], total=499)
    task.refresh_from_db()
    assert task.approved_total is None


def test_a_report_after_the_contracts_end_is_refused_and_changes_nothing(users):
    task = contracted_task()
    before = _events()
    with pytest.raises(ApplicationError, match="sau ngày kết thúc hợp đồng") as exc:
        services.report_submit(task=task, actor=users["officer"], dated=dt.date(2027, 1, 1), summary="Trễ")
    assert exc.value.code == "after_contract_end"
    assert not Report.objects.exists() and _events() == before


def test_a_report_before_the_contract_is_refused(users):
    task = TaskFactory(state="approved")
    with pytest.raises(ApplicationError):
        services.report_submit(task=task, actor=users["officer"], dated=dt.date(2026, 1, 1), summary="x")
    assert not Report.objects.exists()


def test_acceptance_without_the_councils_minutes_is_refused_and_changes_nothing(users, make_user):
    task = TaskFactory(state="acceptance_council")
    expert = make_user(role="reviewer")
    council = services.council_create(task=task, kind="acceptance", actor=users["officer"])
    services.council_member_add(council=council, user=expert, actor=users["officer"])
    services.council_score_submit(council=council, actor=expert, scores={"products": 9, "quality": 9, "application": 9})
    before = _events()
    with pytest.raises(ApplicationError, match="biên bản"):
        services.task_transition(task=task, transition="accept", actor=users["manager"])
    task.refresh_from_db()
    assert task.state == "acceptance_council" and _events() == before


def test_a_failing_grade_cannot_be_recognised(users, make_user):
    task = TaskFactory(state="acceptance_council")
    expert = make_user(role="reviewer")
    council = services.council_create(task=task, kind="acceptance", actor=users["officer"])
    services.council_member_add(council=council, user=expert, actor=users["officer"])
    services.council_score_submit(council=council, actor=expert, scores={"products": 2, "quality": 3, "application": 2})
    services.council_minutes_attach(council=council, actor=users["officer"], upload=SimpleUploadedFile("bb.pdf", PDF))
    with pytest.raises(ApplicationError, match="Không đạt"):
        services.task_transition(task=task, transition="accept", actor=users["manager"])
    task = services.task_transition(task=task, transition="not_accept", actor=users["manager"])
    assert workflows.has_flag(task, "closed")


def test_minutes_that_are_not_a_pdf_are_refused(users):
    task = TaskFactory(state="acceptance_council")
    council = services.council_create(task=task, kind="acceptance", actor=users["officer"])
    with pytest.raises(ApplicationError):
        services.council_minutes_attach(council=council, actor=users["officer"], upload=SimpleUploadedFile("bb.pdf", b"MZ not a pdf"))
    council.refresh_from_db()
    assert not council.minutes


@pytest.mark.parametrize("how", ["member", "relation", "declared"])
def test_a_council_member_with_a_conflict_is_never_added(users, make_user, how):
    host = OrganisationFactory(kind="academia")
    task = TaskFactory(host=host, state="selection_council")
    expert = make_user(role="reviewer")
    if how == "member":
        MembershipFactory(user=expert, organisation=host)
    elif how == "relation":
        own = OrganisationFactory()
        MembershipFactory(user=expert, organisation=own)
        RelationFactory(source=own, target=host)
    else:
        services.conflict_declare(user=expert, organisation=host)
    council = services.council_create(task=task, kind="selection", actor=users["officer"])
    before = _events()
    with pytest.raises(ApplicationError, match="xung đột lợi ích"):
        services.council_member_add(council=council, user=expert, actor=users["officer"])
    assert not CouncilMember.objects.exists() and _events() == before
    # nor by the balanced assignment
    other = make_user(role="reviewer")
    added = services.council_assign(council=council, candidates=[expert, other], size=2, actor=users["officer"])
    assert [m.user for m in added] == [other]


def test_a_partners_member_is_conflicted_too(users, make_user):
    partner = OrganisationFactory(kind="partner")
    task = services.task_propose(actor=users["officer"], code="NV-P", title="T", partners=[(partner, "international")])
    expert = make_user(role="reviewer")
    MembershipFactory(user=expert, organisation=partner)
    council = services.council_create(task=task, kind="selection", actor=users["officer"])
    with pytest.raises(ApplicationError):
        services.council_member_add(council=council, user=expert, actor=users["officer"])


def test_only_a_member_scores_and_bad_scores_change_nothing(users, make_user):
    task = TaskFactory(state="selection_council")
    council = services.council_create(task=task, kind="selection", actor=users["officer"])
    expert = make_user(role="reviewer")
    with pytest.raises(PermissionDenied):
        services.council_score_submit(council=council, actor=expert, scores={})
    services.council_member_add(council=council, user=expert, actor=users["officer"])
    with pytest.raises(ApplicationError):
        services.council_score_submit(council=council, actor=expert, scores={"objectives": 11, "method": 8, "team": 8, "budget": 7})
    assert not council.scores.exists()


def test_a_step_in_the_wrong_state_or_role_changes_nothing(users):
    task = TaskFactory()
    with pytest.raises(ConflictError):
        services.task_transition(task=task, transition="accept", actor=users["manager"])
    with pytest.raises(PermissionDenied):
        services.task_transition(task=task, transition="define", actor=users["applicant"])
    task.refresh_from_db()
    assert task.state == "proposed"


def test_a_proposal_with_a_bad_trl_is_refused(users):
    with pytest.raises(ApplicationError):
        services.task_propose(actor=users["officer"], code="X", title="T", trl_start=5, trl_target=3)
    with pytest.raises(ApplicationError):
        services.task_propose(actor=users["officer"], code="X", title="T", trl_start=0)
    assert not Task.objects.exists()


def test_a_contract_change_takes_effect_when_approved(users):
    task = contracted_task()
    change = services.contract_change_record(task=task, actor=users["officer"], kind="extension", reason="Chậm thiết bị",
                                             new_end=dt.date(2027, 6, 30))
    task.refresh_from_db()
    assert task.contract_end == dt.date(2026, 12, 31)
    with pytest.raises(PermissionDenied):
        services.contract_change_approve(change=change, actor=users["officer"])
    services.contract_change_approve(change=change, actor=users["manager"])
    task.refresh_from_db()
    assert task.contract_end == dt.date(2027, 6, 30)


def test_an_output_is_offered_only_once_the_results_are_recognised(users):
    task = contracted_task()
    output = services.output_add(task=task, actor=users["officer"], kind="prototype", title="Mẫu", trl=6)
    with pytest.raises(ApplicationError):
        services.offer_create(actor=users["officer"], organisation=task.host, title="T", summary="S", output=output)
    Task.objects.filter(pk=task.pk).update(state="accepted")
    output.task.refresh_from_db()
    offer = services.offer_create(actor=users["officer"], organisation=task.host, title="T", summary="S", output=output)
    assert offer.trl == 6


def test_interest_and_a_structured_decline(users):
    offer = OfferFactory()
    interest = services.interest_express(offer=offer, actor=users["applicant"], message="Quan tâm")
    with pytest.raises(ApplicationError):
        services.interest_express(offer=offer, actor=users["applicant"])
    with pytest.raises(ApplicationError):
        services.interest_decline(offer=offer, actor=users["visitor"], reason="no-reason")
    assert Interest.objects.count() == 1
    declined = services.interest_decline(offer=offer, actor=users["visitor"], reason="too_early")
    assert declined.get_decline_reason_display() and interest.state == "expressed"


def test_a_spin_off_deal_needs_its_company(users):
    offer = OfferFactory()
    with pytest.raises(ApplicationError):
        services.deal_record(offer=offer, actor=users["officer"], buyer=OrganisationFactory(), kind="spin_off", signed_on=dt.date(2026, 1, 1))
    spin = OrganisationFactory(kind="startup")
    deal = services.deal_record(offer=offer, actor=users["officer"], buyer=spin, kind="spin_off", signed_on=dt.date(2026, 1, 1), spin_off=spin)
    deal = services.deal_follow_up(deal=deal, actor=users["officer"], in_production=True, revenue=50_000_000, jobs=4, paid=10_000_000)
    assert deal.in_production and deal.jobs == 4


def test_need_create_is_staff_only(users):
    with pytest.raises(PermissionDenied):
        services.need_create(actor=users["applicant"], organisation=NeedFactory().organisation, title="t", description="d")


def test_council_kind_is_unique_per_task(users):
    task = TaskFactory()
    services.council_create(task=task, kind=Council.Kind.SELECTION, actor=users["officer"])
    with pytest.raises(ApplicationError):
        services.council_create(task=task, kind=Council.Kind.SELECTION, actor=users["officer"])


def test_a_milestone_due_within_five_working_days_is_reminded_once(users):
    from innohub.accounts.tests.factories import MembershipFactory
    from innohub.activity.models import Notification
    from innohub.research.models import Milestone

    task = contracted_task()
    MembershipFactory(user=users["applicant"], organisation=task.host)
    soon = Milestone.objects.create(task=task, title="Mẫu thử", due_on=dt.date(2026, 3, 6))
    Milestone.objects.create(task=task, title="Xa", due_on=dt.date(2026, 4, 30))
    monday = dt.date(2026, 3, 2)
    assert services.milestones_to_remind(today=monday) == [soon.pk]
    assert services.milestone_remind(milestone_id=soon.pk, today=monday)
    assert not services.milestone_remind(milestone_id=soon.pk, today=monday)  # safe to run twice
    assert Notification.objects.filter(recipient=users["applicant"], message="research.milestone_due").count() == 1
    assert services.milestones_to_remind(today=monday) == []
    reminded = Event.objects.get(action="task.milestone_reminded", target_id=str(soon.pk))
    assert reminded.before == {"reminded_on": None}
    assert reminded.after == {"reminded_on": "2026-03-02", "due_on": "2026-03-06"}
    assert services.milestones_to_remind(today=dt.date(2026, 3, 3)) == [soon.pk]  # once a day, not once for all


def test_the_index_counts_outputs_and_deals_by_commune(users):
    from innohub.research import selectors

    task = contracted_task()
    task.host.commune_id = "26740"
    task.host.save()
    services.output_add(task=task, actor=users["officer"], kind="patent", title="Sáng chế", ip_status="filed", filed_on=dt.date(2026, 1, 5))
    year = Task.objects.get(pk=task.pk).outputs.get().created_at.year
    assert selectors.index_outputs([year]) == {("26740", year): 1.0}
    offer = OfferFactory(organisation=task.host)
    services.deal_record(offer=offer, actor=users["officer"], buyer=OfferFactory().organisation, kind="licence", signed_on=dt.date(2026, 5, 1))
    assert selectors.index_transfer_deals([2026]) == {("26740", 2026): 1.0}


def test_files_are_stored_under_generated_names_that_keep_the_extension_and_do_not_collide(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    task = TaskFactory(state="acceptance_council")
    council = services.council_create(task=task, kind="acceptance", actor=users["officer"])
    first = services.council_minutes_attach(council=council, actor=users["officer"], upload=SimpleUploadedFile("Biên bản mật.pdf", PDF)).minutes.name
    services.council_minutes_attach(council=council, actor=users["officer"], upload=SimpleUploadedFile("Biên bản mật.pdf", PDF))
    council.refresh_from_db()
    assert council.minutes_name == "Biên bản mật.pdf"  # the uploader's name is kept in the row, for showing
    assert re.fullmatch(r"research/minutes/[0-9a-f]{32}\.pdf", first)
    assert re.fullmatch(r"research/minutes/[0-9a-f]{32}\.pdf", council.minutes.name)
    assert first != council.minutes.name
    assert (tmp_path / first).exists() and (tmp_path / council.minutes.name).exists()


def test_a_member_keeps_a_draft_that_counts_in_no_result_until_submitted(users, make_user):
    task = TaskFactory(state="selection_council")
    council = services.council_create(task=task, kind="selection", actor=users["officer"])
    expert, stranger = make_user(role="reviewer"), make_user(role="reviewer")
    services.council_member_add(council=council, user=expert, actor=users["officer"])
    with pytest.raises(PermissionDenied):
        services.council_score_draft_save(council=council, actor=stranger, scores={"objectives": 5}, comment="")
    services.council_score_draft_save(council=council, actor=expert, scores={"objectives": 9}, comment="Còn thiếu phần kinh phí")
    seat = CouncilMember.objects.get(council=council, user=expert)
    assert seat.draft_scores == {"objectives": 9} and seat.draft_comment == "Còn thiếu phần kinh phí" and seat.has_draft
    assert not council.scores.exists() and services.council_result(council)["count"] == 0
    assert Event.objects.filter(action="council.draft_saved", actor=expert).count() == 1
    # a bad score refuses the draft and leaves the one saved
    with pytest.raises(ApplicationError):
        services.council_score_draft_save(council=council, actor=expert, scores={"objectives": 11}, comment="Sai")
    seat.refresh_from_db()
    assert seat.draft_scores == {"objectives": 9} and seat.draft_comment == "Còn thiếu phần kinh phí"
    # submitting still asks for every score; once done, the draft is forgotten and the score counts
    with pytest.raises(ApplicationError):
        services.council_score_submit(council=council, actor=expert, scores={"objectives": 9})
    services.council_score_submit(council=council, actor=expert, scores={"objectives": 9, "method": 8, "team": 8, "budget": 7})
    seat.refresh_from_db()
    assert not seat.has_draft and seat.draft_scores == {} and services.council_result(council)["count"] == 1
    # a later draft does not take the submitted score out of the result
    services.council_score_draft_save(council=council, actor=expert, scores={"objectives": 2}, comment="Xem lại")
    result = services.council_result(council)
    assert result["count"] == 1 and council.scores.get().scores["objectives"] == 9


def test_the_council_page_saves_a_draft_and_shows_it_on_return(users, make_user, client):
    task = TaskFactory(state="selection_council")
    council = services.council_create(task=task, kind="selection", actor=users["officer"])
    expert = make_user(role="reviewer")
    services.council_member_add(council=council, user=expert, actor=users["officer"])
    client.force_login(expert)
    url = f"/research/councils/{council.pk}/"
    response = client.post(url, {"action": "draft", "score_objectives": "9", "score_method": "", "comment": "Phương pháp cần xem thêm"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Đã lưu nháp lúc" in page and "Phương pháp cần xem thêm</textarea>" in page and 'value="9"' in page
    refused = client.post(url, {"action": "submit", "score_objectives": "9", "comment": "Phương pháp cần xem thêm"})
    assert refused.status_code == 400 and "Phương pháp cần xem thêm</textarea>" in refused.content.decode()
    assert not council.scores.exists()


def test_the_api_saves_a_members_draft(users, make_user, client):
    task = TaskFactory(state="selection_council")
    council = services.council_create(task=task, kind="selection", actor=users["officer"])
    expert = make_user(role="reviewer")
    services.council_member_add(council=council, user=expert, actor=users["officer"])
    client.force_login(expert)
    response = client.post(f"/api/v1/research/councils/{council.pk}/scores/draft", {"scores": {"objectives": 9}, "comment": "Nháp"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["draft_scores"] == {"objectives": 9}
    assert not council.scores.exists()
    client.force_login(make_user(role="reviewer"))
    refused = client.post(f"/api/v1/research/councils/{council.pk}/scores/draft", {"scores": {"objectives": 1}}, content_type="application/json")
    assert refused.status_code == 403
    assert CouncilMember.objects.get(council=council, user=expert).draft_comment == "Nháp"
