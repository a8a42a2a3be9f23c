"""Log-in lockout (issue 32): by the account whatever case it is typed in, and by the client
address across accounts, each at its own threshold."""

import re

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = "accounts:login"
RIGHT = "correct-horse-battery"
ATTACKER = "203.0.113.9"
ELSEWHERE = "198.51.100.20"


def _login(client, username, password, ip=ATTACKER, path=None):
    return client.post(path or reverse(LOGIN), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_case_variants_of_one_email_count_against_one_account(client, make_user):
    """Given an account, when its e-mail is tried in six spellings of case and spacing with
    wrong passwords (as the probe did), then the account locks at the configured limit and
    the right password is refused with the lockout message."""
    make_user(username="lan.nguyen", email="lan.nguyen@example.vn")
    variants = ["lan.nguyen@example.vn", "LAN.NGUYEN@EXAMPLE.VN", "Lan.Nguyen@Example.vn", " lan.nguyen@example.VN ", "lAn.nGuYen@example.vn", "LAN.nguyen@example.vn"]
    for i in range(django_settings.AXES_FAILURE_LIMIT):
        _login(client, variants[i % len(variants)], f"wrong-{i}")
    response = _login(client, "Lan.Nguyen@example.vn", RIGHT)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Có quá nhiều lần đăng nhập sai" in response.content.decode()


def test_username_and_email_of_one_account_count_together(client, make_user):
    """Given an account, when the wrong passwords alternate between its username (in any case)
    and its e-mail, then they count against the one account."""
    make_user(username="minh-khoi", email="khoi@example.vn")
    for i in range(django_settings.AXES_FAILURE_LIMIT):
        _login(client, ["MINH-KHOI", "khoi@example.vn", "Minh-Khoi"][i % 3], f"wrong-{i}")
    response = _login(client, "minh-khoi", RIGHT, ip=ELSEWHERE)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_message_reads_in_english_on_the_english_site(client, make_user):
    make_user(username="an", email="an@example.vn")
    path = "/en" + reverse(LOGIN)
    for i in range(django_settings.AXES_FAILURE_LIMIT):
        _login(client, "AN@example.vn", f"wrong-{i}", path=path)
    response = _login(client, "an@example.vn", RIGHT, path=path)
    assert response.status_code == 429
    text = response.content.decode()
    assert "too many failed log-in attempts on this account or from your network" in text
    assert "15 minutes" in text


def test_many_accounts_from_one_address_lock_that_address_at_its_own_threshold(client, make_user):
    """Given many accounts, when one address tries each of them fewer times than locks an
    account, then the address is locked once its own (higher) limit is reached: even an
    account it never tried, with the right password, is refused from there; while another
    address still logs in to another account."""
    account_limit = django_settings.AXES_FAILURE_LIMIT
    address_limit = django_settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
    assert address_limit > account_limit
    per_account = account_limit - 1
    accounts = [make_user(username=f"member{i}") for i in range(address_limit // per_account + 1)]
    fresh = make_user(username="untouched")
    other = make_user(username="colleague")
    failures = 0
    for user in accounts:
        for _ in range(per_account):
            if failures == address_limit - 1:
                break
            _login(client, user.username, "wrong")
            failures += 1
    # one short of the address's limit: an account with failures still logs in from there
    response = _login(client, fresh.username, RIGHT)
    assert response.status_code == 302
    client.logout()
    _login(client, accounts[-1].username, "wrong")
    response = _login(client, fresh.username, RIGHT)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    response = _login(client, other.username, RIGHT, ip=ELSEWHERE)
    assert response.status_code == 302


def test_logging_in_to_ones_own_account_does_not_clear_failures_on_another(client, make_user):
    """Given an attacker with an account of their own, when they log in to it between wrong
    guesses at a victim's account from the same address, then the guesses still add up."""
    make_user(username="attacker")
    make_user(username="victim")
    for i in range(django_settings.AXES_FAILURE_LIMIT):
        _login(client, "victim", f"wrong-{i}")
        if i == 2:
            assert _login(client, "attacker", RIGHT).status_code == 302
            client.logout()
    assert _login(client, "victim", RIGHT).status_code == 429


def test_failures_below_the_limit_then_the_right_password_logs_in_and_start_over(client, make_user):
    make_user(username="hoa", email="hoa@example.vn")
    for i in range(django_settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "HOA@example.vn", f"wrong-{i}")
    assert _login(client, "hoa@example.vn", RIGHT).status_code == 302
    client.logout()
    for i in range(django_settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "hoa", f"wrong-{i}")
    assert _login(client, "hoa", RIGHT).status_code == 302


def test_an_administrator_unlocks_an_account_by_its_username(client, make_user):
    from django.core.management import call_command

    make_user(username="Thu.Tran", email="thu@example.vn")
    for i in range(django_settings.AXES_FAILURE_LIMIT):
        _login(client, "THU@EXAMPLE.VN", f"wrong-{i}")
    assert _login(client, "Thu.Tran", RIGHT).status_code == 429
    call_command("axes_reset_username", "Thu.Tran")
    assert _login(client, "Thu.Tran", RIGHT).status_code == 302


# --- password reset: limited per address and per account (issue 32: 15 requests sent 15 e-mails)

RESET = "accounts:password-reset"


@pytest.fixture
def fresh_counters():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _reset(client, email, ip=ATTACKER, path=None):
    return client.post(path or reverse(RESET), {"email": email}, REMOTE_ADDR=ip)


def test_password_resets_for_one_account_are_limited_whatever_the_address(client, make_user, fresh_counters):
    """Given an account, when its password reset is asked for 15 times (from several addresses,
    its e-mail typed in several cases), then only the account's limit of e-mails goes out and
    each refused request says so and sends nothing."""
    from django.core import mail

    user = make_user(username="reset-me", email="reset-me@example.vn")
    limit = django_settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT_PER_HOUR
    responses = [
        _reset(client, [user.email, user.email.upper(), "Reset-Me@Example.vn"][i % 3], ip=f"192.0.2.{i}") for i in range(15)
    ]
    assert len(mail.outbox) == limit
    assert [r.status_code for r in responses] == [302] * limit + [429] * (15 - limit)
    assert "Có quá nhiều yêu cầu đặt lại mật khẩu" in responses[-1].content.decode()


def test_password_resets_from_one_address_are_limited_across_accounts(client, make_user, fresh_counters):
    from django.core import mail

    limit = django_settings.PASSWORD_RESET_LIMIT_PER_HOUR
    accounts = [make_user(username=f"person{i}") for i in range(limit + 3)]
    responses = [_reset(client, user.email) for user in accounts]
    assert len(mail.outbox) == limit
    assert [r.status_code for r in responses] == [302] * limit + [429] * 3
    # another address is not held back by this one
    assert _reset(client, accounts[-1].email, ip=ELSEWHERE).status_code == 302
    assert len(mail.outbox) == limit + 1


def test_a_refused_reset_does_not_reveal_whether_the_account_exists(client, make_user, fresh_counters):
    """Given one e-mail that has an account and one that has none, when each is asked for
    past the limit, then both refusals read the same."""
    make_user(username="known", email="known@example.vn")
    refusals = []
    for email in ("known@example.vn", "nobody@example.vn"):
        for i in range(django_settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT_PER_HOUR):
            assert _reset(client, email, ip=f"192.0.2.{i}").status_code == 302
        refusals.append(_reset(client, email, ip="192.0.2.200"))
    known, unknown = refusals
    assert known.status_code == unknown.status_code == 429
    def page(response, email):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode()).replace(email, "X")

    assert page(known, "known@example.vn") == page(unknown, "nobody@example.vn")


def test_a_refused_reset_reads_in_english_on_the_english_site(client, make_user, fresh_counters):
    make_user(username="en-reader", email="reader@example.vn")
    path = "/en" + reverse(RESET)
    for i in range(django_settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT_PER_HOUR):
        _reset(client, "reader@example.vn", ip=f"192.0.2.{i}", path=path)
    response = _reset(client, "reader@example.vn", path=path)
    assert response.status_code == 429
    assert "Too many password reset requests" in response.content.decode()


def test_an_administrator_unlocks_an_address(client, make_user):
    from django.core.management import call_command

    make_user(username="reception")
    for i in range(django_settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS):
        _login(client, f"guess{i}", "wrong")
    assert _login(client, "reception", RIGHT).status_code == 429
    call_command("axes_reset_ip", ATTACKER)
    assert _login(client, "reception", RIGHT).status_code == 302
