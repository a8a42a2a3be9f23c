"""The directory API: public reads, and writes with the same permissions as the pages."""

import pytest

from innohub.accounts.tests.factories import MembershipFactory
from innohub.directory.models import ChangeRequest, Organisation
from innohub.directory.tests.factories import OrganisationFactory, RelationFactory, SectorFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "visitor", "applicant", "reviewer", "officer", "manager", "administrator"]
STAFF = {"officer", "manager", "administrator"}
NEW = {"kind": "startup", "helix": "private", "name": "Công ty Robot Mới", "tax_code": "0312345678", "sectors": ["ai"]}


@pytest.fixture
def org():
    SectorFactory(code="ai")
    org = OrganisationFactory(name="Trung tâm Khởi nghiệp sáng tạo TP.HCM", slug="startup-center", kind="support", stage="")
    RelationFactory(target=org)
    return org


def _c(role, client, client_for):
    return client if role == "anonymous" else client_for(role)


def test_anonymous_search_without_diacritics(client, org):
    body = client.get("/api/v1/directory/organisations", {"q": "trung tam khoi ngh"}).json()
    assert body["count"] == 1 and body["items"][0]["slug"] == "startup-center"
    assert client.get("/api/v1/directory/organisations", {"page_size": 500}).status_code == 422


def test_detail_has_people_and_relations(client, org):
    body = client.get("/api/v1/directory/organisations/startup-center").json()
    assert body["relations"][0]["kind"] == "incubated_by" and body["relations"][0]["direction"] == "in"
    assert client.get("/api/v1/directory/organisations/nope").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_create_matrix(role, client, client_for, org):
    count = Organisation.objects.count()
    response = _c(role, client, client_for).post("/api/v1/directory/organisations", NEW, content_type="application/json")
    if role in STAFF:
        assert response.status_code == 201 and response.json()["verified"] is True
    elif role == "applicant":
        assert response.status_code == 202 and response.json()["kind"] == "register"
        assert Organisation.objects.get(tax_code="0312345678").verified is False
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
        assert Organisation.objects.count() == count


@pytest.mark.parametrize("role", ROLES)
def test_update_matrix(role, client, client_for, org, users):
    response = _c(role, client, client_for).patch("/api/v1/directory/organisations/startup-center", {"name_en": "HCMC Startup Center"}, content_type="application/json")
    org.refresh_from_db()
    if role in STAFF:
        assert response.status_code == 200 and org.name_en == "HCMC Startup Center"
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
        assert org.name_en == "" and not ChangeRequest.objects.exists()


def test_member_update_waits_for_verification(client_for, users):
    startup = OrganisationFactory(slug="my-startup", team_size=2)
    MembershipFactory(user=users["applicant"], organisation=startup)
    response = client_for("applicant").patch("/api/v1/directory/organisations/my-startup", {"team_size": 8}, content_type="application/json")
    assert response.status_code == 202 and response.json()["changes"] == {"team_size": 8}
    startup.refresh_from_db()
    assert startup.team_size == 2


def test_invalid_values_are_problems_listing_fields(client_for, org):
    response = client_for("officer").post("/api/v1/directory/organisations", {**NEW, "tax_code": "12"}, content_type="application/json")
    assert response.status_code == 400 and "tax_code" in response.json()["errors"]


@pytest.mark.parametrize("role", ROLES)
def test_change_requests_are_for_staff(role, client, client_for):
    response = _c(role, client, client_for).get("/api/v1/directory/change-requests")
    assert response.status_code == (200 if role in STAFF else 401 if role == "anonymous" else 403)


def test_the_english_description_and_titles_round_trip(client_for, client, org, users):
    """Given an officer, when they create an organisation with an English description, read
    it back, and change it with PATCH, then every answer carries the English description as
    stored, beside the Vietnamese one; the people carry their English titles."""
    from innohub.directory import services

    officer = client_for("officer")
    created = officer.post("/api/v1/directory/organisations", {**NEW, "description": "Robot giao hàng.", "description_en": "Delivery robots."},
                           content_type="application/json").json()
    assert created["description"] == "Robot giao hàng." and created["description_en"] == "Delivery robots."
    slug = created["slug"]
    assert client.get(f"/api/v1/directory/organisations/{slug}").json()["description_en"] == "Delivery robots."
    patched = officer.patch(f"/api/v1/directory/organisations/{slug}", {"description_en": "Robots that deliver parcels."},
                            content_type="application/json").json()
    assert patched["description_en"] == "Robots that deliver parcels." and patched["description"] == "Robot giao hàng."
    assert Organisation.objects.get(slug=slug).description_en == "Robots that deliver parcels."
    person = services.person_create(actor=users["officer"], full_name="Trần Minh Khôi")
    services.position_add(actor=users["officer"], person=person, organisation=Organisation.objects.get(slug=slug),
                          kind="founder", title="Nhà sáng lập", title_en="Founder")
    people = client.get(f"/api/v1/directory/organisations/{slug}").json()["people"]
    assert people == [{"name": "Trần Minh Khôi", "title": "Nhà sáng lập", "title_en": "Founder", "kind": "founder"}]


