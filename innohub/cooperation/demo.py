"""Demo data from the two articles in the seeds: the Victorian Government's delegation
(24/10/2024) and the Institute for Adult Learning of Singapore (IAL, 25/10/2024) at the
Department, with the directions both sides agreed, as the press releases word them, and
actions following them up (some done, some in progress, one overdue), the Sydney study tour
the first article mentions, and agreements.

The press releases do not name the foreign delegates, so only the Department's leaders (real
names, from the articles) are recorded as people met; the actions, their owners, due dates and
the agreements are illustrative, as the demo accounts are. Due dates count from the day the
demo is loaded, so that one action is always overdue and the others not yet. Nothing is added
when run twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from innohub.cooperation import services
from innohub.cooperation.models import (
    Action,
    Agreement,
    Direction,
    Meeting,
    Partner,
    Side,
    Unit,
    Visit,
)
from innohub.directory.models import Organisation, Person, Sector

HQ = "Trụ sở Sở Khoa học và Công nghệ TP.HCM, 244 Điện Biên Phủ, Quận 3"

VICTORIA_MINUTES = (
    "Lãnh đạo Sở – ông Nguyễn Việt Dũng, Giám đốc Sở, và ông Lê Thanh Minh, Phó Giám đốc Sở – tiếp Đoàn công tác của "
    "tiểu bang Victoria, Australia. Giám đốc Sở giới thiệu định hướng xây dựng TP.HCM thành trung tâm khởi nghiệp đổi mới "
    "sáng tạo quốc gia, các hợp tác với Australia (mô hình Rapido cùng UTS và bang New South Wales; nhiệm vụ nano vàng cùng "
    "CSIRO; cảm biến áp suất SiC cùng Đại học Griffith; chính sách AI cùng các trường, lab của Australia).\n\n"
    "Hai bên thống nhất tiếp tục nghiên cứu để thúc đẩy hợp tác các mô hình khởi nghiệp đổi mới sáng tạo mở, kết nối hệ "
    "sinh thái TP.HCM với tiểu bang Victoria, và phối hợp mời các đối tác của Victoria, Australia tham gia Diễn đàn đại học "
    "khởi nghiệp TP.HCM và Tuần lễ Đổi mới sáng tạo và Chuyển đổi số TP.HCM – WHISE 2024 và những năm tiếp theo."
)
VICTORIA_MINUTES_EN = (
    "The Director, Mr Nguyễn Việt Dũng, and the Deputy Director, Mr Lê Thanh Minh, received the Victorian Government's "
    "delegation. Both sides agreed to keep studying open-innovation startup models, to connect the ecosystems of Ho Chi "
    "Minh City and Victoria, and to invite Victoria's and Australia's partners to the HCMC University Startup Forum and "
    "to WHISE 2024 and the following years."
)
IAL_MINUTES = (
    "Chiều 25/10, Sở tiếp đoàn công tác của Viện Học tập dành cho Người lớn (IAL), viện tự chủ thuộc Đại học Khoa học Xã "
    "hội Singapore (SUSS). IAL giới thiệu thế mạnh về đào tạo, tư vấn chuyển đổi số và tự động hóa, thiết kế công việc, "
    "chuyển đổi nhân lực; Singapore đang thử nghiệm chương trình đào tạo về AI trong doanh nghiệp. IAL đề xuất nghiên cứu "
    "tiêu chuẩn ứng dụng AI, bộ công cụ AI cho khu vực công, và trao đổi doanh nghiệp khởi nghiệp CNTT.\n\n"
    "Giám đốc Sở Nguyễn Việt Dũng mong IAL tham gia các hoạt động cụ thể tại SIHUB và Trung tâm Khởi nghiệp sáng tạo TP.HCM."
)

# (text, English, unit code, [(action, owner username, due: days from today or a date, state, closed days ago)])
VICTORIA_DIRECTIONS: list[tuple[str, str, str, list[tuple[str, str, Any, str, int]]]] = [
    ("Mời các đối tác của tiểu bang Victoria và Australia tham gia Diễn đàn đại học khởi nghiệp TP.HCM và WHISE 2024",
     "Invite Victoria's and Australia's partners to the HCMC University Startup Forum and WHISE 2024", "startup-center",
     [("Gửi thư mời các đối tác Victoria tham gia WHISE 2024", "officer", dt.date(2024, 11, 15), "done", 0)]),
    ("Kết nối ba nhà (Triple helix: Nhà nước – Doanh nghiệp – Viện trường)", "Triple-helix connection (public–private–academia)",
     "qlcn", []),
    ("Chiến lược thương mại hóa kết quả nghiên cứu từ trường đại học", "Commercialising university research", "qlcn",
     [("Tổ chức hội thảo trực tuyến với Victoria về thương mại hóa kết quả nghiên cứu", "officer", -12, "in_progress", 0)]),
    ("Mô hình, chính sách thu hút khu vực tư nhân tham gia phát triển hệ sinh thái khởi nghiệp đổi mới sáng tạo",
     "Drawing the private sector into the innovation ecosystem", "startup-center", []),
    ("Mô hình, quy trình đánh giá hiệu quả hoạt động của hệ sinh thái", "A model and process to evaluate the ecosystem's performance",
     "qlcn", [("Trao đổi tài liệu về mô hình đánh giá hiệu quả hệ sinh thái của Victoria", "officer", 45, "in_progress", 0)]),
    ("Kết nối đưa startup Việt Nam ra thế giới, chuyển giao công nghệ", "Taking Vietnamese startups abroad; technology transfer",
     "startup-center", [("Lập danh sách startup tham gia chương trình kết nối thị trường Victoria", "officer", 60, "agreed", 0)]),
    ("Nâng cao năng lực quản lý, xây dựng chính sách, đổi mới sáng tạo trong khu vực công",
     "Capacity of public servants in management, policy-making and public-sector innovation", "qlcn",
     [("Đề xuất khóa tập huấn cho cán bộ, công chức cùng chuyên gia Victoria", "officer", 90, "proposed", 0)]),
]
IAL_DIRECTIONS: list[tuple[str, str, str, list[tuple[str, str, Any, str, int]]]] = [
    ("IAL tham gia các hoạt động cụ thể tại SIHUB và Trung tâm Khởi nghiệp sáng tạo TP.HCM",
     "IAL to take part in activities at SIHUB and the HCMC Startup Center", "startup-center",
     [("Gửi IAL lịch hoạt động của SIHUB và Trung tâm Khởi nghiệp sáng tạo", "officer", dt.date(2024, 12, 6), "done", 0)]),
    ("Đào tạo về AI trong doanh nghiệp", "Training in AI for enterprises", "qlcn",
     [("Xây dựng đề cương khóa đào tạo AI trong doanh nghiệp cùng IAL", "officer", 30, "in_progress", 0)]),
    ("Nghiên cứu tiêu chuẩn ứng dụng AI và bộ công cụ AI cho khu vực công", "Standards for using AI and an AI toolkit for the public sector",
     "qlcn", [("Chia sẻ với IAL kết quả nhiệm vụ ứng dụng AI hỏi – đáp dịch vụ công", "officer", dt.date(2025, 3, 14), "done", 0)]),
    ("Trao đổi doanh nghiệp khởi nghiệp sáng tạo trong lĩnh vực công nghệ thông tin", "Exchanges of IT startups", "startup-center", []),
]


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def _org(slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first()


@transaction.atomic
def seed() -> dict[str, int]:
    if Meeting.objects.exists():
        return {"meetings": 0}
    officer, manager, admin = _user("officer"), _user("manager"), _user("admin")
    victoria_org, ial_org = _org("victoria"), _org("ial-suss")
    if not (officer and manager and admin and victoria_org and ial_org):
        return {"meetings": 0}
    today = timezone.localdate()
    units = {
        "qlcn": Unit.objects.filter(code="qlcn").first() or services.unit_create(
            code="qlcn", name="Phòng Quản lý Công nghệ và Thị trường Công nghệ",
            name_en="Division of Technology and Technology Market Management", head=manager, members=[officer], actor=admin),
        "startup-center": Unit.objects.filter(code="startup-center").first() or services.unit_create(
            code="startup-center", name="Trung tâm Khởi nghiệp sáng tạo TP.HCM", name_en="HCMC Startup Center", head=manager,
            members=[officer], actor=admin),
    }
    partners: dict[str, Partner] = {}
    for slug in ("victoria", "ial-suss", "uts", "csiro", "griffith"):
        org = _org(slug)
        if org is not None:
            partners[slug] = (Partner.objects.filter(organisation=org).first()
                              or services.partner_create(organisation=org, country=org.country, contact_owner=officer, actor=officer))
    leaders_people = list(Person.objects.filter(full_name__in=["Nguyễn Việt Dũng", "Lê Thanh Minh"]).order_by("full_name"))
    meetings = 0
    ai = Sector.objects.filter(code__in=["ai", "digital-transformation", "education", "smart-city"])

    victoria = services.meeting_record(
        partner=partners["victoria"], title="Tiếp và làm việc với Đoàn công tác tiểu bang Victoria, Australia",
        held_on=dt.date(2024, 10, 24), place=HQ, direction=Side.INCOMING, unit=units["qlcn"],
        topics="Khởi nghiệp đổi mới sáng tạo mở; kết nối hệ sinh thái; chuyển đổi số; hợp tác nghiên cứu",
        sectors=ai.filter(code__in=["digital-transformation", "smart-city"]), leaders=[manager], minutes_vi=VICTORIA_MINUTES,
        minutes_en=VICTORIA_MINUTES_EN, actor=officer,
    )
    ial = services.meeting_record(
        partner=partners["ial-suss"], title="Tiếp và làm việc với Viện Học tập dành cho Người lớn (IAL) – Singapore",
        held_on=dt.date(2024, 10, 25), place=HQ, direction=Side.INCOMING, unit=units["qlcn"],
        topics="Đào tạo, tư vấn chuyển đổi số; AI trong doanh nghiệp và khu vực công; SIHUB",
        sectors=ai.filter(code__in=["ai", "education"]), leaders=[manager], minutes_vi=IAL_MINUTES, actor=officer,
    )
    meetings += 2
    for meeting in (victoria, ial):
        for person in leaders_people:
            services.participant_add(meeting=meeting, person_id=person.pk, side="department", actor=officer)
    for meeting, directions in ((victoria, VICTORIA_DIRECTIONS), (ial, IAL_DIRECTIONS)):
        for text, text_en, unit_code, actions in directions:
            direction = services.direction_add(meeting=meeting, text=text, text_en=text_en, unit=units[unit_code], actor=officer)
            for what, owner, due, state, _closed in actions:
                _action(direction=direction, what=what, owner=_user(owner), due=due, state=state, today=today, actor=officer)

    # The study tour the first article mentions (dates illustrative)
    if "uts" in partners:
        tour = services.visit_create(
            title="Chuyến công tác học tập mô hình Sydney Startup Hub tại Australia", title_en="Study tour of Sydney Startup Hub, Australia",
            direction=Side.OUTGOING, partners=[partners["uts"]], starts_on=dt.date(2024, 5, 6), ends_on=dt.date(2024, 5, 10),
            place="Sydney, Australia", unit=units["startup-center"],
            note="Trung tâm Khởi nghiệp sáng tạo TP.HCM học tập mô hình Sydney Startup Hub để tham mưu Thành phố.", actor=officer,
        )
        services.meeting_record(
            partner=partners["uts"], visit=tour, title="Làm việc với University of Technology Sydney về mô hình Rapido",
            held_on=dt.date(2024, 5, 7), place="UTS, Sydney", direction=Side.OUTGOING, unit=units["startup-center"],
            topics="Thương mại hóa kết quả nghiên cứu (mô hình Rapido)", actor=officer,
        )
        meetings += 1

    # Agreements (illustrative): a letter of intent with Victoria awaiting the manager's approval,
    # and the research cooperation with CSIRO nearing its expiry with nothing done for a year.
    loi = services.agreement_create(
        kind=Agreement.Kind.LETTER_OF_INTENT, title="Thư ý định hợp tác khởi nghiệp đổi mới sáng tạo mở TP.HCM – Victoria",
        title_en="Letter of intent on open-innovation startup cooperation, HCMC – Victoria", partners=[partners["victoria"]],
        unit=units["qlcn"], signed_on=dt.date(2024, 12, 2), expires_on=dt.date(2027, 12, 2), term_note="3 năm, gia hạn theo thỏa thuận",
        directions=list(Direction.objects.filter(meeting=victoria)), actor=officer,
    )
    services.agreement_transition(agreement=loi, code="submit", actor=officer)
    if "csiro" in partners:
        csiro = services.agreement_create(
            kind=Agreement.Kind.COOPERATION, title="Hợp tác nghiên cứu vật liệu Nanocomposite nano vàng – Polyurethane",
            title_en="Research cooperation on gold-nanoparticle polyurethane nanocomposites", partners=[partners["csiro"]],
            unit=units["qlcn"], signed_on=dt.date(2023, 3, 1), expires_on=today + dt.timedelta(days=60),
            term_note="Theo thời gian thực hiện nhiệm vụ", actor=officer,
        )
        services.agreement_transition(agreement=csiro, code="submit", actor=officer)
        services.agreement_transition(agreement=csiro, code="approve", actor=manager)
    # The flood-sensor task of the seeds came out of the cooperation with Griffith University:
    # a meeting (illustrative, marked demo) whose agreed action was to order the research task,
    # so that the chain from cooperation to results can be followed (research links the task).
    if "griffith" in partners:
        griffith = services.meeting_record(
            partner=partners["griffith"], title="Làm việc với Đại học Griffith về cảm biến quan trắc ngập lụt (demo)",
            held_on=dt.date(2021, 1, 20), place=HQ, direction=Side.INCOMING, unit=units["qlcn"],
            topics="Cảm biến áp suất SiC; quan trắc ngập lụt đô thị trực tuyến", actor=officer,
        )
        meetings += 1
        direction = services.direction_add(
            meeting=griffith, text="Hợp tác nghiên cứu cảm biến áp suất SiC cho mạng trạm quan trắc ngập lụt",
            text_en="Research cooperation on SiC pressure sensors for a flood-monitoring station network", unit=units["qlcn"],
            actor=officer,
        )
        _action(direction=direction, what="Đề xuất đặt hàng nhiệm vụ nghiên cứu cảm biến áp suất SiC cùng Trung tâm R&D SHTP",
                owner=officer, due=dt.date(2021, 2, 26), state="done", today=today, actor=officer)
    return {"meetings": meetings, "actions": Action.objects.count(), "agreements": Agreement.objects.count(), "visits": Visit.objects.count()}


def _action(*, direction: Direction, what: str, owner: Any, due: Any, state: str, today: dt.date, actor: Any) -> Action:
    due_date = due if isinstance(due, dt.date) else today + dt.timedelta(days=due)
    action = services.action_add(direction=direction, what=what, owner=owner, due_date=due_date, actor=actor)
    path = {"proposed": [], "agreed": ["agree"], "in_progress": ["agree", "start"], "done": ["agree", "start", "complete"]}[state]
    for code in path:
        if code == "start":
            services.action_progress_add(action=action, text="Đã liên hệ đầu mối của đối tác, thống nhất cách làm.", actor=actor)
        action = services.action_transition(action=action, code=code, actor=actor)
    if state == "done":  # closed on its due date, as it was
        Action.objects.filter(pk=action.pk).update(closed_on=min(due_date, today))
    return action
