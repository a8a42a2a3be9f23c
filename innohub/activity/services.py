"""Writing the audit log and sending notifications.

Every service in innohub that changes state calls `event_record` inside its
transaction, so the event exists exactly when the change does. Notifications are a
message id and parameters (`activity.messages`) stored as rows (the in-app inbox) plus an
e-mail queued as a background task after commit, each rendered in its reader's language.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone, translation

from innohub.activity import chain
from innohub.activity.middleware import current_ip
from innohub.activity.models import Event, Notification
from innohub.core.background import enqueue_on_commit


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The listed fields of an instance as JSON-safe values (FKs as ids)."""
    data = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        data[name] = _jsonable(getattr(instance, attname))
    return data


def event_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> Event:
    """Append one audit event. `actor` may be None for the system (tasks, commands)."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    with translation.override("vi"):
        target_label = str(target)[:300] if target is not None else ""
    event = Event(
        created_at=timezone.now(),
        actor=actor_obj,
        actor_label=(str(actor_obj.username) if actor_obj else "system")[:200],
        action=action,
        target_type=target_type,
        target_id=str(target.pk) if target is not None else "",
        target_label=target_label,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        ip_address=current_ip.get(),
        note=note,
    )
    with transaction.atomic():
        event.prev_hash = chain.lock_and_head()
        event.hash = chain.event_hash(
            {name: getattr(event, name) for name in chain.CHAINED_FIELDS}, event.prev_hash
        )
        event.save(force_insert=True)
    return event


def events_record_many(
    *,
    actor: Any,
    action: str,
    target_model: type[models.Model],
    targets: Iterable[tuple[Any, str, dict[str, Any] | None]],
    before: dict[str, Any] | None = None,
) -> None:
    """Append one audit event per ``(target pk, target label, after)``, all by one actor
    with one action and one ``before`` — what `event_record` writes for each, in one
    statement (a ranking moves thousands of applications at once). The caller gives the
    labels, so that no row needs a query to name itself."""
    from innohub.core.db import insert_many

    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    constant = {
        "created_at": timezone.now(),
        "actor": actor_obj.pk if actor_obj else None,
        "actor_label": (str(actor_obj.username) if actor_obj else "system")[:200],
        "action": action,
        "target_type": ContentType.objects.get_for_model(target_model).pk,
        "before": _jsonable(before) if before is not None else None,
        "ip_address": current_ip.get(),
        "note": "",
    }
    hashed = {**constant, "target_type_id": constant["target_type"]}
    with transaction.atomic():
        prev = chain.lock_and_head()
        rows = []
        for pk, label, after in targets:
            values = {**hashed, "target_id": str(pk), "target_label": label[:300],
                      "after": _jsonable(after) if after is not None else None}
            digest = chain.event_hash(values, prev)
            rows.append((values["target_id"], values["target_label"], values["after"], prev, digest))
            prev = digest
        # rows go in in this order, so their ids follow the chain
        insert_many(Event, ["target_id", "target_label", "after", "prev_hash", "hash"], rows, constant)


def notification_send(
    *,
    recipients: Iterable[Any],
    message: str,
    params: Mapping[str, Any] | None = None,
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """Notify users in-app and (after commit) by e-mail, each in their own language.

    ``message`` is the id of a message an app declares (`activity.messages.message`) and
    ``params`` fill its texts (stored as JSON: dates become ISO text, models their ids);
    an unknown id or a missing parameter raises before anything is written. The row is
    rendered again whenever it is read, in the reader's language; ``url`` is a path of the
    site, made absolute from ``SITE_URL`` in the e-mail."""
    from innohub.activity.messages import message_get, one_line

    declared = message_get(message)
    stored = _jsonable(dict(params or {}))
    declared.check(stored)
    created = []
    for user in recipients:
        if user is None or not user.is_active:
            continue
        subject, body = declared.render(stored, language=recipient_language(user))
        notification = Notification.objects.create(
            recipient=user,
            message=message,
            params=stored,
            subject=one_line(subject)[:250],
            body=body,
            url=url,
            send_email=email and bool(user.email),
        )
        created.append(notification)
        if notification.send_email:
            enqueue_on_commit("innohub.activity.tasks.deliver_notification_email", notification_id=notification.pk)
    return created


def recipient_language(user: Any) -> str:
    """The language a user reads their notifications and e-mails in: theirs, else the site's."""
    return getattr(user, "language", None) or settings.LANGUAGE_CODE


@transaction.atomic
def notification_mark_read(*, notification: Notification, user: Any) -> Notification:
    if notification.recipient_id != user.pk:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def notification_email_deliver(*, notification_id: int) -> bool:
    """E-mail one notification in its recipient's language and record when; False when it
    was sent already (a second run sends nothing) or is not to be e-mailed."""
    from innohub.activity.emails import notification_email

    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True, send_email=True)
            .first()
        )
        if notification is None:
            return False
        notification_email(notification).send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True
