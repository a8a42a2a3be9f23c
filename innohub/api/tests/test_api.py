"""The API's shared behaviour: health, auth by token and session, problem details, pagination."""

import pytest

from innohub.accounts.services import api_token_create, api_token_revoke
from innohub.activity.models import Event
from innohub.activity.services import event_record

pytestmark = pytest.mark.django_db


def test_health_checks_the_database(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_anonymous_gets_a_401_problem(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401 and body["type"] == "about:blank" and body["instance"] == "/api/v1/me"


def test_token_authenticates_and_revocation_stops_it(client, users):
    token, key = api_token_create(user=users["officer"], name="CI")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["username"] == "officer-user"
    assert response.json()["role"] == "officer"
    api_token_revoke(token=token, actor=users["administrator"])
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_only_the_hash_of_a_token_is_stored(users):
    token, key = api_token_create(user=users["officer"], name="CI")
    assert key not in token.key_hash and len(token.key_hash) == 64


def test_session_auth_works_for_the_site(client_for):
    assert client_for("applicant").get("/api/v1/me").json()["role"] == "applicant"


def test_session_post_without_csrf_is_refused(users):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(users["officer"])
    from innohub.activity.services import notification_send

    [n] = notification_send(recipients=[users["officer"]], message="programs.reviews_assigned", params={"n": 1}, email=False)
    response = c.post(f"/api/v1/activity/notifications/{n.pk}/read")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Kiểm tra CSRF không thành công. Hãy tải lại trang rồi thử lại."
    n.refresh_from_db()
    assert n.read_at is None


def test_session_post_with_the_csrf_token_is_accepted(users):
    from django.test import Client

    from innohub.activity.services import notification_send

    c = Client(enforce_csrf_checks=True)
    c.force_login(users["officer"])
    c.get("/")  # the site's pages set the CSRF cookie
    token = c.cookies["csrftoken"].value
    [n] = notification_send(recipients=[users["officer"]], message="programs.reviews_assigned", params={"n": 1}, email=False)
    response = c.post(f"/api/v1/activity/notifications/{n.pk}/read", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content
    n.refresh_from_db()
    assert n.read_at is not None


@pytest.mark.parametrize("headers", [{}, {"HTTP_AUTHORIZATION": "Bearer not-a-token"}], ids=["no-credentials", "bogus-token"])
def test_a_write_without_credentials_is_a_401_not_a_csrf_failure(users, headers):
    # Given no session (and no or a bogus token), when a client writes, then it is told to
    # authenticate (401, Vietnamese), as a read would be, and nothing is created.
    from django.test import Client

    from innohub.programs.models import Application

    c = Client(enforce_csrf_checks=True)
    response = c.post("/api/v1/programs/applications", {"call_id": 1, "organisation_id": 11}, content_type="application/json", **headers)
    assert response.status_code == 401, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Cần xác thực."
    assert Application.objects.count() == 0


def test_events_are_paginated_and_filtered(client_for, users):
    for i in range(30):
        event_record(actor=users["officer"], action=f"demo.step{i:02d}")
    body = client_for("manager").get("/api/v1/activity/events", {"page": 2, "page_size": 20, "action": "demo."}).json()
    assert body["count"] == 30 and body["page"] == 2 and body["pages"] == 2
    assert len(body["items"]) == 10
    assert body["items"][0]["actor"] == "officer-user"


def test_validation_errors_are_422_problems_listing_each_error(client_for):
    response = client_for("manager").get("/api/v1/activity/events", {"page": 0, "date_from": "not-a-date"})
    assert response.status_code == 422
    body = response.json()
    assert body["status"] == 422
    locations = {tuple(e["loc"]) for e in body["errors"]}
    assert any("page" in loc for loc in locations) and any("date_from" in loc for loc in locations)


@pytest.mark.parametrize("given", ["0", "86400", "2026-11-30T00:00:00", "30/11/2026"])
@pytest.mark.parametrize("path", ["/api/v1/activity/events", "/api/v1/qa/stats"])
def test_a_date_is_written_yyyy_mm_dd_and_a_number_is_no_date(client_for, path, given):
    # pydantic alone reads 0 as a Unix time (01/01/1970) and lets the filter through
    manager = client_for("manager")
    response = manager.get(path, {"date_to": given})
    assert response.status_code == 422, response.content
    assert [(e["loc"][-1], e["msg"]) for e in response.json()["errors"]] == [("date_to", "Hãy nhập ngày theo dạng YYYY-MM-DD.")]
    assert manager.get(path, {"date_to": "2026-11-30"}).status_code == 200


def test_unknown_object_is_a_404_problem(client_for):
    response = client_for("officer").post("/api/v1/activity/notifications/999999/read")
    assert response.status_code == 404
    assert response.json()["title"]


def test_refused_request_changes_nothing(client_for):
    count = Event.objects.count()
    assert client_for("applicant").get("/api/v1/activity/events").status_code == 403
    assert Event.objects.count() == count


def test_api_docs_load_nothing_from_the_internet(client):
    body = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in body
    assert "cdn." not in body and "https://" not in body.split("<body", 1)[0]


def test_numbers_too_large_for_the_database_are_refused_or_match_nothing(client_for):
    # SQLite's driver raises OverflowError (→ 422 problem); PostgreSQL's lookups match nothing.
    response = client_for("officer").get("/api/v1/programs/applications", {"call_id": 2**64})
    if response.status_code == 422:
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["title"]
    else:
        assert response.status_code == 200 and response.json()["items"] == []


def test_a_body_that_is_not_json_is_a_translated_400_problem(client, users):
    # Given the public ask endpoint (no credentials needed) and a token-authenticated write,
    # when the body is not JSON, then the answer is a 400 problem in Vietnamese, not ninja's English.
    from innohub.qa.models import Question

    count = Question.objects.count()
    anonymous = client.post("/api/v1/qa/questions", b'{"topic": ', content_type="application/json")
    _token, key = api_token_create(user=users["officer"], name="t")
    with_token = client.post("/api/v1/programs/applications", b"\xff\xfe", content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {key}")
    for response in (anonymous, with_token):
        assert response.status_code == 400, response.content
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["title"] == "Không đọc được nội dung yêu cầu."
    assert Question.objects.count() == count


@pytest.mark.parametrize("body", ["[null, null]", "[]", '"abc"', "42", "null"])
def test_a_body_that_is_json_but_not_an_object_is_refused_and_changes_nothing(client_for, body):
    """An organisation's PATCH takes only optional fields: a list or a string used to pass as
    an empty change (200). Every body must be a JSON object."""
    from innohub.directory.tests.factories import OrganisationFactory

    org = OrganisationFactory(slug="sao-mai", name="Công ty Sao Mai")
    events = Event.objects.count()
    response = client_for("officer").patch("/api/v1/directory/organisations/sao-mai", body, content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Hãy gửi nội dung là một đối tượng JSON ({…})."
    org.refresh_from_db()
    assert org.name == "Công ty Sao Mai" and Event.objects.count() == events


def test_a_body_too_large_is_a_400_problem(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    response = client.post("/api/v1/qa/questions", b'{"topic": "' + b"x" * 100 + b'"}', content_type="application/json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Yêu cầu quá lớn."


def test_no_two_schemas_share_a_component_name(monkeypatch):
    # ninja files every schema under its class name and lets a later one overwrite an earlier:
    # two different classes named alike make the description lie about one of them.
    import json

    from ninja.openapi.schema import OpenAPISchema

    from innohub.api.api import api

    seen: dict[str, set[str]] = {}
    original = OpenAPISchema.add_schema_definitions

    def recording(self, definitions):
        for name, definition in definitions.items():
            seen.setdefault(name, set()).add(json.dumps(definition, sort_keys=True))
        return original(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", recording)
    spec = api.get_openapi_schema(path_prefix="/api/v1")
    assert {name for name, shapes in seen.items() if len(shapes) > 1} == set()
    response = spec["paths"]["/api/v1/programs/applications/{application_id}/eligibility"]["get"]["responses"][200]
    ref = next(iter(response["content"].values()))["schema"]["items"]["$ref"]
    assert set(spec["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]) == {"code", "message"}
    assert {"title", "status"} <= set(spec["components"]["schemas"]["Problem"]["properties"])


def test_the_description_declares_errors_as_problem_details(client):
    # Given the OpenAPI description, then every error response is declared as what the server
    # sends (application/problem+json), and successes stay application/json.
    spec = client.get("/api/v1/openapi.json").json()
    me = spec["paths"]["/api/v1/me"]["get"]["responses"]
    assert list(me["401"]["content"]) == ["application/problem+json"]
    assert list(me["200"]["content"]) == ["application/json"]
    declared = {
        content_type
        for operations in spec["paths"].values() for operation in operations.values()
        for status, response in operation["responses"].items() if int(status) >= 400
        for content_type in response.get("content", {})
    }
    assert declared == {"application/problem+json"}


def test_an_unhealthy_database_is_a_503_problem(client, monkeypatch):
    from django.db import connection

    def broken():
        raise RuntimeError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Cơ sở dữ liệu không sẵn sàng."


def test_a_method_the_path_does_not_have_is_a_405_problem(client):
    response = client.put("/api/v1/programs/applications/1", "{}", content_type="application/json")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "PATCH"}
    assert response.json()["title"] == "Phương thức này không được phép tại địa chỉ này."


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_api_path_is_a_404_problem_but_the_site_keeps_its_page(client, method):
    from django.test import Client

    response = getattr(Client(enforce_csrf_checks=True), method)("/api/v1/nope/deeper")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Không tìm thấy." and response.json()["instance"] == "/api/v1/nope/deeper"
    page = client.get("/nope")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_validation_errors_read_in_vietnamese_and_keep_their_location(client_for):
    # Given a manager, when the page size is above 100 and the date is no date,
    # then each error names its field and says in Vietnamese what to send.
    response = client_for("manager").get("/api/v1/activity/events", {"page_size": 101, "date_from": "not-a-date"})
    assert response.status_code == 422
    messages = {e["loc"][-1]: (e["type"], e["msg"]) for e in response.json()["errors"]}
    assert messages["page_size"] == ("less_than_equal", "Hãy nhập giá trị không lớn hơn 100.")
    assert messages["date_from"][1] == "Hãy nhập ngày theo dạng YYYY-MM-DD."


def test_a_missing_or_too_long_field_in_a_body_reads_in_vietnamese(client):
    response = client.post("/api/v1/qa/questions", {"topic": "x" * 41, "email": "a@example.vn"}, content_type="application/json")
    assert response.status_code == 422
    messages = {e["loc"][-1]: e["msg"] for e in response.json()["errors"]}
    assert messages == {"topic": "Hãy nhập tối đa 40 ký tự.", "text": "Trường này là bắt buộc."}


@pytest.mark.parametrize(("error", "message"), [
    ({"type": "greater_than_equal", "ctx": {"ge": 1}, "msg": "Input should be greater than or equal to 1"}, "Hãy nhập giá trị không nhỏ hơn 1."),
    ({"type": "int_parsing", "msg": "Input should be a valid integer"}, "Hãy nhập một số nguyên."),
    ({"type": "literal_error", "ctx": {"expected": "'vi' or 'en'"}, "msg": "Input should be 'vi' or 'en'"}, "Hãy chọn một trong các giá trị: 'vi', 'en'."),
    ({"type": "string_too_long", "ctx": {}, "msg": "String should have at most 3 characters"}, "String should have at most 3 characters"),
    ({"type": "a_type_we_do_not_know", "msg": "Something pydantic says"}, "Something pydantic says"),
])
def test_each_validation_message_is_translated_or_falls_back_to_pydantic(error, message):
    from innohub.api.problems import validation_message

    assert validation_message(error) == message


def test_the_health_check_declares_the_throttle_s_429(client):
    # Every operation is throttled, the health check too: the description must say it may answer 429.
    responses = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/health"]["get"]["responses"]
    assert list(responses["429"]["content"]) == ["application/problem+json"]


@pytest.mark.parametrize(("accept", "language", "title", "required"), [
    ("en-GB,en;q=0.9", "en", "The request is not valid.", "This field is required."),
    ("vi-VN,vi;q=0.9,en;q=0.5", "vi", "Yêu cầu không hợp lệ.", "Trường này là bắt buộc."),
    ("fr-FR,fr;q=0.9", "vi", "Yêu cầu không hợp lệ.", "Trường này là bắt buộc."),  # none we speak: Vietnamese
    (None, "vi", "Yêu cầu không hợp lệ.", "Trường này là bắt buộc."),
])
def test_an_api_client_gets_its_errors_in_the_language_it_accepts(client, accept, language, title, required):
    # Given a client that asks for a language (or none), when it sends a question without
    # its text, then the problem reads in that language and says which, and nothing is stored.
    from innohub.qa.models import Question

    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = client.post("/api/v1/qa/questions", {"topic": "x", "email": "a@example.vn"}, content_type="application/json", **headers)
    assert response.status_code == 422
    body = response.json()
    assert (body["title"], {e["loc"][-1]: e["msg"] for e in body["errors"]}) == (title, {"text": required})
    assert response["Content-Language"] == language and "Accept-Language" in response["Vary"]
    assert not Question.objects.exists()


def test_the_pages_keep_the_language_of_their_address_whatever_the_browser_accepts(client):
    # the API's rule is the API's: a page at / stays Vietnamese for an English browser
    page = client.get("/qa/", HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "vi" and 'lang="vi"' in page.content.decode()
    assert client.get("/en/qa/", HTTP_ACCEPT_LANGUAGE="vi")["Content-Language"] == "en"
