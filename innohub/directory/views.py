"""Pages of the directory: public search and profiles, open data, applicants' registration,
claims and proposed edits, and the officers' records, verification, merge, import and export."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from innohub.activity.selectors import event_history
from innohub.core import tabular
from innohub.core.errors import ApplicationError
from innohub.core.i18n import current_language
from innohub.core.pagination import paginate
from innohub.core.permissions import login_required, public, role_required, user_has_role
from innohub.directory import imports, permissions, selectors, services
from innohub.directory.forms import (
    DecisionForm,
    ImportForm,
    MessageForm,
    OrganisationForm,
    PositionForm,
    RelationForm,
)
from innohub.directory.models import ChangeRequest, Organisation, Position, Relation

OPEN_DATA_FIELDS = ["slug", "name", "name_en", "short_name", "kind", "helix", "founded_on", "province", "commune",
                    "province_code", "commune_code", "city", "country", "sectors", "stage", "team_size", "website", "verified"]


# --- Public ----------------------------------------------------------------------------------


@public
def directory_list(request: HttpRequest) -> HttpResponse:
    params = selectors.SearchParams.from_query(request.GET)
    results = selectors.organisation_search(user=request.user, params=params)
    page = paginate(request, results, per_page=20)  # type: ignore[arg-type]  # Paginator takes count() and slices
    facets = selectors.organisation_facets(user=request.user, params=params, language=current_language())
    labels = {"kind": _("Kind"), "sector": _("Sector"), "province": _("Province"), "commune": _("Ward or commune"), "country": _("Country"), "stage": _("Stage")}
    blocks: list[dict[str, Any]] = []
    for facet in facets:
        values = []
        for v in facet.values:
            query = request.GET.copy()
            query.pop("page", None)
            if v.selected:
                query.pop(facet.name, None)
            else:
                query[facet.name] = v.value
            values.append({"label": v.label, "count": v.count, "selected": v.selected, "url": "?" + query.urlencode()})
        blocks.append({"name": facet.name, "label": labels[facet.name], "values": values, "selected": any(v.selected for v in facet.values)})
    # what the results are narrowed by, said with their count (the status at the top of the results)
    active_filters = [{"name": b["label"], "value": v["label"]} for b in blocks for v in b["values"] if v["selected"]]
    if params.verified:
        active_filters.append({"name": "", "value": _("Verified only")})
    context = {
        "page": page, "params": params, "facet_blocks": blocks,
        "active_filters": active_filters, "filtered": bool(params.q or active_filters),
        "sorts": [("name", _("Name")), ("-founded", _("Newest founded")), ("-created", _("Recently added")), ("verified", _("Verified first"))],
        "can_register": user_has_role(request.user, permissions.REGISTER_ORGANISATION),
    }
    template = "directory/_results.html" if request.headers.get("HX-Request") else "directory/list.html"
    return TemplateResponse(request, template, context)


def _open_data_rows(params: selectors.SearchParams):
    qs = selectors.organisation_search(user=None, params=params)
    for org in qs.iterator(chunk_size=2000):
        yield {
            "slug": org.slug, "name": org.name, "name_en": org.name_en, "short_name": org.short_name,
            "kind": org.kind, "helix": org.helix, "founded_on": org.founded_on.isoformat() if org.founded_on else "",
            "province": org.province.name if org.province is not None else "", "commune": org.commune.name if org.commune is not None else "",
            "province_code": org.province_id or "", "commune_code": org.commune_id or "", "city": org.city, "country": org.country,
            "sectors": ";".join(sorted(s.code for s in org.sectors.all())), "stage": org.stage,
            "team_size": org.team_size, "website": org.website, "verified": org.verified,
        }


@public
def open_data(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The public list (with the page's filters) as CSV or JSON; no personal contact data."""
    if fmt not in ("csv", "json"):
        raise Http404
    params = selectors.SearchParams.from_query(request.GET)
    rows = _open_data_rows(params)
    if fmt == "csv":
        values = ([("" if r[f] is None else str(r[f])) for f in OPEN_DATA_FIELDS] for r in rows)
        # open data keeps its fields' codes as the header: programs read it
        lines = tabular.csv_lines([tabular.Sheet("open-data", OPEN_DATA_FIELDS, values)])
        response = StreamingHttpResponse(lines, content_type=tabular.CSV_TYPE)
        response["Content-Disposition"] = 'attachment; filename="innohub-directory.csv"'
        return response

    def stream():
        yield "["
        for i, row in enumerate(rows):
            yield ("," if i else "") + json.dumps(row, ensure_ascii=False)
        yield "]"

    response = StreamingHttpResponse(stream(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="innohub-directory.json"'
    return response


@public
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    org = selectors.organisation_public_detail(user=request.user, slug=slug)
    if org.merged_into_id and org.merged_into and not selectors.can_edit_directly(request.user):
        return redirect("directory:detail", slug=org.merged_into.slug)
    context = {
        "org": org,
        "people": selectors.organisation_people(organisation=org),
        "relations": selectors.organisation_relations(organisation=org),
        "can_edit": selectors.can_edit_directly(request.user) or selectors.can_propose_edit(request.user, org),
        "can_claim": selectors.can_claim(request.user, org),
        "is_staff": selectors.can_edit_directly(request.user),
        "awards": list(org.awards.all()[:20]) if hasattr(org, "awards") else [],
    }
    return TemplateResponse(request, "directory/detail.html", context)


@public
def organisation_logo(request: HttpRequest, slug: str) -> HttpResponseBase:
    org = get_object_or_404(Organisation, slug=slug)
    if not org.logo or (not org.is_public and not selectors.can_edit_directly(request.user)):
        raise Http404
    response = FileResponse(org.logo.open("rb"))
    response["Content-Type"] = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}.get(org.logo.name.rsplit(".", 1)[-1], "application/octet-stream")
    response["Cache-Control"] = "public, max-age=3600"
    return response


# --- Applicants ------------------------------------------------------------------------------


@role_required(permissions.REGISTER_ORGANISATION)
def organisation_register(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, request.FILES or None, applicant=True)
    message_form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and message_form.is_valid():
        try:
            change = services.organisation_register(actor=request.user, data=form.service_data(), sectors=form.sector_codes(),
                                                    message=message_form.cleaned_data["message"])
            if form.cleaned_data.get("logo_upload"):
                services.organisation_set_logo(organisation=change.organisation, actor=request.user, upload=form.cleaned_data["logo_upload"])
        except ApplicationError as exc:
            form.add_service_errors(exc.extra or {"__all__": [exc.message]})
        else:
            messages.success(request, _("Your startup is registered. An officer will verify it."))
            return redirect("directory:detail", slug=change.organisation.slug)
    return TemplateResponse(request, "directory/register.html", {"form": form, "message_form": message_form})


@role_required(permissions.REGISTER_ORGANISATION)
@require_POST
def organisation_claim(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(selectors.public_organisations(), slug=slug)
    form = MessageForm(request.POST)
    try:
        services.organisation_claim(organisation=org, actor=request.user, message=form.data.get("message", "")[:2000])
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your claim was sent. An officer will confirm it."))
    return redirect("directory:detail", slug=org.slug)


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Officers edit directly; a startup's members propose changes that wait for verification."""
    org = get_object_or_404(Organisation, slug=slug)
    direct = selectors.can_edit_directly(request.user)
    if not direct and not selectors.can_propose_edit(request.user, org):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=org, applicant=not direct)
    message_form = MessageForm(request.POST or None)
    position_form = PositionForm(prefix="person") if direct else None
    relation_form = RelationForm(prefix="relation") if direct else None
    if request.method == "POST" and form.is_valid() and message_form.is_valid():
        try:
            if direct:
                services.organisation_update(organisation=org, actor=request.user, data=form.service_data(), sectors=form.sector_codes())
                done = _("Saved.")
            else:
                change = services.organisation_propose_edit(organisation=org, actor=request.user, data=form.service_data(),
                                                            sectors=form.sector_codes(), message=message_form.cleaned_data["message"])
                done = _("Your changes were sent for verification.") if change else _("Nothing was changed.")
            if form.cleaned_data.get("logo_upload"):
                services.organisation_set_logo(organisation=org, actor=request.user, upload=form.cleaned_data["logo_upload"])
        except ApplicationError as exc:
            form.add_service_errors(exc.extra or {"__all__": [exc.message]})
        else:
            messages.success(request, done)
            return redirect("directory:detail", slug=org.slug)
    pending = org.change_requests.filter(state=ChangeRequest.State.PENDING).select_related("proposed_by")
    if not direct:
        pending = pending.filter(proposed_by=request.user)  # type: ignore[misc]  # login required
    context = {
        "org": org, "form": form, "message_form": message_form, "direct": direct, "pending": list(pending),
        "position_form": position_form, "relation_form": relation_form,
        "people": selectors.organisation_people(organisation=org) if direct else [],
        "relations": selectors.organisation_relations(organisation=org) if direct else [],
        "similar": selectors.similar_organisations(user=request.user, organisation=org) if direct else [],
        "history": event_history(user=request.user, target=org) if direct else None,
    }
    template = "directory/staff_edit.html" if direct else "directory/propose_edit.html"
    return TemplateResponse(request, template, context)


# --- Staff -----------------------------------------------------------------------------------


@role_required(permissions.MANAGE_DIRECTORY)
def staff_list(request: HttpRequest) -> HttpResponse:
    params = selectors.SearchParams.from_query(request.GET)
    state = request.GET.get("state", "")
    qs = selectors.staff_organisation_list(user=request.user, params=params, state=state)
    page = paginate(request, qs, per_page=50)
    context = {
        "page": page, "params": params, "state": state,
        "filters_in_use": sum(1 for value in (params.q, params.kind, state) if value),
        "pending_count": ChangeRequest.objects.filter(state=ChangeRequest.State.PENDING).count(),
        "kinds": Organisation.Kind.choices,
        "states": [("", _("Live")), ("unverified", _("Not verified")), ("archived", _("Archived")), ("all", _("All"))],
    }
    return TemplateResponse(request, "directory/staff_list.html", context)


@role_required(permissions.MANAGE_DIRECTORY)
def staff_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, request.FILES or None, initial={"country": "VN"})
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organisation_create(actor=request.user, data=form.service_data(), sectors=form.sector_codes())
            if form.cleaned_data.get("logo_upload"):
                services.organisation_set_logo(organisation=org, actor=request.user, upload=form.cleaned_data["logo_upload"])
        except ApplicationError as exc:
            form.add_service_errors(exc.extra or {"__all__": [exc.message]})
        else:
            messages.success(request, _("The organisation was added."))
            return redirect("directory:edit", slug=org.slug)
    return TemplateResponse(request, "directory/staff_create.html", {"form": form})


