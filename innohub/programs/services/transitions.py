"""The one service that changes an application's state, with the guards and effects its workflow names."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.activity.services import notification_send
from innohub.core.errors import ApplicationError
from innohub.core.money import format_vnd
from innohub.programs import selectors
from innohub.programs.models import (
    Application,
    Award,
    Message,
    Milestone,
    Review,
)
from innohub.programs.services import records
from innohub.programs.services.awards import _award_create
from innohub.programs.services.base import APPLICATION_FIELDS, _members, _officers, _url
from innohub.programs.workflows import APPLICATION, spec_for
from innohub.workflow.services import transition_perform
from innohub.workflow.spec import Transition

# --- The transition service ---------------------------------------------------------------------------

GuardFn = Callable[[Application, Any, dict[str, Any]], list[str]]
EffectFn = Callable[[Application, Any, dict[str, Any], Transition], None]


def _guard_eligible(application, actor, payload):
    return [p["message"] for p in selectors.eligibility_problems(application)]


def _guard_eligible_after_close(application, actor, payload):
    return [p["message"] for p in selectors.eligibility_problems(application, after_close=True)]


def _guard_reason(application, actor, payload):
    return [] if str(payload.get("message", "")).strip() else [_("Give the reason; it is sent to the applicant.")]


def _guard_message(application, actor, payload):
    return [] if str(payload.get("message", "")).strip() else [_("Write what the applicant must add.")]


def _guard_reviews_complete(application, actor, payload):
    counts = dict(application.reviews.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    needed = application.call.reviewers_per_application
    if counts.get(Review.State.ASSIGNED, 0) or counts.get(Review.State.SUBMITTED, 0) < needed:
        return [_("%(done)s of %(needed)s reviews are submitted.") % {"done": counts.get(Review.State.SUBMITTED, 0), "needed": needed}]
    return []


def _guard_has_milestones(application, actor, payload):
    award = Award.objects.filter(application=application).first()
    if award is None or not award.tranches.exists():
        return [_("Add the milestones and tranches of the award first.")]
    planned = sum(award.tranches.values_list("amount", flat=True))
    if planned != award.amount:
        return [_("The tranches add up to %(planned)s, not the award of %(amount)s.") % {
            "planned": format_vnd(planned), "amount": format_vnd(award.amount)}]
    return []


def _guard_milestones_met(application, actor, payload):
    award = Award.objects.filter(application=application).first()
    if award is not None and award.milestones.exclude(state=Milestone.State.MET).exists():
        return [_("Every milestone must be met first.")]
    return []


GUARDS: dict[str, GuardFn] = {
    "eligible": _guard_eligible,
    "eligible_after_close": _guard_eligible_after_close,
    "reason": _guard_reason,
    "message": _guard_message,
    "reviews_complete": _guard_reviews_complete,
    "has_milestones": _guard_has_milestones,
    "milestones_met": _guard_milestones_met,
    **records.GUARDS,
}
APPLICATION.guards.update(GUARDS)


def _effect_mark_submitted(application, actor, payload, transition):
    application.submitted_at = timezone.now()


def _effect_decide(application, actor, payload, transition):
    application.decided_at = timezone.now()
    application.decision_reason = str(payload.get("message", "")).strip()
    if application.decision_reason:
        Message.objects.create(application=application, author=actor, kind=Message.Kind.DECISION, body=application.decision_reason)


def _effect_request_message(application, actor, payload, transition):
    Message.objects.create(application=application, author=actor, kind=Message.Kind.REQUEST, body=str(payload["message"]).strip())


def _effect_reply_message(application, actor, payload, transition):
    if str(payload.get("message", "")).strip():
        Message.objects.create(application=application, author=actor, kind=Message.Kind.REPLY, body=str(payload["message"]).strip())


def _effect_create_award(application, actor, payload, transition):
    _award_create(application=application, actor=actor, amount=payload.get("amount"))


def _notify(recipients, application, transition):
    spec = spec_for(application.call.workflow)
    for user in recipients:
        audience = "applicant" if selectors.is_member(user, application.organisation_id) else "staff"
        body = application.decision_reason if spec.has_flag(transition.target, "decided") else ""
        notification_send(recipients=[user], message="programs.application_state", params={"ref": application.reference, "reason": body,
                          "state": {"workflow": application.call.workflow_id, "state": transition.target, "audience": audience}}, url=_url(application))


def _effect_notify_applicant(application, actor, payload, transition):
    _notify(_members(application.organisation_id), application, transition)


def _effect_notify_staff(application, actor, payload, transition):
    from innohub.activity.services import notification_send as send

    send(recipients=_officers(), message="programs.application_state", params={"ref": application.reference, "reason": "",
         "state": {"workflow": application.call.workflow_id, "transition": transition.code}}, url=_url(application), email=False)


EFFECTS: dict[str, EffectFn] = {
    "mark_submitted": _effect_mark_submitted,
    "decide": _effect_decide,
    "request_message": _effect_request_message,
    "reply_message": _effect_reply_message,
    "create_award": _effect_create_award,
    "notify_applicant": _effect_notify_applicant,
    "notify_staff": _effect_notify_staff,
    **records.EFFECTS,
}
APPLICATION.effects.update(EFFECTS)
APPLICATION.fields = APPLICATION_FIELDS


def application_transition(
    *, application: Application, transition: str, actor: Any, message: str = "", amount: Any = None,
    record: dict[str, Any] | None = None, declaration: bool = False,
) -> Application:
    """Perform one transition of the application's own workflow: roles, guards, effects, save, audit.

    ``record`` is the signed record a decision or a contract needs (number, signed_on, signer,
    file; see `services.records`); ``declaration`` the applicant's ticked declaration on submitting.
    Raises PermissionDenied when the actor may not, ConflictError when the state does not
    allow it, ApplicationError listing every unmet guard.
    """
    return transition_perform(obj=application, transition=transition, actor=actor,
                              payload={"message": message, "amount": amount, "record": record, "declaration": declaration},
                              note=message[:1000])


def application_bulk_decide(*, amounts: dict[int, Any], record: dict[str, Any], actor: Any, transition: str = "approve",
                            message: str = "") -> dict[str, Any]:
    """Take a step needing a signed record (approve, reject) on many applications under one signed
    decision, each with its own explicit amount when the step awards one (``amounts``: application
    id -> amount as typed, None when it awards none), each in its own transaction; returns what
    failed and why. The record is checked once first: without it nothing is changed."""
    problems = records.record_problems(record)
    if problems:
        raise ApplicationError(_("The signed decision is incomplete; nothing was changed."), extra=problems)
    done, failed = [], {}
    for application in Application.objects.filter(pk__in=list(amounts)).order_by("rank", "id"):
        try:
            application_transition(application=application, transition=transition, actor=actor, message=message,
                                   amount=amounts[application.pk], record=record)
            done.append(application.pk)
        except PermissionDenied:
            failed[application.reference] = _("You are not allowed to do this.")
        except ApplicationError as exc:
            failed[application.reference] = "; ".join(exc.extra.get("problems", [])) or str(exc.message)
    return {"done": done, "failed": failed}


def application_bulk_transition(*, application_ids: Iterable[int], transition: str, actor: Any, message: str = "") -> dict[str, Any]:
    """The same transition on many applications, each in its own transaction; returns what failed and why."""
    done, failed = [], {}
    for application in Application.objects.filter(pk__in=list(application_ids)):
        try:
            application_transition(application=application, transition=transition, actor=actor, message=message)
            done.append(application.pk)
        except PermissionDenied:
            failed[application.reference] = _("You are not allowed to do this.")
        except ApplicationError as exc:
            failed[application.reference] = "; ".join(exc.extra.get("problems", [])) or str(exc.message)
    return {"done": done, "failed": failed}
