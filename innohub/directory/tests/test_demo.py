"""Given the demo data, when it is loaded (twice), then every demo organisation and position
reads in English on the English pages, and a demo loaded before they had English is filled in."""

from __future__ import annotations

import pytest

from innohub.activity.models import Event
from innohub.directory import demo
from innohub.directory.models import Organisation, Position

pytestmark = pytest.mark.django_db


def test_every_demo_organisation_and_title_has_its_english_text(client):
    demo.seed(startups=3)
    organisations = Organisation.objects.all()
    assert organisations.count() == len(demo.NAMED) + 3
    assert all(o.description and o.description_en for o in organisations)
    assert all(p.title_en for p in Position.objects.all())
    english = client.get("/en/directory/sihub/").content.decode()
    assert "<p>The City&#x27;s flagship space for innovative startups" in english
    assert "Không gian hỗ trợ khởi nghiệp" not in english
    startup = Organisation.objects.get(slug="startup-001-ai-sao-viet")
    assert startup.description_en == f"An innovative startup in artificial intelligence, founded in {startup.founded_on.year}."


def test_an_older_demo_gets_its_english_filled_in_and_keeps_what_was_changed():
    demo.seed(startups=3)
    # given a demo loaded before the English fields, where someone rewrote one description
    Organisation.objects.update(description_en="")
    Position.objects.update(title_en="")
    Organisation.objects.filter(slug="uts").update(description="Mô tả đã sửa.")
    result = demo.seed(startups=3)
    assert result["organisations"] == 0 and result["english_filled"] == len(demo.NAMED) + 3 - 1 + len(demo.PEOPLE)
    assert Organisation.objects.get(slug="griffith").description_en.startswith("Supports the fabrication of pressure sensors")
    assert Organisation.objects.get(slug="uts").description_en == ""
    assert Position.objects.get(title="Giám đốc Sở").title_en == "Director of the Department"
    event = Event.objects.filter(action="organisation.updated", note="demo", target_id=str(Organisation.objects.get(slug="griffith").pk)).get()
    assert event.before == {"description_en": ""} and event.after["description_en"].startswith("Supports")
    assert demo.seed(startups=3)["english_filled"] == 0
