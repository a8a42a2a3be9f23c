"""Three people taking the last seat at the same moment: one gets it, the others wait in
order; the same code scanned on two phones at once checks in once.

Real concurrency needs PostgreSQL (SQLite serialises writers); skipped on SQLite."""

import threading

import pytest
from django.db import connection, connections

from innohub.events import services
from innohub.events.codes import checkin_code
from innohub.events.models import CheckIn, Registration
from innohub.events.tests.factories import EventFactory
from innohub.events.workflows import has_flag

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real row locks"),
]


def _race(functions):
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def run(index, fn):
        try:
            barrier.wait()
            results[index] = ("ok", fn())
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[index] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_the_last_seat_goes_to_one_and_the_others_wait():
    event = EventFactory(capacity=1)

    def register(n):
        return lambda: services.registration_create(event=event, attendee=services.Attendee(name=f"Người {n}", email=f"n{n}@example.vn"))

    results = _race([register(n) for n in range(3)])
    assert all(kind == "ok" for kind, _ in results), results
    states = [r.state for r in Registration.objects.all()]
    assert sum(has_flag(s, "confirmed") for s in states) == 1
    assert sum(has_flag(s, "waiting") for s in states) == 2
    positions = sorted(Registration.objects.exclude(waiting_position=None).values_list("waiting_position", flat=True))
    assert len(set(positions)) == 2


def test_one_code_scanned_on_two_phones_checks_in_once(users):
    event = EventFactory()
    registration = services.registration_create(event=event, attendee=services.Attendee(name="Lan", email="lan@example.vn"))
    code = checkin_code(registration)
    results = _race([lambda: services.checkin_by_code(event=event, code=code, actor=users["officer"]),
                     lambda: services.checkin_by_code(event=event, code=code, actor=users["manager"])])
    assert sorted(r.status for _k, r in results) == ["already", "checked_in"], results
    assert CheckIn.objects.count() == 1
