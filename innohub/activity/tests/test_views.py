"""The audit log page: staff only, filters, pagination, IP recorded from the request."""

import pytest
from django.urls import reverse

from innohub.activity.models import Event
from innohub.activity.services import event_record

pytestmark = pytest.mark.django_db


def test_audit_log_lists_and_filters_events(client_for, users):
    event_record(actor=users["officer"], action="organisation.verified")
    event_record(actor=users["manager"], action="award.approved")
    response = client_for("officer").get(reverse("activity:log"), {"action": "award"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'title="award.approved"' in body
    assert 'title="organisation.verified"' not in body


def test_audit_log_rejects_bad_date_range_and_shows_the_error(client_for):
    response = client_for("manager").get(reverse("activity:log"), {"date_from": "2026-11-23", "date_to": "2026-11-01"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_audit_log_is_paginated(client_for, users):
    Event.objects.bulk_create([Event(action=f"bulk.{i}", actor_label="x") for i in range(120)])
    response = client_for("administrator").get(reverse("activity:log"))
    assert len(response.context["page"].object_list) == 50
    assert response.context["page"].paginator.num_pages == 3


def test_ip_address_of_the_request_is_recorded(client, users):
    client.force_login(users["visitor"])
    client.post(reverse("activity:notifications-read-all"), REMOTE_ADDR="203.0.113.9")
    # Marking read is not a state change worth an event; sign-up is:
    client.logout()
    client.post(
        reverse("accounts:signup"),
        {"full_name": "Nguyễn Văn An", "email": "an@example.vn", "username": "an", "password": "Khoi-nghiep-2026!",
         "consent": "on"},
        REMOTE_ADDR="203.0.113.9",
    )
    event = Event.objects.get(action="user.created", target_label="Nguyễn Văn An")
    assert event.ip_address == "203.0.113.9"


def test_an_awards_amount_reads_in_vietnamese_format_in_the_log_and_on_the_dashboard(client_for, users):
    """Given an award of 55 million đồng recorded in the log, when an officer opens the
    audit log and the dashboard in Vietnamese, then the amount reads 55.000.000 ₫."""
    from innohub.programs.tests.factories import AwardFactory

    award = AwardFactory(amount=55_000_000, ceiling=60_000_000)
    event_record(actor=users["manager"], action="award.created", target=award)
    for url in (reverse("activity:log"), reverse("backoffice:dashboard")):
        body = client_for("officer").get(url).content.decode().replace("\u00a0", " ")
        assert f"{award.application.reference} · 55.000.000 ₫" in body
        assert "55,000,000" not in body


def test_the_log_names_actions_and_kinds_of_object_in_the_readers_language(client_for, users):
    """Given events with known and unknown action codes, when staff open the log, then a
    known action reads as its label, an unknown one as its code, and the object's kind as
    its model's name — in Vietnamese, and in English on /en/; the codes stay stored."""
    from innohub.directory.tests.factories import OrganisationFactory

    org = OrganisationFactory(name="Công ty Sao Việt")
    event_record(actor=users["applicant"], action="organisation.claimed", target=org)
    event_record(actor=users["officer"], action="something.new")
    body = client_for("officer").get(reverse("activity:log")).content.decode()
    assert "Nhận quản lý hồ sơ tổ chức" in body
    assert f"Tổ chức #{org.pk}" in body
    assert "directory.organisation #" not in body
    assert "something.new" in body
    dashboard = client_for("officer").get(reverse("backoffice:dashboard")).content.decode()
    assert "Nhận quản lý hồ sơ tổ chức" in dashboard
    english = client_for("officer").get("/en" + reverse("activity:log")).content.decode()
    assert "Organisation claimed" in english
    assert f"Organisation #{org.pk}" in english
    assert set(Event.objects.values_list("action", flat=True)) == {"organisation.claimed", "something.new"}


def test_amounts_in_stored_labels_read_in_the_readers_format(client_for, users):
    """Given an award's event written in Vietnamese and one written before awards used the
    money format ("55,000,000 ₫"), when staff open the log and the dashboard, then both read
    55.000.000 ₫ in Vietnamese and 55,000,000 VND in English; the stored text is unchanged."""
    from innohub.programs.tests.factories import AwardFactory

    award = AwardFactory(amount=55_000_000, ceiling=60_000_000)
    event_record(actor=users["manager"], action="award.created", target=award)
    old = Event.objects.create(action="award.created", actor_label="manager", target_label="HS-OLD0000001 · 55,000,000 ₫")
    officer = client_for("officer")
    for url in (reverse("activity:log"), reverse("backoffice:dashboard")):
        vietnamese = officer.get(url).content.decode().replace("\u00a0", " ")
        assert "HS-OLD0000001 · 55.000.000 ₫" in vietnamese
        assert f"{award.application.reference} · 55.000.000 ₫" in vietnamese
        assert "55,000,000" not in vietnamese
        english = officer.get("/en" + url).content.decode().replace("\u00a0", " ")
        assert "HS-OLD0000001 · 55,000,000 VND" in english
        assert f"{award.application.reference} · 55,000,000 VND" in english
        assert "₫" not in english.split("<main", 1)[-1]
    old.refresh_from_db()
    assert old.target_label == "HS-OLD0000001 · 55,000,000 ₫"


def test_the_filter_offers_actions_by_their_labels_and_kinds_of_object_by_app_and_model(client_for, users):
    """Given the audit log, when staff open its filter, then the action is a list of the
    translated labels sorted as read (value: the code), 'All actions' first, in Vietnamese and in
    English; a code or prefix typed in the URL still filters and stays chosen; and each kind of
    object reads as its app's and model's names, capitalised."""
    import re

    from innohub.activity.labels import ACTION_LABELS
    from innohub.core.text import search_key

    event_record(actor=users["officer"], action="organisation.verified")
    event_record(actor=users["manager"], action="award.approved")
    client = client_for("officer")
    body = client.get(reverse("activity:log")).content.decode()
    select = re.search(r'<select name="action"[^>]*>(.*?)</select>', body, re.S)
    assert select, "the action filter is a select"
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))
    assert options[0] == ("", "Tất cả các thao tác")
    assert len(options) == len(ACTION_LABELS) + 1
    labels = [label for _, label in options[1:]]
    assert labels == sorted(labels, key=lambda label: (search_key(label), label))
    assert ("organisation.claimed", "Nhận quản lý hồ sơ tổ chức") in options
    kinds = re.search(r'<select name="target_type"[^>]*>(.*?)</select>', body, re.S)
    assert kinds and '<option value="directory.organisation">Danh bạ hệ sinh thái · Tổ chức</option>' in kinds.group(1)
    assert "directory · " not in kinds.group(1)
    assert '<option value="indicators.framework">Chỉ số · Bộ chỉ số</option>' in kinds.group(1)

    chosen = client.get(reverse("activity:log"), {"action": "award.approved"}).content.decode()
    assert '<option value="award.approved" selected>' in chosen
    assert 'title="award.approved"' in chosen and 'title="organisation.verified"' not in chosen
    typed = client.get(reverse("activity:log"), {"action": "award"})
    assert typed.status_code == 200 and not typed.context["form"].errors
    html = typed.content.decode()
    assert '<option value="award" selected>award</option>' in html
    assert 'title="award.approved"' in html and 'title="organisation.verified"' not in html

    english = client.get("/en" + reverse("activity:log")).content.decode()
    select = re.search(r'<select name="action"[^>]*>(.*?)</select>', english, re.S)
    assert select
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))
    assert options[0] == ("", "All actions")
    labels = [label for _, label in options[1:]]
    assert labels == sorted(labels, key=lambda label: (search_key(label), label))
    assert ("organisation.claimed", "Organisation claimed") in options
    assert "Ecosystem directory · Organisation</option>" in english


