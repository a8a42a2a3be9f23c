"""The back office's pages answered from each person's own copy in the page cache (issue 34,
innohub/core/page_cache.py): the officer's second look at the landing page, a work queue or the
notifications list costs no query of its own, and a write by anyone else that changes what the
page shows (a queue, a count in the navigation, the recent activity, a notification) is on the
very next request. A copy is one person's: another officer, a manager, the same officer after a
change of role, or a page with a message to show never get it. Runs on both databases (the
suite's two runs), with the cache on."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from innohub.activity.services import notification_mark_all_read, notification_send
from innohub.core import page_cache
from innohub.programs import services
from innohub.programs.tests.factories import ApplicationFactory, CallFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LANDING = "/backoffice/"


@pytest.fixture
def call():
    return CallFactory()


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _get(client: Client, url: str = LANDING) -> tuple[str, str]:
    response = client.get(url)
    assert response.status_code == 200
    return response.headers.get(page_cache.HEADER, ""), response.content.decode()


def _nav(body: str) -> str:
    return body.split('class="bo-nav"', 1)[1].split("</nav>", 1)[0]


def _unread(body: str) -> str:
    """The header's link to the notifications, with its count of unread ones."""
    return body.split('class="notif-link"', 1)[1].split("</a>", 1)[0]


def _notify(user, ref: str) -> None:
    workflow = CallFactory().workflow_id
    notification_send(recipients=[user], message="programs.application_state", email=False,
                      params={"ref": ref, "reason": "", "state": {"workflow": workflow, "state": "approved", "audience": "applicant"}})


def _queue(body: str, code: str) -> str:
    return body.split(f'data-queue="{code}"', 1)[1].split("</section>", 1)[0]


def test_a_write_by_another_officer_is_on_the_next_request(users, make_user, call):
    """Given an application waiting for its check, seen twice by the officer (the second time
    from their copy), when another officer returns it to the applicant, then the officer's very
    next request no longer lists it, its count and the navigation's badge went down, and the
    recent activity says what happened; that page is then kept in turn."""
    waiting = ApplicationFactory(call=call, state="submitted", submitted_at=timezone.now(), title="Robot hái nấm")
    ApplicationFactory(call=call, state="submitted", submitted_at=timezone.now(), title="Cảm biến độ mặn")
    officer = _login(users["officer"])
    assert _get(officer)[0] == "miss"
    state, body = _get(officer)
    assert state == "hit" and "Robot hái nấm" in _queue(body, "programs.eligibility")
    assert 'Hồ sơ đăng ký <span class="badge nav-badge">2<' in _nav(body)

    colleague = make_user(role="officer", username="colleague")
    services.application_transition(application=waiting, transition="return", actor=colleague, message="Bổ sung báo cáo tài chính")

    state, body = _get(officer)
    assert state == "miss"
    assert "Robot hái nấm" not in _queue(body, "programs.eligibility") and "Cảm biến độ mặn" in body
    assert 'Hồ sơ đăng ký <span class="badge nav-badge">1<' in _nav(body)
    assert "Robot hái nấm" in body.split('id="recent-title"', 1)[1]  # the return, in the recent activity
    assert _get(officer)[0] == "hit"


def test_a_work_queue_listed_whole_follows_a_write_too(users, call):
    """``?queue=`` pages are kept apart from the landing page and from one another."""
    officer = _login(users["officer"])
    url = f"{LANDING}?queue=programs.eligibility"
    _get(officer, url)
    state, body = _get(officer, url)
    assert state == "hit" and "Hệ thống đo độ ẩm" not in body
    ApplicationFactory(call=call, state="submitted", submitted_at=timezone.now(), title="Hệ thống đo độ ẩm")
    state, body = _get(officer, url)
    assert (state, "Hệ thống đo độ ẩm" in body) == ("miss", True)
    assert _get(officer)[0] == "miss"  # the landing page is its own entry


def test_notifications_are_on_the_next_request_and_reading_them_clears_the_count(users):
    officer_user = users["officer"]
    officer = _login(officer_user)
    _get(officer, "/notifications/")
    assert _get(officer, "/notifications/")[0] == "hit"
    _get(officer)
    _notify(officer_user, "HS-2026-0042")
    state, body = _get(officer, "/notifications/")
    assert state == "miss" and "Hồ sơ HS-2026-0042: Được hỗ trợ" in body
    state, landing = _get(officer)  # the header's count of unread ones, on the landing page too
    assert state == "miss" and '<span class="badge">1<' in _unread(landing)
    notification_mark_all_read(user=officer_user)
    state, landing = _get(officer)
    assert state == "miss" and "badge" not in _unread(landing)


