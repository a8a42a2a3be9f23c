"""Production settings (issue 32: the language cookie was not Secure): every cookie the site
sets is Secure, HttpOnly where no script needs it, and SameSite; `check --deploy` is clean."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

ROOT = Path(__file__).resolve().parent.parent
COOKIE_SETTINGS = [
    "LANGUAGE_COOKIE_SECURE", "LANGUAGE_COOKIE_HTTPONLY", "LANGUAGE_COOKIE_SAMESITE",
    "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE",
]


def _production_env() -> dict[str, str]:
    # the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment must not
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        SITE_URL="https://innohub.example.gov.vn",
    )
    return env


@pytest.fixture(scope="module")
def production():
    """The production settings module's values, read in a fresh interpreter (it requires a real secret key)."""
    script = (
        "import json, config.settings.production as s; "
        f"print(json.dumps({{name: getattr(s, name, None) for name in {COOKIE_SETTINGS!r}}}))"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=_production_env(), capture_output=True, text=True, check=True, timeout=120)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_cookie_is_secure_in_production(production):
    assert production["LANGUAGE_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True


def test_cookies_no_script_reads_are_http_only_and_all_are_same_site(production):
    assert production["LANGUAGE_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["CSRF_COOKIE_HTTPONLY"] is True
    for name in ("LANGUAGE_COOKIE_SAMESITE", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE"):
        assert production[name] == "Lax", name


def test_check_deploy_is_clean_with_the_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_the_language_switch_works_with_the_production_cookie(client, settings, production):
    """Given production's cookie flags, when a visitor picks English, then the cookie carries
    them and the next page opens in English."""
    for name in ("LANGUAGE_COOKIE_SECURE", "LANGUAGE_COOKIE_HTTPONLY", "LANGUAGE_COOKIE_SAMESITE"):
        setattr(settings, name, production[name])
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True)
    cookie = response.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["secure"] is True and cookie["httponly"] is True and cookie["samesite"] == "Lax"
    page = client.get(response["Location"], secure=True)
    assert page.status_code == 200
    assert '<html lang="en"' in page.content.decode()
