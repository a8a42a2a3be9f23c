"""Values remembered under the page cache's versions (`page_cache.remember`, issue 34): the same
value until a write to a table it read, whatever else is written; never one read after a write
that a rollback may take back. Committed transactions, as in a request (so not the suite's usual
test transaction); runs on both databases."""

from __future__ import annotations

import pytest
from django.db import transaction

from innohub.core import page_cache
from innohub.directory.models import Organisation
from innohub.directory.tests.factories import OrganisationFactory
from innohub.qa.tests.factories import QuestionFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("page_cache_on")]


def test_a_value_holds_until_a_write_to_what_it_read():
    computed: list[int] = []

    def organisations() -> int:
        computed.append(1)
        return Organisation.objects.count()

    OrganisationFactory()
    assert page_cache.remember("organisations", organisations) == 1
    assert page_cache.remember("organisations", organisations) == 1 and len(computed) == 1
    # a write to another app's tables leaves it
    QuestionFactory()
    assert page_cache.remember("organisations", organisations) == 1 and len(computed) == 1
    # a write to what it read: the next call reads again
    OrganisationFactory()
    assert page_cache.remember("organisations", organisations) == 2 and len(computed) == 2
    assert page_cache.remember("organisations", organisations) == 2 and len(computed) == 2


def test_a_value_read_after_an_uncommitted_write_is_not_kept():
    OrganisationFactory()

    def organisations() -> int:
        return Organisation.objects.count()

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        OrganisationFactory()
        assert page_cache.remember("organisations", organisations) == 2
        raise Undone
    assert page_cache.remember("organisations", organisations) == 1  # not the 2 a rollback took back


def test_without_the_cache_it_is_computed_every_time(settings):
    settings.PAGE_CACHE_ENABLED = False
    computed: list[int] = []
    for _ in range(2):
        page_cache.remember("anything", lambda: computed.append(1))
    assert len(computed) == 2
