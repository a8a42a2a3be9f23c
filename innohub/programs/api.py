"""Support programmes over the API: the same operations and checks as the pages.

Reads go through the selectors (404 for what the user may not see), writes through the
services (403 when the role or membership is missing, 400/409 for broken rules).
"""


import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from innohub.accounts import reauth
from innohub.accounts.reauth import reauthentication_required
from innohub.api.pagination import PagePagination
from innohub.api.schemas import ERROR_RESPONSES, IsoDate
from innohub.core.errors import ApplicationError
from innohub.core.permissions import ensure_role, user_has_role
from innohub.programs import permissions, selectors, services
from innohub.programs.models import Award, Call, Milestone, Tranche

router = Router(tags=["programs"])


class StageOut(Schema):
    code: str
    label: str
    ceiling: int
    description: str


@router.get("/stages", response={200: list[StageOut], **ERROR_RESPONSES}, auth=None, summary="Stages with this year's ceiling per award")
def list_stages(request: HttpRequest, year: int | None = None):
    return [StageOut(code=s.code, label=str(s.label), ceiling=s.ceiling, description=str(s.description)) for s in selectors.stage_list(year)]


class CallOut(Schema):
    id: int
    title: str = Field(alias="display_title")
    stage: str
    year: int
    opens_at: dt.datetime
    closes_at: dt.datetime
    budget: int
    awarded_total: int
    reviewers_per_application: int


@router.get("/calls", response={200: list[CallOut], **ERROR_RESPONSES}, summary="Calls (staff: all; others: opened ones)")
@paginate(PagePagination)
def list_calls(request: HttpRequest):
    return selectors.call_list(user=request.auth)


@router.get("/calls/{call_id}", response={200: CallOut, **ERROR_RESPONSES}, summary="One call")
def get_call(request: HttpRequest, call_id: int):
    return get_object_or_404(selectors.call_list(user=request.auth), pk=call_id)


class ApplicationOut(Schema):
    id: int
    reference: str
    call_id: int
    organisation_id: int
    organisation: str
    state: str
    state_label: str
    title: str
    amount_requested: int
    answers: dict
    submitted_at: dt.datetime | None
    decision_reason: str
    score: Decimal | None = None
    rank: int | None = None
    above_funding_line: bool | None = None

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_state_label(obj, context) -> str:
        user = context["request"].auth
        return selectors.state_label(obj, for_applicant=selectors.is_member(user, obj.organisation_id))

    @staticmethod
    def resolve_decision_reason(obj, context) -> str:
        return obj.decision_reason if selectors.sees_correspondence(context["request"].auth, obj) else ""

    @staticmethod
    def resolve_score(obj, context):
        return obj.score if user_has_role(context["request"].auth, permissions.MANAGE_PROGRAMMES) else None

    @staticmethod
    def resolve_rank(obj, context):
        return obj.rank if user_has_role(context["request"].auth, permissions.MANAGE_PROGRAMMES) else None

    @staticmethod
    def resolve_above_funding_line(obj, context):
        return obj.above_funding_line if user_has_role(context["request"].auth, permissions.MANAGE_PROGRAMMES) else None


class ApplicationFilters(Schema):
    call_id: int | None = None
    state: str = Field("", max_length=30)
    stage: str = Field("", max_length=20)
    q: str = Field("", max_length=100)


@router.get("/applications", response={200: list[ApplicationOut], **ERROR_RESPONSES}, summary="Applications I may see")
@paginate(PagePagination)
def list_applications(request: HttpRequest, filters: Query[ApplicationFilters]):
    return selectors.application_list(user=request.auth, **filters.dict())


class ApplicationStart(Schema):
    call_id: int
    organisation_id: int


@router.post("/applications", response={201: ApplicationOut, **ERROR_RESPONSES}, summary="Start an application (a startup's member)")
def start_application(request: HttpRequest, payload: ApplicationStart):
    call = get_object_or_404(Call, pk=payload.call_id)
    organisation = selectors.applicant_organisations(user=request.auth).filter(pk=payload.organisation_id).first()
    if organisation is None:
        raise PermissionDenied
    return Status(201, services.application_start(call=call, organisation=organisation, actor=request.auth))


