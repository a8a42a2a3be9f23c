"""The audit log as a hash chain: each event stores the SHA-256 of the one before it and its own.

An event's ``hash`` is SHA-256 over a canonical serialisation (sorted-key JSON, UTC times to the
microsecond, integral floats as integers) of the previous event's hash and the event's recorded
fields. Changing any stored field of an event, deleting one, or inserting one between two makes
``manage.py audit_verify`` report the first event whose link no longer holds. The chain runs in
id order; writers take a lock first (PostgreSQL: a transaction-level advisory lock; SQLite
serialises writers already), so concurrent writes still make one chain.

The actor is chained by its ``actor_label`` (the username at the time), not by ``actor_id``:
deleting an account (a data-subject erasure) sets ``actor_id`` to NULL and must not break the
chain. Truncating the newest events leaves a shorter valid chain: the command prints the head
hash, which an operator can record elsewhere (a daily log line) to detect that too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

GENESIS = "0" * 64
# the fields of an event the hash covers, as stored
CHAINED_FIELDS = (
    "created_at", "actor_label", "action", "target_type_id", "target_id", "target_label",
    "before", "after", "ip_address", "note",
)
# any number, the same in every process: the key of PostgreSQL's advisory lock for the chain
ADVISORY_LOCK_KEY = 0x1A0D17C4A1


def _normal(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {str(k): _normal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    return value


def _time(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical(values: Mapping[str, Any], prev_hash: str) -> bytes:
    """The bytes an event's hash is taken over."""
    data = {name: values.get(name) for name in CHAINED_FIELDS}
    data["created_at"] = _time(values["created_at"])
    for name in ("before", "after"):
        # as the database gives it back: through JSON (dates as text, decimals as text)
        data[name] = _normal(json.loads(json.dumps(data[name], cls=DjangoJSONEncoder)))
    data["target_type_id"] = data["target_type_id"] or None
    data["ip_address"] = str(data["ip_address"]) if data["ip_address"] else None
    return json.dumps(
        {"prev": prev_hash, "event": data}, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode()


def event_hash(values: Mapping[str, Any], prev_hash: str) -> str:
    return hashlib.sha256(canonical(values, prev_hash)).hexdigest()


def lock_and_head() -> str:
    """Inside the writer's transaction: wait for the chain, then the newest event's hash."""
    from innohub.activity.models import Event

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
    head = Event.objects.order_by("-id").values_list("hash", flat=True).first()
    return head or GENESIS


@dataclass(frozen=True)
class Break:
    event_id: int
    reason: str


def verify(events: Iterator[Mapping[str, Any]]) -> tuple[int, str, Break | None]:
    """Walk events in id order: (how many hold, the head hash, the first break or None)."""
    prev = GENESIS
    count = 0
    for values in events:
        if values["prev_hash"] != prev:
            return count, prev, Break(values["id"], "its link to the previous event does not match (an event before it was deleted, inserted or changed)")
        if event_hash(values, prev) != values["hash"]:
            return count, prev, Break(values["id"], "its content does not match its hash (the stored event was changed)")
        prev = values["hash"]
        count += 1
    return count, prev, None
