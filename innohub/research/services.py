"""Every write of research and technology transfer: one transaction each, audited through
`activity`, refused with a clear error that changes nothing.

Tasks move only through the workflow engine (`task_transition`), whose guards are
registered here by name (`TASK.guard`). Councils follow the review engine's rules: a member
conflicted with the host or a partner (`review.organisation_conflicts`) is never added,
scores are checked (`scores_clean`) and weighed (`weighted_score`), the grade is read from
the council's own bands. A budget line past the approved total, a report dated after the
contract's end, and an acceptance without the council's minutes are refused.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.accounts.models import Membership
from innohub.activity.reminders import not_reminded_today, reminded_today, reminder_record
from innohub.activity.services import event_record, notification_send, snapshot
from innohub.core.errors import ApplicationError
from innohub.core.permissions import ensure_role, user_has_role
from innohub.core.uploads import content_matches, extension_of
from innohub.forms.answers import answers_merge
from innohub.research import permissions
from innohub.research.models import (
    BudgetLine,
    ConflictDeclaration,
    ContractChange,
    Council,
    CouncilMember,
    CouncilScore,
    Criterion,
    GradeBand,
    Interest,
    Need,
    Offer,
    Output,
    Report,
    Task,
    TaskPartner,
    TeamMember,
    TransferDeal,
)
from innohub.research.workflows import TASK, has_flag
from innohub.review import assign, organisation_conflicts, scores_clean, weighted_score
from innohub.review.assignment import ReviewerLoad, SubjectNeed
from innohub.review.drafts import DRAFT_FIELDS, draft_clear, draft_keep
from innohub.workflow.services import transition_perform

MAX_FILE_BYTES = 10 * 1024 * 1024
FILE_TYPES = (".pdf", ".docx", ".png", ".jpg", ".jpeg")

# The proposal's details as a form of the forms engine (versioned, bilingual).
PROPOSAL_FORM: dict[str, Any] = {
    "code": "research-proposal", "version": 1,
    "sections": [{
        "key": "need", "title": {"vi": "Đề xuất đặt hàng", "en": "Ordering proposal"},
        "fields": [
            {"key": "urgency", "kind": "textarea", "label": {"vi": "Tính cấp thiết", "en": "Why it is needed"}, "max_length": 4000},
            {"key": "users", "kind": "textarea", "label": {"vi": "Địa chỉ ứng dụng", "en": "Who will use the results"}, "max_length": 2000},
            {"key": "duration_months", "kind": "number", "label": {"vi": "Thời gian thực hiện (tháng)", "en": "Duration (months)"}},
        ],
    }],
}

# A council's default scale and criteria (data, copied into each council's rows).
DEFAULT_GRADES = (("Xuất sắc", Decimal(90), True), ("Khá", Decimal(75), True), ("Đạt", Decimal(50), True), ("Không đạt", Decimal(0), False))
DEFAULT_CRITERIA = {
    Council.Kind.SELECTION: (("objectives", "Mục tiêu, nội dung phù hợp đặt hàng", 3), ("method", "Phương pháp, cách tiếp cận", 3),
                             ("team", "Năng lực tổ chức chủ trì và nhóm", 2), ("budget", "Kinh phí hợp lý", 2)),
    Council.Kind.ACCEPTANCE: (("products", "Mức độ hoàn thành sản phẩm đã cam kết", 4), ("quality", "Chất lượng khoa học, công nghệ", 3),
                              ("application", "Khả năng ứng dụng, chuyển giao", 3)),
}


# -- helpers ----------------------------------------------------------------------------
def _staff(actor: Any) -> None:
    ensure_role(actor, permissions.MANAGE_TASKS)


def _locked(task: Task) -> Task:
    return Task.objects.select_for_update().get(pk=task.pk)


def _store(field: Any, upload: Any) -> str:
    """Check an uploaded file (type by extension and content, size) and store it under a
    generated name; returns the uploader's name for it."""
    suffix = extension_of(upload.name)
    if suffix not in FILE_TYPES:
        raise ApplicationError(_("Attach a PDF, DOCX, PNG or JPEG file."), code="bad_file")
    if (upload.size or 0) > MAX_FILE_BYTES:
        raise ApplicationError(_("The file is larger than 10 MB."), code="file_too_large")
    if not content_matches(upload, suffix):
        raise ApplicationError(_("The file's content does not match its type (%(type)s).") % {"type": suffix[1:].upper()}, code="bad_file")
    field.save(str(upload.name), upload, save=False)  # the field's upload_to generates the stored name
    return str(upload.name)[-200:]


def task_organisations(task: Task) -> set[int]:
    orgs = {p.organisation_id for p in task.partners.all()}
    if task.host_id:
        orgs.add(task.host_id)
    return orgs


def _host_members(task: Task) -> list[Any]:
    if not task.host_id:
        return []
    return [m.user for m in Membership.objects.filter(organisation_id=task.host_id).select_related("user")]


