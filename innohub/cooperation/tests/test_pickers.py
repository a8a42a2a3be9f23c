"""Cooperation's forms choose the partner's organisation and a meeting's participants through
the directory's picker, without a list of the whole directory."""

import pytest
from django.urls import reverse

from innohub.cooperation.models import Participant, Partner
from innohub.directory.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_a_partner_is_created_from_an_organisation_typed_by_name(client_for):
    org = OrganisationFactory(kind="partner", name="Đại học Quốc gia Singapore", country="SG")
    response = client_for("officer").post(reverse("cooperation:partner-create"), {"organisation_q": "dai hoc quoc gia singapore", "country": "SG"})
    assert response.status_code == 302
    assert Partner.objects.get().organisation == org


def test_the_new_partner_page_does_not_list_the_directory(client_for):
    orgs = [OrganisationFactory(name=f"Tổ chức Quốc tế {n:03d}") for n in range(300)]
    page = client_for("officer").get(reverse("cooperation:partner-create")).content.decode()
    assert not any(o.name in page for o in orgs)


def test_a_participant_typed_by_name_is_added_and_an_unknown_one_refused(client_for, meeting):
    person = PersonFactory(full_name="Hoàng Thị Mai Phương")
    officer = client_for("officer")
    refused = officer.post(reverse("cooperation:participant-add", args=[meeting.pk]), {"person_q": "khong co ai", "side": "partner"})
    assert refused.status_code == 400 and "Không có ai trong danh bạ khớp với “khong co ai”" in refused.content.decode()
    assert not Participant.objects.exists()
    response = officer.post(reverse("cooperation:participant-add", args=[meeting.pk]), {"person_q": "mai phuong", "side": "partner"})
    assert response.status_code == 302
    assert Participant.objects.get().person == person
