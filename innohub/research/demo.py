"""Demo data of research and technology transfer, from the seeds (`/work/shared/seeds`): the
three tasks the department names, at their stages, with their host, partners and outputs —
the nanogold–polyurethane antibacterial dressing (SHTP R&D Center with CSIRO, accepted in
2022, offered to medical-supply makers and matched with a medical-supply company's need),
the SiC pressure sensor for the online flood-monitoring stations in Nhà Bè (with Griffith
University), and the AI policy study by Ho Chi Minh City University of Technology (in
progress); and a spin-off company in the directory.

The seeds give titles, hosts, partners and the year of acceptance only: codes, dates, budget
figures, scores, the medical-supply company, its need and the spin-off are invented for the
demo (marked "(demo)" where they name an organisation). All three tasks were ordered before
1 October 2025, so they run under the 2013 regime. Rows are written directly (the story's
dates are in the past); a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile

from innohub.accounts.models import Membership, User
from innohub.directory.models import Organisation
from innohub.research import services
from innohub.research.models import (
    BudgetLine,
    Council,
    CouncilMember,
    CouncilScore,
    Criterion,
    GradeBand,
    Interest,
    Milestone,
    Need,
    Offer,
    Output,
    Report,
    Task,
    TaskPartner,
    TeamMember,
    TransferDeal,
)
from innohub.research.services import DEFAULT_CRITERIA, DEFAULT_GRADES

MINUTES_PDF = b"%PDF-1.4\n% Bien ban hop hoi dong nghiem thu (demo)\n%%EOF\n"


def _org(short_name: str) -> Organisation | None:
    return Organisation.objects.filter(short_name=short_name).first()


def _council(task: Task, kind: str, *, when: dt.date, scores: list[int], minutes: bool) -> Council:
    council = Council.objects.create(task=task, kind=kind, meeting_on=when)
    criteria = [Criterion.objects.create(council=council, code=c, label=label, weight=w) for c, label, w in DEFAULT_CRITERIA[Council.Kind(kind)]]
    for label, minimum, passing in DEFAULT_GRADES:
        GradeBand.objects.create(council=council, label=label, min_score=minimum, passing=passing)
    expert = User.objects.filter(username="reviewer").first()
    if expert is not None:
        CouncilMember.objects.create(council=council, user=expert, role="Ủy viên phản biện")
        values = {c.code: s for c, s in zip(criteria, scores, strict=False)}
        from innohub.review import weighted_score

        CouncilScore.objects.create(council=council, member=expert, scores=values, total=weighted_score(criteria=criteria, scores=values))
    if minutes:
        council.minutes.save(f"demo-bien-ban-{task.code.lower()}.pdf", ContentFile(MINUTES_PDF), save=False)
        council.minutes_name = "Biên bản họp hội đồng.pdf"
        council.save(update_fields=["minutes", "minutes_name"])
    return council


def seed() -> dict[str, int]:
    shtp, hcmut = _org("SHTP R&D"), _org("HCMUT")
    csiro, griffith, uts = _org("CSIRO"), _org("Griffith"), _org("UTS")
    if shtp is None or hcmut is None or Task.objects.filter(code="DEMO-2019-01").exists():
        return {"tasks": 0}
    officer = User.objects.filter(username="officer").first()

    # 1. the antibacterial dressing: accepted in 2022, results registered, offered
    dressing = Task.objects.create(
        code="DEMO-2019-01", regime="2013", state="registered", selection=Task.Selection.DIRECT, host=shtp,
        title="Nghiên cứu thiết kế, chế tạo vật liệu Nanocomposite dựa trên nền nano vàng với Polyurethane nhằm tạo ra sản phẩm mẫu thử nghiệm băng dán kháng khuẩn",
        principal_investigator="Trưởng nhóm nghiên cứu vật liệu nano (demo)", field="Vật liệu mới – y sinh",
        objectives="Hoàn thiện quy trình chế tạo nano vàng dạng ngôi sao và lưỡng tháp tam giác; chế tạo mẫu băng dán kháng khuẩn nền Polyurethane.",
        promised_products="Quy trình chế tạo nano vàng; mẫu thử nghiệm băng dán kháng khuẩn; hồ sơ chuyển giao cho doanh nghiệp sản xuất vật tư y tế.",
        trl_start=3, trl_target=6, approved_total=2_400_000_000, contract_number="DEMO-HĐ-19/2019",
        contract_start=dt.date(2019, 9, 1), contract_end=dt.date(2022, 3, 31), ordered_on=dt.date(2019, 3, 15), created_by=officer,
    )
    if csiro:
        TaskPartner.objects.create(task=dressing, organisation=csiro, kind=TaskPartner.Kind.INTERNATIONAL,
                                   role="Hỗ trợ hoàn thiện quy trình chế tạo nano vàng dạng ngôi sao và lưỡng tháp tam giác")
    TeamMember.objects.create(task=dressing, name="Nhóm vật liệu nano, SHTP R&D (demo)", role="Thực hiện", organisation=shtp)
    for year, source, amount in ((2019, "state", 900_000_000), (2020, "state", 1_000_000_000), (2021, "counterpart", 500_000_000)):
        BudgetLine.objects.create(task=dressing, year=year, source=source, amount=amount)
    Milestone.objects.create(task=dressing, title="Quy trình chế tạo nano vàng ổn định", due_on=dt.date(2020, 9, 30), done_on=dt.date(2020, 10, 15))
    Milestone.objects.create(task=dressing, title="Mẫu băng dán kháng khuẩn thử nghiệm", due_on=dt.date(2021, 12, 31), done_on=dt.date(2021, 12, 20))
    Report.objects.create(task=dressing, dated=dt.date(2020, 10, 15), summary="Hoàn thành quy trình chế tạo nano vàng dạng ngôi sao với sự hỗ trợ của CSIRO.")
    _council(dressing, Council.Kind.SELECTION, when=dt.date(2019, 7, 10), scores=[8, 8, 9, 7], minutes=True)
    _council(dressing, Council.Kind.ACCEPTANCE, when=dt.date(2022, 6, 15), scores=[8, 8, 8], minutes=True)
    dressing_output = Output.objects.create(
        task=dressing, kind=Output.Kind.PROTOTYPE, title="Băng dán kháng khuẩn nanocomposite nano vàng – Polyurethane", trl=6,
        description="Mẫu thử nghiệm băng dán kháng khuẩn; hướng tới vật tư tiêu hao y tế và mỹ phẩm.")
    Output.objects.create(task=dressing, kind=Output.Kind.PROCESS, title="Quy trình chế tạo nano vàng dạng ngôi sao và lưỡng tháp tam giác", trl=5)
    offer = Offer.objects.create(
        title="Băng gạc kháng khuẩn từ vật liệu nanocomposite nano vàng – Polyurethane", organisation=shtp, output=dressing_output, trl=6,
        summary="Công nghệ chế tạo băng dán, băng gạc kháng khuẩn dùng nano vàng trên nền Polyurethane, đã nghiệm thu năm 2022; "
                "sẵn sàng chuyển giao cho doanh nghiệp sản xuất vật tư y tế tiêu hao để sản xuất số lượng lớn, nội địa hóa vật tư y tế.",
        licence_terms="Chuyển giao độc quyền hoặc không độc quyền; hỗ trợ kỹ thuật khi sản xuất thử.",
        contact="Phòng chuyển giao công nghệ, SHTP R&D",
    )

    medical, _c = Organisation.objects.get_or_create(
        slug="demo-vat-tu-y-te-phuong-nam", defaults=dict(
            kind=Organisation.Kind.ENTERPRISE, helix=Organisation.Helix.PRIVATE, name="Công ty Cổ phần Vật tư Y tế Phương Nam (demo)",
            city="TP. Hồ Chí Minh", description="Doanh nghiệp sản xuất vật tư tiêu hao y tế (dữ liệu minh họa).", verified=True))
    need = Need.objects.create(
        organisation=medical, title="Cần công nghệ sản xuất băng gạc kháng khuẩn cho bệnh viện",
        description="Doanh nghiệp tìm công nghệ băng gạc, băng dán vết thương có khả năng kháng khuẩn để sản xuất trong nước, thay thế hàng nhập khẩu.")
    buyer, _c = User.objects.get_or_create(username="medsupply", defaults=dict(
        email="medsupply@innohub.local", full_name="Phạm Văn Nam", role="applicant"))
    if _c:
        from innohub.accounts.demo import DEMO_PASSWORD

        buyer.set_password(DEMO_PASSWORD)
        buyer.save(update_fields=["password"])
    Membership.objects.get_or_create(user=buyer, organisation=medical)
    Interest.objects.create(offer=offer, user=buyer, organisation=medical, need=need,
                            message="Chúng tôi muốn tìm hiểu điều kiện chuyển giao và sản xuất thử.")
    spin_off, _c = Organisation.objects.get_or_create(
        slug="demo-nanogold-care", defaults=dict(
            kind=Organisation.Kind.STARTUP, helix=Organisation.Helix.PRIVATE, name="Công ty TNHH NanoGold Care (demo)",
            city="TP. Hồ Chí Minh", stage=Organisation.Stage.INCUBATION, founded_on=dt.date(2023, 5, 1), verified=True,
            description="Công ty khởi nghiệp tách ra từ nhiệm vụ băng dán kháng khuẩn nano vàng (dữ liệu minh họa)."))
    TransferDeal.objects.create(offer=offer, buyer=spin_off, spin_off=spin_off, kind=TransferDeal.Kind.SPIN_OFF, signed_on=dt.date(2023, 6, 1),
                                value=300_000_000, royalty_percent=Decimal("3.00"), paid=100_000_000, in_production=False,
                                jobs=6, followed_up_on=dt.date(2024, 6, 1))

    # 2. the SiC pressure sensor for flood monitoring in Nhà Bè: under contract
    sensor = Task.objects.create(
        code="DEMO-2021-02", regime="2013", state="in_progress", selection=Task.Selection.DIRECT, host=shtp,
        title="Nghiên cứu, thiết kế, chế tạo cảm biến áp suất sử dụng vật liệu Silicon Carbide (SiC) ứng dụng trong hệ thống trạm quan trắc ngập lụt đô thị trực tuyến và triển khai lắp đặt tại địa bàn huyện Nhà Bè, TP.HCM",
        principal_investigator="Trưởng nhóm vi cơ điện tử (demo)", field="Vi điện tử – đô thị thông minh",
        objectives="Chế tạo cảm biến áp suất SiC; xây dựng trạm quan trắc ngập lụt trực tuyến; lắp đặt tại huyện Nhà Bè.",
        promised_products="Cảm biến áp suất SiC; trạm quan trắc ngập lụt trực tuyến lắp đặt thử nghiệm tại Nhà Bè.",
        trl_start=3, trl_target=7, approved_total=3_000_000_000, contract_number="DEMO-HĐ-07/2021",
        contract_start=dt.date(2021, 10, 1), contract_end=dt.date(2026, 12, 31), ordered_on=dt.date(2021, 3, 1), created_by=officer,
    )
    if griffith:
        TaskPartner.objects.create(task=sensor, organisation=griffith, kind=TaskPartner.Kind.INTERNATIONAL,
                                   role="Hỗ trợ chế tạo cảm biến áp suất sử dụng vật liệu SiC")
        # the action agreed with Griffith that led to the task (cooperation's demo): the chain's first link
        from innohub.cooperation.models import Action

        origin = Action.objects.filter(direction__meeting__partner__organisation=griffith).order_by("id").first()
        if origin is not None and officer is not None:
            services.task_origin_link(code=sensor.code, action=origin, actor=officer)
    for year, source, amount in ((2021, "state", 1_200_000_000), (2022, "state", 1_300_000_000), (2022, "counterpart", 400_000_000)):
        BudgetLine.objects.create(task=sensor, year=year, source=source, amount=amount)
    Milestone.objects.create(task=sensor, title="Lắp đặt trạm quan trắc thử nghiệm tại Nhà Bè", due_on=dt.date(2026, 6, 30))
    _council(sensor, Council.Kind.SELECTION, when=dt.date(2021, 7, 20), scores=[8, 7, 8, 8], minutes=True)
    Report.objects.create(task=sensor, dated=dt.date(2023, 6, 30), summary="Đại học Griffith hỗ trợ chế tạo các mẫu cảm biến SiC theo thiết kế của nhóm.")
    Output.objects.create(task=sensor, kind=Output.Kind.PROTOTYPE, title="Cảm biến áp suất SiC cho trạm quan trắc ngập lụt", trl=5)

    # 3. the AI policy study by HCMUT: in progress
    policy = Task.objects.create(
        code="DEMO-2024-03", regime="2013", state="in_progress", selection=Task.Selection.DIRECT, host=hcmut,
        title="Xây dựng cơ chế, chính sách thúc đẩy nghiên cứu, phát triển và ứng dụng trí tuệ nhân tạo trên địa bàn TP.HCM đến năm 2025, tầm nhìn 2030",
        principal_investigator="Chủ nhiệm nhiệm vụ, HCMUT (demo)", field="Chính sách khoa học – trí tuệ nhân tạo",
        objectives="Học tập kinh nghiệm chính sách và mô hình thương mại hóa nghiên cứu AI của các trường, lab tại Australia.",
        promised_products="Báo cáo đề xuất cơ chế, chính sách; dự thảo văn bản trình UBND Thành phố.",
        approved_total=1_500_000_000, contract_number="DEMO-HĐ-11/2024",
        contract_start=dt.date(2024, 5, 1), contract_end=dt.date(2026, 10, 31), ordered_on=dt.date(2024, 1, 15), created_by=officer,
    )
    if uts:
        TaskPartner.objects.create(task=policy, organisation=uts, kind=TaskPartner.Kind.INTERNATIONAL, role="Chia sẻ kinh nghiệm, mô hình Rapido")
    BudgetLine.objects.create(task=policy, year=2024, source="state", amount=800_000_000)
    BudgetLine.objects.create(task=policy, year=2025, source="state", amount=700_000_000)
    _council(policy, Council.Kind.SELECTION, when=dt.date(2024, 3, 20), scores=[9, 8, 8, 8], minutes=True)
    Output.objects.create(task=policy, kind=Output.Kind.PUBLICATION, title="Báo cáo kinh nghiệm chính sách AI của Australia (dự thảo)")
    return {"tasks": 3, "offers": 1, "needs": 1, "deals": 1}