@role_required(permissions.MANAGE_DIRECTORY)
@require_POST
def staff_verify(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(Organisation, slug=slug)
    services.organisation_verify(organisation=org, actor=request.user)
    messages.success(request, _("The organisation is verified."))
    return redirect("directory:edit", slug=org.slug)


@role_required(permissions.MANAGE_DIRECTORY)
@require_POST
def staff_archive(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(Organisation, slug=slug)
    restore = request.POST.get("restore") == "1"
    try:
        services.organisation_archive(organisation=org, actor=request.user, restore=restore)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The organisation is back in the directory.") if restore else _("The organisation is archived."))
    return redirect("directory:edit", slug=org.slug)


@role_required(permissions.MANAGE_DIRECTORY)
@require_POST
def staff_person_add(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(Organisation, slug=slug)
    form = PositionForm(request.POST, prefix="person")
    if form.is_valid():
        d = form.cleaned_data
        try:
            person = services.person_create(actor=request.user, full_name=d["full_name"], honorific=d["honorific"])
            services.position_add(actor=request.user, person=person, organisation=org, kind=d["kind"], title=d["title"],
                                  title_en=d["title_en"], started_on=d["started_on"])
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The person was added."))
    else:
        messages.error(request, _("Enter the person's name and role."))
    return redirect("directory:edit", slug=org.slug)


@role_required(permissions.MANAGE_DIRECTORY)
@require_POST
def staff_person_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    position = get_object_or_404(Position, pk=pk, organisation__slug=slug)
    services.position_end(actor=request.user, position=position)
    messages.success(request, _("The role is ended."))
    return redirect("directory:edit", slug=slug)


@role_required(permissions.MANAGE_DIRECTORY)
@require_POST
def staff_relation_add(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(Organisation, slug=slug)
    form = RelationForm(request.POST, prefix="relation")
    if form.is_valid():
        d = form.cleaned_data
        target = Organisation.objects.filter(slug=d["target"].strip()).first()
        if target is None:
            messages.error(request, _("No organisation has the address name %(slug)s.") % {"slug": d["target"]})
        else:
            try:
                services.relation_add(actor=request.user, source=org, target=target, kind=d["kind"], started_on=d["started_on"],
                                      ended_on=d["ended_on"], note=d["note"])
            except ApplicationError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("The relation was added."))
    else:
        messages.error(request, _("Choose the kind of relation and the related organisation."))
    return redirect("directory:edit", slug=org.slug)


@role_required(permissions.MANAGE_DIRECTORY)
@require_POST
def staff_relation_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    relation = get_object_or_404(Relation, pk=pk)
    services.relation_remove(actor=request.user, relation=relation)
    messages.success(request, _("The relation was removed."))
    return redirect("directory:edit", slug=slug)


@role_required(permissions.MANAGE_DIRECTORY)
def staff_changes(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", ChangeRequest.State.PENDING)
    if state not in ChangeRequest.State.values and state != "all":
        state = ChangeRequest.State.PENDING
    qs = selectors.change_request_list(user=request.user, state="" if state == "all" else state)
    page = paginate(request, qs)
    return TemplateResponse(request, "directory/staff_changes.html", {"page": page, "state": state, "states": [*ChangeRequest.State.choices, ("all", _("All"))]})


@role_required(permissions.MANAGE_DIRECTORY)
def staff_change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(selectors.change_request_list(user=request.user, state=""), pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = request.POST.get("decision") == "approve"
        try:
            services.change_request_decide(change=change, actor=request.user, approve=approve, note=form.cleaned_data["note"])
        except ApplicationError as exc:
            messages.error(request, str(exc.message) + " " + "; ".join(f"{k}: {', '.join(map(str, v))}" for k, v in (exc.extra or {}).items()))
        else:
            messages.success(request, _("Approved.") if approve else _("Rejected."))
            return redirect("directory:changes")
    org = change.organisation
    rows = []
    for name, value in change.changes.items():
        if name == "sectors":
            current = ", ".join(sorted(org.sectors.values_list("code", flat=True)))
            label, value = _("Sectors"), ", ".join(value)
        else:
            current = getattr(org, name)
            label = getattr(Organisation._meta.get_field(name), "verbose_name", name)
        rows.append({"label": label, "current": current, "proposed": value})
    similar = selectors.similar_organisations(user=request.user, organisation=org) if change.kind != ChangeRequest.Kind.EDIT else []
    return TemplateResponse(request, "directory/staff_change.html", {"change": change, "org": org, "rows": rows, "form": form, "similar": similar})


@role_required(permissions.MANAGE_DIRECTORY)
def staff_duplicates(request: HttpRequest) -> HttpResponse:
    groups = selectors.likely_duplicates(user=request.user)
    return TemplateResponse(request, "directory/staff_duplicates.html", {"groups": groups})


@role_required(permissions.MANAGE_DIRECTORY)
def staff_merge(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    keep = get_object_or_404(Organisation, slug=source.get("keep", ""))
    duplicate = get_object_or_404(Organisation, slug=source.get("duplicate", ""))
    if request.method == "POST":
        try:
            services.organisation_merge(keep=keep, duplicate=duplicate, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("%(dup)s was merged into %(keep)s.") % {"dup": duplicate.name, "keep": keep.name})
            return redirect("directory:edit", slug=keep.slug)
    fields = ["name", "name_en", "short_name", "kind", "tax_code", "founded_on", "province", "commune", "country", "stage", "website", "verified"]
    rows = [{"label": getattr(Organisation._meta.get_field(f), "verbose_name", f), "keep": getattr(keep, f), "duplicate": getattr(duplicate, f)} for f in fields]
    return TemplateResponse(request, "directory/staff_merge.html", {"keep": keep, "duplicate": duplicate, "rows": rows})


@role_required(permissions.MANAGE_DIRECTORY)
def staff_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = tabular.upload_read(upload, max_bytes=imports.MAX_IMPORT_BYTES)  # refused with its real size before being read
        except tabular.TabularError as exc:
            result = imports.ImportResult(dry_run=form.cleaned_data["dry_run"], problems=exc.problems)
        else:
            result = imports.organisations_import(data=data, filename=upload.name, actor=request.user, dry_run=form.cleaned_data["dry_run"])
        if result.ok and not result.dry_run:
            messages.success(request, _("Imported: %(c)d created, %(u)d updated, %(n)d unchanged.") % {"c": result.created, "u": result.updated, "n": result.unchanged})
    status = 400 if result is not None and not result.ok else 200
    return TemplateResponse(request, "directory/staff_import.html", {"form": form, "result": result, "columns": imports.column_help()}, status=status)


@role_required(permissions.MANAGE_DIRECTORY)
def staff_template(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "xlsx":
        response = HttpResponse(imports.xlsx_bytes([], with_help=True), content_type=tabular.XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="innohub-directory-template.xlsx"'
        return response
    response = HttpResponse("".join(imports.csv_lines([])), content_type=tabular.CSV_TYPE)
    response["Content-Disposition"] = 'attachment; filename="innohub-directory-template.csv"'
    return response


@role_required(permissions.MANAGE_DIRECTORY)
def staff_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    params = selectors.SearchParams.from_query(request.GET)
    qs = selectors.staff_organisation_list(user=request.user, params=params, state=request.GET.get("state", ""))
    rows = imports.export_rows(qs.iterator(chunk_size=2000))
    if fmt == "xlsx":
        response = HttpResponse(imports.xlsx_bytes(rows), content_type=tabular.XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="innohub-directory.xlsx"'
        return response
    stream = StreamingHttpResponse(imports.csv_lines(rows), content_type=tabular.CSV_TYPE)
    stream["Content-Disposition"] = 'attachment; filename="innohub-directory.csv"'
    return stream



@role_required(permissions.MANAGE_DIRECTORY)
@require_GET
def staff_pick(request: HttpRequest, kind: str) -> HttpResponse:
    """Suggestions for a picker's box (directory.pickers), a page at a time, as JSON."""
    from innohub.directory import pickers

    picker = pickers.PICKERS.get(kind)
    scope = (request.GET.get("scope") or next(iter(picker.scopes))) if picker else ""
    if picker is None or scope not in picker.scopes:
        raise Http404
    try:
        page = int(request.GET.get("page") or 1)
        limit = int(request.GET.get("limit") or pickers.SUGGESTIONS)
    except ValueError:
        return JsonResponse({"detail": _("The page and the limit are whole numbers.")}, status=400)
    query = (request.GET.get("q") or "")[:200]
    choices, more = pickers.pick_search(user=request.user, kind=kind, scope=scope, query=query, page=page, limit=limit)
    return JsonResponse({"results": [asdict(c) for c in choices], "page": max(1, page), "more": more})