@router.get("/applications/{application_id}", response={200: ApplicationOut, **ERROR_RESPONSES}, summary="One application")
def get_application(request: HttpRequest, application_id: int):
    return selectors.application_get(user=request.auth, pk=application_id)


class ApplicationPatch(Schema):
    title: str | None = Field(None, max_length=255)
    amount_requested: int | str | None = None
    answers: dict[str, Any] | None = None


@router.patch("/applications/{application_id}", response={200: ApplicationOut, **ERROR_RESPONSES}, summary="Save a draft (autosave)")
def save_application(request: HttpRequest, application_id: int, payload: ApplicationPatch):
    application = selectors.application_get(user=request.auth, pk=application_id)
    return services.application_save(application=application, actor=request.auth, **payload.dict())


class EligibilityProblem(Schema):
    code: str
    message: str


@router.get("/applications/{application_id}/eligibility", response={200: list[EligibilityProblem], **ERROR_RESPONSES}, summary="What still prevents submitting")
def eligibility(request: HttpRequest, application_id: int):
    application = selectors.application_get(user=request.auth, pk=application_id)
    return selectors.eligibility_problems(application, after_close=selectors.has_flag(application, "returned"))


class AttachmentOut(Schema):
    id: int
    field_key: str
    original_name: str
    content_type: str
    size: int


@router.post("/applications/{application_id}/attachments", response={201: AttachmentOut, **ERROR_RESPONSES}, summary="Attach a file")
def attach(request: HttpRequest, application_id: int, field_key: Form[str], file: File[UploadedFile]):
    application = selectors.application_get(user=request.auth, pk=application_id)
    return Status(201, services.attachment_add(application=application, field_key=field_key, upload=file, actor=request.auth))


class TransitionIn(Schema):
    transition: str = Field(max_length=40)
    message: str = Field("", max_length=5000)
    amount: int | str | None = None
    declaration: bool = False  # submitting: the applicant declares the answers true and complete


@router.post("/applications/{application_id}/transitions", response={200: ApplicationOut, **ERROR_RESPONSES}, summary="Perform a workflow transition")
@reauthentication_required(transition=reauth.payload_field("transition"))
def transition(request: HttpRequest, application_id: int, payload: TransitionIn):
    application = selectors.application_get(user=request.auth, pk=application_id)
    return services.application_transition(application=application, actor=request.auth, **payload.dict())


@router.post("/applications/{application_id}/decisions", response={200: ApplicationOut, **ERROR_RESPONSES},
             summary="A step that needs a signed record: approve, reject, terminate (managers) or record the contract (staff)")
@reauthentication_required(transition=reauth.argument("transition"))
def decide(request: HttpRequest, application_id: int, transition: Form[str], number: Form[str], signed_on: Form[dt.date],
           signer: Form[str], file: File[UploadedFile], amount: Form[str] = "", message: Form[str] = ""):
    application = selectors.application_get(user=request.auth, pk=application_id)
    record = {"number": number, "signed_on": signed_on, "signer": signer, "file": file}
    return services.application_transition(application=application, transition=transition[:40], actor=request.auth,
                                           message=message[:5000], amount=amount or None, record=record)


class TransitionOut(Schema):
    code: str
    label: str
    target: str


@router.get("/applications/{application_id}/transitions", response={200: list[TransitionOut], **ERROR_RESPONSES}, summary="Transitions I may try now")
def list_transitions(request: HttpRequest, application_id: int):
    application = selectors.application_get(user=request.auth, pk=application_id)
    return [TransitionOut(code=t.code, label=t.display_label, target=t.target)
            for t in selectors.available_transitions(user=request.auth, application=application)]


class BulkIn(Schema):
    application_ids: list[int] = Field(max_length=500)
    transition: str = Field(max_length=40)
    message: str = Field("", max_length=5000)


class BulkOut(Schema):
    done: list[int]
    failed: dict[str, str]


