"""An event's speakers, organisers and partners chosen on the staff's event page through the
directory's picker (no /admin/): shown on the public page, audited, bad input changing nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from innohub.activity.models import Event as AuditEvent
from innohub.directory.tests.factories import OrganisationFactory, PersonFactory
from innohub.events.models import Event
from innohub.events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def form_data(event: Event, **extra) -> dict:
    data = {
        "kind": event.kind, "title": event.title, "title_en": event.title_en, "description": event.description,
        "starts_at": timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "mode": event.mode, "place": event.place, "address": event.address, "language": event.language,
        "capacity": event.capacity or "", "required_share": event.required_share,
        "organisers_q": "", "partners_q": "", "speakers_q": "",
    }
    data.update(extra)
    return data


def test_speakers_and_organisers_typed_on_the_staff_page_are_saved_audited_and_shown_publicly(client, client_for, users):
    event = EventFactory()
    sihub = OrganisationFactory(name="Trung tâm Đổi mới Sáng tạo Sihub")
    speaker = PersonFactory(honorific="TS.", full_name="Nguyễn Thị Lan Anh")
    officer = client_for("officer")
    response = officer.post(reverse("events:staff-edit", args=[event.pk]),
                            form_data(event, organisers_q="doi moi sang tao", speakers_q="lan anh"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(event.speakers.all()) == [speaker]
    assert list(event.organisers.all()) == [sihub]
    audit = AuditEvent.objects.filter(action="event.updated", target_id=str(event.pk)).latest("created_at")
    assert audit.before["speakers"] == [] and audit.after["speakers"] == [speaker.pk]
    assert audit.before["organisers"] == [] and audit.after["organisers"] == [sihub.pk]
    assert audit.actor == users["officer"]
    public = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert "TS. Nguyễn Thị Lan Anh" in public and "Trung tâm Đổi mới Sáng tạo Sihub" in public
    # the edit page shows them chosen, and removing one (unticked) is saved and audited too
    page = officer.get(reverse("events:staff-edit", args=[event.pk])).content.decode()
    assert f'name="speakers" value="{speaker.pk}"' in page
    assert officer.post(reverse("events:staff-edit", args=[event.pk]),
                        form_data(event, organisers=[str(sihub.pk)])).status_code == 302
    assert list(event.speakers.all()) == []
    assert AuditEvent.objects.filter(action="event.updated", target_id=str(event.pk)).latest("created_at").after["speakers"] == []


def test_an_ambiguous_speaker_comes_back_to_choose_and_changes_nothing(client_for):
    event = EventFactory(title="Diễn đàn khởi nghiệp")
    first, second = PersonFactory(full_name="Lê Văn Hùng"), PersonFactory(full_name="Lê Văn Hùng Anh")
    officer = client_for("officer")
    response = officer.post(reverse("events:staff-edit", args=[event.pk]),
                            form_data(event, title="Diễn đàn khởi nghiệp 2030", speakers_q="le van hung"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nhiều người khớp với “le van hung”" in page
    assert f'name="speakers" value="{first.pk}"' in page and f'name="speakers" value="{second.pk}"' in page
    assert 'value="Diễn đàn khởi nghiệp 2030"' in page  # what was typed is kept
    event.refresh_from_db()
    assert event.title == "Diễn đàn khởi nghiệp" and not event.speakers.exists()
    # ticking one of the matches saves it
    assert officer.post(reverse("events:staff-edit", args=[event.pk]),
                        form_data(event, speakers=[str(second.pk)])).status_code == 302
    assert list(event.speakers.all()) == [second]


def test_an_unknown_organiser_is_an_error_at_the_field_and_saves_nothing(client_for):
    event = EventFactory()
    response = client_for("officer").post(reverse("events:staff-edit", args=[event.pk]), form_data(event, organisers_q="khong ton tai"))
    assert response.status_code == 400
    assert "Không có tổ chức nào trong danh bạ khớp với “khong ton tai”" in response.content.decode()
    assert not event.organisers.exists()


def test_an_organiser_archived_since_stays_on_the_event_until_removed(client_for):
    event = EventFactory()
    org = OrganisationFactory(name="Hiệp hội Doanh nghiệp Cũ")
    event.organisers.add(org)
    org.archived_at = timezone.now()
    org.save(update_fields=["archived_at"])
    officer = client_for("officer")
    assert officer.post(reverse("events:staff-edit", args=[event.pk]), form_data(event, organisers=[str(org.pk)])).status_code == 302
    assert list(event.organisers.all()) == [org]
    # but it is not offered to another event
    other = EventFactory()
    response = officer.post(reverse("events:staff-edit", args=[other.pk]), form_data(other, organisers=[str(org.pk)]))
    assert response.status_code == 400 and not other.organisers.exists()


def test_the_staff_event_page_with_many_organisations_holds_only_the_chosen_ones(client_for):
    orgs = [OrganisationFactory(name=f"Tổ chức Mẫu {n:03d}") for n in range(300)]
    event = EventFactory()
    event.partners.add(orgs[5])
    page = client_for("officer").get(reverse("events:staff-edit", args=[event.pk])).content.decode()
    assert sum(o.name in page for o in orgs) == 1 and orgs[5].name in page


def test_a_speaker_resolved_while_another_field_is_refused_comes_back_chosen(client_for):
    event = EventFactory()
    speaker = PersonFactory(full_name="Đinh Công Tráng")
    response = client_for("officer").post(reverse("events:staff-edit", args=[event.pk]),
                                          form_data(event, ends_at="2000-01-01T08:00", speakers_q="dinh cong trang"))
    assert response.status_code == 400
    page = response.content.decode()
    assert f'name="speakers" value="{speaker.pk}"' in page and 'name="speakers_q" class="picker-input" value=""' in page
    assert not event.speakers.exists()


def test_the_admins_event_page_searches_organisations_instead_of_listing_them(client_for):
    event = EventFactory()
    orgs = [OrganisationFactory(name=f"Tổ chức Quản trị {n:03d}") for n in range(50)]
    event.organisers.add(orgs[0])
    admin = client_for("administrator")
    page = admin.get(f"/admin/events/event/{event.pk}/change/")
    assert page.status_code == 200
    assert sum(o.name in page.content.decode() for o in orgs) == 1
    found = admin.get("/admin/autocomplete/", {"app_label": "events", "model_name": "event", "field_name": "organisers", "term": "Quản trị 049"})
    assert found.status_code == 200 and [r["text"] for r in found.json()["results"]] == ["Tổ chức Quản trị 049"]
