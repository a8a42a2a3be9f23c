"""Idle time-out (innohub/accounts/idle.py): staff after 30 minutes without a request, the
public after 120; the log-in page says why, and nothing else is lost than the session."""

import time

import pytest
from django.test import Client

from innohub.accounts.idle import LAST_SEEN_KEY

pytestmark = pytest.mark.django_db


def idle_for(user, minutes: int) -> Client:
    c = Client()
    c.force_login(user)
    session = c.session
    session[LAST_SEEN_KEY] = int(time.time()) - minutes * 60
    session.save()
    return c


def test_a_staff_session_idle_for_31_minutes_is_logged_out_with_a_clear_message(users):
    c = idle_for(users["officer"], 31)
    response = c.get("/backoffice/?tab=queue")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?") and "idle=1" in response["Location"]
    assert "next=%2Fbackoffice%2F%3Ftab%3Dqueue" in response["Location"]
    page = c.get(response["Location"]).content.decode()
    assert "không hoạt động" in page  # "logged out because your session had no activity"
    assert "_auth_user_id" not in c.session


def test_a_staff_session_used_within_30_minutes_stays_and_the_public_get_longer(users):
    assert idle_for(users["officer"], 29).get("/backoffice/").status_code == 200
    applicant = idle_for(users["applicant"], 31)
    assert applicant.get("/notifications/").status_code == 200
    assert "_auth_user_id" in applicant.session
    assert applicant.session[LAST_SEEN_KEY] >= int(time.time()) - 5  # the request counts as activity
    late = idle_for(users["applicant"], 121).get("/notifications/")
    assert late.status_code == 302 and "idle=1" in late["Location"]


def test_the_limits_are_settings(users, settings):
    settings.SESSION_IDLE_TIMEOUT_STAFF_MINUTES = 5
    assert idle_for(users["manager"], 6).get("/backoffice/").status_code == 302


def test_an_idle_api_session_gets_a_401_problem(users):
    response = idle_for(users["officer"], 45).get("/api/v1/programs/disbursements")
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "session_idle"
