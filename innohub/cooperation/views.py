"""Back-office pages of international cooperation: partners and their timeline, the agenda of
the next meeting with a partner, meetings with their people, directions and actions, the
follow-up board with its export, agreements, visits, dashboards and the annual report.
Views call services and selectors only; a refused form is shown again with what was typed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from innohub.cooperation import charts, forms, permissions, selectors, services
from innohub.cooperation.models import Meeting, Unit
from innohub.core.errors import ApplicationError
from innohub.core.pagination import paginate
from innohub.core.permissions import role_required, user_has_role
from innohub.core.tabular import DATE, Column, Sheet, spreadsheet_response
from innohub.core.uploads import content_type_for, extension_of
from innohub.research import permissions as research_permissions
from innohub.research import selectors as research_selectors
from innohub.workflow.services import transitions_allowed

STAFF = permissions.VIEW_COOPERATION


# the refusals that concern one field are shown at that field (marked invalid, its error read with it)
_FIELD_OF_REFUSAL = {"bad_country": "country", "outside_visit": "held_on", "due_before_meeting": "held_on"}


def _refused(form: Any, exc: ApplicationError) -> None:
    field = _FIELD_OF_REFUSAL.get(getattr(exc, "code", ""))
    form.add_error(field if field in form.fields else None, str(exc.message))


# -- partners ------------------------------------------------------------------------------------
@role_required(STAFF)
def partner_list(request: HttpRequest) -> HttpResponse:
    form = forms.PartnerSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    partners = selectors.partner_list(user=request.user, query=data.get("q", ""), country=data.get("country", ""))
    return TemplateResponse(request, "cooperation/partner_list.html", {
        "form": form, "page": paginate(request, partners), "in_use": len([v for v in data.values() if v]),
    })


@role_required(permissions.RECORD_COOPERATION)
def partner_create(request: HttpRequest) -> HttpResponse:
    form = forms.PartnerForm(request.POST or None, initial={"contact_owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Partner added."))
            return redirect("cooperation:partner", pk=partner.pk)
    return TemplateResponse(request, "cooperation/partner_form.html", {"form": form}, status=400 if form.errors else 200)


@role_required(STAFF)
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partner = selectors.partner_get(user=request.user, pk=pk)
    timeline = selectors.partner_timeline(user=request.user, partner=partner)
    research_tasks = (research_selectors.tasks_from_partner(user=request.user, partner=partner)
                      if user_has_role(request.user, research_permissions.MANAGE_TASKS) else None)
    may_edit = user_has_role(request.user, permissions.RECORD_COOPERATION) and (
        permissions.is_manager(request.user) or partner.contact_owner_id in (None, request.user.pk))
    return TemplateResponse(request, "cooperation/partner_detail.html", {
        "partner": partner, "may_edit": may_edit, "timeline": timeline, "people": selectors.partner_people(user=request.user, partner=partner),
        "open_count": len(selectors.next_meeting_agenda(user=request.user, partner=partner)), "today": timezone.localdate(),
        "research_page": paginate(request, research_tasks, per_page=20) if research_tasks is not None else None,
    })


@role_required(permissions.RECORD_COOPERATION)
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = selectors.partner_get(user=request.user, pk=pk)
    form = forms.PartnerEditForm(request.POST or None, initial={
        "country": partner.country, "contact_owner": partner.contact_owner_id, "note": partner.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(partner=partner, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            _refused(form, exc)
        except PermissionDenied:
            form.add_error(None, _("Only the partner's contact owner or a manager may change it."))
        else:
            messages.success(request, _("Partner updated."))
            return redirect("cooperation:partner", pk=partner.pk)
    return TemplateResponse(request, "cooperation/partner_edit.html", {"form": form, "partner": partner},
                            status=400 if form.errors else 200)


@role_required(STAFF)
def partner_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    partner = selectors.partner_get(user=request.user, pk=pk)
    return TemplateResponse(request, "cooperation/agenda.html", {
        "partner": partner, "items": selectors.next_meeting_agenda(user=request.user, partner=partner), "today": timezone.localdate(),
    })


# -- visits --------------------------------------------------------------------------------------
@role_required(permissions.RECORD_COOPERATION)
def visit_create(request: HttpRequest) -> HttpResponse:
    form = forms.VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_create(actor=request.user, **form.cleaned_data)
        except (ApplicationError, PermissionDenied) as exc:
            form.add_error(None, str(getattr(exc, "message", "")) or _("Only the officers of the owning unit may record this."))
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("cooperation:visit", pk=visit.pk)
    return TemplateResponse(request, "cooperation/visit_form.html", {"form": form}, status=400 if form.errors else 200)


@role_required(STAFF)
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from innohub.cooperation.models import Visit

    visit = get_object_or_404(Visit.objects.select_related("unit").prefetch_related("partners__organisation"), pk=pk)
    meetings = selectors.meeting_list(user=request.user).filter(visit=visit)
    return TemplateResponse(request, "cooperation/visit_detail.html", {"visit": visit, "meetings": meetings})


# -- meetings ------------------------------------------------------------------------------------
@role_required(permissions.RECORD_COOPERATION)
def meeting_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {"held_on": timezone.localdate()}
    if request.GET.get("partner", "").isdigit():
        initial["partner"] = int(request.GET["partner"])
    if request.GET.get("visit", "").isdigit():
        initial["visit"] = int(request.GET["visit"])
    units = Unit.objects.filter(members=request.user.pk)[:1]
    if units:
        initial["unit"] = units[0].pk
    form = forms.MeetingForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        try:
            meeting = services.meeting_record(actor=request.user, files=[upload] if upload else [], **data)
        except ApplicationError as exc:
            _refused(form, exc)
        except PermissionDenied:
            form.add_error("unit", _("You are not an officer of this unit: choose your own unit, or ask its officers."))
        else:
            messages.success(request, _("Meeting recorded. Now name the people met and what was agreed."))
            return redirect("cooperation:meeting", pk=meeting.pk)
    return TemplateResponse(request, "cooperation/meeting_form.html", {"form": form}, status=400 if form.errors else 200)


@role_required(permissions.RECORD_COOPERATION)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    if not permissions.may_edit_unit(request.user, meeting.unit):
        raise PermissionDenied
    form = forms.MeetingEditForm(request.POST or None, initial={
        "title": meeting.title, "direction": meeting.direction, "held_on": meeting.held_on, "place": meeting.place,
        "visit": meeting.visit_id, "topics": meeting.topics, "sectors": list(meeting.sectors.all()), "leaders": list(meeting.leaders.all())})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Meeting updated."))
            return redirect("cooperation:meeting", pk=meeting.pk)
    return TemplateResponse(request, "cooperation/meeting_edit.html", {"form": form, "meeting": meeting},
                            status=400 if form.errors else 200)


def _meeting_page(request: HttpRequest, meeting: Meeting, status: int = 200, **bound: Any) -> HttpResponse:
    may_edit = permissions.may_edit_unit(request.user, meeting.unit)
    minutes_visible = selectors.meeting_minutes_visible(user=request.user, meeting=meeting)
    context = {
        "meeting": meeting, "may_edit": may_edit, "minutes_visible": minutes_visible, "today": timezone.localdate(),
        "participant_form": bound.get("participant_form") or forms.ParticipantForm(auto_id="participant_%s"),
        "direction_form": bound.get("direction_form") or forms.DirectionForm(meeting=meeting, auto_id="direction_%s"),
        "attachment_form": bound.get("attachment_form") or forms.AttachmentForm(auto_id="attachment_%s"),
        "directions": [
            (d, bound["action_form"] if bound.get("action_direction") == d.pk else
             forms.ActionForm(prefix=f"d{d.pk}", initial={"owner": request.user.pk}))
            for d in meeting.directions.all()
        ],
        "minutes_form": bound.get("minutes_form") or (forms.MinutesForm(auto_id="minutes_%s", initial={
            "minutes_vi": meeting.minutes_vi, "minutes_en": meeting.minutes_en, "confidential": meeting.confidential,
            "readers": list(meeting.readers.all()), "news_url": meeting.news_url}) if minutes_visible else None),
        "errors_form": next((f for f in bound.values() if hasattr(f, "errors") and f.errors), None),
    }
    return TemplateResponse(request, "cooperation/meeting_detail.html", context, status=status)


@role_required(STAFF)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, selectors.meeting_get(user=request.user, pk=pk))


def _post_to_meeting(request: HttpRequest, meeting: Meeting, form_key: str, form: Any, run: Any, done: str, anchor: str,
                     **extra: Any) -> HttpResponse:
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except ApplicationError as exc:
            _refused(form, exc)
        except PermissionDenied:
            form.add_error(None, _("Only the officers of the owning unit may change this."))
        else:
            messages.success(request, done)
            return redirect(reverse("cooperation:meeting", args=[meeting.pk]) + anchor)
    return _meeting_page(request, selectors.meeting_get(user=request.user, pk=meeting.pk), status=400, **{form_key: form}, **extra)


@role_required(permissions.RECORD_COOPERATION)
@require_POST
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    form = forms.ParticipantForm(request.POST, auto_id="participant_%s")
    return _post_to_meeting(request, meeting, "participant_form", form, lambda d: services.participant_add(
        meeting=meeting, person_id=d["person"].pk, side=d["side"], title_at_time=d["title_at_time"], actor=request.user),
        _("Participant added."), "#people")


@role_required(permissions.RECORD_COOPERATION)
@require_POST
def direction_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    form = forms.DirectionForm(request.POST, meeting=meeting, auto_id="direction_%s")
    return _post_to_meeting(request, meeting, "direction_form", form, lambda d: services.direction_add(
        meeting=meeting, text=d["text"], text_en=d["text_en"], unit=d["unit"], partners=list(d["partners"]), actor=request.user),
        _("Direction recorded. Add the actions that carry it out."), "#directions")


@role_required(permissions.RECORD_COOPERATION)
@require_POST
def minutes_save(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    form = forms.MinutesForm(request.POST, auto_id="minutes_%s")
    return _post_to_meeting(request, meeting, "minutes_form", form, lambda d: services.meeting_minutes_save(
        meeting=meeting, actor=request.user, **d), _("Minutes saved."), "#minutes")


@role_required(permissions.RECORD_COOPERATION)
@require_POST
def meeting_attach(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    form = forms.AttachmentForm(request.POST, request.FILES, auto_id="attachment_%s")
    return _post_to_meeting(request, meeting, "attachment_form", form, lambda d: services.meeting_attach(
        meeting=meeting, upload=d["file"], kind=d["kind"], actor=request.user), _("File attached."), "#files")


@role_required(permissions.RECORD_COOPERATION)
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    from innohub.cooperation.models import Direction

    direction = get_object_or_404(Direction.objects.select_related("meeting", "unit"), pk=pk)
    meeting = selectors.meeting_get(user=request.user, pk=direction.meeting_id)
    form = forms.ActionForm(request.POST, prefix=f"d{direction.pk}")
    return _post_to_meeting(request, meeting, "action_form", form, lambda d: services.action_add(
        direction=direction, actor=request.user, **d), _("Action added."), f"#direction-{direction.pk}", action_direction=direction.pk)


# -- actions -------------------------------------------------------------------------------------
def _action_page(request: HttpRequest, pk: int, status: int = 200, **bound: Any) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk)
    may_edit = permissions.may_edit_action(request.user, action)
    later = selectors.meetings_later(user=request.user, action=action)
    context = {
        "action": action, "may_edit": may_edit, "today": timezone.localdate(),
        "steps": transitions_allowed(user=request.user, obj=action) if may_edit or permissions.is_manager(request.user) else [],
        "transition_form": bound.get("transition_form") or forms.TransitionForm(auto_id="step_%s"),
        "progress_form": bound.get("progress_form") or forms.ProgressForm(auto_id="progress_%s"),
        "review_form": bound.get("review_form") or forms.ReviewMeetingForm(meetings=later, auto_id="review_%s",
                                                                          initial={"meeting": action.review_meeting_id}),
        "history": selectors.action_history(user=request.user, action=action),
        "errors_form": next((f for f in bound.values() if f.errors), None),
    }
    if user_has_role(request.user, research_permissions.MANAGE_TASKS):
        context["research_tasks"] = action.research_tasks.order_by("code")
        context["task_link_form"] = bound.get("task_link_form") or forms.TaskLinkForm(auto_id="task_%s")
    return TemplateResponse(request, "cooperation/action_detail.html", context, status=status)


@role_required(STAFF)
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _action_page(request, pk)


def _post_to_action(request: HttpRequest, pk: int, form_key: str, form: Any, run: Any, done: str) -> HttpResponse:
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except ApplicationError as exc:
            _refused(form, exc)
        except PermissionDenied:
            form.add_error(None, _("Only the officers of the owning unit, the owner and managers may change this action."))
        else:
            messages.success(request, done)
            return redirect("cooperation:action", pk=pk)
    return _action_page(request, pk, status=400, **{form_key: form})


@role_required(permissions.RECORD_COOPERATION)
@require_POST
def action_transition(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk)
    form = forms.TransitionForm(request.POST, auto_id="step_%s")
    return _post_to_action(request, pk, "transition_form", form, lambda d: services.action_transition(
        action=action, code=d["code"], reason=d["reason"], actor=request.user), _("The action's state is changed."))


@role_required(permissions.RECORD_COOPERATION)
@require_POST
def action_progress(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk)
    form = forms.ProgressForm(request.POST, request.FILES, auto_id="progress_%s")
    return _post_to_action(request, pk, "progress_form", form, lambda d: services.action_progress_add(
        action=action, text=d["text"], files=[d["file"]] if d["file"] else [], actor=request.user), _("Progress recorded."))


@role_required(research_permissions.MANAGE_TASKS)
@require_POST
def action_task_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the research task this action led to (by its code): the chain from cooperation to results."""
    from innohub.research import services as research_services

    action = selectors.action_get(user=request.user, pk=pk)
    form = forms.TaskLinkForm(request.POST, auto_id="task_%s")
    return _post_to_action(request, pk, "task_link_form", form, lambda d: research_services.task_origin_link(
        code=d["code"], action=action, actor=request.user), _("The research task is linked to this action."))


