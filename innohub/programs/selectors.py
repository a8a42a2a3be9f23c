"""Reads on support programmes, limited to what the acting user may see.

An applicant sees the applications of the organisations they belong to; a reviewer sees
the applications assigned to them (and not the other reviewers' scores until the call
allows it); officers, managers and administrators see everything. Eligibility problems
are computed here (a read) and used by the `submit` guard in the services.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet, Sum, Window
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from innohub.core.dates import format_datetime
from innohub.core.db import filter_given
from innohub.core.money import format_vnd
from innohub.core.permissions import user_has_role
from innohub.core.roles import Role
from innohub.forms import answer_text, answers_display, answers_missing, field_label  # noqa: F401 - answer_text, field_label read from here too
from innohub.places.labels import PlaceNames
from innohub.programs.models import (
    STAGE_ORDER,
    Application,
    Award,
    Call,
    Cohort,
    DecisionRecord,
    Disbursement,
    Message,
    Milestone,
    Programme,
    Review,
    Stage,
    StageCeiling,
    previous_stage,
)
from innohub.programs.permissions import MANAGE_PROGRAMMES, REVIEW, SEE_REVIEW_LIST
from innohub.programs.stages import DEFAULT_STAGES, StageInfo
from innohub.programs.workflows import spec_for
from innohub.workflow.services import transitions_allowed
from innohub.workflow.spec import Transition


def has_flag(application: Application, flag: str) -> bool:
    """Whether the application's state carries a flag in its own call's workflow
    (``editable_by_applicant``, ``awaiting_check``, ``returned``, …; see `workflows.APPLICATION_FLAGS`)."""
    return spec_for(application.call.workflow).has_flag(application.state, flag)


def _workflows() -> list[Any]:
    """Every stored workflow: few rows, read by each query across calls (a work queue's several
    times a page), so kept in the shared cache until a write to the programmes' tables."""
    from innohub.core import page_cache
    from innohub.programs.models import Workflow

    return page_cache.remember("programs.workflows", lambda: list(Workflow.objects.all()))


def states_q(*flags: str, prefix: str = "") -> Q:
    """Applications (through ``prefix``) in a state carrying any of the flags, each call's
    workflow read for its own codes: for queries across calls."""
    q = Q(pk__in=[])
    for workflow in _workflows():
        q |= Q(**{f"{prefix}call__workflow": workflow, f"{prefix}state__in": spec_for(workflow).states_with(*flags)})
    return q


# --- Stages and ceilings ---------------------------------------------------------------

DEFAULT_CEILINGS = {s.code: s.ceiling for s in DEFAULT_STAGES}


def ceiling_for(*, stage: str, year: int) -> int:
    """The ceiling per award at a stage in a year: the latest row on or before that year."""
    row = (
        StageCeiling.objects.filter(programme__stage=stage, year__lte=year)
        .order_by("-year")
        .values_list("amount", flat=True)
        .first()
    )
    return int(row) if row is not None else DEFAULT_CEILINGS[stage]


@dataclass(frozen=True)
class StageRow:
    code: str
    label: str | Promise
    ceiling: int
    description: str | Promise
    programme: Programme | None = None


def stage_list(year: int | None = None) -> list[StageInfo | StageRow]:
    """The support stages with the ceiling per award for the year (defaults when not configured)."""
    year = year or timezone.localdate().year
    programmes = list(Programme.objects.filter(active=True).order_by("order", "id"))
    if not programmes:
        return list(DEFAULT_STAGES)
    ceilings: dict[str, int] = {}
    for stage, amount in (
        StageCeiling.objects.filter(year__lte=year).order_by("year").values_list("programme__stage", "amount")
    ):
        ceilings[stage] = int(amount)  # later years overwrite earlier ones
    defaults = {s.code: s for s in DEFAULT_STAGES}
    rows: list[StageInfo | StageRow] = []
    for p in programmes:
        default = defaults.get(p.stage)
        rows.append(
            StageRow(
                code=p.stage,
                label=p.display_name or (default.label if default else p.stage),
                ceiling=ceilings.get(p.stage, DEFAULT_CEILINGS.get(p.stage, 0)),
                description=p.display_description or (default.description if default else ""),
                programme=p,
            )
        )
    return rows


