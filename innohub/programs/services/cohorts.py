"""Cohorts of an incubation or acceleration programme: startups, mentors, sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from innohub.activity.services import event_record, snapshot
from innohub.core.errors import ApplicationError
from innohub.core.permissions import ensure_role
from innohub.programs import permissions
from innohub.programs.models import (
    Cohort,
    CohortMentor,
    CohortSession,
)

# --- Cohorts --------------------------------------------------------------------------------------------------


@transaction.atomic
def cohort_create(*, hub: Any, stage: str, name: str, starts_on: dt.date, ends_on: dt.date, actor: Any, description: str = "") -> Cohort:
    ensure_role(actor, permissions.MANAGE_PROGRAMMES)
    if ends_on < starts_on:
        raise ApplicationError(_("The cohort ends before it starts."), extra={"ends_on": "before_start"})
    cohort = Cohort.objects.create(hub=hub, stage=stage, name=name, starts_on=starts_on, ends_on=ends_on, description=description)
    event_record(actor=actor, action="cohort.created", target=cohort, after=snapshot(cohort, ["hub", "stage", "name", "starts_on", "ends_on"]))
    return cohort


@transaction.atomic
def cohort_add_startup(*, cohort: Cohort, organisation: Any, actor: Any) -> None:
    ensure_role(actor, permissions.MANAGE_PROGRAMMES)
    cohort.startups.add(organisation)
    event_record(actor=actor, action="cohort.startup_added", target=cohort, after={"organisation": organisation.pk})


@transaction.atomic
def cohort_add_mentor(*, cohort: Cohort, name: str, expertise: str, actor: Any, user: Any = None) -> CohortMentor:
    ensure_role(actor, permissions.MANAGE_PROGRAMMES)
    mentor = CohortMentor.objects.create(cohort=cohort, name=name, expertise=expertise, user=user)
    event_record(actor=actor, action="cohort.mentor_added", target=cohort, after={"mentor": name})
    return mentor


@transaction.atomic
def cohort_add_session(*, cohort: Cohort, title: str, starts_at: dt.datetime, actor: Any, location: str = "", mentor: CohortMentor | None = None) -> CohortSession:
    ensure_role(actor, permissions.MANAGE_PROGRAMMES)
    session = CohortSession.objects.create(cohort=cohort, title=title, starts_at=starts_at, location=location, mentor=mentor)
    event_record(actor=actor, action="cohort.session_added", target=cohort, after={"session": title, "starts_at": starts_at})
    return session
