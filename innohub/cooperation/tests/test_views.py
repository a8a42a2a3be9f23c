"""The cooperation pages as staff use them: recording a meeting, its people, a direction and an
action, moving the action to done, and seeing it on the partner's page, the agenda and the
board (with its export); refused forms show why and keep what was typed."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from innohub.cooperation.models import Action, Meeting, Participant
from innohub.cooperation.tests.factories import ActionFactory, AgreementFactory
from innohub.directory.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_staff_navigation_leads_to_partners_and_the_board(client_for, unit):
    page = client_for("officer").get(reverse("backoffice:dashboard"))
    assert reverse("cooperation:partners") in page.content.decode()
    assert reverse("cooperation:board") in page.content.decode()


def test_recording_a_meeting_then_people_direction_and_action(client_for, users, unit, partner):
    client = client_for("officer")
    response = client.post(reverse("cooperation:meeting-create"), {
        "partner": partner.pk, "title": "Đoàn tiểu bang Victoria", "direction": "incoming", "held_on": "2026-10-24",
        "place": "Trụ sở Sở", "unit": unit.pk, "minutes_vi": "Hai bên thống nhất", "leaders": [users["manager"].pk],
    })
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cooperation:meeting", args=[meeting.pk])
    person = PersonFactory(full_name="Nguyễn Việt Dũng")
    client.post(reverse("cooperation:participant-add", args=[meeting.pk]), {"person": person.pk, "side": "department",
                                                                          "title_at_time": "Giám đốc Sở"})
    client.post(reverse("cooperation:direction-add", args=[meeting.pk]), {"text": "Kết nối ba nhà", "unit": unit.pk})
    direction = meeting.directions.get()
    client.post(reverse("cooperation:action-add", args=[direction.pk]), {
        f"d{direction.pk}-what": "Gửi thư mời WHISE", f"d{direction.pk}-owner": users["officer"].pk, f"d{direction.pk}-due_working_days": "5"})
    action = Action.objects.get()
    assert action.due_date == dt.date(2026, 10, 30)
    page = client.get(reverse("cooperation:meeting", args=[meeting.pk])).content.decode()
    assert "Giám đốc Sở" in page and "Kết nối ba nhà" in page and "Gửi thư mời WHISE" in page and "Đề xuất" in page


def test_an_action_due_before_the_meeting_is_refused_on_the_page_and_the_text_kept(client_for, users, direction):
    response = client_for("officer").post(reverse("cooperation:action-add", args=[direction.pk]), {
        f"d{direction.pk}-what": "Gửi thư mời", f"d{direction.pk}-owner": users["officer"].pk, f"d{direction.pk}-due_date": "2026-10-01"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "không thể trước buổi làm việc" in body and "Gửi thư mời" in body
    assert "<title>Lỗi:" in body
    assert not Action.objects.exists()


def test_a_person_not_in_the_directory_is_refused_on_the_page(client_for, meeting):
    response = client_for("officer").post(reverse("cooperation:participant-add", args=[meeting.pk]), {"person": "99999", "side": "partner"})
    assert response.status_code == 400
    assert "chưa có trong danh bạ" in response.content.decode()
    assert not Participant.objects.exists()


def test_a_file_that_is_not_what_it_says_is_refused_on_the_page(client_for, meeting):
    upload = SimpleUploadedFile("anh.jpg", b"%PDF-1.4 not a photo %%EOF")
    response = client_for("officer").post(reverse("cooperation:meeting-attach", args=[meeting.pk]), {"kind": "photo", "file": upload})
    assert response.status_code == 400
    assert "không đúng như tên gọi" in response.content.decode()
    assert not meeting.attachments.exists()


def test_a_duplicate_partner_is_refused_on_the_page(client_for, partner):
    response = client_for("officer").post(reverse("cooperation:partner-create"), {"organisation": partner.organisation.pk, "country": "AU"})
    assert response.status_code == 400
    assert "đã là đối tác" in response.content.decode()


def test_an_action_moved_to_done_shows_on_the_partner_page_and_the_board(client_for, users, direction):
    action = ActionFactory(direction=direction, owner=users["officer"], what="Trao đổi tài liệu đánh giá hệ sinh thái")
    client = client_for("officer")
    for code in ("agree", "complete"):
        assert client.post(reverse("cooperation:action-transition", args=[action.pk]), {"code": code}).status_code == 302
    partner_page = client.get(reverse("cooperation:partner", args=[direction.meeting.partner.pk])).content.decode()
    assert "Trao đổi tài liệu đánh giá hệ sinh thái" in partner_page and "Hoàn thành" in partner_page
    board = client.get(reverse("cooperation:board"), {"state": "done"}).content.decode()
    assert "Trao đổi tài liệu đánh giá hệ sinh thái" in board


def test_dropping_without_a_reason_is_refused_on_the_page(client_for, users, direction):
    action = ActionFactory(direction=direction, owner=users["officer"])
    response = client_for("officer").post(reverse("cooperation:action-transition", args=[action.pk]), {"code": "drop", "reason": ""})
    assert response.status_code == 400 and "nêu lý do" in response.content.decode()


def test_the_board_puts_overdue_first_and_exports(client_for, users, direction):
    ActionFactory(direction=direction, owner=users["officer"], what="Việc còn xa", due_date=dt.date(2099, 1, 1))
    ActionFactory(direction=direction, owner=users["officer"], what="Việc quá hạn", due_date=dt.date(2026, 11, 1))
    client = client_for("manager")
    body = client.get(reverse("cooperation:board")).content.decode()
    assert body.index("Việc quá hạn") < body.index("Việc còn xa")
    assert "Các đơn vị và việc quá hạn" in body  # a manager sees which units are late
    csv = client.get(reverse("cooperation:board-export", args=["csv"]), {"state": "overdue"})
    text = csv.content.decode("utf-8-sig")
    assert "Việc quá hạn" in text and "Việc còn xa" not in text
    xlsx = client.get(reverse("cooperation:board-export", args=["xlsx"]))
    assert xlsx.content[:2] == b"PK"


def test_the_board_is_paginated(client_for, users, direction):
    for i in range(30):
        ActionFactory(direction=direction, owner=users["officer"], what=f"Việc số {i}")
    body = client_for("officer").get(reverse("cooperation:board")).content.decode()
    assert "Trang 1 / 2" in body or "Trang 1 trên 2" in body or 'rel="next"' in body


def test_the_agenda_lists_open_actions_with_their_history(client_for, users, direction):
    ActionFactory(direction=direction, owner=users["officer"], what="Việc còn mở")
    ActionFactory(direction=direction, owner=users["officer"], what="Việc đã xong", state="done")
    body = client_for("officer").get(reverse("cooperation:agenda", args=[direction.meeting.partner.pk])).content.decode()
    assert "Việc còn mở" in body and "Việc đã xong" not in body


def test_confidential_minutes_are_hidden_from_staff_not_named(client_for, users, meeting):
    meeting.confidential, meeting.minutes_vi = True, "Nội dung mật"
    meeting.save()
    meeting.readers.add(users["officer"])
    assert "Nội dung mật" in client_for("officer").get(reverse("cooperation:meeting", args=[meeting.pk])).content.decode()
    hidden = client_for("manager").get(reverse("cooperation:meeting", args=[meeting.pk])).content.decode()
    assert "Nội dung mật" not in hidden and "Biên bản mật" in hidden


def test_the_agreement_page_flags_an_agreement_near_expiry_with_nothing_done(client_for, unit, partner):
    agreement = AgreementFactory(unit=unit, state="in_force", expires_on=dt.date.today() + dt.timedelta(days=30))
    agreement.partners.add(partner)
    body = client_for("officer").get(reverse("cooperation:agreement", args=[agreement.pk])).content.decode()
    assert "Không có hoạt động nào theo thỏa thuận trong năm qua" in body


def test_the_dashboard_and_the_annual_report(client_for, direction):
    client = client_for("manager")
    assert "Theo quốc gia" in client.get(reverse("cooperation:dashboard")).content.decode()
    for language in ("vi", "en"):
        response = client.get(reverse("cooperation:report", args=[2026, language]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")


# -- correcting a partner and a meeting, without /admin/ ---------------------------------------------
def test_the_contact_owner_corrects_a_partner_from_its_page_and_the_change_is_audited(client_for, users, partner):
    from innohub.activity.models import Event

    partner.contact_owner = users["officer"]
    partner.save()
    officer = client_for("officer")
    page = officer.get(reverse("cooperation:partner", args=[partner.pk])).content.decode()
    edit = reverse("cooperation:partner-edit", args=[partner.pk])
    assert edit in page and "Sửa thông tin đối tác" in page
    form = officer.get(edit).content.decode()
    assert f'value="{partner.country}"' in form  # the form opens on what is recorded
    response = officer.post(edit, {"country": "au", "contact_owner": users["officer"].pk, "note": "Bang Victoria, Úc"})
    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.country, partner.note) == ("AU", "Bang Victoria, Úc")
    event = Event.objects.get(action="partner.updated", target_id=str(partner.pk))
    assert event.after["country"] == "AU" and event.before["note"] == ""


def test_a_bad_country_is_refused_with_what_was_typed_kept_and_nothing_changed(client_for, users, partner):
    from innohub.activity.models import Event

    before = (partner.country, partner.note)
    response = client_for("manager").post(reverse("cooperation:partner-edit", args=[partner.pk]),
                                          {"country": "A1", "note": "Ghi chú mới của lãnh đạo"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ghi chú mới của lãnh đạo" in page and 'aria-invalid="true"' in page
    partner.refresh_from_db()
    assert (partner.country, partner.note) == before and not Event.objects.filter(action="partner.updated").exists()


def test_another_officer_may_not_change_a_partner_someone_else_owns(client_for, users, partner, other_officer):
    partner.contact_owner = users["officer"]
    partner.save()
    from django.test import Client

    other = Client()
    other.force_login(other_officer)
    assert "/edit/" not in other.get(reverse("cooperation:partner", args=[partner.pk])).content.decode()
    response = other.post(reverse("cooperation:partner-edit", args=[partner.pk]), {"country": "SG", "note": "x"})
    assert response.status_code == 400 and "Chỉ đầu mối liên hệ của Sở" in response.content.decode()
    partner.refresh_from_db()
    assert partner.country != "SG"
    assert client_for("reviewer").get(reverse("cooperation:partner-edit", args=[partner.pk])).status_code == 403


def test_an_officer_of_the_unit_corrects_a_meeting_and_the_change_is_audited(client_for, users, meeting):
    from innohub.activity.models import Event

    officer = client_for("officer")
    assert reverse("cooperation:meeting-edit", args=[meeting.pk]) in officer.get(reverse("cooperation:meeting", args=[meeting.pk])).content.decode()
    response = officer.post(reverse("cooperation:meeting-edit", args=[meeting.pk]), {
        "title": "Làm việc với Chính quyền bang Victoria", "direction": "incoming", "held_on": "24/10/2024",
        "place": "244 Điện Biên Phủ", "topics": "Kết nối ba nhà", "leaders": [users["manager"].pk]})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.held_on, meeting.place) == ("Làm việc với Chính quyền bang Victoria", dt.date(2024, 10, 24), "244 Điện Biên Phủ")
    assert list(meeting.leaders.all()) == [users["manager"]]
    event = Event.objects.get(action="meeting.updated", target_id=str(meeting.pk))
    assert event.before["held_on"] == "2026-10-24" and event.after["leaders"] == [users["manager"].pk]


def test_a_meeting_moved_after_an_action_it_agreed_falls_due_is_refused_and_nothing_changes(client_for, users, direction):
    meeting = direction.meeting
    ActionFactory(direction=direction, due_date=dt.date(2026, 11, 30), owner=users["officer"])
    response = client_for("officer").post(reverse("cooperation:meeting-edit", args=[meeting.pk]), {
        "title": "Tiêu đề mới", "direction": "incoming", "held_on": "05/12/2026", "place": "Trụ sở Sở"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "có hạn 30/11/2026, trước ngày 05/12/2026" in page and 'value="Tiêu đề mới"' in page
    meeting.refresh_from_db()
    assert meeting.held_on == dt.date(2026, 10, 24) and meeting.title != "Tiêu đề mới"


def test_an_officer_of_another_unit_may_not_correct_the_meeting(client_for, meeting, other_officer):
    from django.test import Client

    other = Client()
    other.force_login(other_officer)
    response = other.post(reverse("cooperation:meeting-edit", args=[meeting.pk]), {
        "title": "X", "direction": "incoming", "held_on": "24/10/2026", "place": "Y"})
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.title != "X"