# --- Calls -------------------------------------------------------------------------------


def call_list_open(*, now: dt.datetime | None = None, stage: str = "") -> QuerySet[Call]:
    """The published calls taking applications now (of one stage when given), closing first first."""
    now = now or timezone.now()
    qs = Call.objects.filter(opens_at__lte=now, closes_at__gt=now, published_at__isnull=False).select_related("programme")
    return filter_given(qs, programme__stage=stage).order_by("closes_at")


def open_calls_with_ceilings(*, stage: str = "", limit: int = 6) -> list[Call]:
    """The open calls as the home and stage pages list them, each with ``ceiling``, the most
    one award may be in it (the ceilings read once, not once a call)."""
    calls = list(call_list_open(stage=stage)[:limit])
    rows = list(StageCeiling.objects.filter(programme__stage__in={c.stage for c in calls}).order_by("year")
                .values_list("programme__stage", "year", "amount")) if calls else []
    for call in calls:
        known = [amount for stage_code, year, amount in rows if stage_code == call.stage and year <= call.year]
        call.ceiling = int(known[-1]) if known else DEFAULT_CEILINGS.get(call.stage, 0)  # type: ignore[attr-defined]
    return calls


def call_list(*, user: Any) -> QuerySet[Call]:
    """Staff see every call, drafts too; everyone else the published calls that have opened."""
    qs = Call.objects.select_related("programme")
    if not user_has_role(user, MANAGE_PROGRAMMES):
        qs = qs.filter(opens_at__lte=timezone.now(), published_at__isnull=False)
    return qs.order_by("-opens_at")


def call_criteria(call: Call) -> list[Any]:
    """The rubric's criteria as the public call page lists them, each with its share of the
    score in per cent (``share``), so that applicants know how they are scored."""
    criteria = list(call.rubric.criteria.all())
    total = sum(c.weight for c in criteria) or 1
    for criterion in criteria:
        criterion.share = round(Decimal(criterion.weight * 100) / total)  # type: ignore[attr-defined]
    return criteria


def stage_get(stage: str) -> StageInfo | StageRow:
    """One stage as the public stage page shows it (404 for an unknown or inactive one)."""
    for row in stage_list():
        if row.code == stage:
            return row
    raise Http404


def call_is_open(call: Call, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return call.opens_at <= now < call.closes_at


def call_may_be_ranked(call: Call, now: dt.datetime | None = None) -> bool:
    """A call's applications are ranked only once it has closed and no more can arrive."""
    return (now or timezone.now()) >= call.closes_at


# --- Membership ---------------------------------------------------------------------------


def member_organisation_ids(user: Any) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_programs_org_ids", None)
    if cached is None:
        cached = set(user.memberships.values_list("organisation_id", flat=True))
        user._programs_org_ids = cached
    return cached


def is_member(user: Any, organisation_id: int) -> bool:
    return user_has_role(user, {Role.APPLICANT}) and organisation_id in member_organisation_ids(user)


def applicant_organisations(*, user: Any):
    from innohub.directory.models import Organisation

    if not user_has_role(user, {Role.APPLICANT}):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, kind=Organisation.Kind.STARTUP).order_by("name")


# --- Applications --------------------------------------------------------------------------


def application_list(
    *, user: Any, call_id: int | None = None, state: str = "", stage: str = "", q: str = ""
) -> QuerySet[Application]:
    """Applications the user may see: staff all, reviewers their assigned ones, applicants their organisations'."""
    qs = Application.objects.select_related("call__programme", "call__workflow", "organisation")
    if user_has_role(user, MANAGE_PROGRAMMES):
        pass
    elif user_has_role(user, REVIEW):
        qs = qs.filter(reviews__reviewer=user).exclude(reviews__reviewer=user, reviews__state=Review.State.CONFLICT)
    elif user_has_role(user, {Role.APPLICANT}):
        qs = qs.filter(organisation_id__in=member_organisation_ids(user))
    else:
        raise PermissionDenied
    qs = filter_given(qs, call_id=call_id, state=state, call__programme__stage=stage)
    if q:
        qs = qs.filter(Q(reference__icontains=q) | Q(title__icontains=q) | Q(organisation__name__icontains=q))
    return qs.order_by("-created_at", "-id")


