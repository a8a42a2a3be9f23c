"""Stage ceilings: the most a programme gives one startup at a stage in a year."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from innohub.activity.services import event_record, snapshot
from innohub.core.errors import ApplicationError
from innohub.core.permissions import ensure_role
from innohub.core.roles import ADMIN_ROLES
from innohub.programs.models import (
    Programme,
    StageCeiling,
)

# --- Configuration ---------------------------------------------------------------------------------


@transaction.atomic
def ceiling_set(*, programme: Programme, year: int, amount: int, actor: Any) -> StageCeiling:
    ensure_role(actor, ADMIN_ROLES)
    if amount <= 0:
        raise ApplicationError(_("A ceiling must be more than zero."))
    row, created = StageCeiling.objects.select_for_update().get_or_create(
        programme=programme, year=year, defaults={"amount": amount}
    )
    before = None if created else snapshot(row, ["year", "amount"])
    row.amount = amount
    row.save(update_fields=["amount"])
    event_record(actor=actor, action="programme.ceiling_set", target=programme, before=before, after=snapshot(row, ["year", "amount"]))
    return row