# -- tasks ------------------------------------------------------------------------------
@transaction.atomic
def task_origin_link(*, code: str, action: Any, actor: Any) -> Task:
    """Record that the task with ``code`` was led to by a cooperation ``action`` (agreed with a
    partner), so the chain from cooperation to results can be followed. A task has one
    origin: one already led to by another action is refused, as is an unknown code."""
    _staff(actor)
    task = Task.objects.select_for_update().filter(code=code.strip()).first() if code.strip() else None
    if task is None:
        raise ApplicationError(_("No research task has the code “%(code)s”.") % {"code": code.strip()}, code="unknown_task")
    if task.origin_action_id == action.pk:
        raise ApplicationError(_("This task is already linked to this action."), code="already_linked")
    if task.origin_action_id is not None:
        raise ApplicationError(_("This task is already linked to another cooperation action."), code="linked_elsewhere")
    before = snapshot(task, ["origin_action"])
    task.origin_action = action
    task.save(update_fields=["origin_action", "updated_at"])
    event_record(actor=actor, action="task.origin_linked", target=task, before=before, after=snapshot(task, ["origin_action"]))
    event_record(actor=actor, action="action.task_linked", target=action, after={"task": task.code})
    return task


@transaction.atomic
def task_propose(
    *, actor: Any, code: str, title: str, regime: str = "2025", host: Any = None, principal_investigator: str = "",
    field: str = "", objectives: str = "", promised_products: str = "", trl_start: int | None = None,
    trl_target: int | None = None, proposal: dict[str, Any] | None = None, partners: list[tuple[Any, str]] | None = None,
) -> Task:
    """Record an ordering proposal (đề xuất đặt hàng) in its regime's first state."""
    _staff(actor)
    problems: dict[str, str] = {}
    if not code.strip():
        problems["code"] = _("Give the task a code.")
    elif Task.objects.filter(code=code.strip()).exists():
        problems["code"] = _("Another task has this code.")
    if not title.strip():
        problems["title"] = _("Give the task a title.")
    for name, value in (("trl_start", trl_start), ("trl_target", trl_target)):
        if value is not None and not 1 <= int(value) <= 9:
            problems[name] = _("A technology readiness level is from 1 to 9.")
    if trl_start and trl_target and int(trl_target) < int(trl_start):
        problems["trl_target"] = _("The target TRL cannot be below the TRL at start.")
    answers, answer_problems = answers_merge(schema=PROPOSAL_FORM, stored={}, given=proposal or {})
    problems.update(answer_problems)
    if problems:
        raise ApplicationError(next(iter(problems.values())), extra={"problems": problems}, code="invalid_task")
    from innohub.research.workflows import spec_for

    task = Task.objects.create(
        code=code.strip(), title=title.strip(), regime=regime, state=spec_for(regime).initial, host=host,
        principal_investigator=principal_investigator, field=field, objectives=objectives,
        promised_products=promised_products, trl_start=trl_start, trl_target=trl_target, proposal=answers,
        ordered_on=timezone.localdate(), created_by=actor,
    )
    for organisation, kind in partners or []:
        TaskPartner.objects.create(task=task, organisation=organisation, kind=kind)
    event_record(actor=actor, action="task.created", target=task, after=snapshot(task, ["code", "regime", "state", "host"]))
    return task


def task_transition(*, task: Task, transition: str, actor: Any, note: str = "") -> Task:
    """Take one step of the task's workflow (roles, state and guards checked by the engine)."""
    return transition_perform(obj=task, transition=transition, actor=actor, note=note)


@transaction.atomic
def task_contract_record(*, task: Task, actor: Any, number: str, start: dt.date, end: dt.date) -> Task:
    _staff(actor)
    task = _locked(task)
    if not number.strip():
        raise ApplicationError(_("Give the contract's number."), code="contract_number")
    if end <= start:
        raise ApplicationError(_("The contract must end after it starts."), code="contract_dates")
    if has_flag(task, "accepted") or has_flag(task, "closed"):
        raise ApplicationError(_("The contract of a closed task cannot be changed."), code="closed")
    before = snapshot(task, ["contract_number", "contract_start", "contract_end"])
    task.contract_number, task.contract_start, task.contract_end = number.strip(), start, end
    task.save(update_fields=["contract_number", "contract_start", "contract_end", "updated_at"])
    event_record(actor=actor, action="task.contract_recorded", target=task, before=before,
                 after=snapshot(task, ["contract_number", "contract_start", "contract_end"]))
    return task


def _lines_total(task: Task) -> int:
    return int(task.budget_lines.aggregate(total=Sum("amount"))["total"] or 0)


@transaction.atomic
def task_budget_approve(*, task: Task, actor: Any, total: int) -> Task:
    """Set the approved total; refused below the lines already recorded."""
    ensure_role(actor, permissions.MANAGE_TASKS)
    task = _locked(task)
    if total <= 0:
        raise ApplicationError(_("The approved total must be more than 0 đồng."), code="total")
    if _lines_total(task) > total:
        raise ApplicationError(_("The budget lines already add up to more than this total."), code="over_total")
    before = snapshot(task, ["approved_total"])
    task.approved_total = total
    task.save(update_fields=["approved_total", "updated_at"])
    event_record(actor=actor, action="budget.approved", target=task, before=before, after=snapshot(task, ["approved_total"]))
    return task