def application_get(*, user: Any, pk: int) -> Application:
    """One application if the user may see it, else 404 (never reveal that it exists)."""
    try:
        return application_list(user=user).get(pk=pk)
    except (Application.DoesNotExist, PermissionDenied):
        raise Http404 from None


def my_applications_in_call(*, user: Any, call: Call) -> list[tuple[Application, str]]:
    """The live (not withdrawn) applications of the user's startups in a call, each with its applicant label."""
    if not user_has_role(user, {Role.APPLICANT}):
        return []
    applications = application_list(user=user, call_id=call.pk).exclude(state__in=spec_for(call.workflow).states_with("withdrawn"))
    return [(a, state_label(a, for_applicant=True)) for a in applications]


def applicant_next_step(application: Application) -> dict[str, str]:
    """What the applicant should do next, from the state's flags: ``text`` and the page to do it on
    (``url``), and the state as the applicant reads it (``state``, ``tone``)."""
    from django.urls import reverse

    spec = spec_for(application.call.workflow)
    detail = reverse("programs:application-detail", kwargs={"pk": application.pk})
    step = {"state": spec.applicant_label(application.state), "tone": state_tone(application), "url": detail}
    if spec.has_flag(application.state, "returned"):
        return {**step, "text": _("Send the information the department asked for."), "url": reverse("programs:application-edit", kwargs={"pk": application.pk})}
    if spec.has_flag(application.state, "editable_by_applicant"):
        return {**step, "text": _("Complete your application and submit it by %(date)s.") % {"date": format_datetime(application.call.closes_at)},
                "url": reverse("programs:application-edit", kwargs={"pk": application.pk})}
    if spec.has_flag(application.state, "awaiting_check"):
        return {**step, "text": _("Nothing to do: the department is checking your application.")}
    if spec.has_flag(application.state, "in_review") or spec.has_flag(application.state, "ranked"):
        return {**step, "text": _("Nothing to do: your application is being assessed; you will be told the decision.")}
    if spec.has_flag(application.state, "under_contract"):
        milestone = Milestone.objects.filter(award__application=application, state__in=[Milestone.State.PENDING, Milestone.State.MISSED]).order_by("due_on", "order").first()
        if milestone is not None:
            return {**step, "text": _("Report on the milestone “%(title)s”, due on %(date)s.") % {
                "title": milestone.title, "date": milestone.due_on.strftime("%d/%m/%Y")}}
        return {**step, "text": _("Nothing to do: your reports are with the department.")}
    if spec.has_flag(application.state, "funded"):
        return {**step, "text": _("Support is granted: the department will contact you to sign the contract.")}
    return {**step, "text": _("Nothing more to do on this application.")}


def can_act_as_member(user: Any, application: Application) -> bool:
    return is_member(user, application.organisation_id)


def state_label(application: Application, *, for_applicant: bool) -> str:
    spec = spec_for(application.call.workflow)
    if for_applicant:
        return spec.applicant_label(application.state)
    return spec.staff_label(application.state)


def state_tone(application: Application) -> str:
    """How a state badge is coloured, from the state's flags: "success" (funded or completed),
    "warning" (returned to the applicant), "danger" (withdrawn, or decided without support), or ""."""
    spec = spec_for(application.call.workflow)
    if spec.has_flag(application.state, "funded") or spec.has_flag(application.state, "completed"):
        return "success"
    if spec.has_flag(application.state, "returned"):
        return "warning"
    if spec.has_flag(application.state, "withdrawn") or spec.has_flag(application.state, "decided") or spec.has_flag(application.state, "closed"):
        return "danger"
    return ""


def _transitions_for(user: Any, application: Application) -> list[Transition]:
    return transitions_allowed(user=user, obj=application, spec=spec_for(application.call.workflow))


