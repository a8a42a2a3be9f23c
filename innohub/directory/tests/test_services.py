"""Directory writes: officers' records, applicants' requests, merge, people, relations, logos."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from innohub.accounts.models import Membership
from innohub.accounts.tests.factories import MembershipFactory
from innohub.activity.models import Event
from innohub.core.errors import ApplicationError
from innohub.directory import selectors, services
from innohub.directory.models import ChangeRequest, Organisation, Position, Relation, SearchToken
from innohub.directory.tests.factories import (
    OrganisationFactory,
    PositionFactory,
    RelationFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db

DATA = {"kind": "startup", "helix": "private", "name": "Công ty Cổ phần Robot Phương Nam", "tax_code": "0312345678",
        "commune": "27478", "stage": "incubation"}


def test_officer_creates_a_verified_indexed_record_and_the_audit_log_says_so(users):
    SectorFactory(code="robotics")
    org = services.organisation_create(actor=users["officer"], data=DATA, sectors=["robotics"])
    assert org.verified and org.verified_by == users["officer"]
    assert set(SearchToken.objects.filter(organisation=org).values_list("token", flat=True)) >= {"robot", "phuong", "nam", "0312345678"}
    event = Event.objects.get(action="organisation.created")
    assert event.after["sectors"] == ["robotics"] and event.actor == users["officer"]


@pytest.mark.parametrize("field,value", [("tax_code", "12345"), ("tax_code", "0312345678-1"), ("country", "VNM"),
                                         ("kind", "bakery"), ("website", "not a url"), ("name", " "),
                                         ("description_en", "x" * 10_001)])
def test_bad_values_are_refused_with_the_field_named(users, field, value):
    with pytest.raises(ApplicationError) as exc:
        services.organisation_create(actor=users["officer"], data={**DATA, field: value})
    assert field in exc.value.extra
    assert not Organisation.objects.exists()


def test_stage_only_for_startups_and_tax_code_unique(users):
    with pytest.raises(ApplicationError) as exc:
        services.organisation_create(actor=users["officer"], data={**DATA, "kind": "enterprise"})
    assert "stage" in exc.value.extra
    services.organisation_create(actor=users["officer"], data=DATA)
    with pytest.raises(ApplicationError) as exc:
        services.organisation_create(actor=users["officer"], data={**DATA, "name": "Khác"})
    assert "tax_code" in exc.value.extra


def test_update_reindexes_and_records_before_and_after(users):
    org = OrganisationFactory(name="Công ty Sao Mai")
    services.organisation_update(organisation=org, actor=users["officer"], data={"name": "Công ty Bình Minh"})
    assert selectors.organisation_search(user=None, params=selectors.SearchParams(q="binh minh")).get() == org
    assert not selectors.organisation_search(user=None, params=selectors.SearchParams(q="sao mai")).exists()
    event = Event.objects.get(action="organisation.updated")
    assert event.before == {"name": "Công ty Sao Mai"} and event.after == {"name": "Công ty Bình Minh"}


@pytest.mark.parametrize("role", ["visitor", "applicant", "reviewer"])
def test_only_staff_write_directly(users, role):
    org = OrganisationFactory(name="Cũ")
    for call in (
        lambda: services.organisation_create(actor=users[role], data=DATA),
        lambda: services.organisation_update(organisation=org, actor=users[role], data={"name": "Mới"}),
        lambda: services.organisation_verify(organisation=org, actor=users[role]),
        lambda: services.organisation_archive(organisation=org, actor=users[role]),
    ):
        with pytest.raises(PermissionDenied):
            call()
    org.refresh_from_db()
    assert org.name == "Cũ" and not org.verified and org.archived_at is None


def test_registration_waits_for_verification_and_approval_verifies(users):
    change = services.organisation_register(actor=users["applicant"], data={"name": "Công ty EdTech Lạc Việt", "tax_code": "0398765432"})
    org = change.organisation
    assert org.kind == "startup" and not org.verified
    assert Membership.objects.filter(user=users["applicant"], organisation=org, org_role="owner").exists()
    assert users["officer"].notifications.exists()
    services.change_request_decide(change=change, actor=users["officer"], approve=True)
    org.refresh_from_db()
    assert org.verified and ChangeRequest.objects.get().state == "approved"
    assert users["applicant"].notifications.filter(subject__contains="EdTech").exists()


def test_rejected_registration_is_archived(users):
    change = services.organisation_register(actor=users["applicant"], data={"name": "Spam"})
    services.change_request_decide(change=change, actor=users["officer"], approve=False, note="Không có thật")
    change.organisation.refresh_from_db()
    assert change.organisation.archived_at is not None


def test_member_edits_wait_and_change_nothing_until_approved(users):
    org = OrganisationFactory(name="Công ty Gốc", team_size=3)
    MembershipFactory(user=users["applicant"], organisation=org)
    change = services.organisation_propose_edit(organisation=org, actor=users["applicant"], data={"team_size": 12, "kind": "investor"})
    org.refresh_from_db()
    assert org.team_size == 3 and org.kind == "startup"
    assert change.changes == {"team_size": 12}
    services.change_request_decide(change=change, actor=users["officer"], approve=True)
    org.refresh_from_db()
    assert org.team_size == 12
    with pytest.raises(ApplicationError):
        services.change_request_decide(change=change, actor=users["officer"], approve=True)


def test_non_members_cannot_propose_edits(users):
    org = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        services.organisation_propose_edit(organisation=org, actor=users["applicant"], data={"team_size": 5})
    assert not ChangeRequest.objects.exists()


def test_claim_then_approval_makes_the_applicant_owner(users):
    org = OrganisationFactory()
    change = services.organisation_claim(organisation=org, actor=users["applicant"])
    with pytest.raises(ApplicationError):
        services.organisation_claim(organisation=org, actor=users["applicant"])
    services.change_request_decide(change=change, actor=users["officer"], approve=True)
    assert Membership.objects.filter(user=users["applicant"], organisation=org).exists()
    assert not selectors.can_claim(users["applicant"], org)


def test_merge_moves_everything_fills_blanks_and_archives_the_duplicate(users, make_user):
    keep = OrganisationFactory(name="Công ty TNHH Sao Việt", tax_code="")
    dup = OrganisationFactory(name="Cong ty Sao Viet", tax_code="0311111111", website="https://saoviet.vn")
    hub = OrganisationFactory(kind="support", stage="")
    both = make_user(role="applicant")
    MembershipFactory(user=both, organisation=keep)
    MembershipFactory(user=both, organisation=dup)
    MembershipFactory(user=users["applicant"], organisation=dup)
    PositionFactory(organisation=dup)
    RelationFactory(source=dup, target=hub)
    RelationFactory(source=keep, target=hub)
    RelationFactory(source=keep, target=dup, kind=Relation.Kind.PARTNERSHIP)
    services.organisation_merge(keep=keep, duplicate=dup, actor=users["officer"])
    keep.refresh_from_db()
    dup.refresh_from_db()
    assert keep.tax_code == "0311111111" and keep.website == "https://saoviet.vn"
    assert dup.merged_into == keep and dup.archived_at and dup.tax_code == ""
    assert set(keep.memberships.values_list("user", flat=True)) == {both.pk, users["applicant"].pk}
    assert Position.objects.filter(organisation=keep).count() == 1
    assert Relation.objects.filter(source=keep).count() == 1 and not Relation.objects.filter(source=dup).exists()
    assert selectors.organisation_search(user=None, params=selectors.SearchParams(q="0311111111")).get() == keep
    assert Event.objects.filter(action="organisation.merged").exists()


def test_likely_duplicates_by_name_and_tax_code(users):
    a = OrganisationFactory(name="Công ty TNHH Ánh Dương", tax_code="0300000001")
    b = OrganisationFactory(name="Công ty Cổ phần Ánh Dương")
    c = OrganisationFactory(name="Chi nhánh X", tax_code="0300000001-001")
    groups = selectors.likely_duplicates(user=users["officer"])
    assert {frozenset(o.pk for o in g.organisations) for g in groups} == {frozenset({a.pk, c.pk}), frozenset({a.pk, b.pk})}
    similar = selectors.similar_organisations(user=users["officer"], organisation=OrganisationFactory(name="Cty TNHH Anh Duong"))
    assert {o.pk for o, _ in similar} >= {a.pk, b.pk}


def _png(size=(4, 4)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "blue").save(buffer, "PNG")
    return buffer.getvalue()


def test_logo_is_checked_for_type_and_size(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    org = OrganisationFactory()
    with pytest.raises(ApplicationError):
        services.organisation_set_logo(organisation=org, actor=users["officer"], upload=SimpleUploadedFile("x.png", b"<svg onload=alert(1)>"))
    with pytest.raises(ApplicationError):
        services.organisation_set_logo(organisation=org, actor=users["officer"], upload=SimpleUploadedFile("x.png", _png() + b"0" * services.LOGO_MAX_BYTES))
    services.organisation_set_logo(organisation=org, actor=users["officer"], upload=SimpleUploadedFile("../../evil.png", _png()))
    org.refresh_from_db()
    assert org.logo.name.startswith("directory/logos/") and org.logo.name.endswith(".png") and "evil" not in org.logo.name


def test_people_and_relations_are_audited(users):
    org, other = OrganisationFactory(), OrganisationFactory()
    person = services.person_create(actor=users["officer"], full_name="Nguyễn Việt Dũng", honorific="Ông")
    services.position_add(actor=users["officer"], person=person, organisation=org, kind="official", title="Giám đốc Sở")
    services.relation_add(actor=users["officer"], source=org, target=other, kind="partnership")
    with pytest.raises(ApplicationError):
        services.relation_add(actor=users["officer"], source=org, target=org, kind="partnership")
    assert {"person.created", "organisation.person_added", "organisation.relation_added"} <= set(Event.objects.values_list("action", flat=True))


def test_the_english_description_is_saved_trimmed_with_line_breaks_and_audited(users):
    """Given an organisation, when an officer gives it an English description of two
    paragraphs, then it is stored as typed (trimmed, line breaks kept), the Vietnamese one is
    untouched, and the audit event holds it before and after; too long, it is refused with
    the field named and nothing changes."""
    org = OrganisationFactory(description="Công ty phần mềm.")
    services.organisation_update(organisation=org, actor=users["officer"], data={"description_en": " A software firm.\n\nFounded in 2020. "})
    org.refresh_from_db()
    assert org.description_en == "A software firm.\n\nFounded in 2020." and org.description == "Công ty phần mềm."
    event = Event.objects.get(action="organisation.updated")
    assert event.before == {"description_en": ""} and event.after == {"description_en": "A software firm.\n\nFounded in 2020."}
    with pytest.raises(ApplicationError) as exc:
        services.organisation_update(organisation=org, actor=users["officer"], data={"description_en": "x" * 10_001})
    assert exc.value.extra == {"description_en": ["Tối đa 10000 ký tự."]}
    org.refresh_from_db()
    assert org.description_en == "A software firm.\n\nFounded in 2020." and Event.objects.filter(action="organisation.updated").count() == 1


def test_a_position_keeps_its_english_title_and_the_log_has_it(users):
    org = OrganisationFactory()
    person = services.person_create(actor=users["officer"], full_name="Nguyễn Việt Dũng", honorific="Ông")
    position = services.position_add(actor=users["officer"], person=person, organisation=org, kind="official",
                                     title="Giám đốc Sở", title_en="  Director of the Department ")
    assert position.title_en == "Director of the Department"
    assert Event.objects.get(action="organisation.person_added").after["title_en"] == "Director of the Department"
    with pytest.raises(ApplicationError) as exc:
        services.position_add(actor=users["officer"], person=person, organisation=org, kind="official", title="Phó Giám đốc", title_en="x" * 161)
    assert "title_en" in exc.value.extra and Position.objects.count() == 1


def test_an_english_applicant_hears_of_the_decision_in_english_and_a_vietnamese_officer_of_the_request_in_vietnamese(
    users, make_user, settings, django_capture_on_commit_callbacks,
):
    from django.core import mail
    from django.utils import translation

    settings.SITE_URL = "https://innohub.example.gov.vn"
    applicant = make_user(role="applicant", username="founder-en", language="en", email="founder@example.vn")
    with translation.override("en"):
        change = services.organisation_register(actor=applicant, data={"name": "EdTech Lạc Việt", "tax_code": "0398765432"})
    with translation.override("en"):  # what the officer reads, in Vietnamese, whatever the applicant's page
        assert users["officer"].notifications.get().rendered("vi")[0] == "Một doanh nghiệp khởi nghiệp đã đăng ký vào danh bạ: EdTech Lạc Việt"
    with translation.override("vi"), django_capture_on_commit_callbacks(execute=True):
        services.change_request_decide(change=change, actor=users["officer"], approve=False, note="Mã số thuế không khớp.")
    [email] = [m for m in mail.outbox if m.to == ["founder@example.vn"]]
    assert email.subject == "Your request about EdTech Lạc Việt was rejected"
    assert "Mã số thuế không khớp." in email.body and "https://innohub.example.gov.vn/en/" in email.body