@transaction.atomic
def budget_line_add(*, task: Task, actor: Any, source: str, year: int, amount: int, note: str = "") -> BudgetLine:
    """Add a line of the budget by source and year; refused when the lines would pass the
    approved total (the task's row is locked so two officers cannot both pass it)."""
    _staff(actor)
    task = _locked(task)
    if source not in BudgetLine.Source.values:
        raise ApplicationError(_("Choose the source of the funds."), code="source")
    if amount <= 0:
        raise ApplicationError(_("The amount must be more than 0 đồng."), code="amount")
    if not 2000 <= int(year) <= 2100:
        raise ApplicationError(_("Give the year of the budget line."), code="year")
    if has_flag(task, "closed") or has_flag(task, "accepted"):
        raise ApplicationError(_("The budget of a closed task cannot be changed."), code="closed")
    if task.approved_total is not None and _lines_total(task) + amount > task.approved_total:
        from innohub.core.money import format_vnd

        raise ApplicationError(
            _("This line would bring the budget to %(total)s, over the approved total of %(approved)s.")
            % {"total": format_vnd(_lines_total(task) + amount), "approved": format_vnd(task.approved_total)},
            code="over_approved_total",
        )
    line = BudgetLine.objects.create(task=task, source=source, year=year, amount=amount, note=note)
    event_record(actor=actor, action="budget.added", target=task, after={"source": source, "year": year, "amount": amount})
    return line


# -- guards and effects ----------------------------------------------------------------
def _council(task: Task, kind: str) -> Council | None:
    return task.councils.filter(kind=kind).first()


@TASK.guard("has_host")
def _guard_host(task: Task, actor: Any, payload: dict) -> list[str]:
    return [] if task.host_id else [_("Name the host organisation first.")]


@TASK.guard("selection_scored")
def _guard_selection(task: Task, actor: Any, payload: dict) -> list[str]:
    council = _council(task, Council.Kind.SELECTION)
    if council is None or not council.scores.exists():
        return [_("The selection council has not scored the dossier yet.")]
    return []


@TASK.guard("budget_set")
def _guard_budget(task: Task, actor: Any, payload: dict) -> list[str]:
    if task.approved_total is None:
        return [_("Set the approved total budget first.")]
    if _lines_total(task) > task.approved_total:
        return [_("The budget lines add up to more than the approved total.")]
    return []


@TASK.guard("has_contract")
def _guard_contract(task: Task, actor: Any, payload: dict) -> list[str]:
    return [] if task.contract_number and task.contract_end else [_("Record the contract (number and dates) first.")]


@TASK.guard("acceptance_minutes")
def _guard_minutes(task: Task, actor: Any, payload: dict) -> list[str]:
    council = _council(task, Council.Kind.ACCEPTANCE)
    if council is None or not council.minutes:
        return [_("Attach the acceptance council's minutes first.")]
    return []


@TASK.guard("acceptance_passed")
def _guard_passed(task: Task, actor: Any, payload: dict) -> list[str]:
    council = _council(task, Council.Kind.ACCEPTANCE)
    result = council_result(council) if council else None
    if result is None or result["grade"] is None:
        return [_("The acceptance council has not scored the results yet.")]
    if not result["grade"].passing:
        return [_("The council graded the results “%(grade)s”: they cannot be recognised.") % {"grade": result["grade"].label}]
    return []


@TASK.effect("notify_host")
def _effect_notify(task: Task, actor: Any, payload: dict, step: Any) -> None:
    from django.urls import reverse

    notification_send(recipients=_host_members(task), message="research.task_step",
                      params={"code": task.code, "step": f"{task.regime}:{step.target}"},
                      url=reverse("research:task", args=[task.pk]), email=False)


# -- councils --------------------------------------------------------------------------
@transaction.atomic
def council_create(*, task: Task, kind: str, actor: Any, name: str = "", meeting_on: dt.date | None = None) -> Council:
    """Form the task's selection or acceptance council with the default criteria and scale
    (rows the council may change: the scale is data)."""
    _staff(actor)
    task = _locked(task)
    if kind not in Council.Kind.values:
        raise ApplicationError(_("Choose the kind of council."), code="kind")
    if task.councils.filter(kind=kind).exists():
        raise ApplicationError(_("This task already has such a council."), code="council_exists")
    council = Council.objects.create(task=task, kind=kind, name=name, meeting_on=meeting_on)
    for code, label, weight in DEFAULT_CRITERIA[Council.Kind(kind)]:
        Criterion.objects.create(council=council, code=code, label=label, weight=weight, min_score=0, max_score=10)
    for label, minimum, passing in DEFAULT_GRADES:
        GradeBand.objects.create(council=council, label=label, min_score=minimum, passing=passing)
    event_record(actor=actor, action="council.created", target=task, after={"council": council.pk, "kind": kind})
    return council


def _conflicted(council: Council, user_ids: list[int]) -> set[int]:
    task = council.task
    orgs = task_organisations(task)
    declared: dict[int, set[int]] = {}
    for uid, oid in ConflictDeclaration.objects.filter(user_id__in=user_ids).values_list("user_id", "organisation_id"):
        declared.setdefault(uid, set()).add(oid)
    conflicts = organisation_conflicts(reviewer_ids=user_ids, organisation_ids=orgs, declared=declared)
    return set().union(*conflicts.values()) if conflicts else set()