def available_transitions(*, user: Any, application: Application) -> list[Transition]:
    """The transitions this user could start from the application's state (guards not yet run).

    A move into a ranked state is left out while the call is open, as the transition service refuses it.
    """
    may_rank = call_may_be_ranked(application.call)
    spec = spec_for(application.call.workflow)
    return [t for t in _transitions_for(user, application) if may_rank or not spec.has_flag(t.target, "ranked")]


def ranking_waits_for_close(*, user: Any, application: Application) -> bool:
    """Whether this user could rank the application but for its call still being open."""
    spec = spec_for(application.call.workflow)
    return not call_may_be_ranked(application.call) and any(spec.has_flag(t.target, "ranked") for t in _transitions_for(user, application))


def transition_known(code: str) -> bool:
    """Whether any stored workflow has a transition of this code."""
    from innohub.programs.models import Workflow

    return any(code in spec_for(workflow).transitions for workflow in Workflow.objects.all())


def workflows_in_use(*, calls: Any = None) -> list[Any]:
    """The workflows the given calls (every call by default) run on, each once, oldest first."""
    from innohub.programs.models import Workflow

    used = Workflow.objects.filter(pk__in=calls.values("workflow")) if calls is not None else Workflow.objects.filter(calls__isnull=False)
    return list(used.distinct().order_by("pk"))


def application_state_choices(*, call: Call | None = None) -> list[tuple[str, str]]:
    """The states an application can be in, with their staff labels: those of the call's own
    workflow, or of every workflow a call uses (each code once, in the first definition's order
    and words)."""
    workflows = [call.workflow] if call is not None else workflows_in_use()
    choices: dict[str, str] = {}
    for workflow in workflows:
        spec = spec_for(workflow)
        for code in spec.states:
            choices.setdefault(code, spec.staff_label(code))
    return list(choices.items())


BULK_TRANSITIONS = ("start_check", "accept", "return", "mark_ineligible", "approve", "reject")


def bulk_transitions(*, user: Any, calls: Any = None) -> list[Transition]:
    """The actions the staff's list offers on many applications at once, only those the
    user's role may take in the workflow of at least one of the calls (every call's by default)."""
    steps: dict[str, Transition] = {}
    for workflow in workflows_in_use(calls=calls):
        spec = spec_for(workflow)
        for code in BULK_TRANSITIONS:
            step = spec.transitions.get(code)
            if step is not None and not step.internal and code not in steps and user_has_role(user, step.user_roles()):
                steps[code] = step
    return [steps[code] for code in BULK_TRANSITIONS if code in steps]


# --- Eligibility -----------------------------------------------------------------------------

PROFILE_FIELDS = ("tax_code", "commune", "description")  # commune: where it is since 1 July 2025


def eligibility_problems(application: Application, *, after_close: bool = False, now: dt.datetime | None = None) -> list[dict[str, str]]:
    """Every reason the application cannot be submitted yet, each as {code, message}."""
    from innohub.directory.models import Organisation

    problems: list[dict[str, str]] = []
    call = application.call
    stage = call.programme.stage
    org = application.organisation
    now = now or timezone.now()

    def add(code: str, message: str) -> None:
        problems.append({"code": code, "message": message})

    if now < call.opens_at:
        add("call_not_open", _("The call opens at %(time)s.") % {"time": format_datetime(call.opens_at)})
    elif now >= call.closes_at and not after_close:
        add("call_closed", _("The call closed at %(time)s.") % {"time": format_datetime(call.closes_at)})
    if org.kind != Organisation.Kind.STARTUP:
        add("not_a_startup", _("Only startups may apply to this programme."))
    ceiling = ceiling_for(stage=stage, year=call.year)
    if application.amount_requested <= 0:
        add("amount_missing", _("Enter the amount of support you ask for."))
    elif application.amount_requested > ceiling:
        add("amount_above_ceiling", _("The amount asked, %(amount)s, is above the ceiling of %(ceiling)s per award at this stage.") % {
            "amount": format_vnd(application.amount_requested), "ceiling": format_vnd(ceiling)})
    if Award.objects.filter(organisation=org, stage=stage).exclude(application=application).exists():
        add("already_awarded", _("This startup already holds an award at this stage; a startup may hold one award per stage."))
    prev = previous_stage(stage)
    if call.require_previous_stage and prev:
        done = Award.objects.filter(states_q("completed", prefix="application__"), organisation=org, stage=prev).exists()
        if not done:
            add("previous_stage_required", _("This call requires the startup to have completed the %(stage)s stage with the department's support.") % {
                "stage": Stage(prev).label})
    missing = [_field_label(Organisation, f) for f in PROFILE_FIELDS if not getattr(org, f)]
    if not org.sectors.exists():
        missing.append(_field_label(Organisation, "sectors"))
    if missing:
        add("profile_incomplete", _("The startup's profile is incomplete: %(fields)s.") % {"fields": ", ".join(missing)})
    if call.require_verified_profile and not org.verified:
        add("profile_not_verified", _("The startup's profile has not been verified by the department yet."))
    if not application.title.strip():
        add("title_missing", _("Give your project a title."))
    attached = set(application.attachments.values_list("field_key", flat=True))
    for field in answers_missing(schema=application.form.schema, answers=application.answers, files=attached):
        add("answer_missing", _("Required answer missing: %(field)s.") % {"field": field_label(field)})
    return problems


