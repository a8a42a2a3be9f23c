"""Log in, throttling, sign-up, password reset, language."""

import pytest
from django.core import mail
from django.urls import reverse

from innohub.accounts.models import User
from innohub.activity.models import Event
from innohub.core.roles import Role

pytestmark = pytest.mark.django_db


def test_login_with_username_or_email_lands_by_role(client, users):
    from innohub.accounts.tests.factories import totp_code, totp_device_for

    device = totp_device_for(users["officer"])
    response = client.post(reverse("accounts:login"), {"username": "officer-user", "password": "correct-horse-battery"}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:two-factor-verify"))
    response = client.post(response.redirect_chain[-1][0], {"code": totp_code(device)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("backoffice:dashboard")
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": users["applicant"].email, "password": "correct-horse-battery"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:my-space")


def test_wrong_password_shows_an_error_and_logs_nobody_in(client, users):
    response = client.post(reverse("accounts:login"), {"username": "officer-user", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "manager-user", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "manager-user", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_signup_creates_an_applicant_and_audits_it(client):
    response = client.post(
        reverse("accounts:signup"),
        {"full_name": "Trần Minh Khôi", "email": "Khoi@Example.vn", "username": "khoi", "password": "Khoi-nghiep-2026!", "is_startup": "on",
         "consent": "on"},
    )
    assert response.status_code == 302
    user = User.objects.get(username="khoi")
    assert user.role == Role.APPLICANT and user.email == "khoi@example.vn"
    assert Event.objects.filter(action="user.created", target_id=str(user.pk)).exists()
    # the consent ticked is recorded with its version and its Vietnamese text
    consent = Event.objects.get(action="consent.given", target_id=str(user.pk))
    assert consent.after["purpose"] == "accounts.signup" and consent.after["version"] == "2026-12-07"
    assert consent.after["text"].startswith("Tôi đồng ý")


def test_signup_without_consent_is_refused_with_a_clear_error_and_creates_nothing(client):
    page = client.get(reverse("accounts:signup")).content.decode()
    assert 'name="consent"' in page and "Nghị định 13/2023/NĐ-CP" in page
    response = client.post(
        reverse("accounts:signup"),
        {"full_name": "Trần Minh Khôi", "email": "khoi@example.vn", "username": "khoi", "password": "Khoi-nghiep-2026!"},
    )
    assert response.status_code == 200
    assert "Hãy đánh dấu vào ô để đồng ý" in response.content.decode()
    assert response.content.decode().count('value="Trần Minh Khôi"') == 1  # what was typed stays
    assert not User.objects.exists() and not Event.objects.filter(action__in=["user.created", "consent.given"]).exists()


def test_bad_signup_reports_every_problem_and_creates_nothing(client, users):
    before = User.objects.count()
    response = client.post(
        reverse("accounts:signup"),
        {"full_name": "", "email": users["officer"].email, "username": "bad name!", "password": "123"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"full_name", "email", "username", "password"} <= set(errors)
    assert User.objects.count() == before


def test_password_reset_sends_a_link_that_works(client, users):
    client.post(reverse("accounts:password-reset"), {"email": users["applicant"].email})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.context["validlink"] is True
    response = client.post(response.redirect_chain[-1][0], {"new_password1": "Sang-tao-2026!x", "new_password2": "Sang-tao-2026!x"})
    assert response.status_code == 302
    users["applicant"].refresh_from_db()
    assert users["applicant"].check_password("Sang-tao-2026!x")


def test_logout_needs_post(client_for):
    c = client_for("officer")
    assert c.get(reverse("accounts:logout")).status_code == 405
    assert c.post(reverse("accounts:logout")).status_code == 302


def test_signups_from_one_address_are_limited(client):
    from django.core.cache import cache

    from innohub.accounts.views import SIGNUPS_PER_HOUR_PER_IP

    cache.clear()
    for i in range(SIGNUPS_PER_HOUR_PER_IP):
        client.post(reverse("accounts:signup"), {"full_name": "A", "email": f"a{i}@example.vn", "username": f"a{i}", "password": "Khoi-nghiep-2026!", "consent": "on"}, REMOTE_ADDR="198.51.100.7")
        client.logout()
    before = User.objects.count()
    response = client.post(reverse("accounts:signup"), {"full_name": "B", "email": "b@example.vn", "username": "b", "password": "Khoi-nghiep-2026!", "consent": "on"}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    assert "Có quá nhiều tài khoản được tạo từ mạng của bạn" in response.content.decode()
    assert User.objects.count() == before


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Kh-26", "Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 12 ký tự."),
        ("password123", "Mật khẩu này quá phổ biến."),
        ("20261201731", "Mật khẩu này hoàn toàn là số."),
        ("tranminhkhoi", "Mật khẩu quá giống với tên đăng nhập."),
    ],
)
def test_signup_explains_a_weak_password_in_vietnamese_and_creates_nobody(client, password, expected):
    """Given the Vietnamese sign-up page, when someone signs up with a password that is too
    short, common, all digits or like their user name, then the reason reads in Vietnamese
    and no account is made."""
    response = client.post(
        reverse("accounts:signup"),
        {"full_name": "Trần Minh Khôi", "email": "khoi@example.vn", "username": "tranminhkhoi", "password": password},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert expected in body
    assert "This password" not in body and "The password" not in body
    assert not User.objects.filter(username="tranminhkhoi").exists()
    assert not Event.objects.filter(action="user.created").exists()