@router.post("/bulk-transitions", response={200: BulkOut, **ERROR_RESPONSES}, summary="The same transition on many applications (staff)")
@reauthentication_required(transition=reauth.payload_field("transition"))
def bulk_transition(request: HttpRequest, payload: BulkIn):
    ensure_role(request.auth, permissions.MANAGE_PROGRAMMES)
    if not selectors.transition_known(payload.transition):
        raise ApplicationError(_("Unknown action."))
    return services.application_bulk_transition(application_ids=payload.application_ids, transition=payload.transition,
                                                actor=request.auth, message=payload.message)


class MessageOut(Schema):
    id: int
    kind: str
    body: str
    author: str | None
    created_at: dt.datetime

    @staticmethod
    def resolve_author(obj) -> str | None:
        return obj.author.display_name if obj.author_id else None


class MessageIn(Schema):
    body: str = Field(max_length=5000)


@router.get("/applications/{application_id}/messages", response={200: list[MessageOut], **ERROR_RESPONSES}, summary="Messages on an application")
@paginate(PagePagination)
def list_messages(request: HttpRequest, application_id: int):
    application = selectors.application_get(user=request.auth, pk=application_id)
    return selectors.application_messages(user=request.auth, application=application)


@router.post("/applications/{application_id}/messages", response={201: MessageOut, **ERROR_RESPONSES}, summary="Send a message")
def post_message(request: HttpRequest, application_id: int, payload: MessageIn):
    application = selectors.application_get(user=request.auth, pk=application_id)
    return Status(201, services.message_post(application=application, actor=request.auth, body=payload.body))


# --- reviews ---------------------------------------------------------------------------------------


class ReviewOut(Schema):
    id: int
    application_id: int
    reference: str
    state: str
    scores: dict
    comment: str
    weighted_score: Decimal | None

    @staticmethod
    def resolve_reference(obj) -> str:
        return obj.application.reference


@router.get("/reviews", response={200: list[ReviewOut], **ERROR_RESPONSES}, summary="Reviews assigned to me")
@paginate(PagePagination)
def list_reviews(request: HttpRequest, state: str = ""):
    return selectors.review_list(user=request.auth, state=state)


@router.get("/applications/{application_id}/reviews", response={200: list[ReviewOut], **ERROR_RESPONSES}, summary="Reviews of an application I may see")
@paginate(PagePagination)
def application_reviews(request: HttpRequest, application_id: int):
    application = selectors.application_get(user=request.auth, pk=application_id)
    if not (user_has_role(request.auth, permissions.MANAGE_PROGRAMMES) or user_has_role(request.auth, permissions.REVIEW)):
        raise PermissionDenied
    return selectors.application_reviews(user=request.auth, application=application).select_related("application")


class ReviewIn(Schema):
    scores: dict[str, int | str | None]
    comment: str = Field("", max_length=10_000)


@router.post("/reviews/{review_id}/submit", response={200: ReviewOut, **ERROR_RESPONSES}, summary="Submit my scores (\"na\" or null: not applicable)")
def submit_review(request: HttpRequest, review_id: int, payload: ReviewIn):
    review = selectors.review_get(user=request.auth, pk=review_id)
    return services.review_submit(review=review, actor=request.auth, scores=payload.scores, comment=payload.comment)


class ReviewDraftOut(Schema):
    id: int
    draft_scores: dict = Field(description="The scores given so far (null: not applicable); the others are not scored yet")
    draft_comment: str
    draft_saved_at: dt.datetime | None


@router.post("/reviews/{review_id}/draft", response={200: ReviewDraftOut, **ERROR_RESPONSES},
             summary="Save my half-done review as a draft (not submitted, counted nowhere)")
def save_review_draft(request: HttpRequest, review_id: int, payload: ReviewIn):
    review = selectors.review_get(user=request.auth, pk=review_id)
    return services.review_draft_save(review=review, actor=request.auth, scores=payload.scores, comment=payload.comment.replace("\x00", ""))


class ConflictIn(Schema):
    reason: str = Field(max_length=2000)


@router.post("/reviews/{review_id}/conflict", response={200: ReviewOut, **ERROR_RESPONSES}, summary="Declare a conflict of interest")
def declare_conflict(request: HttpRequest, review_id: int, payload: ConflictIn):
    review = selectors.review_get(user=request.auth, pk=review_id)
    return services.review_declare_conflict(review=review, actor=request.auth, reason=payload.reason)


