"""A call's ranking: applications ordered by score against the budget, moved into the ranked state."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.activity.services import event_record, events_record_many, notification_send
from innohub.core.dates import format_datetime
from innohub.core.errors import ConflictError
from innohub.core.permissions import ensure_role
from innohub.programs import permissions, selectors
from innohub.programs.models import (
    Application,
    Call,
    Review,
)
from innohub.programs.services.base import _managers
from innohub.programs.workflows import APPLICATION, spec_for
from innohub.review import RankRow, rank, score_round
from innohub.workflow.services import actor_may, transition_perform

# --- Ranking ----------------------------------------------------------------------------------------------


def _ensure_call_may_be_ranked(call: Call) -> None:
    """Refuse any ranking while the call is open: the whole call's and one application's alike."""
    if not selectors.call_may_be_ranked(call):
        # applications can still arrive: a ranking drawn now would be redrawn by every late one
        raise ConflictError(_("The call is still open until %(date)s: applications can still arrive, so rank them once it closes. Nothing was ranked.") % {
            "date": format_datetime(call.closes_at)}, code="call_open")


@transaction.atomic
def call_rank(*, call: Call, actor: Any, confirm: bool = False) -> dict[str, Any]:
    """Rank the call's applications by mean weighted score and draw the funding line.

    Applications under review with all their reviews in move to `ranked` (each one audited);
    already ranked ones are re-ranked, numbered 1..n; applications decided since an earlier
    ranking leave it (their rank is in the audit trail). The line is drawn where the cumulative
    amount asked first exceeds the call's remaining budget, and never above an application
    scoring below the call's minimum score. While applications are still unchecked or not
    fully scored the ranking is refused (ConflictError "ranking_unconfirmed", nothing changed)
    unless ``confirm``: they would be left out.
    """
    ensure_role(actor, permissions.MANAGE_PROGRAMMES)
    call = Call.objects.select_for_update().get(pk=call.pk)
    _ensure_call_may_be_ranked(call)
    warnings = selectors.ranking_warnings(call=call)
    if (warnings["unchecked"] or warnings["unscored"]) and not confirm:
        raise ConflictError(
            _("%(unchecked)s applications are still unchecked and %(unscored)s not fully scored: they would be left out of the ranking. "
              "Confirm to rank anyway; nothing was ranked.") % warnings,
            code="ranking_unconfirmed", extra={"unchecked": warnings["unchecked"], "unscored": warnings["unscored"]})
    needed = call.reviewers_per_application
    spec = spec_for(call.workflow)
    rankable, ranked_states = spec.states_with("rankable"), spec.states_with("ranked")
    candidates = [*rankable, *ranked_states]
    stats = (
        Review.objects.filter(application__call=call, application__state__in=candidates)
        .values("application_id")
        .annotate(
            mean=Avg("weighted_score", filter=Q(state=Review.State.SUBMITTED)),
            done=Count("id", filter=Q(state=Review.State.SUBMITTED)),
            open=Count("id", filter=Q(state=Review.State.ASSIGNED)),
        )
        .values_list("application_id", "mean", "done", "open")
    )
    # Plain tuples, not model instances: ten thousand instances cost most of a second.
    apps = {
        pk: SimpleNamespace(pk=pk, state=state, amount=amount, submitted_at=submitted_at, reference=reference, organisation_id=org)
        for pk, state, amount, submitted_at, reference, org in Application.objects.filter(call=call, state__in=candidates)
        .values_list("id", "state", "amount_requested", "submitted_at", "reference", "organisation_id")
    }
    scored = []
    for app_id, mean, done, still_open in stats:
        app = apps.get(app_id)
        if app is None or still_open or done < needed or mean is None:
            continue
        app.score = score_round(mean)
        scored.append(app)
    remaining = call.budget - call.awarded_total
    # the review engine draws the order and the funding line, as it does for any subject
    # the line is drawn among those at or above the minimum score only; those below follow, all below the line
    passing = [a for a in scored if a.score >= call.min_score]
    failing = [a for a in scored if a.score < call.min_score]
    ranking = rank(rows=[RankRow(key=a.pk, score=a.score, amount=a.amount, submitted_at=a.submitted_at) for a in passing], budget=remaining)
    ranking += [
        replace(place, rank=place.rank + len(passing), above_funding_line=False)
        for place in rank(rows=[RankRow(key=a.pk, score=a.score, amount=a.amount, submitted_at=a.submitted_at) for a in failing], budget=remaining)
    ]
    rows = []
    moved: dict[str, list[Any]] = {}  # the code of the transition taken -> the applications it moved
    for place in ranking:
        app = apps[place.key]
        app.rank, app.above_funding_line = place.rank, place.above_funding_line
        rows.append(app)
        if app.state in rankable:
            step = _rank_step(spec, app, actor)
            app.before_state = app.state
            if _bulk_safe(step):
                app.state = step.target
            moved.setdefault(step.code, []).append(app)
    # Those left in a rankable state are unranked; the UPDATE below ranks the others again
    # (no 10,000-id NOT IN list needed).
    Application.objects.filter(call=call, state__in=rankable).update(rank=None, above_funding_line=False)
    # decided since an earlier ranking: out of this one, so that its ranks run 1..n without a gap
    Application.objects.filter(call=call, rank__isnull=False).exclude(state__in=candidates).update(rank=None, above_funding_line=False)
    # One prepared UPDATE run many times: Django's bulk_update builds CASE expressions that
    # take seconds for 10,000 rows; executemany takes a fraction of that on both databases.
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(Application._meta.db_table)
    values = [(a.pk, connection.ops.adapt_decimalfield_value(a.score, 6, 2), a.rank, a.above_funding_line, a.state) for a in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} AS a SET score = v.score, rank = v.rank, above_funding_line = v.above, "  # noqa: S608 - table name from the model
                "state = v.state, updated_at = %s "
                "FROM unnest(%s::bigint[], %s::numeric[], %s::integer[], %s::boolean[], %s::varchar[]) AS v(id, score, rank, above, state) "
                "WHERE a.id = v.id",
                [now, *(list(column) for column in zip(*values, strict=True))] if values else [now, [], [], [], [], []],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET score = %s, rank = %s, above_funding_line = %s, state = %s, updated_at = %s WHERE id = %s",  # noqa: S608 - table name from the model
                [(score, rank, above, state, now, pk) for pk, score, rank, above, state in values],
            )
    n_moved = 0
    for code, targets in moved.items():
        step = spec.transitions[code]
        n_moved += len(targets)
        if not _bulk_safe(step):  # a step with effects or guards of its own goes one by one
            for app in targets:
                transition_perform(obj=Application.objects.get(pk=app.pk), transition=step.code, actor=actor)
            continue
        for source in dict.fromkeys(a.before_state for a in targets):
            _bulk_events(actor=actor, action=f"{APPLICATION.audit_prefix}.{step.audit_action}",
                         targets=[a for a in targets if a.before_state == source], before={"state": source}, after_state=step.target)
    above = sum(1 for a in rows if a.above_funding_line)
    event_record(actor=actor, action="call.ranked", target=call,
                 after={"ranked": len(rows), "moved": n_moved, "above_line": above, "remaining_budget": remaining,
                        "min_score": str(call.min_score), "below_min_score": len(failing), "confirmed_warnings": warnings if confirm else None})
    _notify_managers(call, waiting=len(rows), above=above)
    return {"ranked": len(rows), "moved": n_moved, "above_line": above, "below_min_score": len(failing)}


def _notify_managers(call: Call, *, waiting: int, above: int) -> None:
    """Managers learn that decisions wait (issue 27): in the inbox and by e-mail, linked to the
    call's ranking; nothing is sent when nothing was ranked."""
    if not waiting:
        return
    notification_send(recipients=_managers(), message="programs.approvals_waiting",
                      params={"call": call.title, "n": waiting, "above": above},
                      url=reverse("programs:call-dashboard", kwargs={"pk": call.pk}), email=True)


# The ranking itself checks what the "reviews_complete" guard checks (every review in).
_RANKING_CHECKS = frozenset({"reviews_complete"})


def _bulk_safe(step: Any) -> bool:
    return not step.effects and set(step.guards) <= _RANKING_CHECKS


def _rank_step(spec: Any, app: Any, actor: Any) -> Any:
    """The transition of the workflow that takes a rankable application into a ranked state, if the actor may take it."""
    steps = spec.transitions_into(app.state, "ranked")
    if not steps:
        raise ConflictError(_("The workflow has no step from “%(state)s” into a ranked state. Nothing was ranked.") % {
            "state": spec.staff_label(app.state)}, code="no_rank_step")
    if not actor_may(actor=actor, obj=app, step=steps[0], kind=APPLICATION):
        raise PermissionDenied
    return steps[0]


def _bulk_events(*, actor: Any, action: str, targets: list[Any], before: dict, after_state: str) -> None:
    """One audit event per application, written in bulk (ranking moves thousands at once)."""
    events_record_many(
        actor=actor, action=action, target_model=Application, before=before,
        targets=((a.pk, a.reference, {"state": after_state, "score": str(a.score), "rank": a.rank}) for a in targets),
    )
