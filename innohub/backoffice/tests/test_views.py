"""The back-office dashboard: what each figure says it counts."""

import pytest
from django.urls import reverse

from innohub.directory.models import ChangeRequest
from innohub.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_unverified_organisations_and_requests_to_review_have_different_names(client_for, users):
    """Given three unverified organisations of which one has a pending change request, when
    an officer opens the dashboard and the directory's staff list, then the dashboard counts
    organisations not yet verified and the list counts requests to review — neither says
    only "Chờ xác minh", which read as the same thing with two different numbers."""
    orgs = [OrganisationFactory(verified=False) for _ in range(3)]
    ChangeRequest.objects.create(kind="edit", organisation=orgs[0], proposed_by=users["applicant"], changes={"team_size": 9})
    officer = client_for("officer")
    dashboard = officer.get(reverse("backoffice:dashboard"))
    body = dashboard.content.decode()
    assert dashboard.context["unverified"] == 3
    assert "Tổ chức chưa được xác minh" in body
    assert "?state=unverified" in body
    staff = officer.get(reverse("directory:staff-list")).content.decode()
    assert "Yêu cầu chờ duyệt" in staff
    for page in (body, staff):
        assert "Chờ xác minh" not in page


def test_the_recent_activity_names_its_table_and_marks_vietnamese_labels_on_english_pages(client_for, users):
    """Given an organisation created with a Vietnamese name, when an officer opens the English
    dashboard, then the table of recent activity has a caption and the name is lang="vi"."""
    from innohub.activity.services import event_record

    org = OrganisationFactory(name="Trung tâm Đổi mới Sáng tạo Thủ Đức")
    event_record(actor=users["officer"], action="organisation.created", target=org)
    dashboard = reverse("backoffice:dashboard")
    body = client_for("officer").get("/en" + dashboard).content.decode()
    assert '<caption class="visually-hidden">The latest changes, newest first</caption>' in body
    assert '<td data-label="Object" lang="vi">Trung tâm Đổi mới Sáng tạo Thủ Đức</td>' in body
    vietnamese = client_for("officer").get(dashboard).content.decode()
    assert 'lang="vi"' not in vietnamese.split("<main", 1)[1]


def test_the_background_re_estimates_of_search_weights_do_not_fill_the_recent_activity(client_for, users):
    """Given an officer's upload, then four background re-estimates of the search weights (one
    event per collection each: twelve, as after the demo's publications), when an
    administrator opens the dashboard, then its recent activity still shows the upload and
    none of the re-estimates, which all stay in the audit log; one recorded by a person
    would still show."""
    from innohub.activity.models import Event
    from innohub.activity.services import event_record
    from innohub.qa import search
    from innohub.qa.models import Collection, FusionEstimate
    from innohub.qa.tests.factories import DocumentFactory

    document = DocumentFactory(title="Quy định hỗ trợ khởi nghiệp sáng tạo")
    event_record(actor=users["officer"], action="knowledge_document.uploaded", target=document)
    for _ in range(4):
        search.fusion_reestimate()
    assert Event.objects.filter(action="qa.fusion_estimated", actor__isnull=True).count() == 4 * len(Collection.values)

    admin = client_for("administrator")
    feed = admin.get(reverse("backoffice:dashboard")).content.decode().split('id="recent-title"')[1]
    assert "Tải lên văn bản" in feed
    assert 'title="qa.fusion_estimated"' not in feed and "trọng số kết hợp" not in feed
    log = admin.get(reverse("activity:log"), {"action": "qa.fusion_estimated"}).content.decode()
    assert log.count('<span title="qa.fusion_estimated">Đã ước lượng trọng số kết hợp') == 4 * len(Collection.values)

    event_record(actor=users["administrator"], action="qa.fusion_estimated", target=FusionEstimate.objects.first())
    feed = admin.get(reverse("backoffice:dashboard")).content.decode().split('id="recent-title"')[1]
    assert feed.count('<span title="qa.fusion_estimated">') == 1
