"""The back office's forms editor, through its pages: who may open and save it, a refused schema
(bad JSON, two problems) listed whole with nothing saved and the text kept as typed, a new version
saved beside the old one (left untouched) and audited, the preview, and both kinds of form (a
call's application form, an event's registration form) served by the one editor."""

import html
import json

import pytest
from django.test import Client
from django.utils import translation

from innohub.activity.models import Event as AuditEvent
from innohub.core import registry
from innohub.core.roles import Role
from innohub.events.models import EventForm
from innohub.events.tests.factories import EventFactory, EventFormFactory
from innohub.forms import schema_problems
from innohub.forms.kinds import form_kinds
from innohub.programs import defaults
from innohub.programs.models import FormDefinition
from innohub.programs.tests.factories import CallFactory

pytestmark = pytest.mark.django_db

ROLES = [None, *[r.value for r in Role]]
WRITERS = {"officer", "manager", "administrator"}

GOOD = {"sections": [{"key": "you", "title": {"vi": "Về bạn", "en": "About you"}, "fields": [
    {"key": "team_size", "kind": "number", "required": True, "label": {"vi": "Số thành viên nhóm", "en": "Team size"}},
    {"key": "stage", "kind": "choice", "label": {"vi": "Giai đoạn", "en": "Stage"},
     "choices": [["idea", {"vi": "Ý tưởng", "en": "Idea"}], ["growth", {"vi": "Tăng trưởng", "en": "Growth"}]]},
]}]}
# two problems: a kind the engine does not know, and a label without its Vietnamese text
TWO_PROBLEMS = {"sections": [{"key": "you", "title": {"vi": "Về bạn"}, "fields": [
    {"key": "team_size", "kind": "slider", "label": {"vi": "Số thành viên"}},
    {"key": "pitch", "kind": "text", "label": {"en": "Pitch"}},
]}]}


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _client(users, role) -> Client:
    c = Client()
    if role:
        c.force_login(users[role])
    return c


@pytest.fixture
def application_form():
    return defaults.default_form()


def _save(client, form, schema_text, *, title="Hồ sơ đề nghị hỗ trợ (bản 2)", action="save", kind="application"):
    return client.post(f"/backoffice/forms/{kind}/{form.pk}/new-version/", {"title": title, "schema": schema_text, "action": action})


@pytest.mark.parametrize("role", ROLES)
def test_only_officers_managers_and_administrators_open_and_write_forms(users, role, application_form):
    # given a form version and a user of each role (or nobody)
    client = _client(users, role)
    pages = ["/backoffice/forms/", f"/backoffice/forms/application/{application_form.pk}/",
             f"/backoffice/forms/application/{application_form.pk}/new-version/", "/backoffice/forms/event/new/"]
    before = (FormDefinition.objects.count(), AuditEvent.objects.count())
    # when they open each page and try to save a new version
    responses = [client.get(path) for path in pages]
    saved = _save(client, application_form, json.dumps(GOOD))
    # then the writers see every page and save; everyone else is refused and nothing changes
    if role in WRITERS:
        assert [r.status_code for r in responses] == [200, 200, 200, 200]
        assert saved.status_code == 302
        assert FormDefinition.objects.filter(code=application_form.code, version=2).exists()
    else:
        expected = 302 if role is None else 403
        assert [r.status_code for r in responses + [saved]] == [expected] * 5
        assert (FormDefinition.objects.count(), AuditEvent.objects.count()) == before


def test_bad_json_is_refused_with_where_the_mistake_is_and_the_text_kept(client_for, application_form):
    typed = '{"sections": [\n  {"key": "you", "fields": [}\n]}'
    response = _save(client_for("officer"), application_form, typed)
    assert response.status_code == 400
    page = _text(response)
    assert "Lược đồ không phải JSON hợp lệ (dòng 2, cột 29)" in page
    assert typed in page  # the textarea keeps exactly what was typed
    assert FormDefinition.objects.filter(code=application_form.code).count() == 1
    assert not AuditEvent.objects.filter(action="form.version_written").exists()


