"""The demo data: the seeds' three tasks at their stages, the dressing offered and matched
with a medical-supply company's need (found typed without diacritics), a spin-off; twice adds nothing."""

import pytest

from innohub.directory import demo as directory_demo
from innohub.research import demo, matching, selectors, workflows
from innohub.research.models import Need, Offer, Task, TransferDeal

pytestmark = pytest.mark.django_db


def test_seed_tells_the_seeds_story_and_is_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    matching.forget()
    directory_demo.seed(startups=0)
    assert demo.seed() == {"tasks": 3, "offers": 1, "needs": 1, "deals": 1}
    assert demo.seed() == {"tasks": 0}
    dressing = Task.objects.get(code="DEMO-2019-01")
    assert workflows.has_flag(dressing, "accepted") and dressing.host.short_name == "SHTP R&D"
    assert dressing.partners.get().organisation.short_name == "CSIRO"
    assert dressing.councils.get(kind="acceptance").minutes
    assert not workflows.has_flag(Task.objects.get(code="DEMO-2024-03"), "accepted")
    offer = Offer.objects.get()
    assert list(selectors.offers_public(user=None, query="bang gac khang khuan")) == [offer]
    assert Need.objects.get() in list(selectors.matched_needs(user=None, offer=offer))
    assert TransferDeal.objects.get().spin_off.kind == "startup"
    for task in Task.objects.all():
        assert task.budget_total <= task.approved_total


def test_the_sensor_task_is_linked_to_the_action_agreed_with_griffith(settings, tmp_path, users):
    """With cooperation's demo seeded first, the chain starts at the Griffith meeting's action."""
    from innohub.accounts import demo as accounts_demo
    from innohub.cooperation import demo as cooperation_demo

    settings.MEDIA_ROOT = tmp_path
    matching.forget()
    directory_demo.seed(startups=0)
    accounts_demo.seed()
    cooperation_demo.seed()
    demo.seed()
    sensor = Task.objects.get(code="DEMO-2021-02")
    assert sensor.origin_action is not None
    assert sensor.origin_action.direction.meeting.partner.organisation.short_name == "Griffith"
    chain = selectors.task_chain(user=users["officer"], pk=sensor.pk)
    assert chain["action"] == sensor.origin_action and [o.title for o in chain["outputs"]] == ["Cảm biến áp suất SiC cho trạm quan trắc ngập lụt"]