def test_an_events_before_and_after_open_from_one_disclosure_and_its_vietnamese_label_is_marked_on_english_pages(
    client_for, users
):
    """Given an organisation's update with its state before and after, when an officer reads the
    log on the English pages, then one summary opens both (two 24-px summaries one above the
    other were too close to tap apart), the object's Vietnamese label is lang="vi", and the
    number of events is said in a status; on Vietnamese pages nothing is marked."""
    from innohub.directory.tests.factories import OrganisationFactory

    org = OrganisationFactory(name="Công ty TNHH Robot Sao Việt")
    event_record(actor=users["officer"], action="organisation.updated", target=org,
                 before={"team_size": 5}, after={"team_size": 9})
    event_record(actor=users["officer"], action="organisation.verified", after={"verified": True})
    officer, log = client_for("officer"), reverse("activity:log")
    english = officer.get("/en" + log).content.decode()
    assert english.count("<summary class=\"btn-link\">") == 2  # one per event (the filters have their own)
    assert '<summary class="btn-link">Before and after</summary>' in english
    assert '<summary class="btn-link">After</summary>' in english
    assert "<strong>Before</strong>" in english and "<strong>After</strong>" in english
    assert '<span lang="vi">Công ty TNHH Robot Sao Việt</span>' in english
    assert '<p class="muted" role="status">2 events</p>' in english
    filtered = officer.get("/en" + log, {"action": "organisation.verified"}).content.decode()
    assert '<p class="muted" role="status">1 event matches these filters</p>' in filtered
    assert "<title>1 event matches these filters · Audit log" in filtered
    vietnamese = officer.get(log).content.decode()
    assert "Trước và sau" in vietnamese and 'lang="vi"' not in vietnamese.split("<main", 1)[1]