@role_required(permissions.RECORD_COOPERATION)
@require_POST
def action_review(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk)
    form = forms.ReviewMeetingForm(request.POST, meetings=selectors.meetings_later(user=request.user, action=action), auto_id="review_%s")
    return _post_to_action(request, pk, "review_form", form, lambda d: services.action_review_set(
        action=action, meeting=d["meeting"], actor=request.user), _("Review meeting saved."))


# -- the follow-up board ---------------------------------------------------------------------------
def _board_actions(request: HttpRequest) -> tuple[Any, Any]:
    form = forms.BoardFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    actions = selectors.board(user=request.user, **{k: v for k, v in data.items() if v})
    return form, actions


@role_required(STAFF)
def board(request: HttpRequest) -> HttpResponse:
    form, actions = _board_actions(request)
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(request, "cooperation/board.html", {
        "form": form, "page": paginate(request, actions), "today": timezone.localdate(), "query": query.urlencode(),
        "late_units": selectors.late_by_unit(user=request.user) if permissions.is_manager(request.user) else [],
        "in_use": len([k for k in form.changed_data]) if form.is_bound else 0,
    })


def board_sheet(actions: Any) -> Sheet:
    today = timezone.localdate()
    return Sheet(pgettext("cooperation", "Actions"), [
        Column(_("Partner")), Column(_("Country"), width=8), Column(_("Meeting"), DATE), Column(pgettext("cooperation", "Direction")), Column(pgettext("cooperation", "Action")),
        Column(pgettext("cooperation", "Owner")), Column(_("Unit")), Column(pgettext("cooperation", "Due date"), DATE), Column(_("State")), Column(_("Overdue"), width=8),
    ], ([a.direction.meeting.partner.organisation.name, a.direction.meeting.partner.country, a.direction.meeting.held_on,
         a.direction.label, a.what, a.owner.display_name, a.direction.unit.label, a.due_date, a.state_label,
         _("yes") if a.is_open and a.due_date < today else ""] for a in actions.iterator(chunk_size=500)))


