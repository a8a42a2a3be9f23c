"""The audit log is a hash chain: a change made to a stored event in the database, a deleted or
an inserted event is found by `manage.py audit_verify`, which names the first broken link;
concurrent writers still make one chain."""

import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from innohub.activity import chain
from innohub.activity.models import Event
from innohub.activity.services import event_record, events_record_many
from innohub.directory.tests.factories import OrganisationFactory


def verify() -> str:
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def record_some(users, n=5):
    org = OrganisationFactory()
    for i in range(n):
        event_record(actor=users["officer"], action="organisation.updated", target=org,
                     before={"name": f"v{i}", "amount": 40_000_000, "score": 7.5}, after={"name": f"v{i + 1}", "when": None})
    return list(Event.objects.order_by("id"))


@pytest.mark.django_db
def test_each_event_carries_the_hash_of_the_one_before(users):
    events = record_some(users)
    assert events[0].prev_hash == chain.GENESIS or events[0].prev_hash == Event.objects.filter(id__lt=events[0].id).order_by("-id").first().hash
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash and len(after.hash) == 64
    assert "Audit chain holds" in verify()


@pytest.mark.django_db
@pytest.mark.parametrize("field, value", [("note", "sửa"), ("actor_label", "someone-else"), ("after", {"name": "forged"}),
                                          ("action", "organisation.deleted"), ("target_id", "999")])
def test_editing_a_stored_event_in_the_database_is_detected(users, field, value):
    events = record_some(users)
    target = events[2]
    Event.objects.filter(pk=target.pk).update(**{field: value})  # straight to the table, as an intruder would
    with pytest.raises(CommandError, match=f"broken at event {target.pk}: its content"):
        verify()


@pytest.mark.django_db
def test_rehashing_an_edited_event_breaks_the_next_link(users):
    events = record_some(users)
    target = events[2]
    forged = {name: getattr(target, name) for name in chain.CHAINED_FIELDS} | {"note": "forged"}
    Event.objects.filter(pk=target.pk).update(note="forged", hash=chain.event_hash(forged, target.prev_hash))
    with pytest.raises(CommandError, match=f"broken at event {events[3].pk}: its link"):
        verify()


@pytest.mark.django_db
def test_deleting_an_event_in_the_database_is_detected(users):
    events = record_some(users)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM activity_event WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match=f"broken at event {events[2].pk}"):
        verify()


@pytest.mark.django_db
def test_a_removed_head_is_found_when_it_was_recorded(users):
    events = record_some(users)
    head = events[-1].hash
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM activity_event WHERE id = %s", [events[-1].pk])
    assert "holds" in verify()  # the shorter chain is valid on its own
    with pytest.raises(CommandError, match="no longer contains the recorded head"):
        call_command("audit_verify", "--expect-head", head, stdout=io.StringIO())


@pytest.mark.django_db
def test_events_recorded_many_at_once_continue_the_chain(users):
    record_some(users, 2)
    org = OrganisationFactory()
    events_record_many(actor=users["manager"], action="organisation.updated", target_model=type(org),
                       targets=[(org.pk, str(org), {"n": i}) for i in range(50)], before={"state": "a"})
    record_some(users, 1)
    assert "holds: " in verify()
    assert Event.objects.count() >= 53


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_make_one_chain(users):
    """Eight threads recording at once: the advisory lock (PostgreSQL) or the write lock an
    IMMEDIATE transaction takes (SQLite, the test database a WAL file) keeps one chain."""
    org = OrganisationFactory()
    barrier = threading.Barrier(8)
    errors = []

    def write(i):
        try:
            barrier.wait()
            for j in range(5):
                event_record(actor=None, action="organisation.updated", target=org, after={"thread": i, "n": j})
        except Exception as exc:  # noqa: BLE001 - the test reports what each thread got
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert Event.objects.filter(action="organisation.updated", after__thread__isnull=False).count() == 40
    hashes = list(Event.objects.values_list("prev_hash", flat=True))
    assert len(hashes) == len(set(hashes)), "two events claim the same predecessor: the chain forked"
    assert "holds" in verify()