@transaction.atomic
def council_member_add(*, council: Council, user: Any, actor: Any, role: str = "") -> CouncilMember:
    """Add a member; refused when they have a conflict of interest with the host or a partner."""
    _staff(actor)
    council = Council.objects.select_for_update().select_related("task").get(pk=council.pk)
    if not user_has_role(user, permissions.SIT_ON_COUNCILS):
        raise ApplicationError(_("Only experts and staff may sit on a council."), code="not_expert")
    if council.members.filter(user=user).exists():
        raise ApplicationError(_("%(name)s already sits on this council.") % {"name": user}, code="member_exists")
    if user.pk in _conflicted(council, [user.pk]):
        raise ApplicationError(
            _("%(name)s has a conflict of interest with the host or a partner of this task and cannot sit on its council.") % {"name": user},
            code="conflict_of_interest",
        )
    member = CouncilMember.objects.create(council=council, user=user, role=role)
    event_record(actor=actor, action="council.member_added", target=council.task, after={"council": council.pk, "member": user.pk})
    from django.urls import reverse

    notification_send(recipients=[user], message="research.council_appointed",
                      params={"council": str(council.get_kind_display()), "code": council.task.code},
                      url=reverse("research:score", args=[council.pk]), email=False)
    return member


@transaction.atomic
def council_assign(*, council: Council, candidates: list[Any], size: int, actor: Any) -> list[CouncilMember]:
    """Fill the council up to ``size`` members from the candidates with the review engine's
    balanced assignment, conflicted candidates excluded."""
    _staff(actor)
    council = Council.objects.select_for_update().select_related("task").get(pk=council.pk)
    ids = [u.pk for u in candidates if user_has_role(u, permissions.SIT_ON_COUNCILS)]
    present = set(council.members.values_list("user_id", flat=True))
    excluded = frozenset(_conflicted(council, ids) | present)
    loads = {uid: CouncilMember.objects.filter(user_id=uid).count() for uid in ids}
    result = assign(subjects=[SubjectNeed(key=council.pk, need=max(size - len(present), 0), excluded=excluded)],
                    reviewers=[ReviewerLoad(id=uid, capacity=max(loads[uid] + 1, 10), load=loads[uid]) for uid in ids])
    by_id = {u.pk: u for u in candidates}
    added = []
    for _key, uid in result.pairs:
        added.append(CouncilMember.objects.create(council=council, user=by_id[uid]))
        event_record(actor=actor, action="council.member_added", target=council.task, after={"council": council.pk, "member": uid})
    return added


@transaction.atomic
def council_minutes_attach(*, council: Council, upload: Any, actor: Any, meeting_on: dt.date | None = None) -> Council:
    _staff(actor)
    council = Council.objects.select_for_update().select_related("task").get(pk=council.pk)
    if upload is None:
        raise ApplicationError(_("Choose the minutes' file."), code="no_file")
    council.minutes_name = _store(council.minutes, upload)
    if meeting_on:
        council.meeting_on = meeting_on
    council.save(update_fields=["minutes", "minutes_name", "meeting_on", "updated_at"])
    event_record(actor=actor, action="council.minutes_attached", target=council.task, after={"council": council.pk, "file": council.minutes_name})
    return council


def _scoring_member(council: Council, actor: Any) -> tuple[Council, CouncilMember]:
    """The council, locked, and the actor's seat on it, if they may score it now: only a member,
    only while the task is before its council, and not with a conflict declared since their
    appointment."""
    council = Council.objects.select_for_update().select_related("task").get(pk=council.pk)
    member = council.members.select_for_update().filter(user=actor).first()
    if member is None:
        raise PermissionDenied
    flag = "selection" if council.kind == Council.Kind.SELECTION else "acceptance"
    if not has_flag(council.task, flag):
        raise ApplicationError(_("This council is not scoring now."), code="not_scoring")
    if actor.pk in _conflicted(council, [actor.pk]):
        raise ApplicationError(_("You have a conflict of interest with this task."), code="conflict_of_interest")
    return council, member


@transaction.atomic
def council_score_draft_save(*, council: Council, actor: Any, scores: dict[str, Any], comment: str = "") -> CouncilMember:
    """Keep a member's half-done scores as a draft (`review.drafts`): those given are checked,
    those left empty wait; it counts in no council result (a score submitted before stays the
    one that counts) until submitted."""
    council, member = _scoring_member(council, actor)
    errors = draft_keep(member, criteria=list(council.criteria.all()), scores=scores, comment=comment)
    if errors:
        raise ApplicationError(_("Some scores are out of range; the draft was not saved."), extra={"problems": errors}, code="invalid_scores")
    member.save(update_fields=DRAFT_FIELDS)
    event_record(actor=actor, action="council.draft_saved", target=council.task, after={"council": council.pk, "scored": sorted(member.draft_scores)})
    return member


