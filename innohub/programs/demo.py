"""Demo data of the programmes: the three programmes, a 2026 call per stage (pre-incubation
open now), applications of the generated startups in every state, reviews by the demo
reviewer, awards with milestones and payments, and cohorts at SIHUB and the Startup Center.

Rows are written directly (not through the services) because the story spans dates in the
past; the money rules still hold because the database checks them. Each application's
history (the audit events of the steps that brought it to its state) is written with the
story's dates. A second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import F
from django.utils import timezone

from innohub.accounts.demo import DEMO_PASSWORD
from innohub.accounts.models import User
from innohub.activity.demo import history_record
from innohub.directory.models import Organisation
from innohub.programs import defaults
from innohub.programs.models import (
    Application,
    Award,
    Call,
    Cohort,
    CohortMentor,
    CohortSession,
    Disbursement,
    Message,
    Milestone,
    Review,
    ReviewerProfile,
    Tranche,
)
from innohub.programs.services import weighted_score

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def _at(y: int, m: int, d: int, h: int = 8) -> dt.datetime:
    return dt.datetime(y, m, d, h, 0, tzinfo=HCM)


CALLS = [
    ("pre_incubation", "Hỗ trợ tiền ươm tạo khởi nghiệp đổi mới sáng tạo – đợt 2 năm 2026",
     "Pre-incubation support for innovative startups – second call 2026", _at(2026, 11, 1), _at(2026, 12, 20, 17), 1_200_000_000),
    ("incubation", "Hỗ trợ ươm tạo khởi nghiệp đổi mới sáng tạo năm 2026",
     "Incubation support for innovative startups 2026", _at(2026, 3, 2), _at(2026, 4, 30, 17), 800_000_000),
    ("acceleration", "Hỗ trợ tăng tốc khởi nghiệp đổi mới sáng tạo năm 2026",
     "Acceleration support for innovative startups 2026", _at(2026, 5, 4), _at(2026, 6, 30, 17), 2_000_000_000),
]

ELIGIBILITY = """Doanh nghiệp khởi nghiệp đổi mới sáng tạo có trụ sở tại Thành phố Hồ Chí Minh
Thành lập không quá 5 năm tính đến ngày nộp hồ sơ
Hồ sơ doanh nghiệp trên hệ thống đã đầy đủ mã số thuế, địa chỉ và lĩnh vực
Chưa nhận hỗ trợ của Sở ở cùng giai đoạn"""
DOCUMENTS = """Kế hoạch kinh doanh (PDF)
Giấy chứng nhận đăng ký doanh nghiệp
Báo cáo tài chính năm gần nhất"""

# (stage, state, amount asked) for generated startups
STORY = [
    ("pre_incubation", "submitted", 35_000_000), ("pre_incubation", "submitted", 40_000_000),
    ("pre_incubation", "eligibility_check", 30_000_000), ("pre_incubation", "returned", 40_000_000),
    ("pre_incubation", "under_review", 38_000_000), ("pre_incubation", "under_review", 40_000_000),
    ("pre_incubation", "under_review", 25_000_000),
    ("incubation", "ranked", 80_000_000), ("incubation", "ranked", 75_000_000), ("incubation", "ranked", 60_000_000),
    ("incubation", "approved", 80_000_000), ("incubation", "contracted", 70_000_000), ("incubation", "rejected", 80_000_000),
    ("acceleration", "in_progress", 350_000_000), ("acceleration", "completed", 400_000_000),
    ("acceleration", "ineligible", 400_000_000), ("acceleration", "withdrawn", 300_000_000),
]

# How each state of the story was reached: the workflow's steps, as the application's history shows them.
_REVIEWED = ("submit", "start_check", "accept")
_FUNDED = (*_REVIEWED, "rank", "approve")
PATHS = {
    "submitted": ("submit",), "eligibility_check": ("submit", "start_check"), "returned": ("submit", "start_check", "return"),
    "under_review": _REVIEWED, "ranked": (*_REVIEWED, "rank"), "approved": _FUNDED, "contracted": (*_FUNDED, "contract"),
    "in_progress": (*_FUNDED, "contract", "start"), "completed": (*_FUNDED, "contract", "start", "complete"),
    "rejected": (*_REVIEWED, "rank", "reject"), "ineligible": ("submit", "start_check", "mark_ineligible"),
    "withdrawn": ("submit", "withdraw"),
}
# when each step was taken: days after submission, or after the call closed (ranking waits for
# the close; approval is the award's date, rejection and ineligibility the decision's)
AFTER_SUBMISSION = {"submit": 0, "start_check": 3, "return": 6, "accept": 8, "withdraw": 10}
AFTER_CLOSE = {"rank": 20, "reject": 40, "mark_ineligible": 40, "approve": 45, "contract": 55, "start": 60, "complete": 150}
MANAGER_STEPS = {"approve", "reject"}
APPLICANT_STEPS = {"submit", "withdraw"}


def _history(application: Application, *, manager: User, officer: User, note: str = "") -> None:
    """The application's steps in its history, each by whom and when the story has it, none after now."""
    call, submitted, now = application.call, application.submitted_at, timezone.now()
    assert submitted is not None
    steps = [(application.created_by, "application.started", submitted - dt.timedelta(days=2), "")]
    for code in PATHS[application.state]:
        when = submitted + dt.timedelta(days=AFTER_SUBMISSION[code]) if code in AFTER_SUBMISSION else call.closes_at + dt.timedelta(days=AFTER_CLOSE[code])
        actor = application.created_by if code in APPLICANT_STEPS else manager if code in MANAGER_STEPS else officer
        steps.append((actor, f"application.{code}", min(when, now), note if code in ("return", "reject", "mark_ineligible") else ""))
    history_record(target=application, steps=steps)