def test_a_schema_with_two_problems_lists_both_and_saves_nothing(client_for, application_form):
    typed = json.dumps(TWO_PROBLEMS, ensure_ascii=False, indent=2)
    original = dict(application_form.schema)
    response = _save(client_for("officer"), application_form, typed)
    assert response.status_code == 400
    page = _text(response)
    with translation.override("vi"):
        problems = schema_problems(TWO_PROBLEMS)
    assert len(problems) == 2
    assert "team_size: loại trường “slider” không tồn tại." in problems
    for problem in problems:
        assert problem in page
    assert "hãy sửa 2 lỗi" in page
    assert typed in page
    application_form.refresh_from_db()
    assert application_form.schema == original
    assert FormDefinition.objects.filter(code=application_form.code).count() == 1
    assert not AuditEvent.objects.filter(action="form.version_written").exists()


def test_problems_are_in_the_readers_language(client_for, application_form):
    client = client_for("officer")
    response = client.post(f"/en/backoffice/forms/application/{application_form.pk}/new-version/",
                           {"title": "Form", "schema": json.dumps(TWO_PROBLEMS), "action": "save"})
    assert response.status_code == 400
    assert "team_size: unknown kind “slider”." in _text(response)


def test_a_new_version_is_saved_beside_the_old_one_which_stays_as_it_was_and_is_audited(client_for, users, application_form):
    # given a call that uses version 1
    call = CallFactory(form=application_form)
    old_schema, old_title = application_form.schema, application_form.title
    # when an officer saves a new version
    response = _save(client_for("officer"), application_form, json.dumps(GOOD, ensure_ascii=False))
    # then version 2 exists with what was typed, version 1 and the call are unchanged
    new = FormDefinition.objects.get(code=application_form.code, version=2)
    assert response.status_code == 302 and response["Location"] == f"/backoffice/forms/application/{new.pk}/"
    assert new.schema == GOOD and new.title == "Hồ sơ đề nghị hỗ trợ (bản 2)"
    application_form.refresh_from_db()
    assert (application_form.schema, application_form.title, application_form.version) == (old_schema, old_title, 1)
    call.refresh_from_db()
    assert call.form_id == application_form.pk
    # and the audit log has who, what, before and after
    event = AuditEvent.objects.get(action="form.version_written")
    assert event.actor == users["officer"]
    assert event.target_id == str(new.pk)
    assert event.before["version"] == 1 and event.before["schema"] == old_schema
    assert event.after["version"] == 2 and event.after["schema"] == GOOD and event.after["kind"] == "application"
    # and the version's page says it is saved and shows it as applicants will see it
    page = _text(client_for("officer").get(response["Location"]))
    assert "Số thành viên nhóm" in page and "Tăng trưởng" in page


def test_preview_shows_the_form_and_saves_nothing(client_for, application_form):
    response = _save(client_for("manager"), application_form, json.dumps(GOOD, ensure_ascii=False), action="preview")
    assert response.status_code == 200
    page = _text(response)
    assert "Xem trước" in page and "Số thành viên nhóm" in page and "Tăng trưởng" in page
    assert 'name="preview-answer_team_size"' in page
    assert FormDefinition.objects.filter(code=application_form.code).count() == 1


def test_an_untitled_version_is_refused(client_for, application_form):
    response = _save(client_for("officer"), application_form, json.dumps(GOOD), title="  ")
    assert response.status_code == 400
    assert FormDefinition.objects.filter(code=application_form.code).count() == 1


def test_an_event_form_gets_its_new_version_in_the_same_editor_and_shows_where_it_is_used(client_for):
    form = EventFormFactory(code="workshop-registration")
    EventFactory(registration_form=form, title="Hội thảo gọi vốn")
    client = client_for("officer")
    listing = _text(client.get("/backoffice/forms/?kind=event"))
    assert "workshop-registration" in listing and "Sự kiện (đăng ký): 1" in listing
    detail = _text(client.get(f"/backoffice/forms/event/{form.pk}/"))
    assert "Hội thảo gọi vốn" in detail
    response = _save(client, form, json.dumps(GOOD, ensure_ascii=False), title="Đăng ký hội thảo", kind="event")
    assert response.status_code == 302
    assert list(EventForm.objects.filter(code="workshop-registration").values_list("version", flat=True).order_by("version")) == [1, 2]
    assert EventForm.objects.get(code="workshop-registration", version=1).schema == form.schema


