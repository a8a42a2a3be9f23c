"""The readers of international cooperation. Each takes the acting user: only staff read
cooperation records, and confidential minutes only the staff named on the meeting (a meeting
whose minutes the reader may not see is shown without them, `meeting_minutes_visible`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, IntegerField, Max, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from innohub.activity.reminders import never_reminded, not_reminded_today
from innohub.activity.selectors import event_history
from innohub.cooperation import permissions, workflows
from innohub.cooperation.models import (
    Action,
    ActionUpdate,
    Agreement,
    Direction,
    Meeting,
    Participant,
    Partner,
    Unit,
    Visit,
)
from innohub.core.permissions import ensure_role

STALE_DAYS = 365


def ensure_staff(user: Any) -> None:
    ensure_role(user, permissions.VIEW_COOPERATION)


# --- partners ---------------------------------------------------------------------------------
def partner_list(*, user: Any, query: str = "", country: str = "") -> QuerySet[Partner]:
    ensure_staff(user)
    partners = Partner.objects.select_related("organisation", "contact_owner").annotate(
        meeting_count=Count("meetings", distinct=True),
        open_actions=Count("directions__actions", filter=Q(directions__actions__state__in=workflows.action_states_with("open")), distinct=True),
        last_met=Max("meetings__held_on"),
    )
    if query:
        from innohub.core.text import search_key

        partners = partners.filter(organisation__search_text__contains=search_key(query))
    if country:
        partners = partners.filter(country=country.upper())
    return partners.order_by("organisation__name")


def partner_get(*, user: Any, pk: int) -> Partner:
    ensure_staff(user)
    return get_object_or_404(Partner.objects.select_related("organisation", "contact_owner"), pk=pk)


def countries(*, user: Any) -> list[str]:
    ensure_staff(user)
    return sorted(set(Partner.objects.values_list("country", flat=True)))


@dataclass
class TimelineEntry:
    date: dt.date
    kind: str  # "meeting", "visit", "agreement"
    obj: Any
    minutes_visible: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def partner_timeline(*, user: Any, partner: Partner) -> list[TimelineEntry]:
    """Everything with the partner on one line, newest first: visits, meetings with the people
    met on each side, the directions agreed and their actions in their state, agreements."""
    ensure_staff(user)
    actions = Action.objects.select_related("owner").order_by("due_date", "id")
    directions = Direction.objects.select_related("unit", "agreement").prefetch_related(Prefetch("actions", queryset=actions))
    meetings = (
        Meeting.objects.filter(Q(partner=partner) | Q(directions__partners=partner)).distinct()
        .select_related("visit", "unit")
        .prefetch_related(Prefetch("participants", queryset=Participant.objects.select_related("person")),
                          Prefetch("directions", queryset=directions), "leaders", "readers")
    )
    entries = [TimelineEntry(m.held_on, "meeting", m, minutes_visible=meeting_minutes_visible(user=user, meeting=m)) for m in meetings]
    for visit in Visit.objects.filter(partners=partner):
        entries.append(TimelineEntry(visit.starts_on, "visit", visit))
    for agreement in Agreement.objects.filter(partners=partner).select_related("unit"):
        entries.append(TimelineEntry(agreement.signed_on or agreement.created_at.date(), "agreement", agreement,
                                     extra={"stale": agreement_is_stale(agreement)}))
    order = {"agreement": 0, "meeting": 1, "visit": 2}
    entries.sort(key=lambda e: (e.date, -order[e.kind]), reverse=True)
    return entries


def partner_people(*, user: Any, partner: Partner) -> list[Participant]:
    """The people met with the partner, each once (their latest title as recorded)."""
    ensure_staff(user)
    seen: dict[int, Participant] = {}
    for p in Participant.objects.filter(meeting__partner=partner).select_related("person", "meeting").order_by("-meeting__held_on"):
        seen.setdefault(p.person_id, p)
    return list(seen.values())


# --- meetings ---------------------------------------------------------------------------------
def meeting_minutes_visible(*, user: Any, meeting: Meeting) -> bool:
    if not meeting.confidential:
        return permissions.may_read_minutes(user, meeting)
    # use the prefetched readers when there are
    cache = getattr(meeting, "_prefetched_objects_cache", {})
    if "readers" in cache:
        return any(r.pk == user.pk for r in meeting.readers.all())
    return permissions.may_read_minutes(user, meeting)


def meeting_get(*, user: Any, pk: int) -> Meeting:
    ensure_staff(user)
    return get_object_or_404(
        Meeting.objects.select_related("partner__organisation", "visit", "unit", "created_by").prefetch_related(
            Prefetch("participants", queryset=Participant.objects.select_related("person")), "leaders", "readers", "sectors",
            "attachments", Prefetch("directions", queryset=Direction.objects.select_related("unit").prefetch_related(
                Prefetch("actions", queryset=Action.objects.select_related("owner"))))),
        pk=pk,
    )


def meeting_list(*, user: Any) -> QuerySet[Meeting]:
    ensure_staff(user)
    return Meeting.objects.select_related("partner__organisation", "unit").order_by("-held_on", "-id")


def meetings_later(*, user: Any, action: Action) -> QuerySet[Meeting]:
    """Meetings after the one that agreed the action, with one of its direction's partners:
    where it may be reviewed."""
    ensure_staff(user)
    origin = action.direction.meeting
    return (Meeting.objects.filter(partner__in=action.direction.partners.all(), held_on__gte=origin.held_on).exclude(pk=origin.pk)
            .select_related("partner__organisation").order_by("held_on"))


# --- actions ----------------------------------------------------------------------------------
def action_get(*, user: Any, pk: int) -> Action:
    ensure_staff(user)
    return get_object_or_404(
        Action.objects.select_related("direction__meeting__partner__organisation", "direction__unit", "owner", "review_meeting")
        .prefetch_related(Prefetch("updates", queryset=ActionUpdate.objects.select_related("author").prefetch_related("attachments"))),
        pk=pk,
    )


def action_history(*, user: Any, action: Action, shown: int = 10) -> Any:
    """The action's latest audit events (its state changes, progress, reminders) and the link to all."""
    return event_history(user=user, target=action, shown=shown)


