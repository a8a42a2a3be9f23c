"""The certificate of attendance as a PDF (reportlab, A4 landscape): the department's name,
the attendee, the event and its dates (a course's sessions attended), the certificate's
number and a QR code to its public verification page. Vietnamese first, English beneath.

The font is DejaVu Sans, the TTF the indicators' reports use (reportlab's own fonts lack
ư, ơ, ạ, ễ…), registered once by `indicators.reports._register_fonts`.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from innohub.core.dates import format_date
from innohub.core.links import absolute_url
from innohub.events.codes import qr_png
from innohub.events.models import Certificate
from innohub.indicators.reports import FONT, FONT_BOLD, _register_fonts

DEPARTMENT_VI = "SỞ KHOA HỌC VÀ CÔNG NGHỆ THÀNH PHỐ HỒ CHÍ MINH"
DEPARTMENT_EN = "Department of Science and Technology of Ho Chi Minh City"
NAVY = colors.HexColor("#0b3d66")
GOLD = colors.HexColor("#b8860b")


def verify_url(certificate: Certificate) -> str:
    return absolute_url(reverse("events:verify") + "?" + urlencode({"number": certificate.number}), language="vi")


def _fit(c: canvas.Canvas, text: str, font: str, size: float, width: float) -> float:
    while size > 8 and c.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _centred(c: canvas.Canvas, text: str, y: float, font: str, size: float, page_width: float, color=colors.black) -> None:
    size = _fit(c, text, font, size, page_width - 5 * cm)
    c.setFont(font, size)
    c.setFillColor(color)
    c.drawCentredString(page_width / 2, y, text)


def certificate_pdf(certificate: Certificate) -> bytes:
    _register_fonts()
    registration = certificate.registration
    event = registration.event
    buffer = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(buffer, pagesize=(width, height))
    c.setTitle(f"Giấy chứng nhận {certificate.number}")
    c.setAuthor(DEPARTMENT_VI.title())
    # frame
    c.setStrokeColor(NAVY)
    c.setLineWidth(3)
    c.rect(1 * cm, 1 * cm, width - 2 * cm, height - 2 * cm)
    c.setStrokeColor(GOLD)
    c.setLineWidth(1)
    c.rect(1.3 * cm, 1.3 * cm, width - 2.6 * cm, height - 2.6 * cm)
    # header
    _centred(c, "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", height - 2.6 * cm, FONT, 11, width)
    _centred(c, DEPARTMENT_VI, height - 3.2 * cm, FONT_BOLD, 13, width, NAVY)
    _centred(c, DEPARTMENT_EN, height - 3.75 * cm, FONT, 9.5, width, colors.HexColor("#444444"))
    c.setStrokeColor(NAVY)
    c.line(width / 2 - 3 * cm, height - 4.05 * cm, width / 2 + 3 * cm, height - 4.05 * cm)
    # title
    _centred(c, "GIẤY CHỨNG NHẬN", height - 5.6 * cm, FONT_BOLD, 30, width, NAVY)
    _centred(c, "CERTIFICATE OF ATTENDANCE", height - 6.4 * cm, FONT, 12, width, GOLD)
    _centred(c, "Chứng nhận Ông/Bà · This certifies that", height - 7.7 * cm, FONT, 12, width)
    _centred(c, registration.name, height - 9.0 * cm, FONT_BOLD, 24, width, NAVY)
    if registration.organisation_name:
        _centred(c, registration.organisation_name, height - 9.8 * cm, FONT, 12, width)
    kind_vi = "khóa đào tạo" if event.kind == event.Kind.COURSE else "sự kiện"
    _centred(c, f"đã tham dự {kind_vi} · attended", height - 11.0 * cm, FONT, 12, width)
    _centred(c, event.title, height - 12.1 * cm, FONT_BOLD, 17, width)
    if event.title_en and event.title_en != event.title:
        _centred(c, event.title_en, height - 12.8 * cm, FONT, 11, width, colors.HexColor("#444444"))
    start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    dates = format_date(start) if start.date() == end.date() else f"{format_date(start)} – {format_date(end)}"
    line = f"{dates} · {event.place}" if event.place else dates
    _centred(c, line, height - 13.6 * cm, FONT, 11, width)
    if certificate.sessions_total > 1:
        _centred(c, f"Số buổi tham dự / Sessions attended: {certificate.sessions_attended}/{certificate.sessions_total}",
                 height - 14.3 * cm, FONT, 10.5, width)
    # signature block (right), number and QR (left)
    issued = timezone.localtime(certificate.issued_at)
    c.setFillColor(colors.black)
    c.setFont(FONT, 10.5)
    c.drawCentredString(width - 7 * cm, 5.2 * cm, f"TP. Hồ Chí Minh, ngày {issued.day:02d} tháng {issued.month:02d} năm {issued.year}")
    c.setFont(FONT_BOLD, 11)
    c.drawCentredString(width - 7 * cm, 4.6 * cm, "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    c.setFont(FONT, 9)
    c.drawCentredString(width - 7 * cm, 4.15 * cm, "Director, Department of Science and Technology")
    qr = ImageReader(io.BytesIO(qr_png(verify_url(certificate), scale=6)))
    c.drawImage(qr, 2.2 * cm, 2.0 * cm, width=3.6 * cm, height=3.6 * cm)
    c.setFont(FONT_BOLD, 10.5)
    c.drawString(6.2 * cm, 4.6 * cm, f"Số / No.: {certificate.number}")
    c.setFont(FONT, 9)
    c.drawString(6.2 * cm, 4.05 * cm, "Quét mã QR để kiểm tra giấy chứng nhận này là thật.")
    c.drawString(6.2 * cm, 3.6 * cm, "Scan the QR code to check that this certificate is genuine.")
    c.setFillColor(colors.HexColor("#444444"))
    c.setFont(FONT, 8)
    c.drawString(6.2 * cm, 3.1 * cm, verify_url(certificate)[:110])
    c.showPage()
    c.save()
    return buffer.getvalue()