def test_each_person_gets_their_own_page(users, make_user, call):
    """Two officers, a manager and a reviewer open the same address: nobody is answered from
    somebody else's copy, and one officer's notification is not on the other's page."""
    ApplicationFactory(call=call, state="ranked", rank=1, score=81, title="Hồ sơ đã xếp hạng")
    first, second = users["officer"], make_user(role="officer", username="second-officer", first_name="Bình")
    _notify(first, "HS-2026-0007")
    # (each log-in writes the user's row, which the landing page reads: everyone logs in first)
    first_officer, second_officer, manager_client = _login(first), _login(second), _login(users["manager"])
    assert "HS-2026-0007" in _get(first_officer, "/notifications/")[1]
    _get(first_officer)
    state, page = _get(second_officer, "/notifications/")
    assert state == "miss" and "HS-2026-0007" not in page and "badge" not in _unread(page)
    assert _get(first_officer, "/notifications/")[0] == "hit"
    state, manager = _get(manager_client)
    assert state == "miss" and 'data-queue="programs.approvals"' in manager and "Hồ sơ đã xếp hạng" in manager
    state, officer = _get(first_officer)
    assert state == "hit" and 'data-queue="programs.approvals"' not in officer and "Hồ sơ đã xếp hạng" not in officer


def test_a_person_whose_role_changes_is_checked_again(users):
    officer_user = users["officer"]
    officer = _login(officer_user)
    _get(officer)
    assert _get(officer)[0] == "hit"
    officer_user.role = "applicant"
    officer_user.save(update_fields=["role"])
    response = officer.get(LANDING)
    assert response.status_code == 403 and response.headers[page_cache.HEADER] == "miss"  # the view said no


def test_a_page_with_a_message_to_show_is_neither_answered_from_the_copy_nor_kept(users):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    officer = _login(users["officer"])
    _get(officer)
    assert _get(officer)[0] == "hit"
    # as after saving a form: the message waits in its cookie for the next page
    officer.cookies["messages"] = CookieStorage(RequestFactory().get("/"))._encode([Message(constants.SUCCESS, "Đã lưu hồ sơ.")])
    response = officer.get(LANDING)
    assert page_cache.HEADER not in response.headers and "Đã lưu hồ sơ." in response.content.decode()
    state, body = _get(officer)
    assert state == "hit" and "Đã lưu hồ sơ." not in body  # the copy from before, without the message


def test_each_session_gets_a_csrf_token_of_its_own_that_works(users):
    """The landing page carries forms (log out): a copy answers each session with its own token."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for client in (first, second):
        client.force_login(users["officer"])
    _get(first)
    state, body = _get(second)
    tokens = CSRF.findall(body)
    assert state == "hit" and tokens and page_cache.CSRF_PLACEHOLDER not in body
    assert second.post("/i18n/setlang/", {"csrfmiddlewaretoken": tokens[0], "language": "en", "next": LANDING}).status_code == 302


def test_the_landing_page_answered_from_the_copy_reads_only_the_session_and_the_user(users, call):
    """The query bound of the landing page: a miss stays under the queue test's bound, and a
    hit asks the database only for the session, the user and their second factor, however
    many items wait."""
    for i in range(3):
        ApplicationFactory(call=call, state="submitted", submitted_at=timezone.now(), title=f"Hồ sơ {i}")
    officer = _login(users["officer"])
    with CaptureQueriesContext(connection) as miss:
        assert officer.get(LANDING).headers[page_cache.HEADER] == "miss"
    with CaptureQueriesContext(connection) as hit:
        assert officer.get(LANDING).headers[page_cache.HEADER] == "hit"
    assert 3 < len(miss) <= 45
    assert 2 <= len(hit) <= 3, [q["sql"] for q in hit.captured_queries]  # (2: the session read through Redis)
    assert {re.search(r'FROM "(\w+)"', q["sql"]).group(1) for q in hit.captured_queries} <= {
        "django_session", "accounts_user", "otp_totp_totpdevice"}


@pytest.mark.django_db(transaction=True)
def test_after_a_write_elsewhere_the_landing_page_does_not_count_the_queues_again(make_user, call):
    """Committed writes, as between requests: a new organisation (which the dashboard's figures
    count) makes the page be rendered again, but the officer's work-queue counts and the
    programmes' workflows, which it did not change, are not read again; a new application is."""
    from innohub.directory.tests.factories import OrganisationFactory

    def asked(queries: CaptureQueriesContext, table: str, count: bool = False) -> bool:
        return any(f'"{table}"' in q["sql"] and (not count or "COUNT(" in q["sql"]) for q in queries.captured_queries)

    ApplicationFactory(call=call, state="submitted", submitted_at=timezone.now(), title="Robot hái nấm")
    officer = _login(make_user(role="officer", username="officer-committed"))
    with CaptureQueriesContext(connection) as first:
        assert _get(officer)[0] == "miss"
    assert asked(first, "programs_application", count=True) and asked(first, "programs_workflow")
    OrganisationFactory(name="Công ty Sông Hàn")
    with CaptureQueriesContext(connection) as again:
        response = officer.get(LANDING)
    from innohub.directory.models import Organisation

    assert response.headers[page_cache.HEADER] == "miss"
    assert response.context["organisations"] == Organisation.objects.filter(archived_at__isnull=True).count()  # the new one counted
    assert not asked(again, "programs_application", count=True) and not asked(again, "programs_workflow")
    assert len(again) < len(first)
    ApplicationFactory(call=call, state="submitted", submitted_at=timezone.now(), title="Cảm biến độ mặn")
    state, body = _get(officer)
    assert state == "miss" and "Cảm biến độ mặn" in _queue(body, "programs.eligibility")
    assert 'Hồ sơ đăng ký <span class="badge nav-badge">2<' in _nav(body)