@transaction.atomic
def council_score_submit(*, council: Council, actor: Any, scores: dict[str, Any], comment: str = "") -> CouncilScore:
    """A member's scores on every criterion (checked by the review engine), weighed 0–100;
    their draft, if any, is done with."""
    council, member = _scoring_member(council, actor)
    criteria = list(council.criteria.all())
    clean, errors = scores_clean(criteria=criteria, scores=scores)
    if errors:
        raise ApplicationError(next(iter(errors.values())), extra={"problems": errors}, code="invalid_scores")
    total = weighted_score(criteria=criteria, scores=clean)
    score, _created = CouncilScore.objects.update_or_create(
        council=council, member=actor, defaults={"scores": clean, "total": total, "comment": comment})
    if member.has_draft:
        draft_clear(member)
        member.save(update_fields=DRAFT_FIELDS)
    event_record(actor=actor, action="council.scored", target=council.task, after={"council": council.pk, "total": total})
    return score


def council_result(council: Council) -> dict[str, Any] | None:
    """The council's mean weighted score and the grade its own scale gives it."""
    totals = [s.total for s in council.scores.all() if s.total is not None]
    if not totals:
        return {"mean": None, "grade": None, "count": 0}
    mean = (Decimal(sum(totals)) / len(totals)).quantize(Decimal("0.01"))
    grade = next((g for g in council.grades.all() if mean >= g.min_score), None)
    return {"mean": mean, "grade": grade, "count": len(totals)}


@transaction.atomic
def conflict_declare(*, user: Any, organisation: Any, reason: str = "") -> ConflictDeclaration:
    ensure_role(user, permissions.SIT_ON_COUNCILS)
    declaration, _created = ConflictDeclaration.objects.get_or_create(user=user, organisation=organisation, defaults={"reason": reason})
    event_record(actor=user, action="council.conflict_declared", target=organisation, after={"user": user.pk, "reason": reason})
    return declaration


# -- reports and contract changes -------------------------------------------------------
@transaction.atomic
def report_submit(*, task: Task, actor: Any, dated: dt.date, summary: str, kind: str = Report.Kind.PERIODIC,
                  evidence: Any = None) -> Report:
    """A periodic report or an inspection; refused outside the contract or dated after its end."""
    _staff(actor)
    task = _locked(task)
    if not has_flag(task, "under_contract"):
        raise ApplicationError(_("Reports are recorded while the task is under contract."), code="not_under_contract")
    if task.contract_end and dated > task.contract_end:
        from innohub.core.dates import format_date

        raise ApplicationError(_("The report is dated after the contract's end (%(end)s).") % {"end": format_date(task.contract_end)},
                               code="after_contract_end")
    if task.contract_start and dated < task.contract_start:
        raise ApplicationError(_("The report is dated before the contract's start."), code="before_contract_start")
    if not summary.strip():
        raise ApplicationError(_("Write what the report says."), code="summary")
    report = Report(task=task, kind=kind, dated=dated, summary=summary.strip(), submitted_by=actor)
    if evidence is not None:
        report.evidence_name = _store(report.evidence, evidence)
    report.save()
    event_record(actor=actor, action="report.submitted", target=task, after={"report": report.pk, "dated": dated})
    return report


@transaction.atomic
def contract_change_record(*, task: Task, actor: Any, kind: str, reason: str, new_end: dt.date | None = None,
                           new_total: int | None = None) -> ContractChange:
    _staff(actor)
    task = _locked(task)
    if not has_flag(task, "under_contract"):
        raise ApplicationError(_("Only a task under contract can have its contract changed."), code="not_under_contract")
    if not reason.strip():
        raise ApplicationError(_("Give the reason for the change."), code="reason")
    if kind == ContractChange.Kind.EXTENSION and (new_end is None or (task.contract_end and new_end <= task.contract_end)):
        raise ApplicationError(_("An extension needs a new end date after the current one."), code="new_end")
    if kind == ContractChange.Kind.BUDGET and (new_total is None or new_total < _lines_total(task)):
        raise ApplicationError(_("A budget change needs a new total no lower than the budget lines."), code="new_total")
    change = ContractChange.objects.create(task=task, kind=kind, reason=reason.strip(), new_end=new_end, new_total=new_total)
    event_record(actor=actor, action="change.recorded", target=task, after={"change": change.pk, "kind": kind})
    return change


@transaction.atomic
def contract_change_approve(*, change: ContractChange, actor: Any) -> ContractChange:
    ensure_role(actor, permissions.APPROVE_CHANGES)
    change = ContractChange.objects.select_for_update().get(pk=change.pk)
    task = _locked(change.task)
    if change.approved:
        raise ApplicationError(_("This change is already approved."), code="approved")
    before = snapshot(task, ["contract_end", "approved_total"])
    if change.kind == ContractChange.Kind.EXTENSION:
        task.contract_end = change.new_end
    elif change.new_total is not None:
        if change.new_total < _lines_total(task):
            raise ApplicationError(_("The budget lines add up to more than this new total."), code="new_total")
        task.approved_total = change.new_total
    task.save(update_fields=["contract_end", "approved_total", "updated_at"])
    change.approved, change.approved_by, change.approved_at = True, actor, timezone.now()
    change.save(update_fields=["approved", "approved_by", "approved_at", "updated_at"])
    event_record(actor=actor, action="change.approved", target=task, before=before, after=snapshot(task, ["contract_end", "approved_total"]))
    return change


