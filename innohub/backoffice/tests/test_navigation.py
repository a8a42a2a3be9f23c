"""The back office's navigation: on a phone a closed menu whose button counts what waits
(backoffice_base.html, innohub.js), and the reviewer's entries ("My reviews", "My councils")
only for those who have something there or the reviewer's role."""

import pytest

from innohub.programs.models import Review
from innohub.programs.tests.factories import ApplicationFactory, CallFactory
from innohub.research.models import Council, CouncilMember
from innohub.research.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

MY_REVIEWS, MY_COUNCILS = "Hồ sơ tôi đánh giá", "Hội đồng của tôi"


def _nav(client) -> str:
    body = client.get("/backoffice/").content.decode()
    return body.split('class="bo-nav"', 1)[1].split("</nav>", 1)[0]


def test_the_menu_button_is_a_disclosure_that_counts_what_waits(client_for):
    # given two applications waiting for the eligibility check
    call = CallFactory()
    ApplicationFactory(call=call, state="submitted")
    ApplicationFactory(call=call, state="submitted")
    nav = _nav(client_for("officer"))
    # the button is hidden until the script makes it a menu (without JavaScript the list stands open)
    button = nav.split("<button", 1)[1].split("</button>", 1)[0]
    assert 'aria-expanded="false"' in button and 'aria-controls="bo-menu"' in button and " hidden>" in button
    assert "Danh mục trang quản trị" in button
    assert '<span class="badge nav-badge">2<span class="visually-hidden"> việc đang chờ</span>' in button
    assert '<ul id="bo-menu">' in nav and "Hồ sơ đăng ký" in nav


def test_the_menu_button_has_no_badge_when_nothing_waits(client_for):
    button = _nav(client_for("administrator")).split("<button", 1)[1].split("</button>", 1)[0]
    assert "badge" not in button


@pytest.mark.parametrize(("role", "shown"), [
    ("reviewer", {MY_REVIEWS, MY_COUNCILS}),  # the experts' role: their entries, even before any assignment
    ("officer", set()),
    ("manager", set()),
    ("administrator", set()),
])
def test_reviewer_entries_by_role_without_assignments(client_for, role, shown):
    nav = _nav(client_for(role))
    assert {label for label in (MY_REVIEWS, MY_COUNCILS) if label in nav} == shown


def test_a_member_of_staff_assigned_a_review_sees_my_reviews(users, client_for):
    Review.objects.create(application=ApplicationFactory(call=CallFactory(), state="under_review"), reviewer=users["manager"])
    nav = _nav(client_for("manager"))
    assert MY_REVIEWS in nav and MY_COUNCILS not in nav
    assert MY_REVIEWS not in _nav(client_for("officer"))  # someone else's assignment shows nothing to the officer


def test_a_member_of_staff_on_a_council_sees_my_councils(users, client_for):
    council = Council.objects.create(task=TaskFactory(), kind=Council.Kind.SELECTION)
    CouncilMember.objects.create(council=council, user=users["officer"])
    nav = _nav(client_for("officer"))
    assert MY_COUNCILS in nav and MY_REVIEWS not in nav
    assert MY_COUNCILS not in _nav(client_for("manager"))
