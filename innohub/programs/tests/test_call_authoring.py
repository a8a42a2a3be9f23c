"""Call authoring in the back office (issue 27): officers create, change, preview and publish
a call; every refusal says why and changes nothing; the public call page lists the
eligibility criteria, the documents to attach and the scoring criteria with their weights."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from innohub.accounts.tests.factories import MembershipFactory
from innohub.activity.models import Event
from innohub.core.errors import ApplicationError, ConflictError
from innohub.core.roles import Role
from innohub.programs import defaults, services
from innohub.programs.models import Application, Call

from .factories import ApplicationFactory, CallFactory, programme, startup

pytestmark = pytest.mark.django_db

STAFF = {"officer", "manager", "administrator"}


def login(user):
    c = Client()
    c.force_login(user)
    return c


def _values(**overrides):
    now = timezone.now()
    values = {
        "programme": programme("pre_incubation"), "title": "Hỗ trợ tiền ươm tạo – đợt 3 năm 2026", "title_en": "",
        "description": "Hỗ trợ không hoàn lại.", "eligibility": "Có trụ sở tại TP.HCM\nThành lập dưới 5 năm",
        "required_documents": "Kế hoạch kinh doanh\nBáo cáo tài chính", "opens_at": now + dt.timedelta(days=1),
        "closes_at": now + dt.timedelta(days=30), "budget": 600_000_000, "form": defaults.default_form(),
        "rubric": defaults.default_rubric(), "workflow": defaults.default_workflow(), "reviewers_per_application": 2,
        "reviews_due_on": (now + dt.timedelta(days=45)).date(), "require_previous_stage": False, "require_verified_profile": False,
    }
    values.update(overrides)
    return values


def _post_data(**overrides):
    values = _values()
    data = {
        "programme": values["programme"].pk, "title": values["title"], "title_en": "", "description": values["description"],
        "eligibility": values["eligibility"], "required_documents": values["required_documents"],
        "opens_at": timezone.localtime(values["opens_at"]).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": timezone.localtime(values["closes_at"]).strftime("%Y-%m-%dT%H:%M"),
        "budget": "600.000.000", "form": values["form"].pk, "rubric": values["rubric"].pk, "workflow": values["workflow"].pk,
        "reviewers_per_application": "2", "reviews_due_on": values["reviews_due_on"].isoformat(), "min_score": "70",
    }
    data.update(overrides)
    return data


# --- services ------------------------------------------------------------------------------------


def test_an_officer_creates_a_draft_call_audited(users):
    call = services.call_create(actor=users["officer"], **_values())
    assert call.published_at is None and call.year == timezone.localtime(call.opens_at).year
    assert call.eligibility_lines == ["Có trụ sở tại TP.HCM", "Thành lập dưới 5 năm"]
    event = Event.objects.get(action="call.created")
    assert event.after["budget"] == 600_000_000 and event.actor_id == users["officer"].pk


@pytest.mark.parametrize(("overrides", "field"), [
    ({"closes_at": timezone.now() - dt.timedelta(days=5)}, "closes_at"),  # closes before it opens
    ({"budget": 0}, "budget"),
    ({"budget": -5}, "budget"),
    ({"budget": 1.5}, "budget"),  # not a whole number of đồng
    ({"budget": 10_000_000}, "budget"),  # below the programme's ceiling of one award
    ({"title": "  "}, "title"),
    ({"reviewers_per_application": 0}, "reviewers_per_application"),
    ({"reviews_due_on": timezone.localdate()}, "reviews_due_on"),  # before the call closes
    ({"min_score": Decimal("-1")}, "min_score"),
    ({"min_score": Decimal("100.5")}, "min_score"),  # out of 100
    ({"min_score": Decimal("69.555")}, "min_score"),  # a score has two decimals
    ({"min_score": "bảy mươi"}, "min_score"),
    ({"min_score": None}, "min_score"),
])
def test_a_bad_call_is_refused_with_its_field_and_nothing_is_written(users, overrides, field):
    before, events = Call.objects.count(), Event.objects.count()
    with pytest.raises(ApplicationError) as refused:
        services.call_create(actor=users["officer"], **_values(**overrides))
    assert field in refused.value.extra
    assert Call.objects.count() == before and Event.objects.count() == events


def test_an_inactive_programme_is_refused(users):
    inactive = programme("incubation")
    inactive.active = False
    inactive.save(update_fields=["active"])
    with pytest.raises(ApplicationError) as refused:
        services.call_create(actor=users["officer"], **_values(programme=inactive))
    assert "programme" in refused.value.extra and not Call.objects.exists()


@pytest.mark.parametrize("role", ["applicant", "reviewer", "visitor"])
def test_only_staff_author_calls(users, role):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.call_create(actor=users[role], **_values())
    assert not Call.objects.exists()


def test_an_update_audits_only_what_changed_and_a_refusal_changes_nothing(users):
    values = _values()
    call = services.call_create(actor=users["officer"], **values)
    services.call_update(call=call, actor=users["officer"], **{**values, "budget": 800_000_000})
    event = Event.objects.get(action="call.updated")
    assert event.before == {"budget": 600_000_000} and event.after == {"budget": 800_000_000}
    with pytest.raises(ApplicationError):
        services.call_update(call=call, actor=users["officer"], **{**values, "budget": 900_000_000, "closes_at": call.opens_at - dt.timedelta(hours=1)})
    call.refresh_from_db()
    assert call.budget == 800_000_000 and Event.objects.filter(action="call.updated").count() == 1


def test_a_call_with_applications_keeps_its_workflow_and_programme(users):
    call = CallFactory()
    ApplicationFactory(call=call)
    with pytest.raises(ApplicationError) as refused:
        services.call_update(call=call, actor=users["officer"], **_values(programme=programme("incubation"), budget=900_000_000))
    assert "programme" in refused.value.extra
    call.refresh_from_db()
    assert call.programme.stage == "pre_incubation"


def test_publishing_puts_a_draft_on_the_public_site(users, client):
    call = services.call_create(actor=users["officer"], **_values(opens_at=timezone.now() - dt.timedelta(hours=1)))
    assert client.get(f"/programs/calls/{call.pk}/").status_code == 404
    assert call.title not in client.get("/").content.decode()
    services.call_publish(call=call, actor=users["officer"])
    assert client.get(f"/programs/calls/{call.pk}/").status_code == 200
    assert call.title in client.get("/").content.decode()
    with pytest.raises(ConflictError):
        services.call_publish(call=call, actor=users["officer"])
    assert Event.objects.filter(action="call.published").count() == 1


def test_a_draft_call_takes_no_application(users):
    call = services.call_create(actor=users["officer"], **_values(opens_at=timezone.now() - dt.timedelta(hours=1)))
    org = startup()
    MembershipFactory(user=users["applicant"], organisation=org)
    response = login(users["applicant"]).post(f"/programs/calls/{call.pk}/apply/", {"organisation": org.pk})
    assert response.status_code == 404 and not Application.objects.exists()
    with pytest.raises(ApplicationError):
        services.application_start(call=call, organisation=org, actor=users["applicant"])


# --- pages ---------------------------------------------------------------------------------------


def test_an_officer_authors_previews_and_publishes_by_the_pages(users):
    officer = login(users["officer"])
    assert "Tạo đợt tiếp nhận" in officer.get("/programs/staff/calls/").content.decode()
    form = officer.get("/programs/staff/calls/new/")
    assert form.status_code == 200 and "Điều kiện tham gia" in form.content.decode()
    response = officer.post("/programs/staff/calls/new/", _post_data())
    call = Call.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/staff/calls/{call.pk}/preview/")
    assert call.budget == 600_000_000 and call.published_at is None
    preview = officer.get(response["Location"]).content.decode()
    assert "Xem trước bản nháp" in preview and "Kế hoạch kinh doanh" in preview and "Công bố đợt tiếp nhận" in preview
    published = officer.post(f"/programs/staff/calls/{call.pk}/publish/")
    assert published.status_code == 302
    call.refresh_from_db()
    assert call.published_at is not None
    edit = officer.get(f"/programs/staff/calls/{call.pk}/edit/").content.decode()
    assert 'value="600.000.000"' in edit


def test_a_refused_call_form_keeps_what_was_typed_and_says_why(users):
    officer = login(users["officer"])
    data = _post_data(budget="0", title="Đợt thử nghiệm")
    data["closes_at"] = data["opens_at"]
    response = officer.post("/programs/staff/calls/new/", data)
    body = response.content.decode()
    assert response.status_code == 400 and not Call.objects.exists()
    assert "Hạn nộp hồ sơ phải sau thời điểm mở nhận hồ sơ." in body
    assert "Nhập ngân sách là số đồng nguyên dương" in body
    assert 'value="Đợt thử nghiệm"' in body and "Có trụ sở tại TP.HCM" in body
    assert "error-summary" in body


@pytest.mark.parametrize("role", [None, *[r.value for r in Role]])
@pytest.mark.parametrize("path", ["/programs/staff/calls/new/", "/programs/staff/calls/{call}/edit/", "/programs/staff/calls/{call}/preview/",
                                  "/programs/staff/calls/{call}/reviewers/"])
def test_authoring_pages_are_for_staff_only(users, role, path):
    call = CallFactory()
    c = Client()
    if role:
        c.force_login(users[role])
    response = c.get(path.format(call=call.pk))
    if role in STAFF:
        assert response.status_code == 200
    elif role is None:
        assert response.status_code == 302 and "login" in response["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ["applicant", "reviewer", "visitor"])
def test_publish_and_create_refused_change_nothing(users, role):
    call = CallFactory(published_at=None)
    c = login(users[role])
    assert c.post(f"/programs/staff/calls/{call.pk}/publish/").status_code == 403
    assert c.post("/programs/staff/calls/new/", _post_data()).status_code == 403
    call.refresh_from_db()
    assert call.published_at is None and Call.objects.count() == 1


def test_the_public_call_page_lists_criteria_documents_and_scoring(client):
    call = CallFactory(eligibility="Có trụ sở tại TP.HCM\n- Thành lập dưới 5 năm", required_documents="Kế hoạch kinh doanh (PDF)")
    body = client.get(f"/programs/calls/{call.pk}/").content.decode()
    assert "Điều kiện tham gia" in body and "<li>Thành lập dưới 5 năm</li>" in body
    assert "Hồ sơ, tài liệu cần nộp" in body and "Kế hoạch kinh doanh (PDF)" in body
    assert "Cách chấm điểm hồ sơ" in body
    criteria = list(call.rubric.criteria.all())
    total = sum(c.weight for c in criteria)
    for c in criteria:
        assert c.label in body
    assert f"{round(criteria[0].weight * 100 / total)} %" in body


def test_staff_see_a_draft_marked_in_the_list_and_the_public_does_not(users, client):
    draft = CallFactory(published_at=None, title="Đợt nháp chưa công bố")
    assert "Bản nháp – chưa công bố" in login(users["officer"]).get("/programs/staff/calls/").content.decode()
    assert draft.title not in client.get("/programs/").content.decode()
    assert client.get(f"/programs/calls/{draft.pk}/").status_code == 404
    assert login(users["officer"]).get(f"/programs/calls/{draft.pk}/").status_code == 200


# --- the minimum score for funding (issue 27: the ranking's floor, written by the officer) --------------


def test_a_call_gets_the_minimum_score_written_or_70_and_a_change_is_audited(users):
    assert services.call_create(actor=users["officer"], **_values()).min_score == 70  # left out: the default
    values = _values(min_score=Decimal("65.5"))
    call = services.call_create(actor=users["officer"], **values)
    assert call.min_score == Decimal("65.5")
    services.call_update(call=call, actor=users["officer"], **{**values, "min_score": Decimal("60")})
    call.refresh_from_db()
    assert call.min_score == 60
    event = Event.objects.get(action="call.updated")
    assert event.before == {"min_score": "65.50"} and event.after == {"min_score": "60.00"}
    services.call_update(call=call, actor=users["officer"], **{**values, "min_score": Decimal("60.00")})  # the same score
    assert Event.objects.filter(action="call.updated").count() == 1


def test_the_minimum_score_no_longer_changes_once_awards_are_approved(users):
    from .factories import AwardFactory

    call = CallFactory(budget=600_000_000)
    AwardFactory(application=ApplicationFactory(call=call, state="approved"))
    with pytest.raises(ApplicationError) as refused:
        services.call_update(call=call, actor=users["officer"], **_values(min_score=Decimal("50")))
    assert "min_score" in refused.value.extra
    call.refresh_from_db()
    assert call.min_score == 70


def test_the_call_form_shows_the_minimum_score_and_saves_it(users):
    officer = login(users["officer"])
    page = officer.get("/programs/staff/calls/new/").content.decode()
    assert "Điểm sàn để được tài trợ (thang 100)" in page and 'name="min_score" value="70"' in page
    assert "Tên đợt (tiếng Anh)" in page and "Chức danh" not in page  # not the directory's job title
    officer.post("/programs/staff/calls/new/", _post_data(min_score="62.5"))
    call = Call.objects.get()
    assert call.min_score == Decimal("62.5")
    edit = officer.get(f"/programs/staff/calls/{call.pk}/edit/").content.decode()
    assert 'name="min_score" value="62.50"' in edit
    preview = officer.get(f"/programs/staff/calls/{call.pk}/preview/").content.decode()
    assert "dưới 62,5 điểm" in preview  # the public page says it to applicants


@pytest.mark.parametrize("typed", ["120", "-5", "", "bảy mươi", "69.555"])
def test_a_minimum_score_outside_0_to_100_is_refused_by_the_form_and_nothing_is_saved(users, typed):
    officer = login(users["officer"])
    response = officer.post("/programs/staff/calls/new/", _post_data(min_score=typed, title="Đợt thử nghiệm"))
    body = response.content.decode()
    assert response.status_code == 400 and not Call.objects.exists()
    assert 'href="#id_min_score"' in body  # in the error summary, linked to the box
    assert 'value="Đợt thử nghiệm"' in body  # what was typed is kept
    assert any(message in body for message in (
        "Điểm sàn tính trên thang 100: hãy nhập một số từ 0 đến 100.", "Hãy nhập điểm sàn, từ 0 đến 100.",
        "Hãy nhập điểm sàn là một số từ 0 đến 100.", "Điểm sàn có tối đa hai chữ số thập phân, ví dụ 69,5."))


def test_a_call_authored_with_a_lower_minimum_score_ranks_by_it(users):
    from innohub.programs.models import Review

    from .factories import reviewer

    officer = login(users["officer"])
    officer.post("/programs/staff/calls/new/", _post_data(min_score="55"))
    call = Call.objects.get()
    Call.objects.filter(pk=call.pk).update(opens_at=timezone.now() - dt.timedelta(days=2), closes_at=timezone.now() - dt.timedelta(days=1),
                                            published_at=timezone.now(), reviewers_per_application=1)
    application = ApplicationFactory(call=call, state="under_review")
    review = Review.objects.create(application=application, reviewer=reviewer())
    services.review_submit(review=review, actor=review.reviewer, scores={c.code: 6 for c in call.rubric.criteria.all()})  # 60 / 100
    services.call_rank(call=Call.objects.get(pk=call.pk), actor=users["officer"])
    application.refresh_from_db()
    assert application.above_funding_line  # 60 ≥ 55; the default 70 would have left it out