# -- outputs and the marketplace --------------------------------------------------------
@transaction.atomic
def output_add(*, task: Task, actor: Any, kind: str, title: str, trl: int | None = None, ip_status: str = "none",
               description: str = "", ip_number: str = "", filed_on: dt.date | None = None, granted_on: dt.date | None = None,
               expires_on: dt.date | None = None) -> Output:
    _staff(actor)
    if kind not in Output.Kind.values:
        raise ApplicationError(_("Choose the kind of output."), code="kind")
    if not title.strip():
        raise ApplicationError(_("Give the output a title."), code="title")
    if trl is not None and not 1 <= int(trl) <= 9:
        raise ApplicationError(_("A technology readiness level is from 1 to 9."), code="trl")
    if ip_status in (Output.IpStatus.GRANTED, Output.IpStatus.EXPIRED) and not granted_on:
        raise ApplicationError(_("Give the date the IP was granted."), code="granted_on")
    if filed_on and granted_on and granted_on < filed_on:
        raise ApplicationError(_("The IP cannot be granted before it was filed."), code="granted_on")
    output = Output.objects.create(task=task, kind=kind, title=title.strip(), trl=trl, ip_status=ip_status, description=description,
                                   ip_number=ip_number, filed_on=filed_on, granted_on=granted_on, expires_on=expires_on)
    event_record(actor=actor, action="output.added", target=task, after={"output": output.pk, "kind": kind, "trl": trl})
    return output


@transaction.atomic
def offer_create(*, actor: Any, organisation: Any, title: str, summary: str, output: Output | None = None, trl: int | None = None,
                 ip_status: str = "none", licence_terms: str = "", contact: str = "") -> Offer:
    """Publish a technology offer; one from a task's output waits for the results' recognition."""
    ensure_role(actor, permissions.MANAGE_MARKET)
    if not title.strip() or not summary.strip():
        raise ApplicationError(_("An offer needs a title and a non-confidential summary."), code="offer")
    if output is not None and not has_flag(output.task, "accepted"):
        raise ApplicationError(_("A task's output is offered once its results are recognised."), code="not_accepted")
    if trl is not None and not 1 <= int(trl) <= 9:
        raise ApplicationError(_("A technology readiness level is from 1 to 9."), code="trl")
    offer = Offer.objects.create(title=title.strip(), summary=summary.strip(), organisation=organisation, output=output,
                                 trl=trl if trl is not None else (output.trl if output else None),
                                 ip_status=ip_status if output is None else output.ip_status, licence_terms=licence_terms, contact=contact)
    event_record(actor=actor, action="offer.created", target=offer, after={"organisation": organisation.pk})
    from innohub.research import matching

    matching.forget()
    return offer


@transaction.atomic
def need_create(*, actor: Any, organisation: Any, title: str, description: str) -> Need:
    ensure_role(actor, permissions.MANAGE_MARKET)
    if not title.strip() or not description.strip():
        raise ApplicationError(_("A need has a title and a description."), code="need")
    need = Need.objects.create(title=title.strip(), description=description.strip(), organisation=organisation)
    event_record(actor=actor, action="need.created", target=need, after={"organisation": organisation.pk})
    from innohub.research import matching

    matching.forget()
    return need


def enterprises_of(user: Any) -> list[Any]:
    """The enterprises of the directory (not archived) the user is a member of: those they may post a need for."""
    from innohub.directory.models import Organisation

    if not getattr(user, "is_authenticated", False):
        return []
    return list(Organisation.objects.filter(memberships__user=user, kind=Organisation.Kind.ENTERPRISE, archived_at__isnull=True)
                .distinct().order_by("name"))


@transaction.atomic
def need_post(*, actor: Any, organisation: Any, title: str, description: str, field: str = "", min_trl: int | None = None,
              budget: int | None = None, needed_by: dt.date | None = None, contact: str = "") -> Need:
    """A need posted by a member of the enterprise itself: kept from the public until an
    officer approves it (`need_moderate`). Every problem is named at once; nothing is stored."""
    ensure_role(actor, permissions.TAKE_PART_IN_MARKET)
    if organisation is None or organisation not in enterprises_of(actor):
        raise PermissionDenied
    problems: dict[str, str] = {}
    if not title.strip():
        problems["title"] = _("Give the need a title.")
    if len(description.strip()) < 30:
        problems["description"] = _("Describe the problem the technology should solve (at least 30 characters).")
    if min_trl is not None and not 1 <= int(min_trl) <= 9:
        problems["min_trl"] = _("A technology readiness level is from 1 to 9.")
    if budget is not None and budget < 0:
        problems["budget"] = _("The budget cannot be negative.")
    if needed_by is not None and needed_by <= timezone.localdate():
        problems["needed_by"] = _("The date it is needed by must be in the future.")
    if problems:
        raise ApplicationError(next(iter(problems.values())), extra={"problems": problems}, code="invalid_need")
    need = Need.objects.create(
        title=title.strip(), description=description.strip(), organisation=organisation, field=field.strip(), min_trl=min_trl,
        budget=budget, needed_by=needed_by, contact=contact.strip(), posted_by=actor, published=False,
        moderation=Need.Moderation.PENDING,
    )
    event_record(actor=actor, action="need.posted", target=need, after={"organisation": organisation.pk, "moderation": need.moderation})
    return need


