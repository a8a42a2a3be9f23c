"""The back office's forms editor (staff only): the versions of every kind of form the apps
declare (`forms.kinds`), one version with where it is used and its preview, and the page that
writes a new version — the schema as JSON text beside the engine's description of the field
kinds, "Preview" showing the form as applicants and registrants will see it before saving.

Views hold no rules: `forms.services` checks, saves and audits; `forms.selectors` reads.
"""

from __future__ import annotations

import json
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from innohub.core.errors import ApplicationError
from innohub.core.pagination import paginate
from innohub.core.permissions import role_required
from innohub.core.roles import STAFF_ROLES
from innohub.forms import selectors, services
from innohub.forms.django_form import SchemaForm
from innohub.forms.editor import FormVersionForm
from innohub.forms.kinds import FormKind, form_kind_get, form_kinds
from innohub.forms.schema import (
    ALLOWED_UPLOADS,
    DEFAULT_MAX_UPLOAD_MB,
    FIELD_KIND_HELP,
    schema_fields,
)

# officers and managers write forms (administrators too); reviewers, applicants and citizens never
WRITE_FORMS = STAFF_ROLES

# what a new form starts from: one section, one field, valid as it is
STARTER_SCHEMA = {"sections": [{"key": "main", "title": {"vi": "Thông tin", "en": "Information"}, "fields": [
    {"key": "name", "kind": "text", "required": True, "label": {"vi": "Họ và tên", "en": "Full name"}, "max_length": 200},
]}]}


def _preview(schema: dict[str, Any]) -> dict[str, Any]:
    """The form as its readers will see it (file fields listed: each is uploaded on its own)."""
    form = SchemaForm(schema=schema, enforce_required=True, prefix="preview")
    files = [f for f in schema_fields(schema) if f.get("kind") == "file"]
    from innohub.forms.display import field_label

    return {"form": form, "files": [{"label": field_label(f), "accept": ", ".join(f.get("accept") or ALLOWED_UPLOADS),
                                     "max_size_mb": f.get("max_size_mb", DEFAULT_MAX_UPLOAD_MB)} for f in files]}


@role_required(WRITE_FORMS)
def form_list(request: HttpRequest) -> HttpResponse:
    kinds = form_kinds()
    chosen = request.GET.get("kind", "")
    if chosen not in {kind.code for kind in kinds}:
        chosen = ""
    page = paginate(request, selectors.form_rows(kind_code=chosen))
    for kind, grouped in groupby(page.object_list, key=lambda row: row["kind"]):
        rows = list(grouped)
        usage = selectors.form_usage(kind=kind, ids=[row["pk"] for row in rows])
        for row in rows:
            row["usage"] = usage[row["pk"]]
    return TemplateResponse(request, "forms/list.html", {"page": page, "kinds": kinds, "chosen": chosen})


def _version(kind: FormKind, pk: int) -> Any:
    return get_object_or_404(kind.model_class(), pk=pk)


@role_required(WRITE_FORMS)
def form_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    form_kind = form_kind_get(kind)
    version = _version(form_kind, pk)
    latest = form_kind.model_class().objects.filter(code=version.code).order_by("-version").values_list("version", flat=True).first()  # type: ignore[attr-defined]
    return TemplateResponse(request, "forms/detail.html", {
        "kind": form_kind, "version": version, "latest": latest, "users": selectors.form_users(kind=form_kind, version=version),
        "preview": _preview(version.schema), "schema_text": json.dumps(version.schema, ensure_ascii=False, indent=2),
    })


def _editor(request: HttpRequest, *, kind: FormKind, base: Any, form: FormVersionForm, problems: list[str],
            preview: dict[str, Any] | None, status: int = 200) -> HttpResponse:
    rows = [{"anchor": form[name].id_for_label, "label": str(form.fields[name].label), "message": str(error)}
            for name in form.fields for error in form.errors.get(name, [])]
    rows += [{"anchor": "id_schema", "label": _("Schema (JSON)"), "message": problem} for problem in problems]
    return TemplateResponse(request, "forms/edit.html", {
        "kind": kind, "base": base, "form": form, "problems": problems, "error_rows": rows, "preview": preview,
        "kind_help": sorted(FIELD_KIND_HELP.items()), "uploads": ", ".join(ALLOWED_UPLOADS),
        "example": json.dumps(STARTER_SCHEMA, ensure_ascii=False, indent=2),
    }, status=status)


@role_required(WRITE_FORMS)
def form_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    """A new version of version ``pk`` (or a new form): "Preview" shows it, "Save" writes it."""
    form_kind = form_kind_get(kind)
    base = _version(form_kind, pk) if pk is not None else None
    if request.method != "POST":
        initial = FormVersionForm.initial_for(base) if base is not None else {"schema": json.dumps(STARTER_SCHEMA, ensure_ascii=False, indent=2)}
        return _editor(request, kind=form_kind, base=base, form=FormVersionForm(initial=initial, new=base is None), problems=[], preview=None)
    form = FormVersionForm(request.POST, new=base is None)
    valid = form.is_valid()
    schema, problems = services.schema_parse(request.POST.get("schema", ""))
    preview = _preview(schema) if not problems else None
    if request.POST.get("action") == "preview" or not valid:
        return _editor(request, kind=form_kind, base=base, form=form, problems=problems, preview=preview,
                       status=400 if problems or not valid else 200)
    try:
        version: Any = services.form_version_write(
            kind=form_kind, code=base.code if base is not None else form.cleaned_data["code"], title=form.cleaned_data["title"],
            schema_text=form.cleaned_data["schema"], actor=request.user, base=base,
        )
    except ApplicationError as exc:
        for field in ("code", "title"):
            for message in exc.extra.get(field, []):
                form.add_error(field if field in form.fields else None, message)
        return _editor(request, kind=form_kind, base=base, form=form, problems=list(exc.extra.get("schema", [])), preview=preview, status=400)
    messages.success(request, _("Version %(version)s of the form is saved. Choose it on a call or an event to use it.") % {"version": version.version})
    return redirect("forms:detail", kind=form_kind.code, pk=version.pk)
