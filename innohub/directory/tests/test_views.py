"""Pages: a permission matrix (every role × every staff and applicant action, nothing changed
when refused), and what each role sees and can do."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from innohub.accounts.models import Membership
from innohub.accounts.tests.factories import MembershipFactory
from innohub.activity.models import Event
from innohub.directory.models import ChangeRequest, Organisation, Position, Relation
from innohub.directory.tests.factories import OrganisationFactory, SectorFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "visitor", "applicant", "reviewer", "officer", "manager", "administrator"]
STAFF = {"officer", "manager", "administrator"}


@pytest.fixture
def world(users):
    org = OrganisationFactory(name="Công ty Sao Mai", slug="sao-mai", tax_code="0312345678")
    dup = OrganisationFactory(name="Cong ty Sao Mai", slug="sao-mai-2")
    hub = OrganisationFactory(name="SIHUB", slug="sihub", kind="support", stage="")
    change = ChangeRequest.objects.create(kind="edit", organisation=org, proposed_by=users["applicant"], changes={"team_size": 9})
    return {"org": org, "dup": dup, "hub": hub, "change": change}


def _client(role, client, client_for):
    return client if role == "anonymous" else client_for(role)


def _state():
    return (
        list(Organisation.objects.order_by("pk").values_list("name", "verified", "archived_at", "merged_into", "team_size")),
        Relation.objects.count(), list(ChangeRequest.objects.values_list("state", flat=True)), Membership.objects.count(),
        Organisation.objects.count(), Position.objects.count(),
    )


STAFF_GETS = [
    "/directory/staff/", "/directory/staff/new/", "/directory/staff/changes/", "/directory/staff/changes/{change}/",
    "/directory/staff/duplicates/", "/directory/staff/merge/?keep=sao-mai&duplicate=sao-mai-2", "/directory/staff/import/",
    "/directory/staff/template.csv", "/directory/staff/template.xlsx", "/directory/staff/export.csv", "/directory/staff/export.xlsx",
    "/en/directory/staff/",
]
STAFF_POSTS = [
    ("/directory/staff/new/", {"kind": "startup", "helix": "private", "name": "Mới", "country": "VN"}),
    ("/directory/sao-mai/edit/", {"kind": "startup", "helix": "private", "name": "Đổi tên", "country": "VN"}),
    ("/directory/sao-mai/verify/", {}),
    ("/directory/sao-mai/archive/", {}),
    ("/directory/sao-mai/relations/", {"relation-kind": "incubated_by", "relation-target": "sihub"}),
    ("/directory/sao-mai/people/", {"person-full_name": "Lê Thanh Minh", "person-kind": "official"}),
    ("/directory/staff/changes/{change}/", {"decision": "approve"}),
    ("/directory/staff/merge/", {"keep": "sao-mai", "duplicate": "sao-mai-2"}),
    ("/directory/staff/import/", {"file": "csv"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", STAFF_GETS)
def test_staff_pages_matrix(role, url, world, client, client_for):
    response = _client(role, client, client_for).get(url.format(change=world["change"].pk))
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in STAFF:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url,data", STAFF_POSTS)
def test_staff_actions_matrix_and_nothing_changes_when_refused(role, url, data, world, client, client_for):
    data = dict(data)
    if data.get("file") == "csv":
        data["file"] = SimpleUploadedFile("x.csv", b"name,kind,helix\nNew one,startup,private\n", content_type="text/csv")
    before, events = _state(), Event.objects.count()
    response = _client(role, client, client_for).post(url.format(change=world["change"].pk), data)
    if role in STAFF:
        assert response.status_code in (200, 302)
        assert _state() != before, f"{url} changed nothing for {role}"
    else:
        assert response.status_code in (302, 403)
        if role != "anonymous":
            assert response.status_code == 403
        assert _state() == before and Event.objects.count() == events


@pytest.mark.parametrize("role", ROLES)
def test_public_pages_are_open_to_everyone(role, world, client, client_for):
    c = _client(role, client, client_for)
    for url in ["/directory/", "/directory/?q=sao+mai", "/directory/sao-mai/", "/en/directory/sao-mai/", "/directory/open-data.csv"]:
        assert c.get(url).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_applicant_actions_matrix(role, world, client, client_for):
    """Register and claim: applicants only; propose edits: members only."""
    c = _client(role, client, client_for)
    before = _state()
    register = c.post("/directory/register/", {"name": "Startup Mới", "country": "VN"})
    claim = c.post("/directory/sihub/claim/")
    edit = c.post("/directory/sao-mai/edit/", {"name": "Tên mới", "country": "VN"})
    if role == "applicant":
        assert register.status_code == 302 and claim.status_code == 302
        assert edit.status_code == 403  # not a member of sao-mai
    elif role in STAFF:
        assert register.status_code == 403 and claim.status_code == 403
    else:
        assert register.status_code in (302, 403) and claim.status_code in (302, 403) and edit.status_code in (302, 403)
        assert _state() == before


def test_member_proposes_an_edit_on_the_page_and_the_record_does_not_change(users, world, client_for):
    MembershipFactory(user=users["applicant"], organisation=world["org"])
    c = client_for("applicant")
    page = c.get("/directory/sao-mai/edit/").content.decode()
    assert 'name="kind"' not in page and 'name="name"' in page
    response = c.post("/directory/sao-mai/edit/", {"name": "Công ty Sao Mai Mới", "country": "VN", "team_size": "7"})
    assert response.status_code == 302
    world["org"].refresh_from_db()
    assert world["org"].name == "Công ty Sao Mai"
    change = ChangeRequest.objects.filter(proposed_by=users["applicant"]).latest("created_at")
    assert change.changes["name"] == "Công ty Sao Mai Mới"


def test_officer_form_shows_service_errors_next_to_fields(client_for, world):
    response = client_for("officer").post("/directory/staff/new/", {"kind": "startup", "helix": "private", "name": "X", "tax_code": "12", "country": "VN"})
    assert response.status_code == 200
    assert "10" in response.content.decode() and Organisation.objects.count() == 3


def test_profile_shows_people_relations_and_hides_phone(client_for, world, users):
    from innohub.directory import services

    officer = users["officer"]
    person = services.person_create(actor=officer, full_name="Nguyễn Việt Dũng", honorific="Ông", phone="0909000111")
    services.position_add(actor=officer, person=person, organisation=world["hub"], kind="official", title="Giám đốc Sở")
    services.relation_add(actor=officer, source=world["org"], target=world["hub"], kind="incubated_by")
    body = client_for("visitor").get("/directory/sihub/").content.decode()
    assert "Ông Nguyễn Việt Dũng" in body and "Giám đốc Sở" in body and "Sao Mai" in body
    assert "0909000111" not in body


def test_merged_record_redirects_to_the_one_kept(client, world, users):
    from innohub.directory import services

    services.organisation_merge(keep=world["org"], duplicate=world["dup"], actor=users["officer"])
    response = client.get("/directory/sao-mai-2/")
    assert response.status_code == 302 and response["Location"].endswith("/directory/sao-mai/")


def test_staff_list_queries_do_not_grow(client_for, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for("officer")
    with CaptureQueriesContext(connection) as few:
        c.get("/directory/staff/")
    sector = SectorFactory(code="x")
    OrganisationFactory.create_batch(20, with_sectors=[sector])
    with CaptureQueriesContext(connection) as many:
        c.get("/directory/staff/")
    assert len(many) == len(few)


def test_the_registration_form_names_sectors_in_the_pages_language(client_for):
    """Given a sector with a Vietnamese and an English name, when an applicant opens the
    registration form on /en/, then the sector reads in English; in Vietnamese it reads in
    Vietnamese, and the website field's label starts with a capital."""
    SectorFactory(code="ai", name="Trí tuệ nhân tạo", name_en="Artificial intelligence")
    english = client_for("applicant").get("/en/directory/register/").content.decode()
    assert "Artificial intelligence" in english
    assert "Trí tuệ nhân tạo" not in english
    vietnamese = client_for("applicant").get("/directory/register/").content.decode()
    assert "Trí tuệ nhân tạo" in vietnamese
    assert ">Trang web" in vietnamese
    assert "trang web" not in vietnamese