def application_answers(application: Application) -> list[dict[str, Any]]:
    """The application's answers section by section, as its reader reads them (files apart)."""
    return answers_display(application.form.schema, application.answers)


# --- Reviews ----------------------------------------------------------------------------------


def has_reviews(*, user: Any) -> bool:
    """Whether "My reviews" leads anywhere for this user: a reviewer always, anyone else (a member
    of staff) only once assigned a review."""
    if getattr(user, "role", None) == Role.REVIEWER:
        return True
    return user_has_role(user, SEE_REVIEW_LIST) and Review.objects.filter(reviewer=user).exists()


def review_list(*, user: Any, state: str = "") -> QuerySet[Review]:
    """The reviews assigned to this user (a reviewer's work list)."""
    if not user_has_role(user, SEE_REVIEW_LIST):
        raise PermissionDenied
    qs = Review.objects.filter(reviewer=user).select_related("application__call", "application__organisation")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("state", "-created_at", "-id")


def review_get(*, user: Any, pk: int) -> Review:
    review = Review.objects.select_related("application__call__rubric", "application__organisation", "application__form").filter(pk=pk).first()
    if review is None or (review.reviewer_id != user.pk and not user_has_role(user, MANAGE_PROGRAMMES)):
        raise Http404
    return review


def other_reviews_visible(*, user: Any, application: Application) -> bool:
    """Staff always; a reviewer once they submitted theirs and the call shares scores, or once ranked."""
    if user_has_role(user, MANAGE_PROGRAMMES):
        return True
    own = Review.objects.filter(application=application, reviewer=user, state=Review.State.SUBMITTED).exists()
    if not own:
        return False
    return application.call.share_scores_after_review or not has_flag(application, "in_review")


def application_reviews(*, user: Any, application: Application) -> QuerySet[Review]:
    qs = application.reviews.select_related("reviewer").order_by("id")
    if other_reviews_visible(user=user, application=application):
        return qs
    return qs.filter(reviewer=user)


# --- Ranking and dashboards ---------------------------------------------------------------------


def call_ranking(*, user: Any, call: Call) -> QuerySet[Application]:
    """Ranked applications in order, each with the cumulative amount asked down to it (a window sum)."""
    if not user_has_role(user, MANAGE_PROGRAMMES):
        raise PermissionDenied
    return (
        Application.objects.filter(call=call, rank__isnull=False)
        .select_related("organisation")
        .only("id", "reference", "organisation__name", "score", "amount_requested", "above_funding_line", "rank", "state")
        .annotate(cumulative=Window(Sum("amount_requested"), order_by=F("rank").asc()))
        .order_by("rank")
    )


