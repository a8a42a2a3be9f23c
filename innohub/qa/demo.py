"""Demo data of the Q&A service: units, topics, holidays, three policy documents written
for the demo (not real legal texts, and not the vi-qa evaluation data), published answers
citing them, and open questions in the inbox, one overdue. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from innohub.activity.demo import history_spread
from innohub.activity.models import Notification
from innohub.core import calendar
from innohub.qa import search, services
from innohub.qa.models import Answer, KnowledgeDocument, Question, Topic, Unit

UNITS = [
    ("startup", "Phòng Quản lý Khởi nghiệp đổi mới sáng tạo", "Innovative Startups Office"),
    ("technology", "Phòng Quản lý Công nghệ và Thị trường công nghệ", "Technology and Technology Market Office"),
    ("cooperation", "Phòng Hợp tác quốc tế", "International Cooperation Office"),
    ("office", "Văn phòng Sở", "Department Office"),
]
TOPICS = [
    ("startup-support", "Hỗ trợ khởi nghiệp", "Support for startups", "startup", 10),
    ("programmes", "Chương trình và đợt kêu gọi", "Programmes and calls", "startup", 10),
    ("research-transfer", "Nghiên cứu và chuyển giao công nghệ", "Research and technology transfer", "technology", 15),
    ("international", "Hợp tác quốc tế", "International cooperation", "cooperation", 15),
    ("other", "Khác", "Other", "office", 10),
]

DECISION_STARTUPS = """QUYẾT ĐỊNH
Ban hành Quy định hỗ trợ không hoàn lại cho khởi nghiệp đổi mới sáng tạo trên địa bàn Thành phố Hồ Chí Minh

Chương I. QUY ĐỊNH CHUNG

Điều 1. Phạm vi điều chỉnh
Quy định này quy định nội dung, mức hỗ trợ không hoàn lại và trình tự xét chọn hỗ trợ cho cá nhân, nhóm cá nhân và doanh nghiệp khởi nghiệp đổi mới sáng tạo trên địa bàn Thành phố.

Điều 2. Đối tượng áp dụng
1. Cá nhân, nhóm cá nhân có dự án khởi nghiệp đổi mới sáng tạo khả thi, có ý tưởng sản phẩm, dịch vụ dựa trên công nghệ mới hoặc mô hình kinh doanh mới.
2. Doanh nghiệp khởi nghiệp đổi mới sáng tạo thành lập không quá 05 năm tính đến ngày nộp hồ sơ, có trụ sở chính tại Thành phố Hồ Chí Minh.
3. Tổ chức hỗ trợ khởi nghiệp đổi mới sáng tạo thực hiện ươm tạo, tăng tốc cho các đối tượng tại khoản 1 và khoản 2 Điều này.

Chương II. NỘI DUNG VÀ MỨC HỖ TRỢ

Điều 5. Mức hỗ trợ theo giai đoạn
1. Giai đoạn tiền ươm tạo: hỗ trợ không hoàn lại tối đa 40.000.000 đồng cho mỗi dự án để hoàn thiện ý tưởng, làm sản phẩm mẫu và kiểm chứng thị trường.
2. Giai đoạn ươm tạo: hỗ trợ không hoàn lại tối đa 80.000.000 đồng cho mỗi doanh nghiệp để hoàn thiện sản phẩm, thử nghiệm với khách hàng và xây dựng mô hình kinh doanh.
3. Giai đoạn tăng tốc: hỗ trợ không hoàn lại tối đa 400.000.000 đồng cho mỗi doanh nghiệp để thương mại hóa sản phẩm, mở rộng thị trường và gọi vốn đầu tư.
4. Mỗi đối tượng chỉ được hỗ trợ một lần cho mỗi giai đoạn; kinh phí được cấp theo các đợt gắn với kết quả thực hiện.