def _name_shortened(name: str, limit: int = 50) -> str:
    """An organisation's name cut for a project title at a word boundary, never mid-word
    (the demo's titles read "Dự án Công ty Cổ phần Công nghệ Nông nghiệp Xan")."""
    if len(name) <= limit:
        return name
    return name[: limit + 1].rsplit(" ", 1)[0].rstrip(" ,;:–-") + " …"


def _reviewers() -> list[User]:
    from innohub.accounts.services import user_create

    people = [("reviewer", None)] + [(f"expert{i}", name) for i, name in enumerate(
        ["PGS.TS. Nguyễn Văn Hùng", "ThS. Lê Thị Mai", "TS. Đỗ Quang Vinh"], start=1)]
    out = []
    for username, full_name in people:
        user = User.objects.filter(username=username).first()
        if user is None and full_name:
            # every demo reviewer can log in with the demo password (issue 27): new applications
            # are assigned only to accounts someone can open to score them
            user = user_create(username=username, email=f"{username}@innohub.local", password=DEMO_PASSWORD, full_name=full_name, role="reviewer")
        if user is not None:
            ReviewerProfile.objects.get_or_create(user=user, defaults={"capacity": 30})
            out.append(user)
    return out


def seed() -> dict[str, int]:
    if Call.objects.filter(title=CALLS[0][1]).exists():
        return {"calls": 0, "applications": 0}
    rng = random.Random(20261123)
    programmes = defaults.ensure_programmes(2026)
    form, rubric, workflow = defaults.default_form(), defaults.default_rubric(), defaults.default_workflow()
    criteria = list(rubric.criteria.all())
    calls = {}
    for stage, title, title_en, opens, closes, budget in CALLS:
        calls[stage] = Call.objects.create(
            programme=programmes[stage], year=2026, title=title, title_en=title_en, opens_at=opens, closes_at=closes, budget=budget,
            form=form, rubric=rubric, workflow=workflow, reviewers_per_application=2 if stage == "pre_incubation" else 3,
            require_previous_stage=stage == "acceleration",
            description="Hỗ trợ không hoàn lại cho dự án khởi nghiệp đổi mới sáng tạo trên địa bàn Thành phố Hồ Chí Minh.",
            eligibility=ELIGIBILITY, required_documents=DOCUMENTS, reviews_due_on=(closes + dt.timedelta(days=21)).date(),
        )
    reviewers = _reviewers()
    manager = User.objects.filter(username="manager").first() or User.objects.filter(role="manager").first()
    officer = User.objects.filter(username="officer").first() or User.objects.filter(role="officer").first()
    founder = User.objects.filter(username="founder").first()
    if manager is None or officer is None:
        raise RuntimeError("The programmes' demo needs the demo manager and officer (accounts.demo runs first).")
    founder_orgs = set(founder.memberships.values_list("organisation_id", flat=True)) if founder else set()
    startups = list(Organisation.objects.filter(kind=Organisation.Kind.STARTUP).exclude(pk__in=founder_orgs).order_by("slug"))
    created = 0
    answers = {"summary": "Giải pháp công nghệ giúp doanh nghiệp nhỏ chuyển đổi số.", "innovation": "Ứng dụng trí tuệ nhân tạo tiếng Việt.",
               "team_size": "5", "plan": "Hoàn thiện sản phẩm mẫu, thử nghiệm với 10 khách hàng.", "market": "domestic"}
    if founder and founder_orgs:
        org = Organisation.objects.get(pk=min(founder_orgs))
        draft = Application.objects.create(call=calls["pre_incubation"], organisation=org, created_by=founder, form=form, state="draft",
                                           title="Nền tảng kết nối nông sản sạch", amount_requested=40_000_000, answers={"summary": answers["summary"]})
        history_record(target=draft, steps=[(founder, "application.started", draft.created_at, "")])
        created += 1
    for index, (stage, state, amount) in enumerate(STORY):
        if index >= len(startups):
            break
        org = startups[index]
        call = calls[stage]
        submitted = call.opens_at + dt.timedelta(days=5 + index)
        application = Application.objects.create(
            call=call, organisation=org, created_by=founder or officer, form=form, state=state,
            title=f"Dự án {org.short_name or _name_shortened(org.name)}", amount_requested=amount, answers=answers,
            submitted_at=submitted if state != "draft" else None,
        )
        created += 1
        note = ""
        if state == "returned":
            note = "Đề nghị bổ sung báo cáo tài chính năm gần nhất."
            Message.objects.create(application=application, author=officer, kind=Message.Kind.REQUEST, body=note)
        if state in ("rejected", "ineligible"):
            note = "Điểm thẩm định thấp hơn ngưỡng tài trợ." if state == "rejected" else "Doanh nghiệp chưa hoàn thành giai đoạn ươm tạo."
            application.decision_reason, application.decided_at = note, call.closes_at + dt.timedelta(days=AFTER_CLOSE[PATHS[state][-1]])
            application.save(update_fields=["decision_reason", "decided_at"])
            Message.objects.create(application=application, author=manager, kind=Message.Kind.DECISION, body=note)
        _history(application, manager=manager, officer=officer, note=note)
        if state in ("under_review", "ranked", "approved", "contracted", "in_progress", "completed", "rejected"):
            for n, expert in enumerate(reviewers[: call.reviewers_per_application]):
                open_review = state == "under_review" and n == 0 and index % 2 == 0
                if open_review:
                    Review.objects.create(application=application, reviewer=expert)
                    continue
                scores: dict[str, int | None] = {c.code: rng.randint(5, 10) for c in criteria}
                if rng.random() < 0.3:
                    scores["impact"] = None
                Review.objects.create(application=application, reviewer=expert, state=Review.State.SUBMITTED, scores=scores,
                                      weighted_score=weighted_score(criteria=criteria, scores=scores), comment="Dự án có tiềm năng.",
                                      submitted_at=call.closes_at + dt.timedelta(days=10))
        if state in ("ranked", "approved", "contracted", "in_progress", "completed", "rejected"):
            mean = [s for s in Review.objects.filter(application=application, state="submitted").values_list("weighted_score", flat=True) if s is not None]
            application.score = (sum(mean, Decimal(0)) / len(mean)).quantize(Decimal("0.01")) if mean else None
            application.save(update_fields=["score"])
        if state in ("approved", "contracted", "in_progress", "completed"):
            _award(application, manager, officer, state)
    _rank(calls["incubation"])
    _cohorts(startups)
    return {"calls": len(calls), "applications": created}