@dataclass
class AgendaItem:
    action: Action
    updates: list[ActionUpdate]
    history: Any


def next_meeting_agenda(*, user: Any, partner: Partner) -> list[AgendaItem]:
    """Every action still open under a direction agreed with the partner, oldest meeting first,
    each with its progress and its history: nothing is dropped between meetings."""
    ensure_staff(user)
    actions = (
        Action.objects.filter(direction__partners=partner, state__in=workflows.action_states_with("open")).distinct()
        .select_related("direction__meeting", "direction__unit", "owner", "review_meeting")
        .prefetch_related(Prefetch("updates", queryset=ActionUpdate.objects.select_related("author").prefetch_related("attachments")))
        .order_by("direction__meeting__held_on", "due_date", "id")
    )
    return [AgendaItem(a, list(a.updates.all()), action_history(user=user, action=a, shown=5)) for a in actions]


def overdue_q(today: dt.date) -> Q:
    return Q(state__in=workflows.action_states_with("open"), due_date__lt=today)


def board(*, user: Any, partner: Any = None, country: str = "", owner: Any = None, unit: Any = None, due_before: dt.date | None = None,
          due_after: dt.date | None = None, state: str = "", today: dt.date | None = None) -> QuerySet[Action]:
    """The follow-up board: actions by partner, country, owner, unit, due date and state,
    overdue first, then by due date."""
    ensure_staff(user)
    today = today or timezone.localdate()
    actions = Action.objects.select_related("direction__meeting__partner__organisation", "direction__unit", "owner")
    if partner:
        actions = actions.filter(direction__partners=partner)
    if country:
        actions = actions.filter(direction__partners__country=country.upper())
    if owner:
        actions = actions.filter(owner=owner)
    if unit:
        actions = actions.filter(direction__unit=unit)
    if due_after:
        actions = actions.filter(due_date__gte=due_after)
    if due_before:
        actions = actions.filter(due_date__lte=due_before)
    if state == "overdue":
        actions = actions.filter(overdue_q(today))
    elif state == "open":
        actions = actions.filter(state__in=workflows.action_states_with("open"))
    elif state:
        actions = actions.filter(state=state)
    return actions.distinct().annotate(
        overdue=Case(When(overdue_q(today), then=Value(1)), default=Value(0), output_field=IntegerField()),
    ).order_by("-overdue", "due_date", "id")


