"""Research and technology transfer over the API: the same operations and checks as the
pages (services and selectors do the checking). The marketplace reads are public."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from innohub.api.pagination import PagePagination
from innohub.api.schemas import ERROR_RESPONSES
from innohub.research import selectors, services, workflows
from innohub.research.models import Council, Offer, Task

router = Router(tags=["research"])


class ResearchTaskOut(Schema):
    id: int
    code: str
    title: str
    regime: str
    state: str
    state_label: str
    host: str | None = None
    principal_investigator: str
    trl_start: int | None
    trl_target: int | None
    approved_total: int | None
    budget_total: int
    contract_end: dt.date | None

    @staticmethod
    def resolve_host(obj: Task) -> str | None:
        return obj.host.name if obj.host else None


class ResearchTaskIn(Schema):
    code: str = Field(..., max_length=40)
    title: str = Field(..., max_length=500)
    regime: str = Field("2025", pattern="^(2025|2013)$")
    host_id: int | None = None
    principal_investigator: str = Field("", max_length=200)
    field: str = Field("", max_length=120)
    objectives: str = Field("", max_length=8000)
    promised_products: str = Field("", max_length=8000)
    trl_start: int | None = Field(None, ge=1, le=9)
    trl_target: int | None = Field(None, ge=1, le=9)


class ResearchStepIn(Schema):
    transition: str = Field(..., max_length=40)


class ResearchBudgetLineIn(Schema):
    source: str = Field(..., max_length=15)
    year: int = Field(..., ge=2000, le=2100)
    amount: int = Field(..., ge=1, le=10**15)
    note: str = Field("", max_length=200)


class ResearchBudgetLineOut(Schema):
    id: int
    source: str
    year: int
    amount: int


class ResearchMemberIn(Schema):
    user_id: int


class ResearchScoreIn(Schema):
    scores: dict[str, int | None]
    comment: str = Field("", max_length=8000)


class ResearchScoreOut(Schema):
    total: float | None
    scores: dict


class ResearchScoreDraftOut(Schema):
    draft_scores: dict = Field(description="The scores given so far; the others are not scored yet")
    draft_comment: str
    draft_saved_at: dt.datetime | None


class ResearchReportIn(Schema):
    dated: dt.date
    summary: str = Field(..., max_length=8000)
    kind: str = Field("periodic", pattern="^(periodic|inspection)$")


class ResearchReportOut(Schema):
    id: int
    dated: dt.date
    kind: str
    summary: str


class ResearchOfferOut(Schema):
    id: int
    title: str
    summary: str
    organisation: str
    trl: int | None
    ip_status: str
    licence_terms: str

    @staticmethod
    def resolve_organisation(obj: Offer) -> str:
        return obj.organisation.name


class ResearchNeedOut(Schema):
    id: int
    title: str
    description: str
    organisation: str

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.name


class ResearchSearchIn(Schema):
    q: str = Field("", max_length=200)


class ResearchInterestIn(Schema):
    message: str = Field("", max_length=4000)


class ResearchDeclineIn(Schema):
    reason: str = Field(..., max_length=20, description="too_early, benefit_unclear or route_unclear")
    message: str = Field("", max_length=4000)


class ResearchInterestOut(Schema):
    id: int
    state: str
    decline_reason: str


def _clean(data: dict) -> dict:
    """The payload's texts without NUL characters (PostgreSQL refuses them in text)."""
    return {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in data.items()}


def _task(request: HttpRequest, task_id: int) -> Task:
    return selectors.task_get(user=request.auth, pk=task_id)


@router.get("/tasks", response={200: list[ResearchTaskOut], **ERROR_RESPONSES}, summary="Research tasks (staff)")
@paginate(PagePagination)
def list_tasks(request: HttpRequest, filters: Query[ResearchSearchIn]):
    return selectors.task_list(user=request.auth, query=filters.q.replace("\x00", "")).prefetch_related("budget_lines")


@router.post("/tasks", response={201: ResearchTaskOut, **ERROR_RESPONSES}, summary="Propose a research task (đề xuất đặt hàng)")
def propose_task(request: HttpRequest, payload: ResearchTaskIn):
    from innohub.directory.models import Organisation

    data = _clean(payload.dict())
    host_id = data.pop("host_id")
    host = get_object_or_404(Organisation, pk=host_id) if host_id else None
    return Status(201, services.task_propose(actor=request.auth, host=host, **data))


@router.get("/tasks/{task_id}", response={200: ResearchTaskOut, **ERROR_RESPONSES}, summary="One research task")
def get_task(request: HttpRequest, task_id: int):
    return _task(request, task_id)


@router.get("/tasks/{task_id}/steps", response={200: list[str], **ERROR_RESPONSES}, summary="The workflow steps the caller may take now")
def list_steps(request: HttpRequest, task_id: int):
    from innohub.workflow.services import transitions_allowed

    task = _task(request, task_id)
    return [t.code for t in transitions_allowed(user=request.auth, obj=task, spec=workflows.task_spec(task))]