Điều 6. Nội dung chi được hỗ trợ
1. Chi thuê chuyên gia tư vấn, huấn luyện về công nghệ, sở hữu trí tuệ, tài chính và gọi vốn.
2. Chi làm sản phẩm mẫu, thử nghiệm, kiểm định và đo lường chất lượng sản phẩm.
3. Chi thuê mặt bằng làm việc tại cơ sở ươm tạo, khu làm việc chung trong thời gian tối đa 12 tháng.
4. Không hỗ trợ chi lương thường xuyên, mua sắm tài sản cố định và các khoản chi đã được ngân sách nhà nước hỗ trợ từ nguồn khác.

Chương III. TRÌNH TỰ XÉT CHỌN

Điều 8. Hồ sơ đề nghị hỗ trợ
1. Đơn đề nghị hỗ trợ theo mẫu.
2. Thuyết minh dự án khởi nghiệp, kế hoạch thực hiện và dự toán kinh phí.
3. Bản sao giấy chứng nhận đăng ký doanh nghiệp đối với doanh nghiệp khởi nghiệp.
4. Hồ sơ được nộp trực tuyến trên Cổng dịch vụ công của Thành phố hoặc trực tiếp tại Sở Khoa học và Công nghệ.

Điều 9. Xét chọn
1. Sở Khoa học và Công nghệ thành lập Hội đồng tư vấn xét chọn gồm các chuyên gia về công nghệ, đầu tư và quản lý.
2. Trong thời hạn 30 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ, Sở thông báo kết quả xét chọn cho đối tượng đề nghị hỗ trợ.
"""

GUIDE_TRANSFER = """HƯỚNG DẪN
Hỗ trợ chuyển giao, thương mại hóa kết quả nghiên cứu khoa học và phát triển công nghệ

Điều 1. Đối tượng được hỗ trợ
1. Viện nghiên cứu, trường đại học có kết quả nghiên cứu đã được đánh giá, nghiệm thu.
2. Doanh nghiệp nhận chuyển giao công nghệ để sản xuất, kinh doanh tại Thành phố Hồ Chí Minh.

Điều 2. Nội dung hỗ trợ
1. Hỗ trợ tối đa 30% kinh phí hoàn thiện công nghệ, làm chủ công nghệ được chuyển giao, nhưng không quá 1.000.000.000 đồng cho một hợp đồng.
2. Hỗ trợ chi phí định giá công nghệ, tư vấn pháp lý và đăng ký bảo hộ quyền sở hữu trí tuệ.
3. Giới thiệu công nghệ tại Sàn giao dịch công nghệ Thành phố và các chợ công nghệ – thiết bị.

Điều 3. Thủ tục
1. Hợp đồng chuyển giao công nghệ phải được đăng ký theo quy định của pháp luật về chuyển giao công nghệ.
2. Hồ sơ đề nghị hỗ trợ gồm đơn đề nghị, hợp đồng chuyển giao công nghệ và phương án hoàn thiện công nghệ.
"""

RULES_COOPERATION = """QUY CHẾ
Tiếp đón đoàn quốc tế và theo dõi thỏa thuận hợp tác về khoa học, công nghệ và đổi mới sáng tạo

Điều 1. Đề nghị làm việc với Sở
1. Tổ chức nước ngoài đề nghị làm việc với Sở gửi văn bản ít nhất 10 ngày làm việc trước ngày dự kiến, nêu rõ thành phần đoàn, nội dung và mục tiêu hợp tác.
2. Phòng Hợp tác quốc tế là đầu mối tiếp nhận, trình Lãnh đạo Sở và thông báo kết quả cho tổ chức đề nghị.

