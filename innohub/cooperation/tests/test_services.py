"""Services of international cooperation: what they write and audit, and that every refusal
(an action due before its meeting, a file that is not what it says, a person not in the
directory, a duplicate partner …) says why and changes nothing."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from innohub.activity.models import Event, Notification
from innohub.cooperation import selectors, services
from innohub.cooperation.models import (
    Action,
    ActionUpdate,
    Agreement,
    Attachment,
    Direction,
    Meeting,
    Participant,
    Partner,
)
from innohub.cooperation.tests.factories import (
    ActionFactory,
    AgreementFactory,
    MeetingFactory,
    PartnerFactory,
)
from innohub.core.errors import ApplicationError, ConflictError
from innohub.directory.models import Organisation
from innohub.directory.tests.factories import OrganisationFactory, PersonFactory, PositionFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf(name="bien-ban.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def fake_pdf(name="bien-ban.pdf"):
    return SimpleUploadedFile(name, b"MZ\x90\x00 this is a program, not a PDF", content_type="application/pdf")


def counts():
    return {m.__name__: m.objects.count() for m in (Partner, Meeting, Participant, Direction, Action, ActionUpdate, Agreement, Attachment, Event)}


# -- partners -------------------------------------------------------------------------------------
def test_an_organisation_of_the_directory_becomes_a_partner_once_audited(users):
    org = OrganisationFactory(kind=Organisation.Kind.PARTNER, name="Institute for Adult Learning", country="SG")
    partner = services.partner_create(organisation=org, country="sg", contact_owner=users["officer"], actor=users["officer"])
    assert partner.country == "SG"
    assert Event.objects.filter(action="partner.created", target_id=str(partner.pk)).exists()


def test_a_duplicate_partner_is_refused_and_nothing_changes(users, partner):
    before = counts()
    with pytest.raises(ApplicationError, match="đã là đối tác"):
        services.partner_create(organisation=partner.organisation, country="AU", actor=users["officer"])
    # the same name under another record of the directory is the same partner
    twin = OrganisationFactory(kind=Organisation.Kind.PARTNER, name=partner.organisation.name)
    with pytest.raises(ApplicationError, match="đã là đối tác"):
        services.partner_create(organisation=twin, country="AU", actor=users["officer"])
    assert counts() == before


def test_a_country_that_is_not_a_two_letter_code_is_refused(users):
    org = OrganisationFactory(kind=Organisation.Kind.PARTNER)
    before = counts()
    with pytest.raises(ApplicationError, match="mã hai chữ cái"):
        services.partner_create(organisation=org, country="Australia", actor=users["officer"])
    assert counts() == before


# -- meetings and people ----------------------------------------------------------------------------
def test_a_meeting_is_recorded_with_its_minutes_leaders_and_a_checked_file(users, unit, partner):
    meeting = services.meeting_record(
        partner=partner, title="Đoàn Victoria", held_on=dt.date(2026, 10, 24), place="Trụ sở Sở", direction="incoming", unit=unit,
        leaders=[users["manager"]], minutes_vi="Hai bên thống nhất…", confidential=True, files=[pdf()], actor=users["officer"],
    )
    assert list(meeting.leaders.all()) == [users["manager"]]
    assert set(meeting.readers.all()) == {users["officer"]}  # the one recording confidential minutes reads them
    assert meeting.attachments.get().name == "bien-ban.pdf"
    assert Event.objects.filter(action="meeting.recorded", target_id=str(meeting.pk)).exists()


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_recorded(users, unit, partner):
    before = counts()
    with pytest.raises(ApplicationError, match="không đúng như tên gọi"):
        services.meeting_record(partner=partner, title="Đoàn", held_on=dt.date(2026, 10, 24), place="Sở", direction="incoming",
                                unit=unit, files=[fake_pdf()], actor=users["officer"])
    assert counts() == before


def test_a_file_of_a_type_not_accepted_is_refused(users, meeting):
    before = counts()
    with pytest.raises(ApplicationError, match="một trong các loại"):
        services.meeting_attach(meeting=meeting, upload=SimpleUploadedFile("x.exe", b"MZ"), actor=users["officer"])
    assert counts() == before


def test_an_officer_of_another_unit_may_not_record_for_this_one(other_officer, unit, partner):
    before = counts()
    with pytest.raises(PermissionDenied):
        services.meeting_record(partner=partner, title="Đoàn", held_on=dt.date(2026, 10, 24), place="Sở", direction="incoming",
                                unit=unit, actor=other_officer)
    assert counts() == before


def test_a_participant_keeps_the_title_they_had_at_the_time(users, meeting):
    person = PersonFactory(full_name="Jane Citizen")
    position = PositionFactory(person=person, organisation=meeting.partner.organisation, title="Trade Commissioner")
    participant = services.participant_add(meeting=meeting, person_id=person.pk, side="partner", actor=users["officer"])
    position.title = "Minister"
    position.save()
    participant.refresh_from_db()
    assert participant.title_at_time == "Trade Commissioner"
    assert participant.organisation_at_time == meeting.partner.organisation.name


def test_a_person_not_in_the_directory_is_refused_and_nothing_changes(users, meeting):
    before = counts()
    with pytest.raises(ApplicationError, match="chưa có trong danh bạ"):
        services.participant_add(meeting=meeting, person_id=987654, side="partner", actor=users["officer"])
    with pytest.raises(ApplicationError, match="chưa có trong danh bạ"):
        services.participant_add(meeting=meeting, person_id="Jane Citizen", side="partner", actor=users["officer"])
    assert counts() == before


def test_a_meeting_outside_its_visit_is_refused(users, unit, partner):
    visit = services.visit_create(title="Study tour", direction="outgoing", partners=[partner], starts_on=dt.date(2026, 5, 6),
                                  ends_on=dt.date(2026, 5, 10), unit=unit, actor=users["officer"])
    before = counts()
    with pytest.raises(ApplicationError, match="nằm ngoài thời gian"):
        services.meeting_record(partner=partner, visit=visit, title="UTS", held_on=dt.date(2026, 5, 20), place="Sydney",
                                direction="outgoing", unit=unit, actor=users["officer"])
    assert counts() == before


# -- actions ------------------------------------------------------------------------------------------
def test_an_action_due_in_working_days_counts_from_the_meeting(users, direction):
    # the meeting is on Saturday 24/10/2026: five working days later is Friday 30/10/2026
    action = services.action_add(direction=direction, what="Gửi thư mời", owner=users["officer"], due_working_days=5, actor=users["officer"])
    assert action.due_date == dt.date(2026, 10, 30)
    assert workflows_flag(action, "open")


def workflows_flag(action, flag):
    from innohub.cooperation import workflows

    return workflows.ACTION_SPEC.has_flag(action.state, flag)


def test_an_action_due_before_its_meeting_is_refused_and_nothing_changes(users, direction):
    before = counts()
    with pytest.raises(ApplicationError, match="không thể trước buổi làm việc"):
        services.action_add(direction=direction, what="Gửi thư", owner=users["officer"], due_date=dt.date(2026, 10, 1), actor=users["officer"])
    with pytest.raises(ApplicationError, match="chỉ một trong hai"):
        services.action_add(direction=direction, what="Gửi thư", owner=users["officer"], due_date=dt.date(2026, 11, 1),
                            due_working_days=3, actor=users["officer"])
    assert counts() == before


def test_an_action_assigned_to_someone_else_tells_them(users, direction):
    services.action_add(direction=direction, what="Gửi thư", owner=users["manager"], due_date=dt.date(2026, 11, 2), actor=users["officer"])
    assert Notification.objects.filter(recipient=users["manager"], message="cooperation.action_assigned").exists()


def test_an_action_goes_to_done_through_the_workflow_audited(users, direction):
    action = ActionFactory(direction=direction, owner=users["officer"])
    for code in ("agree", "start", "complete"):
        action = services.action_transition(action=action, code=code, actor=users["officer"])
    assert workflows_flag(action, "done") and action.closed_on is not None
    assert [e.action for e in Event.objects.filter(target_id=str(action.pk), action__startswith="action.").order_by("id")] == [
        "action.agree", "action.start", "action.complete"]


def test_dropping_an_action_needs_a_reason(users, direction):
    action = ActionFactory(direction=direction, owner=users["officer"])
    before = counts()
    with pytest.raises(ApplicationError, match="nêu lý do"):
        services.action_transition(action=action, code="drop", actor=users["officer"])
    assert counts() == before
    action.refresh_from_db()
    assert workflows_flag(action, "proposed")
    action = services.action_transition(action=action, code="drop", reason="The partner withdrew.", actor=users["officer"])
    assert workflows_flag(action, "dropped") and action.drop_reason == "The partner withdrew."


def test_a_closed_action_cannot_move_again(users, direction):
    action = ActionFactory(direction=direction, owner=users["officer"], state="done")
    with pytest.raises(ConflictError):
        services.action_transition(action=action, code="start", actor=users["officer"])


def test_progress_with_evidence_and_a_false_evidence_refused(users, direction):
    action = ActionFactory(direction=direction, owner=users["officer"])
    update = services.action_progress_add(action=action, text="Đã gửi thư.", files=[pdf("thu-moi.pdf")], actor=users["officer"])
    assert update.attachments.get().kind == Attachment.Kind.EVIDENCE
    before = counts()
    with pytest.raises(ApplicationError, match="không đúng như tên gọi"):
        services.action_progress_add(action=action, text="Ảnh", files=[SimpleUploadedFile("anh.png", PDF)], actor=users["officer"])
    assert counts() == before


def test_the_review_meeting_must_be_a_later_one_with_the_partner(users, direction):
    action = ActionFactory(direction=direction, owner=users["officer"])
    later = MeetingFactory(partner=direction.meeting.partner, unit=direction.unit, held_on=dt.date(2027, 3, 1))
    elsewhere = MeetingFactory(partner=PartnerFactory(), unit=direction.unit, held_on=dt.date(2027, 3, 1))
    with pytest.raises(ApplicationError, match="đối tác của hướng hợp tác"):
        services.action_review_set(action=action, meeting=elsewhere, actor=users["officer"])
    action = services.action_review_set(action=action, meeting=later, actor=users["officer"])
    assert action.review_meeting == later


def test_the_next_agenda_shows_every_open_action_with_its_partner_until_closed(users, direction):
    open_action = ActionFactory(direction=direction, owner=users["officer"])
    done_action = ActionFactory(direction=direction, owner=users["officer"], state="done")
    services.action_progress_add(action=open_action, text="Đang làm.", actor=users["officer"])
    agenda = selectors.next_meeting_agenda(user=users["officer"], partner=direction.meeting.partner)
    assert [item.action for item in agenda] == [open_action]
    assert agenda[0].updates[0].text == "Đang làm."
    assert done_action not in [item.action for item in agenda]


# -- agreements ---------------------------------------------------------------------------------------
def test_only_a_manager_approves_an_agreement_and_it_needs_its_signature_date(users, unit, partner):
    agreement = services.agreement_create(kind="mou", title="MoU", partners=[partner], unit=unit, files=[pdf("mou.pdf")], actor=users["officer"])
    agreement = services.agreement_transition(agreement=agreement, code="submit", actor=users["officer"])
    assert Notification.objects.filter(recipient=users["manager"], message="cooperation.agreement_awaits_approval").exists()
    with pytest.raises(PermissionDenied):
        services.agreement_transition(agreement=agreement, code="approve", actor=users["officer"])
    with pytest.raises(ApplicationError, match="ngày ký"):
        services.agreement_transition(agreement=agreement, code="approve", actor=users["manager"])
    Agreement.objects.filter(pk=agreement.pk).update(signed_on=dt.date(2026, 11, 1))
    agreement = services.agreement_transition(agreement=agreement, code="approve", actor=users["manager"])
    assert agreement.approved_by == users["manager"]


def test_an_agreement_expiring_before_it_is_signed_is_refused(users, unit, partner):
    before = counts()
    with pytest.raises(ApplicationError, match="hết hạn trước ngày ký"):
        services.agreement_create(kind="mou", title="MoU", partners=[partner], unit=unit, signed_on=dt.date(2026, 1, 1),
                                  expires_on=dt.date(2025, 1, 1), actor=users["officer"])
    assert counts() == before


# -- reminders ------------------------------------------------------------------------------------------
def test_reminders_before_and_after_the_due_date_then_the_owners_manager_once_each(users, direction):
    action = ActionFactory(direction=direction, owner=users["officer"], due_date=dt.date(2026, 12, 10))  # a Thursday
    assert services.action_remind(action_id=action.pk, today=dt.date(2026, 12, 1)) is False  # too early
    assert services.action_remind(action_id=action.pk, today=dt.date(2026, 12, 7)) is True
    assert services.action_remind(action_id=action.pk, today=dt.date(2026, 12, 8)) is False  # sent once
    assert services.action_remind(action_id=action.pk, today=dt.date(2026, 12, 11)) is True
    assert services.action_remind(action_id=action.pk, today=dt.date(2026, 12, 18)) is True
    assert services.action_remind(action_id=action.pk, today=dt.date(2026, 12, 19)) is False
    officer = Notification.objects.filter(recipient=users["officer"]).values_list("message", flat=True)
    assert sorted(officer) == ["cooperation.action_due_soon", "cooperation.action_overdue", "cooperation.action_overdue"]
    assert list(Notification.objects.filter(recipient=users["manager"]).values_list("message", flat=True)) == ["cooperation.action_escalated"]


def test_a_done_action_is_not_reminded(users, direction):
    action = ActionFactory(direction=direction, owner=users["officer"], due_date=dt.date(2026, 12, 10), state="done")
    assert services.action_remind(action_id=action.pk, today=dt.date(2026, 12, 20)) is False


def test_an_agreement_near_expiry_with_nothing_done_for_a_year_is_flagged(users, unit, partner):
    today = dt.date(2026, 12, 7)
    agreement = AgreementFactory(unit=unit, state="in_force", signed_on=dt.date(2023, 3, 1), expires_on=dt.date(2027, 1, 31))
    agreement.partners.add(partner)
    assert selectors.agreement_is_stale(agreement, today=today)
    assert services.agreement_expiry_remind(agreement_id=agreement.pk, today=today) is True
    assert services.agreement_expiry_remind(agreement_id=agreement.pk, today=today) is False
    note = Notification.objects.get(recipient=users["manager"], message="cooperation.agreement_expiring")
    assert note.params["stale"]


def test_an_agreement_with_recent_actions_is_not_stale(users, unit, direction):
    agreement = AgreementFactory(unit=unit, state="in_force", expires_on=dt.date(2027, 1, 31))
    direction.agreement = agreement
    direction.save()
    ActionFactory(direction=direction, owner=users["officer"])
    assert not selectors.agreement_is_stale(agreement)


# -- confidentiality -----------------------------------------------------------------------------------
def test_confidential_minutes_are_read_only_by_the_staff_named(users, meeting, other_officer):
    meeting.confidential = True
    meeting.save()
    meeting.readers.add(users["officer"])
    assert selectors.meeting_minutes_visible(user=users["officer"], meeting=meeting)
    assert not selectors.meeting_minutes_visible(user=users["manager"], meeting=meeting)
    assert not selectors.meeting_minutes_visible(user=other_officer, meeting=meeting)


def test_send_reminders_runs_the_cooperation_reminders(users, direction, unit, partner):
    import io

    from django.core.management import call_command
    from django.utils import timezone

    today = timezone.localdate()
    ActionFactory(direction=direction, owner=users["officer"], due_date=today - dt.timedelta(days=1))
    agreement = AgreementFactory(unit=unit, state="in_force", expires_on=today + dt.timedelta(days=30))
    agreement.partners.add(partner)
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert Notification.objects.filter(recipient=users["officer"], message="cooperation.action_overdue").exists()
    assert Notification.objects.filter(recipient=users["manager"], message="cooperation.agreement_expiring").exists()
    call_command("send_reminders", stdout=io.StringIO())
    assert Notification.objects.filter(message__startswith="cooperation.").count() == 2  # once each


def test_files_are_stored_under_generated_names_that_keep_the_extension_and_do_not_collide(users, unit, partner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = services.meeting_record(
        partner=partner, title="Đoàn Victoria", held_on=dt.date(2026, 10, 24), place="Trụ sở Sở", direction="incoming", unit=unit,
        leaders=[users["manager"]], minutes_vi="Hai bên thống nhất…", files=[pdf("Biên bản.PDF"), pdf("Biên bản.PDF")],
        actor=users["officer"],
    )
    first, second = meeting.attachments.order_by("id")
    assert first.name == second.name == "Biên bản.PDF"  # the uploader's name is kept in the row, for showing
    for attachment in (first, second):
        assert re.fullmatch(r"cooperation/[0-9a-f]{32}\.pdf", attachment.file.name)
        assert (tmp_path / attachment.file.name).exists()
    assert first.file.name != second.file.name