@router.post("/tasks/{task_id}/steps", response={200: ResearchTaskOut, **ERROR_RESPONSES}, summary="Take a workflow step")
def take_step(request: HttpRequest, task_id: int, payload: ResearchStepIn):
    return services.task_transition(task=_task(request, task_id), transition=payload.transition, actor=request.auth)


@router.post("/tasks/{task_id}/budget-lines", response={201: ResearchBudgetLineOut, **ERROR_RESPONSES},
             summary="Add a budget line (refused past the approved total)")
def add_budget_line(request: HttpRequest, task_id: int, payload: ResearchBudgetLineIn):
    return Status(201, services.budget_line_add(task=_task(request, task_id), actor=request.auth, **_clean(payload.dict())))


@router.post("/tasks/{task_id}/reports", response={201: ResearchReportOut, **ERROR_RESPONSES},
             summary="Record a periodic report or inspection (refused after the contract's end)")
def add_report(request: HttpRequest, task_id: int, payload: ResearchReportIn):
    return Status(201, services.report_submit(task=_task(request, task_id), actor=request.auth, **_clean(payload.dict())))


@router.post("/councils/{council_id}/members", response={201: dict, **ERROR_RESPONSES},
             summary="Add a council member (refused for a conflict of interest)")
def add_member(request: HttpRequest, council_id: int, payload: ResearchMemberIn):
    council = get_object_or_404(Council, pk=council_id)
    selectors.task_get(user=request.auth, pk=council.task_id)
    user = get_object_or_404(get_user_model(), pk=payload.user_id)
    member = services.council_member_add(council=council, user=user, actor=request.auth)
    return Status(201, {"id": member.pk, "user_id": user.pk})


@router.post("/councils/{council_id}/scores", response={200: ResearchScoreOut, **ERROR_RESPONSES}, summary="Score as a council member")
def score(request: HttpRequest, council_id: int, payload: ResearchScoreIn):
    council = selectors.council_for_member(user=request.auth, pk=council_id)
    result = services.council_score_submit(council=council, actor=request.auth, scores=payload.scores, comment=payload.comment.replace("\x00", ""))
    return {"total": float(result.total) if result.total is not None else None, "scores": result.scores}


@router.post("/councils/{council_id}/scores/draft", response={200: ResearchScoreDraftOut, **ERROR_RESPONSES},
             summary="Save my half-done scores as a draft (not submitted, counted nowhere)")
def score_draft(request: HttpRequest, council_id: int, payload: ResearchScoreIn):
    council = selectors.council_for_member(user=request.auth, pk=council_id)
    return services.council_score_draft_save(council=council, actor=request.auth, scores=payload.scores,
                                             comment=payload.comment.replace("\x00", ""))


@router.get("/offers", auth=None, response={200: list[ResearchOfferOut], **ERROR_RESPONSES},
            summary="Technologies offered (search with or without diacritics)")
@paginate(PagePagination)
def list_offers(request: HttpRequest, filters: Query[ResearchSearchIn]):
    return selectors.offers_public(user=request.user, query=filters.q.replace("\x00", ""))


@router.get("/offers/{offer_id}", auth=None, response={200: ResearchOfferOut, **ERROR_RESPONSES}, summary="One technology offered")
def get_offer(request: HttpRequest, offer_id: int):
    return selectors.offer_public_get(user=request.user, pk=offer_id)


@router.get("/needs", auth=None, response={200: list[ResearchNeedOut], **ERROR_RESPONSES},
            summary="Technologies sought by enterprises (search with or without diacritics)")
@paginate(PagePagination)
def list_needs(request: HttpRequest, filters: Query[ResearchSearchIn]):
    return selectors.needs_public(user=request.user, query=filters.q.replace("\x00", ""))


@router.get("/needs/{need_id}/matches", auth=None, response={200: list[ResearchOfferOut], **ERROR_RESPONSES},
            summary="Technologies offered that match a need, best first")
def need_matches(request: HttpRequest, need_id: int):
    need = selectors.need_public_get(user=request.user, pk=need_id)
    return list(selectors.matched_offers(user=request.user, need=need)[:10])


@router.post("/offers/{offer_id}/interest", response={201: ResearchInterestOut, **ERROR_RESPONSES}, summary="Express interest in a technology")
def express_interest(request: HttpRequest, offer_id: int, payload: ResearchInterestIn):
    offer = selectors.offer_public_get(user=request.auth, pk=offer_id)
    return Status(201, services.interest_express(offer=offer, actor=request.auth, message=payload.message.replace("\x00", "")))


@router.post("/offers/{offer_id}/decline", response={200: ResearchInterestOut, **ERROR_RESPONSES},
             summary="Decline a technology with a structured reason")
def decline(request: HttpRequest, offer_id: int, payload: ResearchDeclineIn):
    offer = selectors.offer_public_get(user=request.auth, pk=offer_id)
    return services.interest_decline(offer=offer, actor=request.auth, reason=payload.reason, message=payload.message.replace("\x00", ""))