@transaction.atomic
def need_moderate(*, need: Need, actor: Any, approve: bool, note: str = "") -> Need:
    """An officer publishes a need an enterprise posted, or refuses it with a reason the poster reads."""
    from django.urls import reverse

    from innohub.research import matching

    ensure_role(actor, permissions.MANAGE_MARKET)
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.moderation != Need.Moderation.PENDING:
        raise ApplicationError(_("This need has already been moderated."), code="moderated")
    if not approve and not note.strip():
        raise ApplicationError(_("Say why the need is not published: the enterprise reads it."), code="reason_needed")
    before = snapshot(need, ["moderation", "published", "moderation_note"])
    need.moderation = Need.Moderation.APPROVED if approve else Need.Moderation.REJECTED
    need.published = approve
    need.moderation_note = note.strip()
    need.save(update_fields=["moderation", "published", "moderation_note", "updated_at"])
    event_record(actor=actor, action="need.approved" if approve else "need.rejected", target=need, before=before,
                 after=snapshot(need, ["moderation", "published", "moderation_note"]))
    if need.posted_by is not None:
        if approve:
            notification_send(recipients=[need.posted_by], message="research.need_approved", params={"title": need.title},
                              url=reverse("research:need", args=[need.pk]))
        else:
            notification_send(recipients=[need.posted_by], message="research.need_rejected",
                              params={"title": need.title, "reason": need.moderation_note}, url=reverse("research:need-post"))
    if approve:
        matching.forget()
    return need


# -- a task's team and partners ---------------------------------------------------------------
@transaction.atomic
def team_member_add(*, task: Task, actor: Any, name: str, role: str = "", organisation: Any = None) -> TeamMember:
    _staff(actor)
    if not name.strip():
        raise ApplicationError(_("Give the member's name."), extra={"problems": {"name": _("Give the member's name.")}}, code="team")
    if task.team.filter(name__iexact=name.strip()).exists():
        problem = _("%(name)s is already in the team.") % {"name": name.strip()}
        raise ApplicationError(problem, extra={"problems": {"name": problem}}, code="team")
    member = TeamMember.objects.create(task=task, name=name.strip(), role=role.strip(), organisation=organisation)
    event_record(actor=actor, action="team.member_added", target=task,
                 after={"name": member.name, "role": member.role, "organisation": organisation.pk if organisation else None})
    return member


@transaction.atomic
def team_member_remove(*, member: TeamMember, actor: Any) -> None:
    _staff(actor)
    task, before = member.task, {"name": member.name, "role": member.role}
    member.delete()
    event_record(actor=actor, action="team.member_removed", target=task, before=before)


@transaction.atomic
def task_partner_add(*, task: Task, actor: Any, organisation: Any, kind: str, role: str = "") -> TaskPartner:
    _staff(actor)
    problems: dict[str, str] = {}
    if organisation is None:
        problems["organisation"] = _("Choose the partner in the directory.")
    elif organisation.pk == task.host_id:
        problems["organisation"] = _("The host organisation is not its own partner.")
    elif task.partners.filter(organisation=organisation).exists():
        problems["organisation"] = _("%(organisation)s is already a partner of this task.") % {"organisation": organisation.name}
    if kind not in TaskPartner.Kind.values:
        problems["kind"] = _("Say whether the partner is domestic or international.")
    if problems:
        raise ApplicationError(next(iter(problems.values())), extra={"problems": problems}, code="partner")
    partner = TaskPartner.objects.create(task=task, organisation=organisation, kind=kind, role=role.strip())
    event_record(actor=actor, action="task.partner_added", target=task,
                 after={"organisation": organisation.pk, "kind": kind, "role": partner.role})
    return partner


@transaction.atomic
def task_partner_remove(*, partner: TaskPartner, actor: Any) -> None:
    _staff(actor)
    task, before = partner.task, {"organisation": partner.organisation_id, "kind": partner.kind, "role": partner.role}
    partner.delete()
    event_record(actor=actor, action="task.partner_removed", target=task, before=before)


def _member_org(user: Any) -> Any:
    membership = Membership.objects.filter(user=user).select_related("organisation").first()
    return membership.organisation if membership else None


@transaction.atomic
def interest_express(*, offer: Offer, actor: Any, message: str = "", need: Need | None = None) -> Interest:
    """A signed-in user's expression of interest in a published offer (once; a decline can be
    turned into interest)."""
    ensure_role(actor, permissions.TAKE_PART_IN_MARKET)
    if not offer.published:
        raise ApplicationError(_("This offer is no longer on the marketplace."), code="unpublished")
    if len(message) > 4000:
        raise ApplicationError(_("At most 4.000 characters."), code="message")
    organisation = _member_org(actor)
    interest = Interest.objects.filter(offer=offer, user=actor).first()
    if interest is not None and interest.state == Interest.State.EXPRESSED:
        raise ApplicationError(_("You have already expressed interest in this offer."), code="already")
    if interest is None:
        interest = Interest(offer=offer, user=actor)
    interest.state, interest.message, interest.decline_reason = Interest.State.EXPRESSED, message.strip(), ""
    interest.organisation, interest.need = organisation, need
    interest.save()
    event_record(actor=actor, action="interest.expressed", target=offer, after={"interest": interest.pk})
    recipients = [m.user for m in Membership.objects.filter(organisation=offer.organisation).select_related("user")]
    from django.urls import reverse

    notification_send(recipients=recipients, message="research.interest_expressed",
                      params={"organisation": str(organisation or actor), "offer": offer.title},
                      url=reverse("research:offer", args=[offer.pk]), email=False)
    return interest