def test_a_new_form_takes_a_new_code_and_never_an_existing_one(client_for, application_form):
    client = client_for("officer")
    taken = client.post("/backoffice/forms/application/new/", {"code": application_form.code, "title": "X", "schema": json.dumps(GOOD), "action": "save"})
    assert taken.status_code == 400
    assert "Đã có biểu mẫu mang mã “startup-support”" in _text(taken)
    assert FormDefinition.objects.filter(code=application_form.code).count() == 1
    created = client.post("/backoffice/forms/application/new/", {"code": "seed-application", "title": "Hồ sơ ươm tạo", "schema": json.dumps(GOOD), "action": "save"})
    assert created.status_code == 302
    assert FormDefinition.objects.get(code="seed-application").version == 1


def test_a_version_of_one_kind_is_not_reached_through_another(client_for, application_form):
    assert client_for("officer").get(f"/backoffice/forms/event/{application_form.pk + 1000}/").status_code == 404
    assert client_for("officer").get("/backoffice/forms/nothing/1/").status_code == 404


def test_the_list_is_paginated_in_a_fixed_number_of_queries(client_for, django_assert_max_num_queries):
    for n in range(30):
        EventFormFactory(code=f"form-{n:02d}")
    client = client_for("officer")
    with django_assert_max_num_queries(20):
        first = client.get("/backoffice/forms/?kind=event")
    assert "Trang 1 / 2" in _text(first) or "1 / 2" in _text(first)
    assert "form-00" in _text(first) and "form-29" not in _text(first)
    assert "form-29" in _text(client.get("/backoffice/forms/?kind=event&page=2"))


def test_the_call_and_event_pages_link_to_the_editor(client_for):
    client = client_for("officer")
    assert "/backoffice/forms/?kind=application" in client.get("/programs/staff/calls/new/").content.decode()
    event_page = client.get("/events/manage/new/").content.decode()
    assert "/backoffice/forms/?kind=event" in event_page


def test_each_app_declares_its_own_kind_of_form():
    assert [(kind.code, kind.model) for kind in form_kinds()] == [
        ("application", "programs.FormDefinition"), ("event", "events.EventForm")]
    assert registry.form_kinds() is registry.form_kinds()  # read once


@pytest.fixture
def third_kind(settings):
    """A third module declaring a kind of form on its own AppConfig (here research, borrowing the
    application forms' model): nothing central is edited."""
    from django.apps import apps

    from innohub.core.registry import FormKind, FormUse

    config = apps.get_app_config("research")
    config.form_kinds = (FormKind("proposal", "Task proposals", "programs.FormDefinition", order=30,
                                  used_by=(FormUse("programs.Call", "form", "Calls", named=True),)),)
    registry.clear_cache()
    yield config
    del config.form_kinds
    registry.clear_cache()


def test_a_third_module_adds_its_kind_of_form_by_declaring_it(client_for, third_kind, application_form):
    assert [kind.code for kind in form_kinds()] == ["application", "event", "proposal"]
    client = client_for("officer")
    assert "Task proposals" in _text(client.get("/backoffice/forms/"))
    response = _save(client, application_form, json.dumps(GOOD), kind="proposal")
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="form.version_written").after["kind"] == "proposal"


def test_two_modules_declaring_one_code_is_a_mistake(third_kind):
    from django.core.exceptions import ImproperlyConfigured

    from innohub.core.registry import FormKind

    third_kind.form_kinds = (FormKind("event", "Again", "events.EventForm"),)
    registry.clear_cache()
    with pytest.raises(ImproperlyConfigured, match="event"):
        registry.form_kinds()
