"""Back-office pages for running a call (issue 27): authoring a call (create, change, preview,
publish) and assigning reviewers (the engine's proposal for a call, then each application's
reviewers chosen, replaced or removed); and the public page of a stage with its open calls.

Views hold no rules: the services check and audit, the selectors and `programs.assignment` read.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from innohub.accounts.models import User
from innohub.core.errors import ApplicationError
from innohub.core.permissions import public, role_required
from innohub.programs import assignment, permissions, selectors, services
from innohub.programs.forms import CallForm, form_error_rows
from innohub.programs.models import Application, Call, Review
from innohub.programs.views import call_page_context

# --- Public: a stage and its open calls ------------------------------------------------------------


@public
def stage_public(request: HttpRequest, stage: str) -> HttpResponse:
    row = selectors.stage_get(stage)
    return TemplateResponse(request, "programs/stage_public.html", {
        "stage": row, "calls": selectors.open_calls_with_ceilings(stage=stage, limit=50),
    })


# --- Call authoring ------------------------------------------------------------------------------------


def _call_form_page(request: HttpRequest, form: CallForm, *, call: Call | None, status: int = 200) -> HttpResponse:
    return TemplateResponse(request, "programs/call_form.html", {
        "form": form, "call": call, "error_summary": form_error_rows(form) if form.errors else [],
    }, status=status)


def _save_call(request: HttpRequest, form: CallForm, *, call: Call | None) -> HttpResponse:
    if not form.is_valid():
        return _call_form_page(request, form, call=call, status=400)
    try:
        if call is None:
            call = services.call_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The call is saved as a draft. Preview it, then publish it."))
        else:
            call = services.call_update(call=call, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The call is saved."))
    except ApplicationError as exc:
        for key, value in exc.extra.items():
            form.add_error(key if key in form.fields else None, str(value))
        return _call_form_page(request, form, call=call, status=400)
    return redirect("programs:call-preview", pk=call.pk)


@role_required(permissions.MANAGE_PROGRAMMES)
def call_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save_call(request, CallForm(request.POST), call=None)
    from innohub.programs import defaults

    initial: dict[str, Any] = {"workflow": defaults.default_workflow(), "form": defaults.default_form(), "rubric": defaults.default_rubric()}
    return _call_form_page(request, CallForm(initial=initial), call=None)


@role_required(permissions.MANAGE_PROGRAMMES)
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.select_related("programme"), pk=pk)
    if request.method == "POST":
        return _save_call(request, CallForm(request.POST), call=call)
    return _call_form_page(request, CallForm(initial=CallForm.initial_for(call)), call=call)


@role_required(permissions.MANAGE_PROGRAMMES)
def call_preview(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.select_related("programme", "rubric", "form"), pk=pk)
    return TemplateResponse(request, "programs/call_detail.html", call_page_context(request, call, preview=True))


@role_required(permissions.MANAGE_PROGRAMMES)
@require_POST
def call_publish(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk)
    try:
        services.call_publish(call=call, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("programs:call-preview", pk=pk)
    messages.success(request, _("The call is published: it is on the public site."))
    return redirect("programs:call-dashboard", pk=pk)


# --- Reviewer assignment ---------------------------------------------------------------------------------


@role_required(permissions.MANAGE_PROGRAMMES)
def call_reviewers(request: HttpRequest, pk: int) -> HttpResponse:
    """The engine's proposal for the call's applications under review, each pair ticked; the
    officer unticks what they do not want and saves the rest."""
    call = get_object_or_404(Call.objects.select_related("programme", "workflow"), pk=pk)
    if request.method == "POST":
        pairs = []
        for value in request.POST.getlist("pair"):
            app_id, _sep, uid = value.partition(":")
            if app_id.isdigit() and uid.isdigit():
                pairs.append((int(app_id), int(uid)))
        if not pairs:
            messages.error(request, _("Tick at least one proposed reviewer; nothing was assigned."))
            return redirect("programs:call-reviewers", pk=pk)
        try:
            result = services.reviewers_assign(call=call, actor=request.user, pairs=pairs)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
            return redirect("programs:call-reviewers", pk=pk)
        messages.success(request, _("%(n)s reviews assigned.") % {"n": result["assigned"]})
        return redirect("programs:call-dashboard", pk=pk)
    plan = assignment.proposal(call=call)
    apps = {a.pk: a for a in Application.objects.filter(pk__in={a for a, _u in plan.pairs} | set(plan.short)).select_related("organisation")}
    people = {u.pk: u for u in User.objects.filter(pk__in={u for _a, u in plan.pairs})}
    rows: dict[int, dict[str, Any]] = {}
    for subject, reviewer_id in plan.pairs:
        rows.setdefault(subject, {"application": apps[subject], "reviewers": [], "short": plan.short.get(subject, 0)})["reviewers"].append(people[reviewer_id])
    for subject, missing in plan.short.items():
        rows.setdefault(subject, {"application": apps[subject], "reviewers": [], "short": missing})
    return TemplateResponse(request, "programs/call_reviewers.html", {
        "call": call, "rows": list(rows.values()), "applications": plan.applications, "proposed": bool(plan.pairs),
    })


@role_required(permissions.MANAGE_PROGRAMMES)
def application_reviewers(request: HttpRequest, pk: int) -> HttpResponse:
    """One application's reviewers: add one (the proposed first), replace or remove one not yet submitted."""
    application = selectors.application_get(user=request.user, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        review = None
        if request.POST.get("review", "").isdigit():
            review = Review.objects.filter(application=application, pk=int(request.POST["review"])).select_related("reviewer").first()
        chosen = request.POST.get("reviewer", "")
        reviewer = User.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        try:
            if action == "remove" and review is not None:
                services.review_unassign(review=review, actor=request.user)
                messages.success(request, _("%(who)s no longer reviews this application.") % {"who": review.reviewer.display_name})
            elif action in ("add", "replace") and reviewer is not None and (action == "add" or review is not None):
                services.review_assign(application=application, reviewer=reviewer, actor=request.user,
                                       replacing=review if action == "replace" else None)
                messages.success(request, _("%(who)s now reviews this application.") % {"who": reviewer.display_name})
            else:
                messages.error(request, _("Choose a reviewer; nothing was changed."))
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        return redirect("programs:application-reviewers", pk=pk)
    in_review = selectors.has_flag(application, "in_review")
    return TemplateResponse(request, "programs/application_reviewers.html", {
        "application": application,
        "reviews": application.reviews.select_related("reviewer").order_by("id"),
        "candidates": assignment.candidates(application=application) if in_review else [],
        "in_review": in_review,
        "wanted": application.call.reviewers_per_application,
    })

