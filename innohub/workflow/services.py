"""The one transition service every workflow runs through, and the transitions a user may take.

`transition_perform` locks the object's row, checks the transition exists, the actor's role,
the source state and the guards, then changes the state, runs the effects, saves with
``update_fields`` and records one audit event (``<prefix>.<transition>``, before and after).
A refusal changes nothing. Apps keep their own service names as thin wrappers.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from innohub.activity.services import event_record, snapshot
from innohub.core.errors import ApplicationError, ConflictError
from innohub.core.permissions import user_role
from innohub.workflow.registry import WorkflowKind, kind_for
from innohub.workflow.spec import Transition, WorkflowSpec


def actor_may(*, actor: Any, obj: Any, step: Transition, kind: WorkflowKind) -> bool:
    """Whether the actor holds one of the roles the transition names (pseudo-roles resolved for the object)."""
    if user_role(actor) in step.user_roles():
        return True
    return any(kind.pseudo_roles[r](actor, obj) for r in step.roles if r in kind.pseudo_roles)


def transitions_allowed(*, user: Any, obj: Any, spec: WorkflowSpec | None = None) -> list[Transition]:
    """The transitions the user's role allows from the object's state (guards not yet run)."""
    kind = kind_for(obj)
    spec = spec or kind.spec_of(obj)
    return [t for t in spec.transitions_from(obj.state) if actor_may(actor=user, obj=obj, step=t, kind=kind)]


@transaction.atomic
def transition_perform(
    *, obj: models.Model, transition: str, actor: Any, payload: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None, note: str = "", internal: bool = False,
) -> Any:
    """Perform one transition of the object's workflow and return the saved object.

    Raises ApplicationError for an unknown transition or unmet guards (every problem listed
    in ``extra["problems"]``), PermissionDenied when the actor's role may not, ConflictError
    when the state does not allow it. ``changes`` are fields set with the new state;
    ``internal`` allows a step the pages do not offer.
    """
    kind = kind_for(obj)
    model = type(obj)
    obj = model._default_manager.select_for_update(of=("self",)).select_related(*kind.select_related).get(pk=obj.pk)
    spec = kind.spec_of(obj)
    step = spec.transitions.get(transition)
    if step is None or (step.internal and not internal):
        raise ApplicationError(_("Unknown action."), code="unknown_transition")
    if not actor_may(actor=actor, obj=obj, step=step, kind=kind):
        raise PermissionDenied
    if obj.state not in step.source:  # type: ignore[attr-defined]
        message = kind.wrong_state_message or _("This cannot be done now: the state is “%(state)s”.")
        raise ConflictError(str(message) % {"state": spec.label(obj.state)}, code="wrong_state")  # type: ignore[attr-defined]
    for hook in kind.before_guards:
        hook(obj, step, spec)
    payload = dict(payload or {})
    problems = [p for g in step.guards for p in kind.guards[g](obj, actor, payload)]
    if problems:
        message = problems[0] if len(problems) == 1 else str(kind.guard_failed_message or _("This cannot go on yet."))
        raise ApplicationError(message, extra={"problems": problems}, code="guard_failed")
    fields = list(kind.fields)
    before = snapshot(obj, fields)
    obj.state = step.target  # type: ignore[attr-defined]
    for name, value in (changes or {}).items():
        setattr(obj, name, value)
    for effect in step.effects:
        kind.effects[effect](obj, actor, payload, step)
    obj.save(update_fields=[*fields, "updated_at"])
    event_record(actor=actor, action=f"{kind.audit_prefix}.{step.audit_action}", target=obj, before=before,
                 after=snapshot(obj, fields), note=note)
    return obj