Điều 2. Theo dõi nội dung đã thống nhất
1. Sau mỗi buổi làm việc, Phòng Hợp tác quốc tế ghi nhận các nội dung đã thống nhất, đơn vị chủ trì và thời hạn thực hiện.
2. Kết quả thực hiện được báo cáo Lãnh đạo Sở hằng quý.
"""

DOCUMENTS = [
    ("Quy định hỗ trợ không hoàn lại cho khởi nghiệp đổi mới sáng tạo", "1208/QĐ-SKHCN", "Sở Khoa học và Công nghệ TP.HCM", dt.date(2026, 3, 15), "quy-dinh-khoi-nghiep.txt", DECISION_STARTUPS),
    ("Hướng dẫn hỗ trợ chuyển giao, thương mại hóa kết quả nghiên cứu", "452/HD-SKHCN", "Sở Khoa học và Công nghệ TP.HCM", dt.date(2026, 5, 4), "huong-dan-chuyen-giao.txt", GUIDE_TRANSFER),
    ("Quy chế tiếp đón đoàn quốc tế và theo dõi thỏa thuận hợp tác", "77/QC-SKHCN", "Sở Khoa học và Công nghệ TP.HCM", dt.date(2026, 1, 20), "quy-che-hop-tac.txt", RULES_COOPERATION),
]

# topic, asker, e-mail, question as asked, and the public wording the officer gave it ("" keeps
# the automatically redacted text)
PUBLISHED = [
    ("startup-support", "Trần Thị Mai", "mai.demo@example.vn", "Tôi là Trần Thị Mai, SĐT 0912 345 678. Doanh nghiệp khởi nghiệp của tôi đang ở giai đoạn ươm tạo thì được hỗ trợ không hoàn lại tối đa bao nhiêu tiền?", "Doanh nghiệp khởi nghiệp ở giai đoạn ươm tạo được hỗ trợ không hoàn lại tối đa bao nhiêu tiền?"),
    ("startup-support", "Lê Văn Phúc", "phuc.demo@example.vn", "Giai đoạn tăng tốc được hỗ trợ bao nhiêu và có được dùng để chi lương nhân viên không?", ""),
    ("programmes", "Phạm Anh Thư", "thu.demo@example.vn", "Hồ sơ đề nghị hỗ trợ khởi nghiệp gồm những gì và nộp ở đâu?", ""),
    ("research-transfer", "Đỗ Quang Huy", "huy.demo@example.vn", "Doanh nghiệp nhận chuyển giao công nghệ từ trường đại học được hỗ trợ những gì?", ""),
]
# readers' ratings of each published answer: how many found it helpful, and what the others missed
RATINGS = [
    (5, ["Chưa nói rõ hồ sơ giai đoạn ươm tạo cần những giấy tờ gì."]),
    (3, []),
    (2, ["Cần ghi rõ địa chỉ và giờ tiếp nhận hồ sơ trực tiếp."]),
    (1, []),
]

OPEN = [
    ("startup-support", "Ngô Bảo Ngọc", "ngoc.demo@example.vn", "Nhóm sinh viên chưa thành lập doanh nghiệp có được nhận hỗ trợ tiền ươm tạo không?", -3),
    ("international", "Hoàng Minh Tuấn", "tuan.demo@example.vn", "Trường đại học nước ngoài muốn làm việc với Sở về hợp tác đổi mới sáng tạo thì cần gửi đề nghị trước bao lâu?", 6),
    ("programmes", "Vũ Thị Hạnh", "hanh.demo@example.vn", "Khi nào Sở mở đợt kêu gọi hỗ trợ khởi nghiệp tiếp theo trong năm 2027?", 9),
    # asks what an answer already says: the officer is offered to merge it into that question
    ("startup-support", "Phan Quốc Bảo", "bao.demo@example.vn", "Cho tôi hỏi doanh nghiệp khởi nghiệp ở giai đoạn ươm tạo thì được nhận hỗ trợ không hoàn lại tối đa bao nhiêu tiền ạ?", 12),
]

MEMBER_QUESTION = "Công ty tôi muốn tham gia chương trình tăng tốc do các vườn ươm của Thành phố tổ chức thì cần đáp ứng những điều kiện gì?"


def seed() -> dict[str, int]:
    from innohub.accounts.models import User

    units = {code: Unit.objects.get_or_create(code=code, defaults={"name": vi, "name_en": en})[0] for code, vi, en in UNITS}
    for order, (code, vi, en, unit, days) in enumerate(TOPICS):
        Topic.objects.get_or_create(code=code, defaults={"name": vi, "name_en": en, "unit": units[unit], "answer_working_days": days, "order": order})
    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        calendar.public_holidays_fill(year=year, actor=None)
    created = {"documents": 0, "published": 0, "open": 0}
    for title, number, body, issued, filename, text in DOCUMENTS:
        if KnowledgeDocument.objects.filter(number=number).exists():
            continue
        document = KnowledgeDocument(title=title, number=number, issuing_body=body, issued_on=issued, file_kind="txt")
        document.file.save(filename, ContentFile(text.encode("utf-8")), save=True)
        services.knowledge_document_ingest(document_id=document.pk)
        created["documents"] += 1
    if created["documents"]:
        # The demo's answers are drafted below as an officer's are, with the passage vectors
        # when dense retrieval is on: the demo's few passages are encoded here, in seconds,
        # instead of waiting for the worker (drafted by BM25 alone, the answer on the
        # startup dossier quoted the technology-transfer dossier first).
        search.embed("kb")
        services.knowledge_changed()
    officer = User.objects.filter(role="officer", is_active=True).order_by("pk").first()
    manager = User.objects.filter(role="manager", is_active=True).order_by("pk").first()
    if officer is None or manager is None:
        return created
    for (topic, name, email, text, wording), days_ago, ratings in zip(PUBLISHED, (40, 26, 19, 12), RATINGS, strict=True):
        if Question.objects.filter(asker_email=email).exists():
            continue
        question = services.question_ask(topic=Topic.objects.get(code=topic), text=text, asker_name=name, asker_email=email)
        answer = services.question_draft(question=question, actor=officer)
        if wording:
            services.answer_edit(answer=answer, actor=officer, text=answer.draft_text, public_question=wording)
        services.question_submit(question=question, actor=officer)
        services.question_publish(question=question, actor=manager)
        # the steps of an answer published weeks ago are nobody's to do now
        Notification.objects.filter(url=reverse("qa:question", args=[question.pk])).delete()
        # dated back so the statistics have something to show: asked weeks ago, answered in days
        asked = timezone.now() - dt.timedelta(days=days_ago)
        answered = asked + dt.timedelta(days=days_ago // 4 + 2, hours=5)
        Question.objects.filter(pk=question.pk).update(
            created_at=asked,
            due_date=calendar.add_working_days(timezone.localdate(asked), question.topic.answer_working_days),
            closed_at=answered,
        )
        Answer.objects.filter(question=question).update(created_at=asked + dt.timedelta(days=1), approved_at=answered, published_at=answered)
        history_spread(target=question, start=asked, end=answered)
        helpful, missing = ratings
        for n, comment in enumerate([""] * helpful + missing):
            reader = services.feedback_reader(user=None, session_key=f"demo-reader-{n}")
            services.answer_feedback_give(answer=answer, reader=reader, helpful=not comment, comment=comment)
        created["published"] += 1
    # the demo citizen's own question, listed on their "My questions" page
    citizen = User.objects.filter(username="citizen", is_active=True).first()
    if citizen is not None and not Question.objects.filter(asker=citizen).exists():
        services.question_ask(
            topic=Topic.objects.get(code="programmes"), text=MEMBER_QUESTION, asker=citizen,
            asker_name=citizen.display_name, asker_email=citizen.email,
        )
        created["open"] += 1
    for topic, name, email, text, due_in in OPEN:
        if Question.objects.filter(asker_email=email).exists():
            continue
        question = services.question_ask(topic=Topic.objects.get(code=topic), text=text, asker_name=name, asker_email=email)
        if due_in < 0:  # the overdue one: received two weeks ago
            received = timezone.now() - dt.timedelta(days=16)
            Question.objects.filter(pk=question.pk).update(created_at=received, due_date=timezone.localdate() + dt.timedelta(days=due_in))
            history_spread(target=question, start=received, end=received)
        created["open"] += 1
    return created