# --- staff: assignment, ranking, dashboard ---------------------------------------------------------


class AssignOut(Schema):
    assigned: int
    applications: int
    short: dict[int, int]


@router.post("/calls/{call_id}/assign", response={200: AssignOut, **ERROR_RESPONSES}, summary="Assign reviewers (staff)")
def assign(request: HttpRequest, call_id: int):
    ensure_role(request.auth, permissions.MANAGE_PROGRAMMES)
    return services.reviewers_assign(call=get_object_or_404(Call, pk=call_id), actor=request.auth)


class RankOut(Schema):
    ranked: int
    moved: int
    above_line: int
    below_min_score: int = 0


@router.post("/calls/{call_id}/rank", response={200: RankOut, **ERROR_RESPONSES}, summary="Rank and draw the funding line (staff)")
def rank(request: HttpRequest, call_id: int, confirm: bool = False):
    """Refused (409 "ranking_unconfirmed") while applications are unchecked or not fully scored, unless ``?confirm=true``."""
    ensure_role(request.auth, permissions.MANAGE_PROGRAMMES)
    return services.call_rank(call=get_object_or_404(Call, pk=call_id), actor=request.auth, confirm=confirm)


class RankedOut(Schema):
    application_id: int = Field(alias="id")
    reference: str
    organisation: str
    score: Decimal | None
    amount: int = Field(alias="amount_requested")
    cumulative: int
    above_line: bool = Field(alias="above_funding_line")
    rank: int
    state: str

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.name


@router.get("/calls/{call_id}/ranking", response={200: list[RankedOut], **ERROR_RESPONSES}, summary="The ranking of a call (staff)")
@paginate(PagePagination)
def ranking(request: HttpRequest, call_id: int):
    ensure_role(request.auth, permissions.MANAGE_PROGRAMMES)
    return selectors.call_ranking(user=request.auth, call=get_object_or_404(Call, pk=call_id))


class DashboardOut(Schema):
    total: int
    by_state: dict[str, int]
    score_mean: Decimal | None
    budget: int
    awarded: int
    remaining: int
    disbursed: int
    awards: int


@router.get("/calls/{call_id}/dashboard", response={200: DashboardOut, **ERROR_RESPONSES}, summary="A call's figures (staff)")
def dashboard(request: HttpRequest, call_id: int):
    ensure_role(request.auth, permissions.MANAGE_PROGRAMMES)
    d = selectors.call_dashboard(user=request.auth, call=get_object_or_404(Call.objects.select_related("workflow"), pk=call_id))
    return {**d, "by_state": {code: n for code, _label, n in d["by_state"]}}


# --- awards, milestones, disbursements ------------------------------------------------------------------


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: dt.date
    state: str
    report: str
    tranche_id: int | None = None
    amount: int | None = None

    @staticmethod
    def resolve_tranche_id(obj):
        return getattr(getattr(obj, "tranche", None), "pk", None)

    @staticmethod
    def resolve_amount(obj):
        return getattr(getattr(obj, "tranche", None), "amount", None)


class MilestoneIn(Schema):
    title: str = Field(max_length=255)
    due_on: IsoDate
    amount: int = Field(gt=0)


@router.get("/applications/{application_id}/milestones", response={200: list[MilestoneOut], **ERROR_RESPONSES}, summary="Milestones of the award")
@paginate(PagePagination)
def list_milestones(request: HttpRequest, application_id: int):
    application = selectors.application_get(user=request.auth, pk=application_id)
    return selectors.milestone_list(user=request.auth, application=application)


@router.post("/applications/{application_id}/milestones", response={201: MilestoneOut, **ERROR_RESPONSES}, summary="Plan a milestone and its tranche (staff)")
def add_milestone(request: HttpRequest, application_id: int, payload: MilestoneIn):
    ensure_role(request.auth, permissions.MANAGE_PROGRAMMES)
    award = get_object_or_404(Award, application_id=application_id)
    return Status(201, services.milestone_add(award=award, actor=request.auth, **payload.dict()))


class ReportIn(Schema):
    report: str = Field(max_length=10_000)