@transaction.atomic
def interest_decline(*, offer: Offer, actor: Any, reason: str, message: str = "") -> Interest:
    """A company's structured "no": too early, benefit unclear, route to market unclear."""
    ensure_role(actor, permissions.TAKE_PART_IN_MARKET)
    if reason not in Interest.DeclineReason.values:
        raise ApplicationError(_("Choose why the offer does not suit you."), code="reason")
    interest = Interest.objects.filter(offer=offer, user=actor).first() or Interest(offer=offer, user=actor)
    interest.state, interest.decline_reason, interest.message = Interest.State.DECLINED, reason, message.strip()[:4000]
    interest.organisation = _member_org(actor)
    interest.save()
    event_record(actor=actor, action="interest.declined", target=offer, after={"reason": reason})
    return interest


@transaction.atomic
def deal_record(*, offer: Offer, actor: Any, buyer: Any, kind: str, signed_on: dt.date, value: int = 0,
                royalty_percent: Decimal | None = None, spin_off: Any = None) -> TransferDeal:
    ensure_role(actor, permissions.MANAGE_MARKET)
    if kind not in TransferDeal.Kind.values:
        raise ApplicationError(_("Choose the kind of deal."), code="kind")
    if value < 0:
        raise ApplicationError(_("The value cannot be negative."), code="value")
    if kind == TransferDeal.Kind.SPIN_OFF and spin_off is None:
        raise ApplicationError(_("Name the spin-off company from the directory."), code="spin_off")
    deal = TransferDeal.objects.create(offer=offer, buyer=buyer, kind=kind, signed_on=signed_on, value=value,
                                       royalty_percent=royalty_percent, spin_off=spin_off)
    event_record(actor=actor, action="deal.recorded", target=offer, after={"deal": deal.pk, "kind": kind, "value": value})
    return deal


@transaction.atomic
def deal_follow_up(*, deal: TransferDeal, actor: Any, in_production: bool, revenue: int, jobs: int, paid: int,
                   on: dt.date | None = None) -> TransferDeal:
    ensure_role(actor, permissions.MANAGE_MARKET)
    if min(revenue, jobs, paid) < 0:
        raise ApplicationError(_("Figures cannot be negative."), code="negative")
    deal = TransferDeal.objects.select_for_update().get(pk=deal.pk)
    fields = ["in_production", "revenue", "jobs", "paid", "followed_up_on"]
    before = snapshot(deal, fields)
    deal.in_production, deal.revenue, deal.jobs, deal.paid = in_production, revenue, jobs, paid
    deal.followed_up_on = on or timezone.localdate()
    deal.save(update_fields=[*fields, "updated_at"])
    event_record(actor=actor, action="deal.followed_up", target=deal.offer, before=before, after=snapshot(deal, fields))
    return deal


# -- reminders -----------------------------------------------------------------------------
REMIND_WORKING_DAYS = 5  # a milestone is reminded when it falls due within five working days


def milestones_to_remind(*, today: dt.date) -> list[int]:
    """Milestones of tasks under contract, not done, due within `REMIND_WORKING_DAYS` working
    days (or overdue) and not yet reminded today."""
    from innohub.core.calendar import add_working_days
    from innohub.research.models import Milestone
    from innohub.research.workflows import states_with

    horizon = add_working_days(today, REMIND_WORKING_DAYS)
    return list(
        not_reminded_today(Milestone.objects.filter(done_on__isnull=True, due_on__lte=horizon,
                                                    task__state__in=states_with("under_contract")), today=today)
        .values_list("pk", flat=True)
    )


@transaction.atomic
def milestone_remind(*, milestone_id: int, today: dt.date | None = None) -> bool:
    """Remind the host's members and the officer who recorded the task of a milestone due
    soon; at most once a day (safe to run twice)."""
    from django.urls import reverse

    from innohub.research.models import Milestone

    today = today or timezone.localdate()
    milestone = Milestone.objects.select_for_update().select_related("task").filter(pk=milestone_id).first()
    if milestone is None or milestone.done_on or reminded_today(milestone, today=today):
        return False
    task = milestone.task
    recipients = _host_members(task) + ([task.created_by] if task.created_by else [])
    notification_send(recipients=recipients, message="research.milestone_due",
                      params={"code": task.code, "milestone": milestone.title, "due": milestone.due_on},
                      url=reverse("research:task", args=[task.pk]))
    reminder_record(milestone, today=today, action="task.milestone_reminded", detail={"due_on": milestone.due_on})
    return True
