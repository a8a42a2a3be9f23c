"""Given a finished run, when its reports are made, then the PDF shows names as they are written
(markup characters included), table headings wrap between words, and the spreadsheets hold the
numbers as the pages show them."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from innohub.indicators import reports
from innohub.indicators.models import Unit

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_names_with_ampersands_and_angle_brackets_show_as_written_in_the_pdfs(client, finished_run):
    snapshot = finished_run.framework_snapshot
    snapshot["indicators"][0]["name"] = "Chi cho R&D <trên GRDP>"
    finished_run.save(update_fields=["framework_snapshot"])
    Unit.objects.filter(code="Q3").update(name="Quận 3 & <Võ Văn Tần>")
    framework_text = pdf_text(client.get(reverse("indicators:report", args=["pdf"])).content)
    assert "Chi cho R&D <trên GRDP>" in framework_text and "R&D;" not in framework_text
    assert "Quận 3 & <Võ Văn Tần>" in framework_text
    unit_text = pdf_text(client.get(reverse("indicators:unit-report", args=["Q3", "pdf"])).content)
    assert "Quận 3 & <Võ Văn Tần>" in unit_text and "Chi cho R&D <trên GRDP>" in unit_text


def test_a_table_heading_wider_than_its_column_wraps_between_words():
    styles = reports._styles()
    table = reports._table([["Infrastructure", "Market development"], ["81,20", "7,01"]], [60, 60], styles)
    lines = pdf_text(reports._pdf([table])).splitlines()
    assert "Infrastructure" in lines
    assert "development" in " ".join(lines)
    assert not any(line.endswith(("Infrastructur", "deve")) for line in lines)