@router.post("/milestones/{milestone_id}/report", response={200: MilestoneOut, **ERROR_RESPONSES}, summary="Report on a milestone (the startup)")
def report_milestone(request: HttpRequest, milestone_id: int, payload: ReportIn):
    milestone = get_object_or_404(Milestone.objects.select_related("award"), pk=milestone_id)
    selectors.application_get(user=request.auth, pk=milestone.award.application_id)
    return services.milestone_report(milestone=milestone, actor=request.auth, report=payload.report)


@router.post("/milestones/{milestone_id}/report-with-evidence", response={200: MilestoneOut, **ERROR_RESPONSES},
             summary="Report on a milestone with evidence files (the startup; multipart)")
def report_milestone_with_evidence(request: HttpRequest, milestone_id: int, report: Form[str]):
    """The evidence files are the multipart parts named ``files`` (any number up to ten)."""
    milestone = get_object_or_404(Milestone.objects.select_related("award"), pk=milestone_id)
    selectors.application_get(user=request.auth, pk=milestone.award.application_id)
    return services.milestone_report(milestone=milestone, actor=request.auth, report=report[:10_000], files=request.FILES.getlist("files"))


class CheckIn(Schema):
    met: bool
    note: str = Field("", max_length=2000)


@router.post("/milestones/{milestone_id}/check", response={200: MilestoneOut, **ERROR_RESPONSES}, summary="Mark a milestone met or not (staff)")
def check_milestone(request: HttpRequest, milestone_id: int, payload: CheckIn):
    ensure_role(request.auth, permissions.MANAGE_PROGRAMMES)
    milestone = get_object_or_404(Milestone, pk=milestone_id)
    return services.milestone_check(milestone=milestone, actor=request.auth, met=payload.met, note=payload.note)


class DisbursementIn(Schema):
    key: str = Field(min_length=1, max_length=80)
    paid_on: IsoDate
    reference: str = Field("", max_length=80)


class DisbursementOut(Schema):
    id: int
    award_id: int
    tranche_id: int
    amount: int
    key: str
    paid_on: dt.date
    reference: str
    created: bool = True


@router.post("/tranches/{tranche_id}/disbursements", response={200: DisbursementOut, 201: DisbursementOut, **ERROR_RESPONSES},
             summary="Record the payment of a tranche (idempotent by key)")
@reauthentication_required
def record_disbursement(request: HttpRequest, tranche_id: int, payload: DisbursementIn):
    ensure_role(request.auth, permissions.MANAGE_PROGRAMMES)
    tranche = get_object_or_404(Tranche, pk=tranche_id)
    disbursement, created = services.disbursement_record(tranche=tranche, actor=request.auth, **payload.dict())
    disbursement.created = created
    return Status(201 if created else 200, disbursement)


@router.get("/disbursements", response={200: list[DisbursementOut], **ERROR_RESPONSES}, summary="Payments recorded (staff)")
@paginate(PagePagination)
def list_disbursements(request: HttpRequest, call_id: int | None = None, state: str = "", date_from: dt.date | None = None,
                       date_to: dt.date | None = None):
    return selectors.disbursement_list(user=request.auth, call_id=call_id, state=state[:30], date_from=date_from, date_to=date_to)



class CohortOut(Schema):
    id: int
    name: str
    stage: str
    hub: str
    starts_on: dt.date
    ends_on: dt.date
    startups: list[str]
    mentors: list[str]
    sessions: list[dict]

    @staticmethod
    def resolve_hub(obj) -> str:
        return obj.hub.name

    @staticmethod
    def resolve_startups(obj) -> list[str]:
        return [o.name for o in obj.startups.all()]

    @staticmethod
    def resolve_mentors(obj) -> list[str]:
        return [m.name for m in obj.mentors.all()]

    @staticmethod
    def resolve_sessions(obj) -> list[dict]:
        return [{"title": s.title, "starts_at": s.starts_at.isoformat(), "location": s.location} for s in obj.sessions.all()]


@router.get("/cohorts", response={200: list[CohortOut], **ERROR_RESPONSES}, auth=None, summary="Incubation and acceleration cohorts")
@paginate(PagePagination)
def list_cohorts(request: HttpRequest):
    return selectors.cohort_list().prefetch_related("mentors", "sessions")
