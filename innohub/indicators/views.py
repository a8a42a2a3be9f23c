"""Pages of the index: the public ranking, a unit's profile, the uncertainty of the ranking and
the reports (public); data import, runs and their traces (staff). Views hold no rules: they call
selectors and services and render."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from innohub.core import tabular
from innohub.core.errors import ApplicationError
from innohub.core.permissions import public, role_required
from innohub.indicators import page_charts, permissions, reports, selectors, services
from innohub.indicators.forms import ComputeForm, ImportForm, RunForm, SpecForm, UncertaintyForm
from innohub.indicators.imports import MAX_BYTES
from innohub.indicators.models import Framework, Run, Unit

COMPUTE_FORM_IDS = "id_compute_%s"  # the run form on the same page has id_year_from…


def _context(request: HttpRequest) -> tuple[Framework, Run | None, int | None, list[int]]:
    framework = selectors.framework_get(user=request.user, code=request.GET.get("framework") or None)
    run = selectors.latest_run(framework=framework)
    if run is None:
        return framework, None, None, []
    years = selectors.run_years(run)
    year = years[-1] if years else None
    requested = request.GET.get("year", "")
    if requested.isdigit() and int(requested) in years:
        year = int(requested)
    return framework, run, year, years


@public
def home(request: HttpRequest) -> HttpResponse:
    framework, run, year, years = _context(request)
    context: dict[str, Any] = {"framework": framework, "run": run, "year": year, "years": years,
                               "frameworks": selectors.framework_list(user=request.user),
                               "can_import": selectors.can_import(request.user),
                               "can_manage": selectors.can_manage(request.user)}
    if run is not None and year is not None:
        sort = request.GET.get("sort", "")
        descending = request.GET.get("order", "desc") != "asc"
        index, pillars = selectors.columns(run)
        rows = selectors.ranking(run=run, year=year, sort=sort, descending=descending)
        chart, label = page_charts.ranking_chart(run, year)
        context.update(
            index=index, pillars=pillars, rows=rows, sort=sort or index.code, descending=descending,
            chart=chart, chart_label=label,
        )
    return render(request, "indicators/home.html", context)


@public
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    framework, run, year, years = _context(request)
    if run is None or year is None:
        raise Http404
    unit = get_object_or_404(Unit, code=code)
    profile = selectors.unit_profile(run=run, unit=unit, year=year)
    names = profile.names
    context = {
        "framework": framework, "run": run, "year": year, "years": years, "profile": profile, "unit": unit,
        **page_charts.unit_charts(run, unit, year, profile),
        "trend_rows": [(names[c], list(zip(profile.years, values, strict=True))) for c, values in profile.trend.items()],
    }
    return render(request, "indicators/unit.html", context)


@public
def method(request: HttpRequest) -> HttpResponse:
    """How the index is made: the units and why, the conversion of older figures, the steps."""
    framework, run, year, _years = _context(request)
    steps = reports._method(run, year) if run is not None and year is not None else []
    units = Unit.objects.filter(results__run=run).distinct().select_related("commune", "former_district") if run else Unit.objects.none()
    return render(request, "indicators/method.html", {"framework": framework, "run": run, "steps": steps, "units": units})


@public
def sensitivity(request: HttpRequest) -> HttpResponse:
    framework, run, year, years = _context(request)
    rows, indices = selectors.uncertainty(run=run) if run else ([], [])
    context: dict[str, Any] = {"framework": framework, "run": run, "rows": rows, "indices": indices}
    if rows and run is not None:
        chart, label = page_charts.uncertainty_chart(run, rows)
        context.update(
            year=rows[0].year,
            chart=chart,
            chart_label=label,
            choice_labels=reports.choice_labels(),
        )
    return render(request, "indicators/sensitivity.html", context)


@public
def report(request: HttpRequest, fmt: str, code: str | None = None) -> HttpResponse:
    framework, run, year, years = _context(request)
    if run is None or year is None or fmt not in ("pdf", "xlsx"):
        raise Http404
    unit = get_object_or_404(Unit, code=code) if code else None
    if unit is not None:
        content = reports.unit_pdf(run=run, unit=unit, year=year) if fmt == "pdf" else reports.unit_xlsx(run=run, unit=unit, year=year)
        name = f"{framework.code}-{unit.code}-{year}.{fmt}"
    else:
        content = reports.framework_pdf(run=run, year=year) if fmt == "pdf" else reports.framework_xlsx(run=run, year=year)
        name = f"{framework.code}-{year}.{fmt}"
    content_type = "application/pdf" if fmt == "pdf" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- staff ------------------------------------------------------------------------------------

@role_required(permissions.MANAGE_ROLES)
def staff(request: HttpRequest) -> HttpResponse:
    framework = selectors.framework_get(user=request.user, code=request.GET.get("framework") or None)
    return _staff_page(request, framework)


def _staff_page(request: HttpRequest, framework: Framework, run_form: RunForm | None = None,
                compute_form: ComputeForm | None = None) -> HttpResponse:
    """The framework's staff page; with a run or compute form that was refused, that form with its
    errors and what was typed, and status 400."""
    latest = selectors.latest_run(framework=framework)
    runs = selectors.run_list(user=request.user, framework=framework)[:30]
    aggregates, indicators = selectors.framework_tree(framework)
    years = {"year_from": latest.year_from, "year_to": latest.year_to} if latest else None
    if run_form is None:
        run_form = RunForm(initial=years)
    if compute_form is None:
        compute_form = ComputeForm(initial=years, auto_id=COMPUTE_FORM_IDS)
    return render(request, "indicators/staff.html", {
        "framework": framework, "frameworks": selectors.framework_list(user=request.user), "runs": runs,
        "latest": latest, "indicators": indicators, "aggregates": aggregates, "run_form": run_form,
        "compute_form": compute_form,
    }, status=400 if run_form.errors or compute_form.errors else 200)


@role_required(permissions.IMPORT_ROLES)
def import_values(request: HttpRequest) -> HttpResponse:
    framework = selectors.framework_get(user=request.user, code=request.GET.get("framework") or None)
    problems: list[dict[str, Any]] = []
    refusal = ""  # the page's error summary says it, and leads to the problems
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # its size checked before a byte of it is read into memory
            data = tabular.upload_read(upload, max_bytes=MAX_BYTES)
            summary = services.values_import(framework=framework, data=data, filename=upload.name, actor=request.user)
        except ApplicationError as exc:
            refusal = str(exc.message)
            problems = exc.extra.get("problems", [])
        else:
            messages.success(request, _("Imported %(rows)d rows: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.") % summary)
            if summary["conversions"]:  # shown once, on the page that answers the upload
                return render(request, "indicators/import.html", {"framework": framework, "form": ImportForm(),
                                                                  "conversions": summary["conversions"]})
            return redirect(f"{request.path}?framework={framework.code}")
    return render(request, "indicators/import.html", {"framework": framework, "form": form, "problems": problems,
                                                      "refusal": refusal})


@require_POST
@role_required(permissions.MANAGE_ROLES)
def compute(request: HttpRequest, code: str) -> HttpResponse:
    framework = get_object_or_404(Framework, code=code)
    form = ComputeForm(request.POST, auto_id=COMPUTE_FORM_IDS)
    if not form.is_valid():
        return _staff_page(request, framework, compute_form=form)
    years = range(form.cleaned_data["year_from"], form.cleaned_data["year_to"] + 1)
    summary = services.indicators_compute(framework=framework, years=years, actor=request.user)
    messages.success(request, _("%(count)d values computed from the platform's records.") % {"count": summary["values"]})
    for problem in summary["skipped"]:
        messages.warning(request, problem)
    return redirect(f"{_staff_url()}?framework={framework.code}")


def _staff_url() -> str:
    return reverse("indicators:staff")


@require_POST
@role_required(permissions.MANAGE_ROLES)
def run_start(request: HttpRequest, code: str) -> HttpResponse:
    framework = get_object_or_404(Framework, code=code)
    form = RunForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, framework, form)
    try:
        run = services.run_start(framework=framework, year_from=form.cleaned_data["year_from"],
                                 year_to=form.cleaned_data["year_to"], actor=request.user,
                                 monte_carlo_runs=form.cleaned_data["monte_carlo_runs"])
    except ApplicationError as exc:
        form.add_error(None, str(exc.message))
        return _staff_page(request, framework, form)
    messages.success(request, _("The run is queued; it is computed in the background."))
    return redirect("indicators:run", run_id=run.pk)


@require_POST
@role_required(permissions.MANAGE_ROLES)
def uncertainty_start(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.run_get(user=request.user, run_id=run_id)
    form = UncertaintyForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(_("The number of Monte Carlo runs must be between 10 and 20,000."))
        services.uncertainty_start(run=run, actor=request.user, runs=form.cleaned_data["runs"])
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The uncertainty analysis is queued."))
    return redirect("indicators:run", run_id=run.pk)


@role_required(permissions.MANAGE_ROLES)
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.run_get(user=request.user, run_id=run_id)
    labels = reports.step_labels()
    steps = [{**step, "label": labels.get(step.get("step", ""), step.get("step", ""))} for step in run.trace]
    return render(request, "indicators/run_detail.html", {
        "run": run, "steps": steps,
        "uncertainty_form": UncertaintyForm(initial={"runs": run.uncertainty_setup.get("runs", 500)}),
    })


@role_required(permissions.MANAGE_ROLES)
def configure(request: HttpRequest, code: str) -> HttpResponse:
    framework = get_object_or_404(Framework, code=code)
    problems: list[str] = []
    refusal = ""
    if request.method == "POST":
        form = SpecForm(request.POST)
        if form.is_valid():
            try:
                services.framework_update_spec(framework=framework, spec=form.cleaned_data["spec"],
                                               uncertainty=form.cleaned_data["uncertainty"], actor=request.user)
            except ApplicationError as exc:
                refusal = str(exc.message)  # the heading of the page's error summary
                problems = list(exc.extra.get("problems", []))  # in the page's language already
                field = exc.extra.get("field")
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
            else:
                messages.success(request, _("Saved as version %(version)d.") % {"version": framework.version})
                return redirect(f"{_staff_url()}?framework={framework.code}")
    else:
        form = SpecForm(initial={"spec": json.dumps(framework.spec, ensure_ascii=False, indent=2),
                                 "uncertainty": json.dumps(framework.uncertainty, ensure_ascii=False, indent=2)})
    return render(request, "indicators/configure.html",
                  {"framework": framework, "form": form, "problems": problems, "refusal": refusal},
                  status=400 if form.errors else 200)