def late_by_unit(*, user: Any, today: dt.date | None = None) -> list[dict[str, Any]]:
    """For a manager: each unit with its overdue and open actions."""
    ensure_staff(user)
    today = today or timezone.localdate()
    open_states = workflows.action_states_with("open")
    rows = Unit.objects.annotate(
        late=Count("directions__actions", filter=Q(directions__actions__state__in=open_states, directions__actions__due_date__lt=today)),
        open=Count("directions__actions", filter=Q(directions__actions__state__in=open_states)),
    ).order_by("-late", "name")
    return [{"unit": u, "late": u.late, "open": u.open} for u in rows if u.open]


def owner_choices() -> QuerySet[Any]:
    from django.contrib.auth import get_user_model

    from innohub.core.roles import STAFF_ROLES

    return get_user_model().objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("full_name", "username")


# --- agreements -------------------------------------------------------------------------------
def agreement_is_stale(agreement: Agreement, *, today: dt.date | None = None) -> bool:
    """Nothing done under the agreement in the past year: no action of its directions
    updated, closed or added, no meeting on its directions."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=STALE_DAYS)
    since_dt = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    actions = Action.objects.filter(direction__agreement=agreement)
    recent = (actions.filter(Q(closed_on__gte=since) | Q(created_at__gte=since_dt) | Q(updates__created_at__gte=since_dt)).exists()
              or Direction.objects.filter(agreement=agreement, meeting__held_on__gte=since).exists())
    return not recent


def agreement_near_expiry(agreement: Agreement, *, today: dt.date | None = None, days: int = 90) -> bool:
    today = today or timezone.localdate()
    return bool(agreement.expires_on and workflows.AGREEMENT_SPEC.has_flag(agreement.state, "in_force")
                and today <= agreement.expires_on <= today + dt.timedelta(days=days))


def agreement_list(*, user: Any) -> QuerySet[Agreement]:
    ensure_staff(user)
    return Agreement.objects.select_related("unit").prefetch_related("partners__organisation").order_by("expires_on", "-id")


def agreement_get(*, user: Any, pk: int) -> Agreement:
    ensure_staff(user)
    return get_object_or_404(
        Agreement.objects.select_related("unit", "approved_by").prefetch_related(
            "partners__organisation", "attachments",
            Prefetch("directions", queryset=Direction.objects.select_related("meeting", "unit").prefetch_related(
                Prefetch("actions", queryset=Action.objects.select_related("owner"))))),
        pk=pk,
    )


def agreements_to_remind(*, today: dt.date, days: int = 90) -> list[int]:
    in_force = Agreement.objects.filter(state__in=workflows.agreement_states_with("in_force"),
                                        expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=days))
    return list(never_reminded(in_force, field="expiry_reminded_on").values_list("pk", flat=True))


def actions_to_remind(*, today: dt.date) -> list[int]:
    """Open actions that may be due a reminder today (due within a couple of weeks or late,
    not reminded today); `services.action_remind` decides which stage, once each."""
    horizon = today + dt.timedelta(days=14)
    open_actions = Action.objects.filter(state__in=workflows.action_states_with("open"), due_date__lte=horizon)
    return list(not_reminded_today(open_actions, today=today).values_list("pk", flat=True))


# --- files -------------------------------------------------------------------------------------
def attachment_get(*, user: Any, pk: int) -> Any:
    """A file, if the user may read what it is attached to (a confidential meeting's files only
    by the staff named)."""
    from innohub.cooperation.models import Attachment

    ensure_staff(user)
    attachment = get_object_or_404(Attachment.objects.select_related("meeting"), pk=pk)
    if attachment.meeting is not None and not permissions.may_read_minutes(user, attachment.meeting):
        raise PermissionDenied
    return attachment


# --- figures ------------------------------------------------------------------------------------
def figures_by_year(*, year: int, today: dt.date | None = None) -> dict[str, int]:
    """The year's cooperation in numbers: partners met, meetings, agreements signed, actions
    completed (on time and late) — what the dashboards, the report and the indicators count."""
    today = today or timezone.localdate()
    done = Action.objects.filter(state__in=workflows.action_states_with("done"), closed_on__year=year)
    return {
        "partners": Partner.objects.filter(meetings__held_on__year=year).distinct().count(),
        "meetings": Meeting.objects.filter(held_on__year=year).count(),
        "agreements": Agreement.objects.filter(signed_on__year=year).count(),
        "actions_done": done.count(),
        "actions_done_late": done.filter(closed_on__gt=models_f("due_date")).count(),
        "actions_open_late": Action.objects.filter(overdue_q(today), direction__meeting__held_on__year=year).count(),
    }


def models_f(name: str) -> Any:
    from django.db.models import F

    return F(name)


def by_country(*, user: Any, year: int | None = None) -> list[dict[str, Any]]:
    """Meetings, agreements and actions (done on time, done late, open, late) by country."""
    ensure_staff(user)
    return grouped("country", year=year)


def by_partner(*, user: Any, year: int | None = None) -> list[dict[str, Any]]:
    ensure_staff(user)
    return grouped("partner", year=year)


def grouped(by: str, *, year: int | None) -> list[dict[str, Any]]:
    """Each partner's meetings, agreements and actions (by the year of the meeting that agreed
    them), summed by country or one row a partner: four queries however many partners."""
    today = timezone.localdate()
    open_states = workflows.action_states_with("open")
    done_states = workflows.action_states_with("done")
    meetings, agreements, actions = Meeting.objects.all(), Agreement.objects.all(), Action.objects.all()
    if year:
        meetings = meetings.filter(held_on__year=year)
        agreements = agreements.filter(signed_on__year=year)
        actions = actions.filter(direction__meeting__held_on__year=year)
    meeting_counts = dict(meetings.order_by().values_list("partner").annotate(n=Count("pk")))
    agreement_counts = dict(agreements.order_by().values_list("partners").annotate(n=Count("pk", distinct=True)))
    done, late_done, open_ = Q(state__in=done_states), Q(closed_on__gt=F("due_date")), Q(state__in=open_states)
    action_counts = {row.pop("direction__partners"): row for row in actions.order_by().values("direction__partners").annotate(
        done_late=Count("pk", distinct=True, filter=done & late_done),
        done_on_time=Count("pk", distinct=True, filter=done & ~late_done),
        open=Count("pk", distinct=True, filter=open_),
        late=Count("pk", distinct=True, filter=open_ & Q(due_date__lt=today)),
    )}
    rows: dict[Any, dict[str, Any]] = {}
    for partner in Partner.objects.select_related("organisation"):
        key = partner.country if by == "country" else partner.pk
        row = rows.setdefault(key, {"key": key, "label": partner.country if by == "country" else partner.organisation.name,
                                    "partners": 0, "meetings": 0, "agreements": 0, "done_on_time": 0, "done_late": 0, "open": 0, "late": 0})
        row["partners"] += 1
        row["meetings"] += meeting_counts.get(partner.pk, 0)
        row["agreements"] += agreement_counts.get(partner.pk, 0)
        for name, count in action_counts.get(partner.pk, {}).items():
            row[name] += count
    return sorted(rows.values(), key=lambda r: (-r["meetings"], str(r["label"])))


def years_recorded() -> list[int]:
    years = {d.year for d in Meeting.objects.values_list("held_on", flat=True)}
    return sorted(years | {timezone.localdate().year}, reverse=True)