def test_a_too_long_english_description_is_refused_and_changes_nothing(client_for, org):
    officer = client_for("officer")
    count = Organisation.objects.count()
    response = officer.post("/api/v1/directory/organisations", {**NEW, "description_en": "x" * 10_001}, content_type="application/json")
    assert response.status_code == 422 and [e["loc"][-1] for e in response.json()["errors"]] == ["description_en"]
    response = officer.patch("/api/v1/directory/organisations/startup-center", {"description_en": "x" * 10_001}, content_type="application/json")
    assert response.status_code == 422 and [e["loc"][-1] for e in response.json()["errors"]] == ["description_en"]
    org.refresh_from_db()
    assert Organisation.objects.count() == count and org.description_en == ""


def test_null_in_an_officers_patch_clears_a_field_and_a_required_one_is_refused(client_for):
    """null clears: a tax code becomes empty (it used to reach the database as NULL: a 500),
    a team size none; the name may not be cleared, and its refusal changes nothing."""
    from innohub.directory.models import Organisation
    from innohub.directory.tests.factories import OrganisationFactory

    OrganisationFactory(slug="sao-mai", name="Công ty Sao Mai", tax_code="0312345678", team_size=12)
    officer = client_for("officer")
    cleared = officer.patch("/api/v1/directory/organisations/sao-mai", {"tax_code": None, "team_size": None}, content_type="application/json")
    assert cleared.status_code == 200 and cleared.json()["tax_code"] == "" and cleared.json()["team_size"] is None
    refused = officer.patch("/api/v1/directory/organisations/sao-mai", {"name": None, "short_name": "SM"}, content_type="application/json")
    assert refused.status_code == 400 and refused["Content-Type"] == "application/problem+json"
    org = Organisation.objects.get(slug="sao-mai")
    assert (org.name, org.short_name, org.tax_code, org.team_size) == ("Công ty Sao Mai", "", "", None)


@pytest.mark.parametrize("in_memory", [True, False])
def test_a_self_registration_is_published_only_once_staff_verify_it(client, client_for, org, users, settings, in_memory):
    # Given an applicant who registers "Robot Mới" through the API (202, unverified), then it is
    # on no public list (page, API, open data) but staff see it; once an officer approves the
    # registration it is published
    from innohub.directory import services

    settings.DIRECTORY_SEARCH_IN_MEMORY = in_memory
    response = client_for("applicant").post("/api/v1/directory/organisations", {**NEW, "name": "Robot Mới Tinh"}, content_type="application/json")
    assert response.status_code == 202

    def published() -> dict[str, bool]:
        return {
            "page": "Robot Mới Tinh" in client.get("/directory/").content.decode(),
            "api": any(i["name"] == "Robot Mới Tinh" for i in client.get("/api/v1/directory/organisations").json()["items"]),
            "search": client.get("/api/v1/directory/organisations", {"q": "robot moi"}).json()["count"] == 1,
            "open data": "Robot Mới Tinh" in b"".join(client.get("/directory/open-data.csv").streaming_content).decode(),
        }

    assert published() == {"page": False, "api": False, "search": False, "open data": False}
    slug = Organisation.objects.get(name="Robot Mới Tinh").slug
    assert client.get(f"/directory/{slug}/").status_code == 404  # nor its page, but for its owner
    assert client_for("applicant").get(f"/directory/{slug}/").status_code == 200
    assert "Robot Mới Tinh" in client_for("officer").get("/directory/staff/").content.decode()
    assert "Trung tâm Khởi nghiệp" in client.get("/directory/").content.decode()  # a verified one still is
    services.change_request_decide(change=ChangeRequest.objects.get(kind="register"), actor=users["officer"], approve=True)
    assert published() == {"page": True, "api": True, "search": True, "open data": True}