def call_dashboard(*, user: Any, call: Call) -> dict[str, Any]:
    if not user_has_role(user, MANAGE_PROGRAMMES):
        raise PermissionDenied
    spec = spec_for(call.workflow)
    apps = Application.objects.filter(call=call)
    by_state = dict(apps.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    scores: list[Decimal] = [s for s in apps.filter(score__isnull=False).values_list("score", flat=True) if s is not None]
    buckets: Counter[str] = Counter()
    for s in scores:
        low = min(int(s) // 10 * 10, 90)
        buckets[f"{low}–{low + 10}"] += 1
    disbursed = Disbursement.objects.filter(award__call=call).aggregate(t=Sum("amount"))["t"] or 0
    reviews = dict(Review.objects.filter(application__call=call).values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    return {
        "call": call,
        "by_state": [(code, spec.staff_label(code), by_state.get(code, 0)) for code in spec.states if by_state.get(code)],
        "total": sum(by_state.values()),
        "score_buckets": sorted(buckets.items()),
        "score_mean": (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.01")) if scores else None,
        "reviews": reviews,
        "requested_total": apps.exclude(state__in=spec.states_with("draft", "withdrawn")).aggregate(t=Sum("amount_requested"))["t"] or 0,
        "budget": call.budget,
        "awarded": call.awarded_total,
        "remaining": call.remaining_budget,
        "disbursed": disbursed,
        "awards": Award.objects.filter(call=call).count(),
    }


def stage_dashboard(*, user: Any, stage: str, year: int | None = None) -> dict[str, Any]:
    if not user_has_role(user, MANAGE_PROGRAMMES):
        raise PermissionDenied
    awards = Award.objects.filter(stage=stage)
    if year:
        awards = awards.filter(call__year=year)
    totals = awards.aggregate(n=Count("id"), amount=Sum("amount"), disbursed=Sum("disbursed_total"))
    place = ("organisation__province_id", "organisation__commune_id", "organisation__former_district_id")
    by_place = list(awards.values_list(*place).annotate(n=Count("id"), amount=Sum("amount"), disbursed=Sum("disbursed_total")).order_by("-amount"))
    names = PlaceNames(row[:3] for row in by_place)
    by_sector: dict[str, dict[str, int]] = defaultdict(lambda: {"n": 0, "amount": 0, "disbursed": 0})
    for name, amount, disbursed in awards.values_list("organisation__sectors__name", "amount", "disbursed_total"):
        row = by_sector[name or "—"]
        row["n"] += 1
        row["amount"] += amount
        row["disbursed"] += disbursed
    return {
        "stage": stage,
        "stage_label": Stage(stage).label,
        "year": year,
        "awards": totals["n"] or 0,
        "amount": totals["amount"] or 0,
        "disbursed": totals["disbursed"] or 0,
        # today's units, and the former province for the three merged into HCMC
        "by_place": [(names.label(*r[:3]), names.former_province(*r[:3]), *r[3:]) for r in by_place],
        "by_sector": sorted(((k, v["n"], v["amount"], v["disbursed"]) for k, v in by_sector.items()), key=lambda r: -r[2]),
    }


def stage_codes() -> list[str]:
    return [str(s) for s in STAGE_ORDER]


# --- Awards, milestones, cohorts -------------------------------------------------------------------


def sees_correspondence(user: Any, application: Application) -> bool:
    """The startup's members and staff: the messages between them, the decision, the award and its payments.

    A reviewer scores the application's answers and files; the thread and the money granted
    and paid are none of their business (and could sway a later score).
    """
    return can_act_as_member(user, application) or user_has_role(user, MANAGE_PROGRAMMES)


def application_messages(*, user: Any, application: Application) -> QuerySet[Message]:
    """The applicant–department thread, for those who see the correspondence; none for anyone else."""
    if not sees_correspondence(user, application):
        return Message.objects.none()
    return application.messages.select_related("author").order_by("created_at", "id")


def award_for(*, user: Any, application: Application) -> Award | None:
    """The award with its milestones, tranches and payments, for those who see the correspondence."""
    if not sees_correspondence(user, application):
        return None
    return Award.objects.filter(application=application).prefetch_related("milestones__tranche__disbursement").first()


def milestone_list(*, user: Any, application: Application) -> QuerySet[Milestone]:
    if not sees_correspondence(user, application):
        return Milestone.objects.none()
    return Milestone.objects.filter(award__application=application).select_related("tranche").order_by("order")


def disbursement_list(
    *, user: Any, call_id: int | None = None, state: str = "", date_from: dt.date | None = None, date_to: dt.date | None = None,
) -> QuerySet[Disbursement]:
    """Payments, newest first, filtered by call, by the application's state and by the date paid (both ends included)."""
    if not user_has_role(user, MANAGE_PROGRAMMES):
        raise PermissionDenied
    qs = Disbursement.objects.select_related("award__application__call__workflow", "award__organisation", "tranche__milestone")
    qs = filter_given(qs, award__call_id=call_id, award__application__state=state, paid_on__gte=date_from, paid_on__lte=date_to)
    return qs.order_by("-paid_on", "-id")


def disbursement_totals(disbursements: QuerySet[Disbursement]) -> dict[str, int]:
    """The number and the sum of the (filtered) payments, and of the awards they pay."""
    paid = disbursements.aggregate(n=Count("id"), total=Sum("amount"))
    award_ids = disbursements.values("award_id").distinct()
    awarded = Award.objects.filter(pk__in=award_ids).aggregate(n=Count("id"), total=Sum("amount"))
    return {"count": paid["n"] or 0, "total": paid["total"] or 0, "awards": awarded["n"] or 0, "awarded": awarded["total"] or 0}


def ranking_warnings(*, call: Call) -> dict[str, int]:
    """What a ranking would leave out: applications still awaiting the eligibility check, and
    applications in review without every review in (an open one, or fewer than the call needs)."""
    spec = spec_for(call.workflow)
    apps = Application.objects.filter(call=call)
    unchecked = apps.filter(state__in=spec.states_with("awaiting_check")).count()
    unscored = (
        apps.filter(state__in=spec.states_with("rankable"))
        .annotate(done=Count("reviews", filter=Q(reviews__state=Review.State.SUBMITTED)),
                  open=Count("reviews", filter=Q(reviews__state=Review.State.ASSIGNED)))
        .filter(Q(open__gt=0) | Q(done__lt=call.reviewers_per_application))
        .count()
    )
    return {"unchecked": unchecked, "unscored": unscored}


def decision_records(*, user: Any, application: Application) -> QuerySet[DecisionRecord]:
    """The signed records of an application: staff see them all, its members theirs (the decisions that concern them)."""
    if not (user_has_role(user, MANAGE_PROGRAMMES) or is_member(user, application.organisation_id)):
        return DecisionRecord.objects.none()
    return DecisionRecord.objects.filter(application=application).order_by("signed_on", "id")


def cohort_list() -> QuerySet[Cohort]:
    return Cohort.objects.select_related("hub").prefetch_related("startups").order_by("-starts_on")


def _field_label(model, name: str) -> str:
    """The translated verbose name of a concrete field (for eligibility messages)."""
    field = model._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


# --- Figures for the ecosystem index ----------------------------------------------------------
def awards_by_commune(*, years: list[int]) -> list[tuple[str, int, int]]:
    """(commune code of the organisation, year approved, amount in đồng) of the awards approved
    in these years, for the ecosystem index."""
    rows = Award.objects.filter(approved_at__year__in=years).exclude(organisation__commune=None)
    return [(str(c), at.year, amount) for c, at, amount in rows.values_list("organisation__commune_id", "approved_at", "amount")]


def disbursements_by_commune(*, years: list[int]) -> list[tuple[str, int, int]]:
    """(commune code of the organisation, year paid, amount in đồng) of the payments in these years."""
    rows = Disbursement.objects.filter(paid_on__year__in=years).exclude(award__organisation__commune=None)
    return [(str(c), paid.year, amount) for c, paid, amount in rows.values_list("award__organisation__commune_id", "paid_on", "amount")]


def milestones_to_remind(*, today: dt.date) -> list[int]:
    """Ids of the overdue milestones of awards under contract not yet reminded today (the
    daily reminder's list; each is reminded by ``services.milestone_remind``)."""
    return list(
        Milestone.objects.filter(due_on__lt=today, state__in=[Milestone.State.PENDING, Milestone.State.MISSED])
        .filter(states_q("under_contract", prefix="award__application__"))
        .exclude(reminded_on=today)
        .values_list("id", flat=True)
    )
