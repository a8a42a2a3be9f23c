"""Demo data for events (seeds: the department co-organises international workshops on
startups, smart city and digital transformation, runs training courses for the ecosystem,
and received the Institute for Adult Learning (IAL, SUSS Singapore) on 25/10 to talk about
training on AI in enterprises): WHISE 2026 with side events (one full, with a waiting list),
the HCMC University Startup Forum (two days, its own registration form, approval by the
organiser), a training course with sessions and attendance, and a past workshop whose
certificates were issued (one revoked). Run twice, it adds nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from innohub.events import services
from innohub.events.models import Event, EventForm, Registration, Series, Session

FORUM_FORM = {"sections": [{"key": "about", "title": {"vi": "Về bạn", "en": "About you"}, "fields": [
    {"key": "university", "kind": "text", "label": {"vi": "Trường đại học", "en": "University"}, "required": True, "max_length": 200},
    {"key": "project", "kind": "textarea", "label": {"vi": "Dự án khởi nghiệp của bạn (nếu có)", "en": "Your startup project (if any)"}, "max_length": 1000},
    {"key": "pitch", "kind": "choice", "label": {"vi": "Bạn muốn trình bày dự án?", "en": "Would you like to pitch?"},
     "choices": [["yes", {"vi": "Có", "en": "Yes"}], ["no", {"vi": "Không", "en": "No"}]]},
]}]}
FEEDBACK_FORM = {"sections": [{"key": "feedback", "title": {"vi": "Đánh giá", "en": "Feedback"}, "fields": [
    {"key": "useful", "kind": "choice", "label": {"vi": "Nội dung có hữu ích cho công việc của bạn?", "en": "Was the content useful for your work?"}, "required": True,
     "choices": [["5", {"vi": "Rất hữu ích", "en": "Very useful"}], ["4", {"vi": "Hữu ích", "en": "Useful"}], ["3", {"vi": "Bình thường", "en": "So-so"}],
                 ["2", {"vi": "Ít hữu ích", "en": "Of little use"}]]},
    {"key": "suggestion", "kind": "textarea", "label": {"vi": "Góp ý cho lần sau", "en": "Suggestions for next time"}, "max_length": 2000},
]}]}

PEOPLE = [
    ("Nguyễn Minh Anh", "Sihub", "startup", "VN"), ("Trần Quốc Bảo", "Trường Đại học Bách khoa – ĐHQG-HCM", "academia", "VN"),
    ("Lê Thị Cẩm Tú", "Công ty CP Sao Việt AI", "startup", "VN"), ("Phạm Gia Huy", "Trường Đại học Kinh tế TP.HCM", "academia", "VN"),
    ("Võ Thanh Hà", "Công ty TNHH Điện tử Sài Gòn", "enterprise", "VN"), ("Đặng Hoàng Nam", "Sở Thông tin và Truyền thông", "government", "VN"),
    ("Kim Ji-woo", "KOTRA Hồ Chí Minh", "partner", "KR"), ("Tan Wei Ling", "Institute for Adult Learning (SUSS)", "partner", "SG"),
    ("Huỳnh Thị Mai", "Trung tâm Khởi nghiệp ĐMST", "government", "VN"), ("Bùi Đức Thắng", "Công ty CP Logistics Xanh", "enterprise", "VN"),
    ("Ngô Phương Linh", "Trường Đại học Sư phạm Kỹ thuật", "academia", "VN"), ("Hồ Tuấn Kiệt", "EduSmart", "startup", "VN"),
]


def _email(name: str, tag: str) -> str:
    from innohub.core.text import slugify_vi

    return f"{slugify_vi(name).replace('-', '.')}.{tag}@example.vn"


def _attendees(tag: str, people=PEOPLE, consent_every: int = 2) -> list[services.Attendee]:
    return [services.Attendee(name=name, email=_email(name, tag), organisation_name=org, participant_kind=kind, country=country,
                              consent_public=i % consent_every == 0) for i, (name, org, kind, country) in enumerate(people)]


def _event(slug: str, **fields) -> tuple[Event, bool]:
    existing = Event.objects.filter(slug=slug).first()
    if existing:
        return existing, False
    return Event.objects.create(slug=slug, status=Event.Status.PUBLISHED, **fields), True


@transaction.atomic
def seed() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    from innohub.directory.models import Organisation, Person, Sector

    officer = get_user_model().objects.filter(role="officer", is_active=True).order_by("pk").first()
    manager = get_user_model().objects.filter(role="manager", is_active=True).order_by("pk").first()
    if officer is None or manager is None:
        return {"events": 0}
    orgs = {o.slug: o for o in Organisation.objects.all()}
    department = [o for s, o in orgs.items() if s in ("so-kh-cn-tp-hcm",)]
    partners = lambda *slugs: [orgs[s] for s in slugs if s in orgs]  # noqa: E731
    sectors = {s.code: s for s in Sector.objects.all()}
    today = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    day = lambda n, h: (today + dt.timedelta(days=n)).replace(hour=h)  # noqa: E731
    created = 0

    whise, _new = Series.objects.get_or_create(slug="whise-2026", defaults={
        "title": "WHISE 2026 – Tuần lễ Đổi mới sáng tạo và Chuyển đổi số TP.HCM",
        "title_en": "WHISE 2026 – HCMC Innovation and Digital Transformation Week",
        "description": "Chuỗi hàng chục sự kiện bên lề về khởi nghiệp đổi mới sáng tạo, thành phố thông minh và chuyển đổi số, do Sở Khoa học và Công nghệ phối hợp với các đối tác tổ chức.",
        "description_en": "Dozens of side events on innovative startups, the smart city and digital transformation, co-organised by the Department of Science and Technology and its partners.",
        "starts_on": day(20, 8).date(), "ends_on": day(24, 8).date()})
    side_events = [
        ("whise-2026-khai-mac", "Khai mạc WHISE 2026", "WHISE 2026 opening", day(20, 8), day(20, 11), 300, "smart-city"),
        ("whise-2026-thanh-pho-thong-minh", "Hội thảo quốc tế Thành phố thông minh", "International workshop on the smart city", day(21, 8), day(21, 17), 120, "smart-city"),
        ("whise-2026-chuyen-doi-so-doanh-nghiep", "Diễn đàn Chuyển đổi số doanh nghiệp", "Forum on digital transformation in enterprises", day(22, 13), day(22, 17), 150, "digital-transformation"),
        ("whise-2026-ket-noi-dau-tu", "Kết nối đầu tư khởi nghiệp đổi mới sáng tạo", "Matching startups with investors", day(23, 14), day(23, 17), 8, "ai"),
    ]
    for slug, title, title_en, start, end, capacity, sector in side_events:
        event, new = _event(slug, series=whise, kind=Event.Kind.WORKSHOP, title=title, title_en=title_en,
                            description=f"{title} – sự kiện bên lề WHISE 2026.", description_en=f"{title_en} – a side event of WHISE 2026.",
                            starts_at=start, ends_at=end, place="Trung tâm Hội nghị 272", address="272 Võ Thị Sáu, Quận 3, TP. Hồ Chí Minh",
                            language=Event.Language.BOTH, capacity=capacity, created_by=officer)
        if not new:
            continue
        created += 1
        event.organisers.set(department)
        event.partners.set(partners("sihub", "startup-center"))
        if sector in sectors:
            event.sectors.set([sectors[sector]])
        if slug == "whise-2026-ket-noi-dau-tu":  # full: the last four wait
            services.registrations_create(event=event, attendees=_attendees("whise"), actor=None)

    forum_form, _ = EventForm.objects.get_or_create(code="dien-dan-khoi-nghiep-dai-hoc", version=1,
                                                    defaults={"title": "Đăng ký Diễn đàn Khởi nghiệp Đại học", "schema": FORUM_FORM})
    forum, new = _event("dien-dan-khoi-nghiep-dai-hoc-2026", kind=Event.Kind.FORUM, title="Diễn đàn Khởi nghiệp Đại học TP.HCM 2026",
                        title_en="HCMC University Startup Forum 2026",
                        description="Hai ngày kết nối sinh viên, giảng viên khởi nghiệp với các nhà đầu tư, vườn ươm và doanh nghiệp; phiên trình bày dự án khởi nghiệp của sinh viên.",
                        description_en="Two days connecting student and faculty founders with investors, incubators and enterprises; student startups pitch their projects.",
                        starts_at=day(35, 8), ends_at=day(36, 17), place="Nhà Văn hóa Sinh viên TP.HCM", address="Khu đô thị ĐHQG-HCM, TP. Thủ Đức",
                        capacity=400, moderated=True, registration_form=forum_form, created_by=officer)
    if new:
        created += 1
        forum.organisers.set(department)
        forum.partners.set(partners("startup-center", "hcmut", "uel"))
        students = [("Lâm Bảo Ngọc", "", "academia", "VN"), ("Trịnh Gia Khang", "", "academia", "VN"), ("Mai Thùy Dương", "", "academia", "VN")]
        for a in _attendees("forum", students, consent_every=1):
            a.answers = {"university": "Trường Đại học Bách khoa – ĐHQG-HCM", "pitch": "yes"}
            services.registration_create(event=forum, attendee=a)
        first = forum.registrations.order_by("pk").first()
        if first is not None:
            services.registration_approve(registration=first, actor=officer)

    course, new = _event("tap-huan-nang-cao-nang-luc-he-sinh-thai-2026", kind=Event.Kind.COURSE,
                         title="Khóa tập huấn nâng cao năng lực cho hệ sinh thái khởi nghiệp đổi mới sáng tạo",
                         title_en="Training course: building the capacity of the innovative startup ecosystem",
                         description="Bốn buổi về ươm tạo, huấn luyện khởi nghiệp, gọi vốn và sở hữu trí tuệ cho cán bộ các vườn ươm, trường đại học và tổ chức hỗ trợ.",
                         description_en="Four sessions on incubation, startup coaching, fundraising and intellectual property for staff of incubators, universities and support organisations.",
                         starts_at=day(-14, 8), ends_at=day(7, 11), place="Sở Khoa học và Công nghệ, 244 Điện Biên Phủ", capacity=40,
                         issues_certificates=True, required_share=75, feedback_form=None, created_by=officer)
    if new:
        created += 1
        course.organisers.set(department)
        topics = [("Ươm tạo khởi nghiệp: mô hình và công cụ", "Incubation: models and tools"),
                  ("Huấn luyện khởi nghiệp (coaching)", "Startup coaching"),
                  ("Gọi vốn đầu tư mạo hiểm", "Raising venture capital"), ("Sở hữu trí tuệ cho khởi nghiệp", "Intellectual property for startups")]
        sessions = [Session.objects.create(event=course, title=vi, title_en=en, starts_at=day(-14 + 7 * i, 8), ends_at=day(-14 + 7 * i, 11),
                                           place="Phòng họp lầu 3", speaker="TS. Phạm Quốc Bảo") for i, (vi, en) in enumerate(topics)]
        registrations = services.registrations_create(event=course, attendees=_attendees("course", PEOPLE[:8]), actor=None)
        for i, registration in enumerate(registrations):
            for session in sessions[:2]:
                if i % 4 != 3 or session is sessions[0]:
                    services.checkin_record(registration=registration, actor=officer, session=session, scanned_at=session.starts_at)

    feedback_form, _ = EventForm.objects.get_or_create(code="danh-gia-su-kien", version=1, defaults={"title": "Phiếu đánh giá", "schema": FEEDBACK_FORM})
    past, new = _event("hoi-thao-ai-trong-doanh-nghiep-ial", kind=Event.Kind.WORKSHOP,
                       title="Hội thảo ứng dụng trí tuệ nhân tạo trong doanh nghiệp – kinh nghiệm Singapore",
                       title_en="Workshop: applying AI in enterprises – Singapore's experience",
                       description="Cùng Viện Học tập dành cho Người lớn (IAL, Đại học Khoa học Xã hội Singapore): chương trình đào tạo về AI trong doanh nghiệp, tiêu chuẩn ứng dụng và phát triển nhân lực.",
                       description_en="With the Institute for Adult Learning (IAL, Singapore University of Social Sciences): training on AI in enterprises, standards of use and workforce development.",
                       starts_at=day(5, 8), ends_at=day(5, 12), place="Sở Khoa học và Công nghệ, 244 Điện Biên Phủ", capacity=60,
                       language=Event.Language.BOTH, issues_certificates=True, feedback_form=feedback_form, created_by=officer)
    if new:
        created += 1
        past.organisers.set(department)
        past.partners.set(partners("ial-suss"))
        if "ai" in sectors:
            past.sectors.set([sectors["ai"]])
        registrations = services.registrations_create(event=past, attendees=_attendees("ial", PEOPLE[2:12]), actor=None)
        for registration in registrations[:8]:
            services.checkin_record(registration=registration, actor=officer)
        Event.objects.filter(pk=past.pk).update(starts_at=day(-40, 8), ends_at=day(-40, 12))
        past.refresh_from_db()
        issued = services.certificates_issue(event=past, actor=officer)
        if issued:
            services.certificate_revoke(certificate=issued[-1], actor=manager, reason="Điểm danh hộ – không có mặt tại hội thảo")
    people = Person.objects.filter(full_name__in=["Phạm Quốc Bảo", "Nguyễn Việt Dũng"])
    for event in Event.objects.filter(slug__in=["whise-2026-khai-mac", "tap-huan-nang-cao-nang-luc-he-sinh-thai-2026"]):
        event.speakers.add(*people)
    return {"events": created, "registrations": Registration.objects.count()}
