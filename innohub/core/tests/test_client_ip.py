"""The client's address behind reverse proxies (innohub/core/client_ip.py): X-Forwarded-For is read
only from a trusted proxy and only as far as trusted hops go; a header a client writes itself
changes nothing. The one helper serves the audit log, the log-in lock-out (django-axes), the rate
limits of the forms and the API, and the metrics allow-list."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory
from django.urls import reverse

from innohub.activity.models import Event
from innohub.api.api import ClientAnonRateThrottle
from innohub.core.client_ip import client_ip

PROXY = "10.0.0.2"
VISITOR = "203.0.113.7"
OTHER_VISITOR = "203.0.113.99"
DIRECT = "198.51.100.9"


def _ip(remote: str, forwarded: str | None = None) -> str | None:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert _ip(PROXY, VISITOR) == PROXY
    assert _ip(DIRECT) == DIRECT


@pytest.mark.parametrize(("remote", "forwarded", "expected"), [
    (PROXY, VISITOR, VISITOR),  # our proxy says who it served
    (PROXY, f"1.2.3.4, {VISITOR}", VISITOR),  # what the visitor wrote before reaching our proxy is not read
    (PROXY, f"{VISITOR}, 10.0.5.1", VISITOR),  # two proxies of ours in a row
    (PROXY, f"{VISITOR}, 10.0.5.1, 10.0.0.9", VISITOR),
    (PROXY, "", PROXY),  # no header: the proxy itself (a health check)
    (PROXY, "not-an-address", PROXY),  # not written by a proxy of ours
    (PROXY, f"{VISITOR}, garbage", PROXY),
    (PROXY, "10.0.5.1, 10.0.0.9", "10.0.5.1"),  # every hop ours: the farthest one
    (DIRECT, VISITOR, DIRECT),  # a spoofed header from an address that is not a trusted proxy
    (DIRECT, f"{VISITOR}, {PROXY}", DIRECT),
    ("2001:db8::5", VISITOR, "2001:db8::5"),
])
def test_the_forwarded_address_is_read_only_from_trusted_proxies(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = [PROXY, "10.0.5.0/24", "10.0.0.9"]
    assert _ip(remote, forwarded) == expected


def test_the_api_throttle_keys_on_the_same_address(settings):
    """ninja's own throttle took a client's whole X-Forwarded-For as its key: a new header each
    request, a new allowance each time."""
    settings.TRUSTED_PROXIES = [PROXY]
    throttle = ClientAnonRateThrottle("10/m")
    spoofed = [RequestFactory().get("/", REMOTE_ADDR=DIRECT, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}") for n in range(3)]
    assert {throttle.get_ident(r) for r in spoofed} == {DIRECT}
    assert throttle.get_ident(RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=VISITOR)) == VISITOR


@pytest.mark.django_db
def test_the_audit_log_records_the_visitor_behind_the_proxy_and_not_a_spoofed_header(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    form = {"full_name": "Trần Thị Bình", "email": "binh@example.vn", "username": "binh", "password": "Khoi-nghiep-2026!", "consent": "on"}
    Client().post(reverse("accounts:signup"), form, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=VISITOR)
    Client().post(reverse("accounts:signup"), {**form, "full_name": "Lê Văn Cường", "email": "cuong@example.vn", "username": "cuong"},
                REMOTE_ADDR=DIRECT, HTTP_X_FORWARDED_FOR=VISITOR)
    assert Event.objects.get(action="user.created", target_label="Trần Thị Bình").ip_address == VISITOR
    assert Event.objects.get(action="user.created", target_label="Lê Văn Cường").ip_address == DIRECT


@pytest.mark.django_db
def test_the_log_in_lockout_locks_the_visitor_behind_the_proxy_not_everyone_behind_it(client, settings, make_user):
    """Given the proxy in front, when one visitor fails to log in as many times as locks an address,
    then that visitor is refused even with the right password, while another visitor behind the
    same proxy logs in; and a client talking to us directly cannot dodge the lock by writing a new
    X-Forwarded-For each time."""
    settings.TRUSTED_PROXIES = [PROXY]
    make_user(username="reception", password="correct-horse-battery")
    make_user(username="desk", password="correct-horse-battery")

    def login(username, password, **address):
        return client.post(reverse("accounts:login"), {"username": username, "password": password}, **address)

    behind = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": VISITOR}
    for i in range(django_settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS):
        login(f"guess{i}", "wrong", **behind)
    assert login("reception", "correct-horse-battery", **behind).status_code == 429
    assert login("desk", "correct-horse-battery", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OTHER_VISITOR).status_code == 302
    client.logout()

    for i in range(django_settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS):
        login(f"try{i}", "wrong", REMOTE_ADDR=DIRECT, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    assert login("reception", "correct-horse-battery", REMOTE_ADDR=DIRECT, HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429
