"""International cooperation over the API: partners and their agenda, meetings with their
people and directions, actions (the follow-up board, their workflow, progress), agreements
(their workflow, the manager's approval). The same services and selectors as the pages do
the checking; confidential minutes are returned only to the staff named on the meeting."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from innohub.api.pagination import PagePagination
from innohub.api.schemas import ERROR_RESPONSES
from innohub.cooperation import selectors, services
from innohub.cooperation.models import Action, Agreement, Direction, Meeting, Partner, Unit, Visit
from innohub.directory.models import Organisation

router = Router(tags=["cooperation"])


class PartnerOut(Schema):
    id: int
    organisation_id: int
    name: str
    country: str
    contact_owner_id: int | None = None

    @staticmethod
    def resolve_name(obj: Partner) -> str:
        return obj.organisation.name


class PartnerIn(Schema):
    organisation_id: int
    country: str = Field(..., max_length=2)
    contact_owner_id: int | None = None
    note: str = Field("", max_length=5000)


class ActionOut(Schema):
    id: int
    what: str
    direction_id: int
    meeting_id: int
    partner_id: int
    owner_id: int
    unit: str
    due_date: dt.date
    state: str
    state_label: str
    overdue: bool
    drop_reason: str
    closed_on: dt.date | None = None
    review_meeting_id: int | None = None

    @staticmethod
    def resolve_meeting_id(obj: Action) -> int:
        return obj.direction.meeting_id

    @staticmethod
    def resolve_partner_id(obj: Action) -> int:
        return obj.direction.meeting.partner_id

    @staticmethod
    def resolve_unit(obj: Action) -> str:
        return obj.direction.unit.code

    @staticmethod
    def resolve_overdue(obj: Action) -> bool:
        return obj.is_open and obj.due_date < dt.date.today()


class ActionUpdateOut(Schema):
    id: int
    text: str
    author_id: int
    created_at: dt.datetime


class AgendaItemOut(Schema):
    action: ActionOut
    updates: list[ActionUpdateOut]


class MeetingParticipantOut(Schema):
    person_id: int
    name: str
    side: str
    title_at_time: str
    organisation_at_time: str

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj.person)


class DirectionOut(Schema):
    id: int
    text: str
    text_en: str
    unit: str
    agreement_id: int | None = None
    actions: list[ActionOut]

    @staticmethod
    def resolve_unit(obj: Direction) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_actions(obj: Direction) -> list:
        return list(obj.actions.all())


class MeetingOut(Schema):
    id: int
    partner_id: int
    visit_id: int | None = None
    direction: str
    title: str
    held_on: dt.date
    place: str
    unit: str
    topics: str
    confidential: bool
    minutes_vi: str | None = Field(None, description="null when the minutes are confidential and the reader is not named on them")
    minutes_en: str | None = None
    news_url: str
    participants: list[MeetingParticipantOut]
    directions: list[DirectionOut]

    @staticmethod
    def resolve_unit(obj: Meeting) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_participants(obj: Meeting) -> list:
        return list(obj.participants.all())

    @staticmethod
    def resolve_directions(obj: Meeting) -> list:
        return list(obj.directions.all())


class MeetingIn(Schema):
    partner_id: int
    title: str = Field(..., max_length=255)
    held_on: dt.date
    place: str = Field(..., max_length=255)
    direction: str = Field("incoming", max_length=10)
    unit: str = Field(..., max_length=40, description="the owning unit's code")
    visit_id: int | None = None
    topics: str = Field("", max_length=500)
    minutes_vi: str = Field("", max_length=100_000)
    minutes_en: str = Field("", max_length=100_000)
    confidential: bool = False
    reader_ids: list[int] = Field(default_factory=list, max_length=100)
    leader_ids: list[int] = Field(default_factory=list, max_length=100)
    news_url: str = Field("", max_length=200)


class MeetingParticipantIn(Schema):
    person_id: int
    side: str = Field(..., max_length=12)
    title_at_time: str = Field("", max_length=200)


class DirectionIn(Schema):
    text: str = Field(..., max_length=500)
    text_en: str = Field("", max_length=500)
    unit: str = Field(..., max_length=40)
    partner_ids: list[int] = Field(default_factory=list, max_length=50)


class ActionIn(Schema):
    what: str = Field(..., max_length=500)
    owner_id: int
    due_date: dt.date | None = None
    due_working_days: int | None = Field(None, ge=1, le=1000)


class CooperationStepIn(Schema):
    code: str = Field(..., max_length=40)
    reason: str = Field("", max_length=5000)


class ActionProgressIn(Schema):
    text: str = Field(..., max_length=10_000)


class AgreementOut(Schema):
    id: int
    kind: str
    title: str
    title_en: str
    partner_ids: list[int]
    unit: str
    signed_on: dt.date | None = None
    expires_on: dt.date | None = None
    state: str
    state_label: str
    stale: bool

    @staticmethod
    def resolve_partner_ids(obj: Agreement) -> list[int]:
        return [p.pk for p in obj.partners.all()]

    @staticmethod
    def resolve_unit(obj: Agreement) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_stale(obj: Agreement) -> bool:
        return selectors.agreement_near_expiry(obj) and selectors.agreement_is_stale(obj)


class AgreementIn(Schema):
    kind: str = Field(..., max_length=20)
    title: str = Field(..., max_length=255)
    title_en: str = Field("", max_length=255)
    partner_ids: list[int] = Field(..., max_length=50)
    unit: str = Field(..., max_length=40)
    signed_on: dt.date | None = None
    expires_on: dt.date | None = None
    term_note: str = Field("", max_length=255)


class CooperationBoardFilters(Schema):
    partner: int | None = None
    country: str = Field("", max_length=2)
    owner: int | None = None
    unit: str = Field("", max_length=40)
    due_after: dt.date | None = None
    due_before: dt.date | None = None
    state: str = Field("", max_length=20, description="a state code, `open` or `overdue`")


def _unit(code: str) -> Unit:
    return get_object_or_404(Unit, code=code)


def _users(ids: list[int]) -> list:
    return list(get_user_model().objects.filter(pk__in=ids))


def _meeting_out(request: HttpRequest, meeting: Meeting) -> Meeting:
    if not selectors.meeting_minutes_visible(user=request.auth, meeting=meeting):
        meeting.minutes_vi = meeting.minutes_en = None  # type: ignore[assignment]
    return meeting


@router.get("/partners", response={200: list[PartnerOut], **ERROR_RESPONSES}, summary="Partners, by name")
@paginate(PagePagination)
def list_partners(request: HttpRequest, q: str = Query("", max_length=100), country: str = Query("", max_length=2)):
    return selectors.partner_list(user=request.auth, query=q.replace("\x00", ""), country=country.replace("\x00", ""))


@router.post("/partners", response={201: PartnerOut, **ERROR_RESPONSES}, summary="Make an organisation of the directory a partner (once)")
def create_partner(request: HttpRequest, payload: PartnerIn):
    selectors.ensure_staff(request.auth)
    organisation = get_object_or_404(Organisation, pk=payload.organisation_id)
    owner = get_object_or_404(get_user_model(), pk=payload.contact_owner_id) if payload.contact_owner_id else None
    return Status(201, services.partner_create(organisation=organisation, country=payload.country, contact_owner=owner, note=payload.note,
                                        actor=request.auth))


@router.get("/partners/{partner_id}", response={200: PartnerOut, **ERROR_RESPONSES}, summary="One partner")
def get_partner(request: HttpRequest, partner_id: int):
    return selectors.partner_get(user=request.auth, pk=partner_id)


@router.get("/partners/{partner_id}/agenda", response={200: list[AgendaItemOut], **ERROR_RESPONSES},
            summary="The agenda of the next meeting: every action still open with the partner, with its progress")
def partner_agenda(request: HttpRequest, partner_id: int):
    partner = selectors.partner_get(user=request.auth, pk=partner_id)
    return [{"action": item.action, "updates": item.updates} for item in selectors.next_meeting_agenda(user=request.auth, partner=partner)]


@router.post("/meetings", response={201: MeetingOut, **ERROR_RESPONSES}, summary="Record a meeting with a partner")
def create_meeting(request: HttpRequest, payload: MeetingIn):
    selectors.ensure_staff(request.auth)
    partner = get_object_or_404(Partner, pk=payload.partner_id)
    visit = get_object_or_404(Visit, pk=payload.visit_id) if payload.visit_id else None
    meeting = services.meeting_record(
        partner=partner, title=payload.title, held_on=payload.held_on, place=payload.place, direction=payload.direction,
        unit=_unit(payload.unit), visit=visit, topics=payload.topics, minutes_vi=payload.minutes_vi, minutes_en=payload.minutes_en,
        confidential=payload.confidential, readers=_users(payload.reader_ids), leaders=_users(payload.leader_ids),
        news_url=payload.news_url, actor=request.auth,
    )
    return Status(201, _meeting_out(request, selectors.meeting_get(user=request.auth, pk=meeting.pk)))


@router.get("/meetings/{meeting_id}", response={200: MeetingOut, **ERROR_RESPONSES}, summary="A meeting with its people, directions and actions")
def get_meeting(request: HttpRequest, meeting_id: int):
    return _meeting_out(request, selectors.meeting_get(user=request.auth, pk=meeting_id))


@router.post("/meetings/{meeting_id}/participants", response={201: MeetingParticipantOut, **ERROR_RESPONSES},
             summary="Name a person of the directory at the meeting (title at the time)")
def add_participant(request: HttpRequest, meeting_id: int, payload: MeetingParticipantIn):
    meeting = selectors.meeting_get(user=request.auth, pk=meeting_id)
    return Status(201, services.participant_add(meeting=meeting, person_id=payload.person_id, side=payload.side,
                                         title_at_time=payload.title_at_time, actor=request.auth))


@router.post("/meetings/{meeting_id}/directions", response={201: DirectionOut, **ERROR_RESPONSES}, summary="Record a direction agreed")
def add_direction(request: HttpRequest, meeting_id: int, payload: DirectionIn):
    meeting = selectors.meeting_get(user=request.auth, pk=meeting_id)
    partners = list(Partner.objects.filter(pk__in=payload.partner_ids))
    return Status(201, services.direction_add(meeting=meeting, text=payload.text, text_en=payload.text_en, unit=_unit(payload.unit),
                                       partners=partners, actor=request.auth))


@router.post("/directions/{direction_id}/actions", response={201: ActionOut, **ERROR_RESPONSES},
             summary="Add an action: due on a date, or N working days after the meeting")
def add_action(request: HttpRequest, direction_id: int, payload: ActionIn):
    selectors.ensure_staff(request.auth)
    direction = get_object_or_404(Direction.objects.select_related("meeting", "unit"), pk=direction_id)
    owner = get_object_or_404(get_user_model(), pk=payload.owner_id)
    return Status(201, services.action_add(direction=direction, what=payload.what, owner=owner, due_date=payload.due_date,
                                    due_working_days=payload.due_working_days, actor=request.auth))


@router.get("/actions", response={200: list[ActionOut], **ERROR_RESPONSES}, summary="The follow-up board: overdue first, then by due date")
@paginate(PagePagination)
def board(request: HttpRequest, filters: Query[CooperationBoardFilters]):
    unit = Unit.objects.filter(code=filters.unit).first() if filters.unit else None
    if filters.unit and unit is None:
        return Action.objects.none()
    return selectors.board(user=request.auth, partner=filters.partner, country=filters.country.replace("\x00", ""), owner=filters.owner,
                           unit=unit, due_after=filters.due_after, due_before=filters.due_before, state=filters.state.replace("\x00", ""))


@router.get("/actions/{action_id}", response={200: ActionOut, **ERROR_RESPONSES}, summary="One action")
def get_action(request: HttpRequest, action_id: int):
    return selectors.action_get(user=request.auth, pk=action_id)


@router.post("/actions/{action_id}/transition", response={200: ActionOut, **ERROR_RESPONSES},
             summary="Move the action on: agree, start, complete, drop (with a reason)")
def transition_action(request: HttpRequest, action_id: int, payload: CooperationStepIn):
    action = selectors.action_get(user=request.auth, pk=action_id)
    services.action_transition(action=action, code=payload.code, reason=payload.reason, actor=request.auth)
    return selectors.action_get(user=request.auth, pk=action_id)


@router.post("/actions/{action_id}/progress", response={201: ActionUpdateOut, **ERROR_RESPONSES}, summary="Record progress on the action")
def add_progress(request: HttpRequest, action_id: int, payload: ActionProgressIn):
    action = selectors.action_get(user=request.auth, pk=action_id)
    return Status(201, services.action_progress_add(action=action, text=payload.text, actor=request.auth))


@router.get("/agreements", response={200: list[AgreementOut], **ERROR_RESPONSES}, summary="Agreements, the first to expire first")
@paginate(PagePagination)
def list_agreements(request: HttpRequest):
    return selectors.agreement_list(user=request.auth)


@router.post("/agreements", response={201: AgreementOut, **ERROR_RESPONSES}, summary="Record an agreement (a draft until approved)")
def create_agreement(request: HttpRequest, payload: AgreementIn):
    selectors.ensure_staff(request.auth)
    partners = list(Partner.objects.filter(pk__in=payload.partner_ids))
    return Status(201, services.agreement_create(kind=payload.kind, title=payload.title, title_en=payload.title_en, partners=partners,
                                          unit=_unit(payload.unit), signed_on=payload.signed_on, expires_on=payload.expires_on,
                                          term_note=payload.term_note, actor=request.auth))


@router.get("/agreements/{agreement_id}", response={200: AgreementOut, **ERROR_RESPONSES}, summary="One agreement")
def get_agreement(request: HttpRequest, agreement_id: int):
    return selectors.agreement_get(user=request.auth, pk=agreement_id)


@router.post("/agreements/{agreement_id}/transition", response={200: AgreementOut, **ERROR_RESPONSES},
             summary="Send for approval; approve, return or end (managers)")
def transition_agreement(request: HttpRequest, agreement_id: int, payload: CooperationStepIn):
    agreement = selectors.agreement_get(user=request.auth, pk=agreement_id)
    services.agreement_transition(agreement=agreement, code=payload.code, note=payload.reason, actor=request.auth)
    return selectors.agreement_get(user=request.auth, pk=agreement_id)
