"""The seeded configuration: the three programmes and their ceilings, the default
application form, rubric and workflow. Used by the demo data, the tests and the benchmark;
each function is idempotent (get or create by code and version).
"""

from __future__ import annotations

from innohub.programs.models import (
    Criterion,
    FormDefinition,
    Programme,
    Rubric,
    StageCeiling,
    Workflow,
)
from innohub.programs.stages import DEFAULT_STAGES
from innohub.programs.workflows import DEFAULT_WORKFLOW


def _l(vi: str, en: str) -> dict[str, str]:
    return {"vi": vi, "en": en}


DEFAULT_FORM_SCHEMA = {
    "sections": [
        {
            "key": "project",
            "title": _l("Dự án", "Project"),
            "fields": [
                {"key": "summary", "kind": "textarea", "required": True,
                 "label": _l("Tóm tắt dự án", "Project summary"),
                 "help": _l("Vấn đề, giải pháp, khách hàng – tối đa 300 từ.", "Problem, solution, customers – 300 words at most.")},
                {"key": "innovation", "kind": "textarea", "required": True,
                 "label": _l("Tính đổi mới sáng tạo", "What is innovative"), "help": _l("", "")},
                {"key": "market", "kind": "choice", "required": False,
                 "label": _l("Thị trường chính", "Main market"),
                 "choices": [["domestic", _l("Trong nước", "Domestic")], ["regional", _l("Khu vực ASEAN", "ASEAN")], ["global", _l("Toàn cầu", "Global")]]},
            ],
        },
        {
            "key": "team",
            "title": _l("Đội ngũ và kế hoạch", "Team and plan"),
            "fields": [
                {"key": "team_size", "kind": "number", "required": True, "label": _l("Số thành viên", "Team size")},
                {"key": "plan", "kind": "textarea", "required": True,
                 "label": _l("Kế hoạch sử dụng kinh phí và các mốc", "Use of funds and milestones")},
                {"key": "business_plan", "kind": "file", "required": True, "accept": [".pdf", ".docx"], "max_size_mb": 10,
                 "label": _l("Kế hoạch kinh doanh", "Business plan"), "help": _l("PDF hoặc DOCX, tối đa 10 MB.", "PDF or DOCX, 10 MB at most.")},
                {"key": "pitch_deck", "kind": "file", "required": False, "accept": [".pdf", ".pptx"], "max_size_mb": 20,
                 "label": _l("Bài thuyết trình", "Pitch deck")},
            ],
        },
    ]
}

DEFAULT_CRITERIA = [
    ("innovation", "Tính đổi mới sáng tạo", "Innovation", 3, False),
    ("team", "Năng lực đội ngũ", "Team", 2, False),
    ("market", "Thị trường và mô hình kinh doanh", "Market and business model", 2, False),
    ("impact", "Tác động xã hội và môi trường", "Social and environmental impact", 1, True),
    ("feasibility", "Tính khả thi của kế hoạch", "Feasibility of the plan", 2, False),
]


def default_workflow() -> Workflow:
    workflow, _created = Workflow.objects.get_or_create(
        code="startup-support", version=1, defaults={"name": "Hỗ trợ khởi nghiệp", "definition": DEFAULT_WORKFLOW}
    )
    return workflow


def default_form() -> FormDefinition:
    form, _created = FormDefinition.objects.get_or_create(
        code="startup-support", version=1, defaults={"title": "Hồ sơ đề nghị hỗ trợ khởi nghiệp", "schema": DEFAULT_FORM_SCHEMA}
    )
    return form


def default_rubric() -> Rubric:
    rubric = Rubric.objects.filter(name="Tiêu chí thẩm định khởi nghiệp").first()
    if rubric is None:
        rubric = Rubric.objects.create(name="Tiêu chí thẩm định khởi nghiệp")
        for order, (code, vi, en, weight, na) in enumerate(DEFAULT_CRITERIA):
            Criterion.objects.create(rubric=rubric, code=code, label=vi, label_en=en, weight=weight,
                                     min_score=0, max_score=10, allow_not_applicable=na, order=order)
    return rubric


def ensure_programmes(year: int = 2026) -> dict[str, Programme]:
    names = {
        "pre_incubation": ("Chương trình hỗ trợ tiền ươm tạo", "Pre-incubation support programme"),
        "incubation": ("Chương trình hỗ trợ ươm tạo", "Incubation support programme"),
        "acceleration": ("Chương trình hỗ trợ tăng tốc", "Acceleration support programme"),
    }
    out = {}
    for order, stage in enumerate(DEFAULT_STAGES):
        vi, en = names[stage.code]
        with_lang = {"name": vi, "name_en": en, "order": order}
        programme, _created = Programme.objects.get_or_create(stage=stage.code, defaults=with_lang)
        StageCeiling.objects.get_or_create(programme=programme, year=year, defaults={"amount": stage.ceiling})
        out[stage.code] = programme
    return out