@role_required(STAFF)
def board_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, actions = _board_actions(request)
    return spreadsheet_response(f"cooperation-actions-{timezone.localdate():%Y%m%d}", fmt, [board_sheet(actions)])


# -- agreements ------------------------------------------------------------------------------------
@role_required(STAFF)
def agreement_list(request: HttpRequest) -> HttpResponse:
    agreements = selectors.agreement_list(user=request.user)
    page = paginate(request, agreements)
    today = timezone.localdate()
    rows = [{"agreement": a, "near_expiry": selectors.agreement_near_expiry(a, today=today),
             "stale": selectors.agreement_near_expiry(a, today=today) and selectors.agreement_is_stale(a, today=today)} for a in page]
    return TemplateResponse(request, "cooperation/agreement_list.html", {"page": page, "rows": rows})


@role_required(permissions.RECORD_COOPERATION)
def agreement_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    if request.GET.get("partner", "").isdigit():
        initial["partners"] = [int(request.GET["partner"])]
    form = forms.AgreementForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        try:
            agreement = services.agreement_create(actor=request.user, files=[upload] if upload else [],
                                                  **{**data, "partners": list(data["partners"])})
        except ApplicationError as exc:
            _refused(form, exc)
        except PermissionDenied:
            form.add_error("unit", _("You are not an officer of this unit: choose your own unit, or ask its officers."))
        else:
            messages.success(request, _("Agreement recorded."))
            return redirect("cooperation:agreement", pk=agreement.pk)
    return TemplateResponse(request, "cooperation/agreement_form.html", {"form": form}, status=400 if form.errors else 200)


