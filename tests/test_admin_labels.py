"""/admin/ on the Vietnamese site reads Vietnamese: every app and model, ours and the
third-party ones (django-axes, django-tasks-db), and the admin's own hidden headings
(issue 27: it read "AXES", "Access attempts", "TASKS DATABASE BACKEND", "Task Results")."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from innohub.core.roles import Role

pytestmark = pytest.mark.django_db

APP = re.compile(r'<caption>\s*<a href="/(?:en/)?admin/([\w]+)/"[^>]*title="([^"]*)">(.*?)</a>', re.S)
MODEL = re.compile(r'<th scope="row" id="([\w-]+)">\s*(?:<a [^>]*>)?(.*?)(?:</a>)?\s*</th>', re.S)


def _labels(page: str) -> tuple[dict[str, str], dict[str, str], list[str]]:
    apps = {label: name.strip() for label, _title, name in APP.findall(page)}
    titles = [title for _label, title, _name in APP.findall(page)]
    models = {key: name.strip() for key, name in MODEL.findall(page)}
    return apps, models, titles


def test_the_admin_index_in_vietnamese_has_no_english_app_or_model_labels(make_user):
    admin = Client()
    admin.force_login(make_user(role=Role.ADMINISTRATOR, is_superuser=True, is_staff=True))
    vi_page = admin.get("/admin/").content.decode()
    en_page = admin.get("/en/admin/").content.decode()
    vi_apps, vi_models, vi_titles = _labels(vi_page)
    en_apps, en_models, _titles = _labels(en_page)
    assert "axes" in vi_apps and "django_tasks_database" in vi_apps and "axes-accessattempt" in vi_models
    assert vi_apps.keys() == en_apps.keys() and vi_models.keys() == en_models.keys()
    # each label reads differently from the English site's: translated, none left in English
    english_apps = {label: name for label, name in vi_apps.items() if name == en_apps[label]}
    english_models = {key: name for key, name in vi_models.items() if name == en_models[key]}
    assert english_apps == {} and english_models == {}
    assert vi_apps["axes"] == "Bảo vệ đăng nhập" and vi_apps["django_tasks_database"] == "Tác vụ chạy nền"
    for english in ("Axes", "Access attempts", "Access failures", "Access logs", "Tasks Database Backend", "Task Results",
                    "Model name", "Add link", "Change or view list link"):
        assert english not in vi_page, english
    assert all("models" not in title for title in vi_titles), vi_titles
    assert "Các loại dữ liệu trong mục Bảo vệ đăng nhập" in vi_titles


def test_a_third_party_admin_page_reads_vietnamese(make_user):
    admin = Client()
    admin.force_login(make_user(role=Role.ADMINISTRATOR, is_superuser=True, is_staff=True))
    page = admin.get("/admin/axes/accessattempt/").content.decode()
    assert "Lượt đăng nhập thất bại" in page or "lượt đăng nhập thất bại" in page
    assert "Access attempt" not in page
    tasks = admin.get("/admin/django_tasks_database/dbtaskresult/").content.decode()
    assert "Kết quả tác vụ" in tasks and "Task Result" not in tasks
