"""The writers of international cooperation: partners, visits, meetings and the people at them,
directions and their actions (through the action workflow), progress updates with evidence,
agreements (through the agreement workflow), attachments, and the daily reminders.

Every function is keyword-only, runs in one transaction, checks who acts (`permissions`),
refuses bad input with an `ApplicationError` before writing anything, and records an audit
event. State changes go through the shared engine's `transition_perform`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.activity.reminders import reminder_record
from innohub.activity.services import event_record, notification_send, snapshot
from innohub.cooperation import notifications, permissions, workflows
from innohub.cooperation.models import (
    Action,
    ActionUpdate,
    Agreement,
    Attachment,
    Direction,
    Meeting,
    Participant,
    Partner,
    Side,
    Unit,
    Visit,
)
from innohub.core.calendar import add_working_days
from innohub.core.errors import ApplicationError
from innohub.core.permissions import ensure_role, user_has_role
from innohub.core.roles import STAFF_ROLES
from innohub.core.uploads import content_matches, extension_of
from innohub.directory.models import Organisation, Person, Position
from innohub.workflow.services import transition_perform

ATTACHMENT_TYPES = (".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".pptx")
PHOTO_TYPES = (".png", ".jpg", ".jpeg")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# reminders: this many working days before the due date to the owner; after the due date to
# the owner; this many working days after it, to the owner's manager (the unit's head)
REMIND_BEFORE_WORKING_DAYS = 3
ESCALATE_AFTER_WORKING_DAYS = 5
# an agreement's expiry is announced this many days ahead; flagged when nothing was done
# under it for STALE_DAYS
EXPIRY_NOTICE_DAYS = 90
STALE_DAYS = 365
_COUNTRY = re.compile(r"^[A-Z]{2}$")


# --- workflow guards and effects ----------------------------------------------------------------
@workflows.ACTION.pseudo_role("unit_officer")
def _action_unit_officer(user: Any, action: Action) -> bool:
    return permissions.may_edit_action(user, action)


@workflows.AGREEMENT.pseudo_role("unit_officer")
def _agreement_unit_officer(user: Any, agreement: Agreement) -> bool:
    return permissions.in_unit(user, agreement.unit)


@workflows.ACTION.guard("reason_given")
def _reason_given(action: Action, actor: Any, payload: dict[str, Any]) -> list[str]:
    return [] if str(payload.get("reason") or "").strip() else [_("Say why the action is dropped.")]


@workflows.ACTION.effect("mark_closed")
def _mark_closed(action: Action, actor: Any, payload: dict[str, Any], step: Any) -> None:
    action.closed_on = timezone.localdate()


@workflows.AGREEMENT.guard("signed")
def _signed(agreement: Agreement, actor: Any, payload: dict[str, Any]) -> list[str]:
    return [] if agreement.signed_on else [_("Give the signature date before approving the agreement.")]


@workflows.AGREEMENT.effect("mark_approved")
def _mark_approved(agreement: Agreement, actor: Any, payload: dict[str, Any], step: Any) -> None:
    agreement.approved_by = actor


# --- helpers -----------------------------------------------------------------------------------
def _ensure_edit_unit(actor: Any, unit: Unit | None) -> None:
    ensure_role(actor, permissions.RECORD_COOPERATION)
    if not permissions.may_edit_unit(actor, unit):
        raise PermissionDenied


def _staff_users(users: Iterable[Any], what: str) -> list[Any]:
    users = [u for u in users if u is not None]
    for user in users:
        if not user_has_role(user, STAFF_ROLES):
            raise ApplicationError(_("%(what)s must be department staff: %(name)s is not.") % {"what": what, "name": user},
                                   code="not_staff")
    return users


def check_upload(upload: Any, *, kind: str = Attachment.Kind.DOCUMENT) -> str:
    """The upload's extension once it is one of the accepted types, no larger than the limit,
    and its bytes are what its name says; otherwise a clear refusal."""
    suffix = extension_of(getattr(upload, "name", ""))
    allowed = PHOTO_TYPES if kind == Attachment.Kind.PHOTO else ATTACHMENT_TYPES
    if suffix not in allowed:
        raise ApplicationError(_("Attach one of these types: %(types)s.") % {"types": ", ".join(t[1:].upper() for t in allowed)},
                               code="bad_attachment")
    if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
        raise ApplicationError(_("The file %(name)s is larger than 10 MB.") % {"name": upload.name}, code="attachment_too_large")
    if not content_matches(upload, suffix):
        raise ApplicationError(
            _("The file %(name)s is not what its name says: its content is not a %(type)s.") % {"name": upload.name, "type": suffix[1:].upper()},
            code="bad_attachment",
        )
    return suffix


def _attach(*, upload: Any, kind: str, actor: Any, **owner: Any) -> Attachment:
    upload.seek(0)
    name = (getattr(upload, "name", "") or "file").replace("\\", "/").rsplit("/", 1)[-1][:200]
    attachment = Attachment(kind=kind, name=name, size=upload.size or 0, uploaded_by=actor, **owner)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


def _check_all(uploads: Sequence[Any], kind: str) -> None:
    for upload in uploads:
        check_upload(upload, kind=kind)


# --- units and partners ------------------------------------------------------------------------
@transaction.atomic
def unit_create(*, code: str, name: str, name_en: str = "", head: Any = None, members: Iterable[Any] = (), actor: Any) -> Unit:
    ensure_role(actor, permissions.APPROVE_AGREEMENTS)
    if Unit.objects.filter(code=code).exists():
        raise ApplicationError(_("A unit with the code %(code)s exists already.") % {"code": code}, code="duplicate_unit")
    unit = Unit.objects.create(code=code, name=name, name_en=name_en, head=head)
    unit.members.set(_staff_users(members, _("A unit's officers")))
    event_record(actor=actor, action="unit.created", target=unit, after={"code": code, "name": name})
    return unit


def _country(value: str) -> str:
    country = (value or "").strip().upper()
    if not _COUNTRY.match(country):
        raise ApplicationError(_("Give the country as its two-letter code (AU, SG…)."), code="bad_country")
    return country


@transaction.atomic
def partner_create(*, organisation: Organisation, country: str, contact_owner: Any = None, note: str = "", actor: Any) -> Partner:
    """Make an organisation of the directory a partner, once: the same organisation, or one
    with the same name (folded, legal form left out), is refused as a duplicate."""
    ensure_role(actor, permissions.RECORD_COOPERATION)
    country = _country(country)
    if organisation is None or not Organisation.objects.filter(pk=organisation.pk).exists():
        raise ApplicationError(_("Choose an organisation of the directory."), code="not_in_directory")
    if not organisation.is_public:
        raise ApplicationError(_("This organisation is archived or merged in the directory."), code="archived")
    existing = Partner.objects.filter(organisation=organisation).first()
    if existing is None and organisation.name_key:
        existing = Partner.objects.filter(organisation__name_key=organisation.name_key).first()
    if existing is not None:
        raise ApplicationError(_("%(name)s is a partner already.") % {"name": existing.organisation.name}, code="duplicate_partner",
                               extra={"partner": existing.pk})
    if contact_owner is not None:
        _staff_users([contact_owner], _("The contact owner"))
    partner = Partner.objects.create(organisation=organisation, country=country, contact_owner=contact_owner, note=note)
    event_record(actor=actor, action="partner.created", target=partner, after=snapshot(partner, ["organisation", "country", "contact_owner", "note"]))
    return partner


@transaction.atomic
def partner_update(*, partner: Partner, country: str, contact_owner: Any = None, note: str = "", actor: Any) -> Partner:
    ensure_role(actor, permissions.RECORD_COOPERATION)
    if not (permissions.is_manager(actor) or partner.contact_owner_id in (None, actor.pk)):
        raise PermissionDenied
    country = _country(country)
    if contact_owner is not None:
        _staff_users([contact_owner], _("The contact owner"))
    fields = ["country", "contact_owner", "note"]
    before = snapshot(partner, fields)
    partner.country, partner.contact_owner, partner.note = country, contact_owner, note
    partner.save(update_fields=[*fields, "updated_at"])
    event_record(actor=actor, action="partner.updated", target=partner, before=before, after=snapshot(partner, fields))
    return partner


# --- visits and meetings -----------------------------------------------------------------------
@transaction.atomic
def visit_create(*, title: str, direction: str, partners: Sequence[Partner], starts_on: dt.date, ends_on: dt.date, unit: Unit,
                 title_en: str = "", place: str = "", note: str = "", actor: Any) -> Visit:
    _ensure_edit_unit(actor, unit)
    if direction not in Side.values:
        raise ApplicationError(_("Say whether the visit is incoming or outgoing."), code="bad_side")
    if not partners:
        raise ApplicationError(_("Name at least one partner of the visit."), code="no_partner")
    if ends_on < starts_on:
        raise ApplicationError(_("The visit cannot end before it starts."), code="bad_dates")
    visit = Visit.objects.create(title=title, title_en=title_en, direction=direction, starts_on=starts_on, ends_on=ends_on,
                                 place=place, unit=unit, note=note)
    visit.partners.set(partners)
    event_record(actor=actor, action="visit.created", target=visit,
                 after={**snapshot(visit, ["title", "direction", "starts_on", "ends_on", "unit"]), "partners": [p.pk for p in partners]})
    return visit


MEETING_FIELDS = ["partner", "visit", "direction", "title", "held_on", "place", "unit", "topics", "minutes_vi", "minutes_en",
                  "confidential", "news_url"]


@transaction.atomic
def meeting_record(
    *, partner: Partner, title: str, held_on: dt.date, place: str, direction: str, unit: Unit, visit: Visit | None = None,
    topics: str = "", sectors: Iterable[Any] = (), leaders: Iterable[Any] = (), minutes_vi: str = "", minutes_en: str = "",
    confidential: bool = False, readers: Iterable[Any] = (), news_url: str = "", files: Sequence[Any] = (),
    file_kind: str = Attachment.Kind.DOCUMENT, actor: Any,
) -> Meeting:
    """Record a meeting with a partner (its minutes, leaders present, attachments). Confidential
    minutes are read only by the staff named, the one recording them always among them."""
    _ensure_edit_unit(actor, unit)
    if direction not in Side.values:
        raise ApplicationError(_("Say whether the meeting is incoming or outgoing."), code="bad_side")
    if visit is not None and not (visit.starts_on <= held_on <= visit.ends_on):
        raise ApplicationError(_("The meeting's date is outside its visit (%(start)s – %(end)s).")
                               % {"start": f"{visit.starts_on:%d/%m/%Y}", "end": f"{visit.ends_on:%d/%m/%Y}"}, code="outside_visit")
    leaders = _staff_users(leaders, _("The department's leaders present"))
    readers = _staff_users(readers, _("The staff who may read the minutes"))
    _check_all(files, file_kind)
    meeting = Meeting.objects.create(
        partner=partner, visit=visit, direction=direction, title=title, held_on=held_on, place=place, unit=unit, topics=topics,
        minutes_vi=minutes_vi, minutes_en=minutes_en, confidential=confidential, news_url=news_url, created_by=actor,
    )
    meeting.sectors.set(list(sectors))
    meeting.leaders.set(leaders)
    if confidential:
        meeting.readers.set({*readers, actor})
    for upload in files:
        _attach(upload=upload, kind=file_kind, actor=actor, meeting=meeting)
    event_record(actor=actor, action="meeting.recorded", target=meeting,
                 after={**snapshot(meeting, MEETING_FIELDS), "leaders": [u.pk for u in leaders]})
    return meeting


MEETING_FACT_FIELDS = ["visit", "direction", "title", "held_on", "place", "topics"]


@transaction.atomic
def meeting_update(*, meeting: Meeting, title: str, held_on: dt.date, place: str, direction: str, visit: Visit | None = None,
                   topics: str = "", sectors: Iterable[Any] = (), leaders: Iterable[Any] = (), actor: Any) -> Meeting:
    """Correct a meeting's facts (not its partner or unit, nor its minutes, which have their own
    form). Refused, changing nothing, where the record would no longer hold: a date outside its
    visit, or after an action agreed at it falls due."""
    _ensure_edit_unit(actor, meeting.unit)
    if direction not in Side.values:
        raise ApplicationError(_("Say whether the meeting is incoming or outgoing."), code="bad_side")
    if visit is not None and not (visit.starts_on <= held_on <= visit.ends_on):
        raise ApplicationError(_("The meeting's date is outside its visit (%(start)s – %(end)s).")
                               % {"start": f"{visit.starts_on:%d/%m/%Y}", "end": f"{visit.ends_on:%d/%m/%Y}"}, code="outside_visit")
    earliest = Action.objects.filter(direction__meeting=meeting, due_date__lt=held_on).order_by("due_date").first()
    if earliest is not None:
        raise ApplicationError(_("An action agreed at this meeting is due on %(due)s, before %(held)s: change its due date first.")
                               % {"due": f"{earliest.due_date:%d/%m/%Y}", "held": f"{held_on:%d/%m/%Y}"}, code="due_before_meeting")
    leaders = _staff_users(leaders, _("The department's leaders present"))
    sectors = list(sectors)
    before = {**snapshot(meeting, MEETING_FACT_FIELDS), "sectors": sorted(meeting.sectors.values_list("pk", flat=True)),
              "leaders": sorted(meeting.leaders.values_list("pk", flat=True))}
    meeting.visit, meeting.direction, meeting.title, meeting.held_on, meeting.place, meeting.topics = (
        visit, direction, title, held_on, place, topics)
    meeting.save(update_fields=[*MEETING_FACT_FIELDS, "updated_at"])
    meeting.sectors.set(sectors)
    meeting.leaders.set(leaders)
    after = {**snapshot(meeting, MEETING_FACT_FIELDS), "sectors": sorted(s.pk for s in sectors), "leaders": sorted(u.pk for u in leaders)}
    event_record(actor=actor, action="meeting.updated", target=meeting, before=before, after=after)
    return meeting


@transaction.atomic
def meeting_minutes_save(*, meeting: Meeting, minutes_vi: str, minutes_en: str, confidential: bool, readers: Iterable[Any] = (),
                         news_url: str = "", actor: Any) -> Meeting:
    _ensure_edit_unit(actor, meeting.unit)
    if meeting.confidential and not permissions.may_read_minutes(actor, meeting):
        raise PermissionDenied
    readers = _staff_users(readers, _("The staff who may read the minutes"))
    fields = ["minutes_vi", "minutes_en", "confidential", "news_url"]
    before = {**snapshot(meeting, fields), "readers": sorted(meeting.readers.values_list("pk", flat=True))}
    meeting.minutes_vi, meeting.minutes_en, meeting.confidential, meeting.news_url = minutes_vi, minutes_en, confidential, news_url
    meeting.save(update_fields=[*fields, "updated_at"])
    meeting.readers.set({*readers, actor} if confidential else [])
    event_record(actor=actor, action="meeting.minutes_saved", target=meeting, before=before,
                 after={**snapshot(meeting, fields), "readers": sorted(meeting.readers.values_list("pk", flat=True))})
    return meeting


@transaction.atomic
def meeting_attach(*, meeting: Meeting, upload: Any, kind: str = Attachment.Kind.DOCUMENT, actor: Any) -> Attachment:
    _ensure_edit_unit(actor, meeting.unit)
    check_upload(upload, kind=kind)
    attachment = _attach(upload=upload, kind=kind, actor=actor, meeting=meeting)
    event_record(actor=actor, action="meeting.file_attached", target=meeting, after={"file": attachment.name, "kind": kind})
    return attachment


def _current_title(person: Person, organisation: Organisation | None, on: dt.date) -> tuple[str, str]:
    positions = Position.objects.filter(person=person).select_related("organisation")
    if organisation is not None and positions.filter(organisation=organisation).exists():
        positions = positions.filter(organisation=organisation)
    for position in positions:
        if (position.started_on is None or position.started_on <= on) and (position.ended_on is None or position.ended_on >= on):
            return position.title, position.organisation.name
    return "", organisation.name if organisation is not None else ""


@transaction.atomic
def participant_add(*, meeting: Meeting, person_id: Any, side: str, title_at_time: str = "", organisation_at_time: str = "",
                    actor: Any) -> Participant:
    """Name a person of the directory at the meeting, with their title as it was (taken from
    their position in the directory on the day unless given)."""
    _ensure_edit_unit(actor, meeting.unit)
    try:
        person = Person.objects.filter(pk=int(person_id)).first()
    except (TypeError, ValueError):
        person = None
    if person is None:
        raise ApplicationError(_("This person is not in the directory: add them to the directory first, then to the meeting."),
                               code="not_in_directory")
    if side not in Participant.PartySide.values:
        raise ApplicationError(_("Say on which side the person was."), code="bad_side")
    if meeting.participants.filter(person=person).exists():
        raise ApplicationError(_("%(person)s is on the meeting's list already.") % {"person": person}, code="duplicate_participant")
    organisation = meeting.partner.organisation if side == Participant.PartySide.PARTNER else None
    title, org_name = _current_title(person, organisation, meeting.held_on)
    participant = Participant.objects.create(
        meeting=meeting, person=person, side=side, title_at_time=(title_at_time or title)[:200],
        organisation_at_time=(organisation_at_time or org_name)[:255],
    )
    event_record(actor=actor, action="meeting.participant_added", target=meeting,
                 after=snapshot(participant, ["person", "side", "title_at_time", "organisation_at_time"]))
    return participant


# --- directions and actions ----------------------------------------------------------------------
@transaction.atomic
def direction_add(*, meeting: Meeting, text: str, unit: Unit, text_en: str = "", partners: Sequence[Partner] = (),
                  agreement: Agreement | None = None, actor: Any) -> Direction:
    _ensure_edit_unit(actor, meeting.unit)
    if not text.strip():
        raise ApplicationError(_("Say what was agreed."), code="empty")
    direction = Direction.objects.create(meeting=meeting, text=text.strip(), text_en=text_en.strip(), unit=unit, agreement=agreement)
    direction.partners.set({meeting.partner, *partners})
    event_record(actor=actor, action="direction.added", target=direction,
                 after={**snapshot(direction, ["meeting", "text", "unit", "agreement"]),
                        "partners": sorted(direction.partners.values_list("pk", flat=True))})
    return direction


def action_due_date(*, meeting: Meeting, due_date: dt.date | None, due_working_days: int | None) -> dt.date:
    """The due date given, or the day ``due_working_days`` working days after the meeting;
    never before the meeting."""
    if (due_date is None) == (due_working_days is None):
        raise ApplicationError(_("Give the due date either as a date or as a number of working days after the meeting."),
                               code="due_date_missing")
    if due_working_days is not None:
        if due_working_days < 1:
            raise ApplicationError(_("The number of working days must be at least 1."), code="bad_due_date")
        due_date = add_working_days(meeting.held_on, due_working_days)
    assert due_date is not None
    if due_date < meeting.held_on:
        raise ApplicationError(_("An action cannot be due (%(due)s) before the meeting that agreed it (%(held)s).")
                               % {"due": f"{due_date:%d/%m/%Y}", "held": f"{meeting.held_on:%d/%m/%Y}"}, code="due_before_meeting")
    return due_date


def _action_url(action: Action) -> str:
    return reverse("cooperation:action", args=[action.pk])


def _action_params(action: Action) -> dict[str, Any]:
    partner = action.direction.meeting.partner
    return {"partner": partner.organisation.name, "what": action.what, "due": action.due_date, "owner": str(action.owner)}


@transaction.atomic
def action_add(*, direction: Direction, what: str, owner: Any, due_date: dt.date | None = None, due_working_days: int | None = None,
               actor: Any) -> Action:
    """An action following up a direction, owned by an officer, due on a date or N working
    days after the meeting (`core.calendar`), never before the meeting."""
    _ensure_edit_unit(actor, direction.unit)
    if not what.strip():
        raise ApplicationError(_("Say what is to be done."), code="empty")
    _staff_users([owner], _("The owner of an action"))
    due = action_due_date(meeting=direction.meeting, due_date=due_date, due_working_days=due_working_days)
    action = Action.objects.create(direction=direction, what=what.strip(), owner=owner, due_date=due,
                                   due_working_days=due_working_days)
    event_record(actor=actor, action="action.added", target=action,
                 after=snapshot(action, ["direction", "what", "owner", "due_date", "due_working_days", "state"]))
    if owner.pk != getattr(actor, "pk", None):
        notification_send(recipients=[owner], message=notifications.ACTION_ASSIGNED.id, params=_action_params(action), url=_action_url(action))
    return action


@transaction.atomic
def action_transition(*, action: Action, code: str, reason: str = "", actor: Any) -> Action:
    """The one place an action changes state (the shared engine's transition)."""
    ensure_role(actor, permissions.RECORD_COOPERATION)
    changes = {"drop_reason": reason.strip()} if code == "drop" else None
    return transition_perform(obj=action, transition=code, actor=actor, payload={"reason": reason}, changes=changes, note=reason.strip())


@transaction.atomic
def action_progress_add(*, action: Action, text: str, files: Sequence[Any] = (), actor: Any) -> ActionUpdate:
    """A step of progress with its evidence; every file is checked before anything is written."""
    ensure_role(actor, permissions.RECORD_COOPERATION)
    if not permissions.may_edit_action(actor, action):
        raise PermissionDenied
    if not text.strip():
        raise ApplicationError(_("Say what progress was made."), code="empty")
    if not action.is_open:
        raise ApplicationError(_("This action is closed: progress can no longer be added."), code="closed")
    _check_all(files, Attachment.Kind.EVIDENCE)
    update = ActionUpdate.objects.create(action=action, author=actor, text=text.strip())
    for upload in files:
        _attach(upload=upload, kind=Attachment.Kind.EVIDENCE, actor=actor, update=update)
    event_record(actor=actor, action="action.progress_added", target=action,
                 after={"text": update.text, "files": [getattr(f, "name", "") for f in files]})
    return update


@transaction.atomic
def action_review_set(*, action: Action, meeting: Meeting | None, actor: Any) -> Action:
    """The later meeting with the partner at which the action is reviewed."""
    ensure_role(actor, permissions.RECORD_COOPERATION)
    if not permissions.may_edit_action(actor, action):
        raise PermissionDenied
    if meeting is not None:
        origin = action.direction.meeting
        if not action.direction.partners.filter(pk=meeting.partner_id).exists():
            raise ApplicationError(_("The review meeting must be with a partner of the direction."), code="bad_review_meeting")
        if meeting.held_on < origin.held_on or meeting.pk == origin.pk:
            raise ApplicationError(_("The review meeting must come after the meeting that agreed the action."), code="bad_review_meeting")
    before = snapshot(action, ["review_meeting"])
    action.review_meeting = meeting
    action.save(update_fields=["review_meeting", "updated_at"])
    event_record(actor=actor, action="action.review_set", target=action, before=before, after=snapshot(action, ["review_meeting"]))
    return action


# --- agreements ------------------------------------------------------------------------------
AGREEMENT_FIELDS = ["kind", "title", "title_en", "unit", "signed_on", "expires_on", "term_note", "state"]


@transaction.atomic
def agreement_create(*, kind: str, title: str, partners: Sequence[Partner], unit: Unit, title_en: str = "",
                     signed_on: dt.date | None = None, expires_on: dt.date | None = None, term_note: str = "",
                     files: Sequence[Any] = (), directions: Sequence[Direction] = (), actor: Any) -> Agreement:
    _ensure_edit_unit(actor, unit)
    if kind not in Agreement.Kind.values:
        raise ApplicationError(_("Choose the kind of agreement."), code="bad_kind")
    if not partners:
        raise ApplicationError(_("Name at least one partner party to the agreement."), code="no_partner")
    if signed_on and expires_on and expires_on <= signed_on:
        raise ApplicationError(_("The agreement cannot expire before it is signed."), code="bad_dates")
    _check_all(files, Attachment.Kind.SIGNED)
    agreement = Agreement.objects.create(kind=kind, title=title, title_en=title_en, unit=unit, signed_on=signed_on,
                                         expires_on=expires_on, term_note=term_note, created_by=actor)
    agreement.partners.set(partners)
    for upload in files:
        _attach(upload=upload, kind=Attachment.Kind.SIGNED, actor=actor, agreement=agreement)
    Direction.objects.filter(pk__in=[d.pk for d in directions]).update(agreement=agreement)
    event_record(actor=actor, action="agreement.created", target=agreement,
                 after={**snapshot(agreement, AGREEMENT_FIELDS), "partners": [p.pk for p in partners]})
    return agreement


@transaction.atomic
def agreement_attach(*, agreement: Agreement, upload: Any, actor: Any) -> Attachment:
    _ensure_edit_unit(actor, agreement.unit)
    check_upload(upload, kind=Attachment.Kind.SIGNED)
    attachment = _attach(upload=upload, kind=Attachment.Kind.SIGNED, actor=actor, agreement=agreement)
    event_record(actor=actor, action="agreement.file_attached", target=agreement, after={"file": attachment.name})
    return attachment


@transaction.atomic
def agreement_transition(*, agreement: Agreement, code: str, note: str = "", actor: Any) -> Agreement:
    ensure_role(actor, permissions.RECORD_COOPERATION)
    agreement = transition_perform(obj=agreement, transition=code, actor=actor, note=note)
    if workflows.AGREEMENT_SPEC.has_flag(agreement.state, "awaiting_approval"):
        managers = get_user_model().objects.filter(role__in=permissions.APPROVE_AGREEMENTS, is_active=True).exclude(pk=actor.pk)
        notification_send(recipients=list(managers.order_by("pk")[:20]), message=notifications.AGREEMENT_AWAITS_APPROVAL.id,
                          params={"title": agreement.title}, url=reverse("cooperation:agreement", args=[agreement.pk]))
    return agreement


# --- reminders ------------------------------------------------------------------------------
def action_reminder_stage(action: Action, today: dt.date) -> str:
    """Which reminder an open action is due today: "before" (due within a few working days),
    "overdue" (past its due date) or "escalated" (late by more than a week of working days);
    "" for none."""
    if not action.is_open:
        return ""
    if today > action.due_date:
        if today >= add_working_days(action.due_date, ESCALATE_AFTER_WORKING_DAYS):
            return "escalated"
        return "overdue"
    if add_working_days(today, REMIND_BEFORE_WORKING_DAYS) >= action.due_date:
        return "before"
    return ""


_STAGE_ORDER = {"": 0, "before": 1, "overdue": 2, "escalated": 3}


@transaction.atomic
def action_remind(*, action_id: int, today: dt.date | None = None) -> bool:
    """Send the reminder the action is due today, once per stage (safe to run twice)."""
    today = today or timezone.localdate()
    action = Action.objects.select_for_update(of=("self",)).select_related("direction__unit__head", "direction__meeting__partner__organisation",
                                                                           "owner").filter(pk=action_id).first()
    if action is None:
        return False
    stage = action_reminder_stage(action, today)
    if not stage or _STAGE_ORDER[stage] <= _STAGE_ORDER.get(action.reminder_stage, 0):
        return False
    params, url = _action_params(action), _action_url(action)
    if stage == "before":
        notification_send(recipients=[action.owner], message=notifications.ACTION_DUE_SOON.id, params=params, url=url)
    elif stage == "overdue":
        notification_send(recipients=[action.owner], message=notifications.ACTION_OVERDUE.id, params=params, url=url)
    else:
        manager = action.direction.unit.head
        recipients = [manager] if manager is not None and manager.pk != action.owner_id else []
        recipients = recipients or list(get_user_model().objects.filter(role__in=permissions.APPROVE_AGREEMENTS, is_active=True)
                                        .exclude(pk=action.owner_id).order_by("pk")[:5])
        notification_send(recipients=[action.owner], message=notifications.ACTION_OVERDUE.id, params=params, url=url)
        notification_send(recipients=recipients, message=notifications.ACTION_ESCALATED.id, params=params, url=url)
    reminder_record(action, today=today, action="action.reminded", changes={"reminder_stage": stage})
    return True


@transaction.atomic
def agreement_expiry_remind(*, agreement_id: int, today: dt.date | None = None) -> bool:
    """Tell the unit's head and the partners' contact owners that an agreement in force expires
    soon, once; flagged when nothing was done under it in the past year."""
    from innohub.cooperation.selectors import agreement_is_stale

    today = today or timezone.localdate()
    agreement = Agreement.objects.select_for_update(of=("self",)).select_related("unit__head").filter(pk=agreement_id).first()
    if (agreement is None or agreement.expires_on is None or agreement.expiry_reminded_on is not None
            or not workflows.AGREEMENT_SPEC.has_flag(agreement.state, "in_force")
            or not today <= agreement.expires_on <= today + dt.timedelta(days=EXPIRY_NOTICE_DAYS)):
        return False
    recipients = {u for u in [agreement.unit.head, *(p.contact_owner for p in agreement.partners.select_related("contact_owner"))] if u}
    stale = agreement_is_stale(agreement, today=today)
    notification_send(recipients=sorted(recipients, key=lambda u: u.pk), message=notifications.AGREEMENT_EXPIRING.id,
                      params={"title": agreement.title, "expires": agreement.expires_on, "stale": notifications.STALE_NOTE if stale else ""},
                      url=reverse("cooperation:agreement", args=[agreement.pk]))
    reminder_record(agreement, today=today, action="agreement.expiry_reminded", field="expiry_reminded_on",
                    detail={"expires_on": agreement.expires_on, "stale": stale})
    return True