def _agreement_page(request: HttpRequest, pk: int, status: int = 200, **bound: Any) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    today = timezone.localdate()
    from innohub.activity.selectors import event_history

    return TemplateResponse(request, "cooperation/agreement_detail.html", {
        "agreement": agreement, "steps": transitions_allowed(user=request.user, obj=agreement),
        "may_edit": permissions.may_edit_unit(request.user, agreement.unit),
        "near_expiry": selectors.agreement_near_expiry(agreement, today=today), "stale": selectors.agreement_is_stale(agreement, today=today),
        "file_form": bound.get("file_form") or forms.SignedFileForm(auto_id="signed_%s"),
        "transition_form": bound.get("transition_form"), "errors_form": next((f for f in bound.values() if f.errors), None),
        "history": event_history(user=request.user, target=agreement), "today": today,
    }, status=status)


@role_required(STAFF)
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_page(request, pk)


@role_required(permissions.RECORD_COOPERATION)
@require_POST
def agreement_transition(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    form = forms.TransitionForm(request.POST, auto_id="step_%s")
    if form.is_valid():
        try:
            services.agreement_transition(agreement=agreement, code=form.cleaned_data["code"], note=form.cleaned_data["reason"],
                                          actor=request.user)
        except ApplicationError as exc:
            _refused(form, exc)
        except PermissionDenied:
            form.add_error(None, _("Only a manager may approve, return or end an agreement."))
        else:
            messages.success(request, _("The agreement's state is changed."))
            return redirect("cooperation:agreement", pk=pk)
    return _agreement_page(request, pk, status=400, transition_form=form)


@role_required(permissions.RECORD_COOPERATION)
@require_POST
def agreement_attach(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    form = forms.SignedFileForm(request.POST, request.FILES, auto_id="signed_%s")
    if form.is_valid():
        try:
            services.agreement_attach(agreement=agreement, upload=form.cleaned_data["file"], actor=request.user)
        except ApplicationError as exc:
            _refused(form, exc)
        except PermissionDenied:
            form.add_error(None, _("Only the officers of the owning unit may change this."))
        else:
            messages.success(request, _("File attached."))
            return redirect("cooperation:agreement", pk=pk)
    return _agreement_page(request, pk, status=400, file_form=form)


# -- files -----------------------------------------------------------------------------------------
@role_required(STAFF)
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    ext = extension_of(attachment.file.name)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name,
                        content_type=content_type_for(ext))


# -- dashboards and the annual report --------------------------------------------------------------
@role_required(STAFF)
def dashboard(request: HttpRequest) -> HttpResponse:
    years = selectors.years_recorded()
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and int(year_text) in years else None
    by_country = selectors.by_country(user=request.user, year=year)
    figures = [(y, selectors.figures_by_year(year=y)) for y in range(min(years), max(years) + 1)]
    return TemplateResponse(request, "cooperation/dashboard.html", {
        "years": years, "year": year, "by_country": by_country, "by_partner": selectors.by_partner(user=request.user, year=year),
        "figures": figures, "charts": charts.dashboard_charts(by_country=by_country, figures=figures),
    })


@role_required(STAFF)
def annual_report(request: HttpRequest, year: int, language: str) -> HttpResponse:
    from innohub.cooperation import reports

    if language not in ("vi", "en") or not 2000 <= year <= 2100:
        raise Http404
    selectors.ensure_staff(request.user)
    pdf = reports.annual_pdf(year=year, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cooperation-{year}-{language}.pdf"'
    return response