def _award(application: Application, manager: User, officer: User, state: str) -> None:
    call = application.call
    award = Award.objects.create(application=application, organisation=application.organisation, call=call, stage=call.programme.stage,
                                 amount=application.amount_requested, ceiling=defaults_ceiling(call), approved_by=manager,
                                 approved_at=call.closes_at + dt.timedelta(days=AFTER_CLOSE["approve"]))
    Call.objects.filter(pk=call.pk).update(awarded_total=F("awarded_total") + award.amount)
    if state == "approved":
        return
    halves = [award.amount // 2, award.amount - award.amount // 2]
    titles = ["Hoàn thiện sản phẩm mẫu", "Thương mại hóa với khách hàng đầu tiên"]
    # Milestones every 45 days from the approval, so that on the story's date (December 2026)
    # the met ones are past and paid a week after they fell due, never later than today.
    base = award.approved_at.astimezone(HCM).date()
    today = timezone.localdate()
    for i, (title, amount) in enumerate(zip(titles, halves, strict=True), start=1):
        due = base + dt.timedelta(days=45 * i)
        met = state == "completed" or (state == "in_progress" and i == 1)
        milestone = Milestone.objects.create(award=award, order=i, title=title, due_on=due,
                                             state=Milestone.State.MET if met else Milestone.State.PENDING,
                                             report="Đã hoàn thành theo kế hoạch." if met else "",
                                             checked_by=officer if met else None, checked_at=timezone.now() if met else None)
        tranche = Tranche.objects.create(award=award, milestone=milestone, amount=amount)
        if met:
            Disbursement.objects.create(award=award, tranche=tranche, amount=amount, key=f"DEMO-{award.pk}-{i}",
                                        paid_on=min(due + dt.timedelta(days=7), today), reference=f"UNC {award.pk:04d}/{i}", recorded_by=officer)
            Award.objects.filter(pk=award.pk).update(disbursed_total=F("disbursed_total") + amount)


def defaults_ceiling(call: Call) -> int:
    from innohub.programs.selectors import ceiling_for

    return ceiling_for(stage=call.programme.stage, year=call.year)


def _rank(call: Call) -> None:
    """As the call's ranking leaves it: the applications awaiting the decision numbered 1..n (those
    decided are out of it: numbering them too left gaps, "1, 3, 4"), none below the minimum score
    above the funding line, whatever the budget."""
    ranked = list(Application.objects.filter(call=call, state="ranked", score__isnull=False).order_by("-score", "id"))
    remaining, cumulative, line_open = call.budget - Call.objects.get(pk=call.pk).awarded_total, 0, True
    for rank, application in enumerate(ranked, start=1):
        passing = application.score is not None and application.score >= call.min_score
        if passing:
            cumulative += application.amount_requested
            line_open = line_open and cumulative <= remaining
        application.rank, application.above_funding_line = rank, passing and line_open
        application.save(update_fields=["rank", "above_funding_line"])


def _cohorts(startups: list[Organisation]) -> None:
    hubs = {o.short_name: o for o in Organisation.objects.filter(short_name__in=["SIHUB", "Startup Center"])}
    plans = [
        ("SIHUB", "incubation", "Chương trình ươm tạo SIHUB khóa 2026", dt.date(2026, 9, 1), dt.date(2027, 2, 28), startups[17:23],
         [("TS. Trần Anh Tuấn", "Gọi vốn và định giá"), ("Bà Nguyễn Thu Trang", "Marketing số")]),
        ("Startup Center", "acceleration", "Chương trình tăng tốc Startup Center 2026", dt.date(2026, 10, 15), dt.date(2027, 1, 15), startups[23:28],
         [("Ông Lý Minh Đức", "Mở rộng thị trường ASEAN")]),
    ]
    for short, stage, name, start, end, members, mentors in plans:
        hub = hubs.get(short)
        if hub is None or Cohort.objects.filter(name=name).exists():
            continue
        cohort = Cohort.objects.create(hub=hub, stage=stage, name=name, starts_on=start, ends_on=end,
                                       description="Đào tạo, cố vấn và kết nối nhà đầu tư cho các dự án khởi nghiệp.")
        cohort.startups.add(*members)
        created = [CohortMentor.objects.create(cohort=cohort, name=n, expertise=e) for n, e in mentors]
        for week in range(3):
            CohortSession.objects.create(cohort=cohort, title=["Khai giảng", "Cố vấn 1–1", "Ngày gọi vốn"][week],
                                         starts_at=_at(start.year, start.month, start.day, 14) + dt.timedelta(weeks=4 * week),
                                         location=hub.name, mentor=created[week % len(created)])
