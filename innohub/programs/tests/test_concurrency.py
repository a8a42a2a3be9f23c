"""Two managers approving the last of a call's budget at the same moment: exactly one wins.
Two officers recording the same disbursement at once: it is recorded once.

Real concurrency needs PostgreSQL (SQLite serialises writers); these tests are skipped on SQLite.
"""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from innohub.core.errors import ConflictError
from innohub.programs import services
from innohub.programs.models import Award, Call, Disbursement

from .factories import (
    ApplicationFactory,
    AwardFactory,
    CallFactory,
    applicant_for,
    decide,
    report_and_check,
)

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


def test_concurrent_approval_of_the_last_budget(users):
    call = CallFactory(budget=40_000_000)
    first = ApplicationFactory(call=call, state="ranked", amount_requested=30_000_000)
    second = ApplicationFactory(call=call, state="ranked", amount_requested=30_000_000)
    manager, admin = users["manager"], users["administrator"]
    results = _race([
        lambda: decide(first, "approve", manager, amount="30.000.000"),
        lambda: decide(second, "approve", admin, amount="30.000.000"),
    ])
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    assert isinstance(next(v for k, v in results if k == "error"), ConflictError)
    assert Award.objects.count() == 1
    assert Call.objects.get(pk=call.pk).awarded_total == 30_000_000


def test_concurrent_double_disbursement(users):
    award = AwardFactory()
    milestone = services.milestone_add(award=award, title="Mẫu thử", due_on=dt.date(2026, 12, 31), amount=award.amount, actor=users["officer"])
    decide(award.application, "contract", users["officer"])
    report_and_check(milestone, member=applicant_for(award.organisation), officer=users["officer"])
    tranche = milestone.tranche
    results = _race([
        lambda: services.disbursement_record(tranche=tranche, actor=users["officer"], key="UNC-9", paid_on=dt.date(2026, 11, 23)),
        lambda: services.disbursement_record(tranche=tranche, actor=users["manager"], key="UNC-9", paid_on=dt.date(2026, 11, 23)),
    ])
    assert all(kind == "ok" for kind, _ in results), results
    assert sorted(created for _k, (_d, created) in results) == [False, True]
    assert Disbursement.objects.count() == 1
    assert Award.objects.get(pk=award.pk).disbursed_total == award.amount
