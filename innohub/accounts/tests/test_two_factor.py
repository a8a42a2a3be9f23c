"""Staff two-step verification: every back-office role logs in with a password and then a code
from an authenticator app (or a recovery code); until then no other page, the admin or the API
is open to the session."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from innohub.accounts.tests.factories import totp_code, totp_device_for
from innohub.activity.models import Event

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
VERIFY = "/accounts/two-factor/verify/"
SETUP = "/accounts/two-factor/"


def password_step(client, username):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD}, follow=True)


@pytest.mark.parametrize("role", ["officer", "manager", "administrator", "reviewer"])
def test_every_staff_role_is_stopped_after_its_password_until_it_gives_a_code(client, users, role, unverified_logins):
    device = totp_device_for(users[role])
    response = password_step(client, f"{role}-user")
    assert response.redirect_chain[-1][0].startswith(VERIFY)
    assert "Xác thực hai bước" in response.content.decode()
    for path in ["/backoffice/", "/my/", "/notifications/", "/admin/"]:
        refused = client.get(path)
        assert refused.status_code == 302 and refused["Location"].startswith(VERIFY), path
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and api["Content-Type"] == "application/problem+json"
    response = client.post(VERIFY + "?next=/my/", {"code": totp_code(device)})
    assert response.status_code == 302 and response["Location"] == "/my/"
    assert client.get("/my/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


@pytest.mark.parametrize("role", ["visitor", "applicant"])
def test_citizens_and_applicants_are_not_asked_for_a_code(client, users, role, unverified_logins):
    response = password_step(client, f"{role}-user")
    assert response.redirect_chain[-1][0] == reverse("portal:my-space")


def test_a_wrong_code_is_refused_and_leaves_the_session_unverified(client, users, unverified_logins):
    device = totp_device_for(users["manager"])
    password_step(client, "manager-user")
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 400
    assert "không được chấp nhận" in response.content.decode()
    assert client.get("/backoffice/")["Location"].startswith(VERIFY)


def test_a_staff_member_without_a_device_enrols_with_a_qr_code_and_gets_recovery_codes(client, users, unverified_logins):
    response = password_step(client, "officer-user")
    assert response.redirect_chain[-1][0].startswith(SETUP)
    page = response.content.decode()
    assert "<svg" in page and "Mã xác thực" in page
    device = TOTPDevice.objects.get(user=users["officer"], confirmed=False)
    assert client.post(SETUP, {"code": "000000" if totp_code(device) != "000000" else "111111"}).status_code == 400
    assert not TOTPDevice.objects.filter(user=users["officer"], confirmed=True).exists()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    response = client.post(SETUP, {"code": totp_code(device), "next": "/backoffice/"})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and all(c in response.content.decode() for c in codes)
    assert client.get("/backoffice/").status_code == 200
    assert Event.objects.filter(action="two_factor.enrolled", target_id=str(users["officer"].pk)).count() == 1


def test_a_password_alone_cannot_enrol_a_new_device_over_an_existing_one(client, users, unverified_logins):
    totp_device_for(users["officer"])
    password_step(client, "officer-user")
    response = client.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.post(SETUP, {"code": "123456"})["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=users["officer"]).count() == 1


def test_a_recovery_code_logs_in_once_and_is_audited(client, users):
    from innohub.accounts.services import two_factor_recovery_codes_replace

    totp_device_for(users["manager"])
    codes = two_factor_recovery_codes_replace(user=users["manager"])
    client.logout()
    password_step(client, "manager-user")
    response = client.post(VERIFY, {"code": codes[0].upper()})
    assert response.status_code == 302
    assert Event.objects.filter(action="two_factor.recovery_code_used").count() == 1
    assert StaticToken.objects.filter(device__user=users["manager"]).count() == 9
    client.logout()
    password_step(client, "manager-user")
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 400


def test_an_administrator_resets_a_lost_device_and_it_is_audited(client_for, users, client):
    totp_device_for(users["officer"])
    admin = client_for("administrator")  # force_login: verified (conftest); the officer logs in below
    response = admin.post(
        "/admin/accounts/user/", {"action": "reset_two_factor", "_selected_action": [users["officer"].pk]}, follow=True
    )
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=users["officer"]).exists()
    event = Event.objects.get(action="two_factor.reset")
    assert event.actor == users["administrator"] and event.target_id == str(users["officer"].pk)
    assert password_step(client, "officer-user").redirect_chain[-1][0].startswith(SETUP)


def test_the_reset_command_is_audited(users):
    totp_device_for(users["reviewer"])
    call_command("two_factor_reset", "reviewer-user", "--by", "administrator-user", stdout=io.StringIO())
    assert not TOTPDevice.objects.filter(user=users["reviewer"]).exists()
    assert Event.objects.get(action="two_factor.reset").actor == users["administrator"]


def test_the_demo_staff_log_in_with_the_published_key(client, unverified_logins):
    import base64

    from django.core.cache import cache
    from django_otp.oath import totp

    from innohub.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

    cache.clear()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert DEMO_TOTP_SECRET in out.getvalue()
    client.post("/accounts/login/", {"username": "officer", "password": DEMO_PASSWORD})
    code = f"{totp(base64.b32decode(DEMO_TOTP_SECRET)):06d}"
    response = client.post(VERIFY, {"code": code}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("backoffice:dashboard")


def test_the_admin_itself_needs_the_second_factor(client, users, unverified_logins):
    client.force_login(users["administrator"])
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302 and response["Location"].startswith(SETUP)