def test_registration_reports_a_bad_tax_code_with_the_other_fields_problems_and_saves_nothing(client_for):
    """Given the registration form with no name, a bad e-mail address and the tax code
    "123abc", when an applicant sends it, then the tax code's problem is shown in the same
    round as the others', and nothing is registered or logged."""
    before = (Organisation.objects.count(), ChangeRequest.objects.count(), Event.objects.count())
    response = client_for("applicant").post(
        "/directory/register/", {"name": "", "country": "VN", "tax_code": "123abc", "email": "not-an-address"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"name", "email", "tax_code"}
    body = response.content.decode()
    assert "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số đối với chi nhánh." in body
    assert (Organisation.objects.count(), ChangeRequest.objects.count(), Event.objects.count()) == before


def test_the_form_and_the_service_refuse_a_taken_tax_code_alike(client_for):
    OrganisationFactory(name="Công ty Sao Mai", tax_code="0312345678")
    response = client_for("applicant").post("/directory/register/", {"name": "", "country": "VN", "tax_code": "03 1234 5678"})
    assert "tax_code" in response.context["form"].errors
    assert Organisation.objects.count() == 1


def test_the_english_profile_marks_vietnamese_only_text_as_vietnamese(client, users):
    """Given an organisation with an English name, a Vietnamese description and a person whose
    title is Vietnamese (neither has English text), when a visitor opens its English profile,
    then the page title is the English name and the Vietnamese text is marked lang="vi"."""
    from innohub.directory import services

    org = OrganisationFactory(name="Trung tâm Hỗ trợ khởi nghiệp", name_en="Startup Support Centre", slug="ttkn",
                              description="Không gian hỗ trợ khởi nghiệp.")
    person = services.person_create(actor=users["officer"], full_name="Trần Minh Khôi")
    services.position_add(actor=users["officer"], person=person, organisation=org, kind="founder", title="Nhà sáng lập, CEO")
    english = client.get("/en/directory/ttkn/").content.decode()
    assert "<title>Startup Support Centre" in english
    assert '<p lang="vi">Không gian hỗ trợ khởi nghiệp.</p>' in english
    assert '<span lang="vi">Nhà sáng lập, CEO</span>' in english
    vietnamese = client.get("/directory/ttkn/").content.decode()
    assert "<title>Trung tâm Hỗ trợ khởi nghiệp" in vietnamese and 'lang="vi">Nhà sáng lập' not in vietnamese


def test_the_english_profile_shows_the_english_description_and_title(client, users):
    """Given an organisation and a founder's title in Vietnamese and in English, when a
    visitor opens its English profile, then both read in English and are not marked as
    Vietnamese; the Vietnamese profile shows the Vietnamese texts only."""
    from innohub.directory import services

    org = OrganisationFactory(name="Trung tâm Hỗ trợ khởi nghiệp", name_en="Startup Support Centre", slug="ttkn",
                              description="Không gian hỗ trợ khởi nghiệp.", description_en="A space that supports startups.")
    person = services.person_create(actor=users["officer"], full_name="Trần Minh Khôi")
    services.position_add(actor=users["officer"], person=person, organisation=org, kind="founder",
                          title="Nhà sáng lập, CEO", title_en="Founder and CEO")
    english = client.get("/en/directory/ttkn/").content.decode()
    assert "<p>A space that supports startups.</p>" in english and "<span>Founder and CEO</span>" in english
    assert "Không gian hỗ trợ khởi nghiệp." not in english and "Nhà sáng lập" not in english
    vietnamese = client.get("/directory/ttkn/").content.decode()
    assert "<p>Không gian hỗ trợ khởi nghiệp.</p>" in vietnamese and "<span>Nhà sáng lập, CEO</span>" in vietnamese
    assert "A space that supports startups." not in vietnamese and "Founder and CEO" not in vietnamese


def test_the_edit_forms_have_an_english_description_saved_and_audited(client_for, users, world):
    """Given the officer's edit page, when it is opened in Vietnamese and in English, then it
    has the field "Mô tả (tiếng Anh)" / "Description (English)"; when the officer saves an
    English description it is stored and the audit event has it before and after; a
    founder's page has the field too and their English description waits for verification."""
    officer = client_for("officer")
    assert '<label for="id_description_en">Mô tả (tiếng Anh)</label>' in officer.get("/directory/sao-mai/edit/").content.decode()
    assert '<label for="id_description_en">Description (English)</label>' in officer.get("/en/directory/sao-mai/edit/").content.decode()
    response = officer.post("/directory/sao-mai/edit/", {"kind": "startup", "helix": "private", "name": "Công ty Sao Mai",
                                                         "tax_code": "0312345678", "country": "VN", "stage": "incubation",
                                                         "province": "79", "commune": "26740", "city": "TP. Hồ Chí Minh",
                                                         "description_en": "  A software company.  "})
    assert response.status_code == 302
    world["org"].refresh_from_db()
    assert world["org"].description_en == "A software company."
    event = Event.objects.get(action="organisation.updated", target_id=str(world["org"].pk))
    assert event.before == {"description_en": ""} and event.after == {"description_en": "A software company."}

    MembershipFactory(user=users["applicant"], organisation=world["hub"])
    founder = client_for("applicant")
    assert '<label for="id_description_en">Mô tả (tiếng Anh)</label>' in founder.get("/directory/sihub/edit/").content.decode()
    founder.post("/directory/sihub/edit/", {"name": "SIHUB", "country": "VN", "province": "79", "commune": "26740", "city": "TP. Hồ Chí Minh",
                                           "description_en": "The city's innovation hub."})
    change = ChangeRequest.objects.filter(proposed_by=users["applicant"]).latest("created_at")
    assert change.changes == {"description_en": "The city's innovation hub."}
    world["hub"].refresh_from_db()
    assert world["hub"].description_en == ""


def test_a_too_long_english_description_is_shown_next_to_its_field_and_changes_nothing(client_for, world):
    before = (_state(), Event.objects.count())
    response = client_for("officer").post("/directory/sao-mai/edit/", {
        "kind": "startup", "helix": "private", "name": "Công ty Sao Mai Mới", "tax_code": "0312345678", "country": "VN",
        "stage": "incubation", "description_en": "x" * 10_001,
    })
    assert response.status_code == 200
    assert response.context["form"].errors["description_en"] == ["Tối đa 10000 ký tự."]
    world["org"].refresh_from_db()
    assert world["org"].description_en == "" and (_state(), Event.objects.count()) == before


def test_an_officer_adds_a_person_with_an_english_title(client_for, world):
    officer = client_for("officer")
    assert 'name="person-title_en"' in officer.get("/directory/sao-mai/edit/").content.decode()
    officer.post("/directory/sao-mai/people/", {"person-full_name": "Trần Minh Khôi", "person-kind": "founder",
                                                "person-title": "Nhà sáng lập", "person-title_en": "Founder"})
    position = Position.objects.get(organisation=world["org"])
    assert (position.title, position.title_en) == ("Nhà sáng lập", "Founder")


def test_the_officers_edit_page_tells_the_records_history_and_a_founders_page_does_not(client_for, users, world):
    officer = client_for("officer")
    officer.post("/directory/sao-mai/verify/")
    body = officer.get("/directory/sao-mai/edit/").content.decode()
    history = body[body.index("Diễn biến</h2>"):]
    assert "Xác minh tổ chức" in history and users["officer"].display_name in history
    MembershipFactory(user=users["applicant"], organisation=world["org"])
    founder = client_for("applicant").get("/directory/sao-mai/edit/").content.decode()
    assert "Diễn biến" not in founder and "Xác minh tổ chức" not in founder
