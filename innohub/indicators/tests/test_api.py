"""Given a finished run, when clients use the index's API, then public reads work without a
token, lists are paginated, and managers' operations check the role and change nothing when
refused."""

from __future__ import annotations

import pytest
from django.test import Client

from innohub.accounts.services import api_token_create
from innohub.indicators.models import Framework, Run, Value

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    _token, key = api_token_create(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_frameworks_and_their_tree_are_public(client, finished_run):
    page = client.get("/api/v1/indicators/frameworks").json()
    assert page["count"] == 1 and page["items"][0]["code"] == "test-index"
    detail = client.get("/api/v1/indicators/frameworks/test-index").json()
    assert [a["code"] for a in detail["aggregates"]] == ["INDEX", "A", "B"]
    assert detail["indicators"][3]["code"] == "B2" and detail["indicators"][3]["direction"] == -1
    assert client.get("/api/v1/indicators/frameworks/nope").status_code == 404


def test_values_are_paginated_and_filtered(client, finished_run):
    page = client.get("/api/v1/indicators/frameworks/test-index/values", {"page_size": 5}).json()
    assert page["count"] == Value.objects.count() and len(page["items"]) == 5 and page["pages"] == 10
    page = client.get("/api/v1/indicators/frameworks/test-index/values", {"unit": "Q1", "year": 2024, "indicator": "A1"}).json()
    assert page["items"] == [{"unit": "Q1", "indicator": "A1", "year": 2024, "value": 12.0, "source": "imported"}]


def test_results_and_uncertainty_of_the_latest_run(client, finished_run):
    page = client.get("/api/v1/indicators/frameworks/test-index/results", {"code": "INDEX", "year": 2025}).json()
    assert [r["rank"] for r in page["items"]] == [1, 2, 3, 4] and page["items"][0]["unit"] == "Q1"
    assert page["count"] == 4
    report = client.get("/api/v1/indicators/frameworks/test-index/uncertainty").json()
    assert report["run"] == finished_run.pk and len(report["ranks"]) == 4 and len(report["sensitivity"]) == 3
    assert client.get("/api/v1/indicators/frameworks/test-index/results", {"run": 999999}).status_code == 404


def test_an_unpublished_framework_is_hidden_from_the_public(client, finished_run, users):
    Framework.objects.update(is_published=False)
    assert client.get("/api/v1/indicators/frameworks").json()["count"] == 0
    assert client.get("/api/v1/indicators/frameworks/test-index/results").status_code == 404
    manager = bearer(users["manager"])
    assert Client().get("/api/v1/indicators/frameworks/test-index", **manager).status_code == 404  # public op: no token read
    session = Client()
    session.force_login(users["manager"])
    assert session.get("/api/v1/indicators/frameworks/test-index").status_code == 200


def test_a_manager_starts_a_run_and_reads_runs(with_values, users, django_capture_on_commit_callbacks):
    headers = bearer(users["manager"])
    c = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post("/api/v1/indicators/frameworks/test-index/runs",
                          {"year_from": 2023, "year_to": 2025}, content_type="application/json", **headers)
    assert response.status_code == 202, response.content
    run_id = response.json()["id"]
    assert Run.objects.get(pk=run_id).status == "succeeded"
    assert c.get("/api/v1/indicators/runs", **headers).json()["count"] == 1
    detail = c.get(f"/api/v1/indicators/runs/{run_id}", **headers).json()
    assert detail["trace"][0]["step"] == "impute"
    bad = c.post("/api/v1/indicators/frameworks/test-index/runs", {"year_from": 2025, "year_to": 2023},
                 content_type="application/json", **headers)
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")


def test_an_officer_imports_through_the_api_and_a_bad_file_lists_problems(framework, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    headers = bearer(users["officer"])
    c = Client()
    bad = SimpleUploadedFile("s.csv", b"unit,indicator,year,value\nQ1,A1,2024,x\nQ9,A1,2024,1\n")
    response = c.post("/api/v1/indicators/frameworks/test-index/values/import", {"file": bad}, **headers)
    assert response.status_code == 400
    assert [p["row"] for p in response.json()["errors"]["problems"]] == [2, 3]
    assert not Value.objects.exists()
    good = SimpleUploadedFile("s.csv", b"unit,indicator,year,value\nQ1,A1,2024,3\n")
    response = c.post("/api/v1/indicators/frameworks/test-index/values/import", {"file": good}, **headers)
    assert response.json() == {"rows": 1, "created": 1, "updated": 0, "unchanged": 0, "conversions": []}


def test_an_import_too_large_is_refused_over_the_api_with_its_real_size(framework, users):
    # Given a 7 MB CSV (the limit is 5 MB), then the problem names 7.0 MB, not the limit
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("s.csv", b"unit,indicator,year,value\n" + b"Q1,A1,2024,3\n" * (7 * 1024 * 1024 // 13 + 1))
    response = Client().post("/api/v1/indicators/frameworks/test-index/values/import", {"file": big}, **bearer(users["officer"]))
    assert response.status_code == 400
    assert [p["message"] for p in response.json()["errors"]["problems"]] == ["Tệp lớn hơn 5 MB (7.0 MB); hãy chia thành nhiều tệp."]
    assert not Value.objects.exists()


def test_an_unreadable_multipart_import_is_a_400_problem_and_writes_nothing(with_values, users):
    # Given a manager's token, when the import is posted as multipart/form-data without a boundary,
    # then the client hears what is wrong with its request (400), not a server error, and no value changes.
    count = Value.objects.count()
    url = "/api/v1/indicators/frameworks/test-index/values/import"
    body = b"x"
    response = Client().generic("POST", url, body, content_type="multipart/form-data", **bearer(users["manager"]))
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Không đọc được nội dung yêu cầu."
    anonymous = Client().generic("POST", url, body, content_type="multipart/form-data")
    assert anonymous.status_code == 401 and anonymous["Content-Type"] == "application/problem+json"
    assert Value.objects.count() == count


def test_a_run_on_a_broken_monte_carlo_set_up_is_refused_in_the_sites_language(with_values, users):
    # Given a framework whose set-up was saved with a word for a number (the admin edits the JSON),
    # when a manager asks for a run with the analysis, then the problem reads in Vietnamese (the
    # API's language, the site's), not as Python's English, and no run is queued.
    Framework.objects.update(uncertainty={"weight_noise": "high"})
    response = Client().post("/api/v1/indicators/frameworks/test-index/runs",
                             {"year_from": 2023, "year_to": 2025, "monte_carlo_runs": 60},
                             content_type="application/json", **bearer(users["manager"]))
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Cấu hình phân tích bất định không hợp lệ."
    assert response.json()["errors"]["problems"] == ["weight_noise phải là một số, không phải 'high'"]
    assert not Run.objects.exists()
