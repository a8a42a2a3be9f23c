"""Pages of the programmes app: the public page, the applicant's, the reviewer's and the staff's.

Views hold no rules: they read through selectors (which refuse or 404 what the user may
not see) and write through services (which check again and audit).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from innohub.accounts import reauth
from innohub.accounts.reauth import reauthentication_required
from innohub.activity.selectors import event_history
from innohub.core.errors import ApplicationError, ConflictError
from innohub.core.money import format_vnd, parse_vnd
from innohub.core.pagination import paginate
from innohub.core.permissions import login_required, public, role_required, user_has_role
from innohub.core.roles import Role
from innohub.core.uploads import content_type_for
from innohub.programs import exports, permissions, selectors, services
from innohub.programs.forms import (
    ApplicationForm,
    ConflictForm,
    DecisionForm,
    DisbursementFilterForm,
    DisbursementForm,
    MessageForm,
    MilestoneCheckForm,
    MilestoneForm,
    MilestoneReportForm,
    StaffFilterForm,
    TransitionForm,
    form_error_rows,
)
from innohub.programs.models import (
    Application,
    Attachment,
    Award,
    Call,
    DecisionRecord,
    Milestone,
    MilestoneEvidence,
    Review,
    Stage,
    Tranche,
)
from innohub.programs.workflows import spec_for
from innohub.review.drafts import form_values

# Steps the applicant cannot undo: the page asks them to tick a box first (works without JavaScript).
CONFIRM_TRANSITIONS = frozenset({"withdraw"})
# Guards asking for a signed record: a step naming one is taken on its own page (`application_decide`).
RECORD_GUARDS = frozenset({"decision_record", "contract_record"})


def _needs_record(step: Any) -> bool:
    return bool(RECORD_GUARDS & set(step.guards))


def _error_messages(request: HttpRequest, exc: ApplicationError) -> None:
    messages.error(request, str(exc.message))
    for problem in exc.extra.get("problems", []) if len(exc.extra.get("problems", [])) > 1 else []:
        messages.error(request, problem)
    for key, value in exc.extra.items():
        if key != "problems" and isinstance(value, str) and " " in value:
            messages.error(request, value)


# --- Public ---------------------------------------------------------------------------------------


@public
def public_home(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "programs/public_home.html", {
        "stages": selectors.stage_list(),
        "calls": selectors.call_list_open(),
        "cohorts": selectors.cohort_list()[:6],
    })


@public
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(selectors.call_list(user=request.user), pk=pk)
    return TemplateResponse(request, "programs/call_detail.html", call_page_context(request, call))


def call_page_context(request: HttpRequest, call: Call, *, preview: bool = False) -> dict[str, Any]:
    """The public call page's context: also the back office's preview of a draft (``preview``),
    which shows the page as an applicant will read it, without the applicant's actions."""
    organisations = selectors.applicant_organisations(user=request.user) if not preview else []
    existing = selectors.my_applications_in_call(user=request.user, call=call) if not preview else []
    applied = {a.organisation_id for a, _label in existing}
    return {
        "call": call,
        "preview": preview,
        "is_open": selectors.call_is_open(call) and call.is_published,
        "ceiling": selectors.ceiling_for(stage=call.stage, year=call.year),
        "organisations": [o for o in organisations if o.pk not in applied],
        "existing": existing,
        "form_definition": call.form,
        "criteria": selectors.call_criteria(call),
    }


# --- Applicant --------------------------------------------------------------------------------------


@role_required({Role.APPLICANT})
def my_applications(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.application_list(user=request.user))
    for application in page:
        application.label = selectors.state_label(application, for_applicant=True)
        application.tone = selectors.state_tone(application)
    return TemplateResponse(request, "programs/my_applications.html", {
        "page": page, "calls": selectors.call_list_open(),
    })


@role_required({Role.APPLICANT})
@require_POST
def application_start(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(selectors.call_list(user=request.user), pk=pk)  # a draft call takes no application
    organisation = get_object_or_404(selectors.applicant_organisations(user=request.user), pk=request.POST.get("organisation") or 0)
    try:
        application = services.application_start(call=call, organisation=organisation, actor=request.user)
    except ApplicationError as exc:
        _error_messages(request, exc)
        if exc.extra.get("application_id"):
            return redirect("programs:application-detail", pk=exc.extra["application_id"])
        return redirect("programs:call-detail", pk=call.pk)
    messages.success(request, _("Your application is started. It is saved as you type."))
    return redirect("programs:application-edit", pk=application.pk)


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    return _render_detail(request, application)


def _render_detail(request: HttpRequest, application: Application, *, status: int = 200, **forms: Any) -> HttpResponse:
    """The application's page; a form given here (bound, with its errors) replaces the blank one."""
    member = selectors.can_act_as_member(request.user, application)
    staff = user_has_role(request.user, permissions.MANAGE_PROGRAMMES)
    award = selectors.award_for(user=request.user, application=application)
    spec = spec_for(application.call.workflow)
    # staff deciding eligibility see the same list; once submitted, the call's closing no longer counts
    eligibility_check = staff and selectors.has_flag(application, "awaiting_check")
    context: dict[str, Any] = {
        "application": application,
        "member": member,
        "staff": staff,
        "state_label": spec.applicant_label(application.state) if member else spec.staff_label(application.state),
        "state_tone": selectors.state_tone(application),
        "transitions": selectors.available_transitions(user=request.user, application=application),
        "ranking_waits": selectors.ranking_waits_for_close(user=request.user, application=application),
        "confirm_transitions": CONFIRM_TRANSITIONS,
        "problems": selectors.eligibility_problems(application, after_close=selectors.has_flag(application, "returned")) if member and selectors.has_flag(application, "editable_by_applicant") else [],
        "eligibility_check": eligibility_check,
        "staff_problems": selectors.eligibility_problems(application, after_close=True) if eligibility_check else [],
        "attachments": application.attachments.all(),
        "correspondence": selectors.sees_correspondence(request.user, application),
        "thread": selectors.application_messages(user=request.user, application=application),
        "award": award,
        "milestones": award.milestones.all() if award else [],
        # what `milestone_add` accepts: an award that may still be changed
        "plans_milestones": award is not None and selectors.has_flag(application, "funded"),
        "reviews": selectors.application_reviews(user=request.user, application=application) if staff or user_has_role(request.user, permissions.REVIEW) else [],
        "answers": selectors.application_answers(application),
        "message_form": MessageForm(),
        "milestone_form": MilestoneForm(),
        "approve_amount": _amount_as_typed(application.amount_requested),
        "report_form": MilestoneReportForm(),
        "disbursement_form": DisbursementForm(),
        "editable": member and selectors.has_flag(application, "editable_by_applicant"),
        "base_template": "backoffice_base.html" if getattr(request.user, "uses_backoffice", False) else "base.html",
        "history": event_history(user=request.user, target=application) if staff else None,
        "records": selectors.decision_records(user=request.user, application=application),
        "receipt": services.receipt_items(application) if member and application.submitted_at else [],
        "deletable": member and selectors.has_flag(application, "draft") and application.submitted_at is None,
    }
    context["record_transitions"] = {t.code for t in context["transitions"] if _needs_record(t)}
    context.update(forms)
    context["error_summary"] = _detail_error_summary(context)
    return TemplateResponse(request, "programs/application_detail.html", context, status=status)


def _detail_error_summary(context: dict[str, Any]) -> list[dict[str, str]]:
    """The problems of a refused step shown with the page again (the milestone, its check, the
    award's amount), each with the id of the field it links to: the fields are far down the page."""
    milestone_form = context["milestone_form"]
    rows = form_error_rows(milestone_form) if milestone_form.is_bound else []
    if check := context.get("check_error"):
        rows.append({"anchor": f"note-{check['pk']}", "label": check["title"], "message": check["message"]})
    if message := context.get("approve_error"):
        rows.append({"anchor": "amount-approve", "label": _("Amount awarded (VND)"), "message": message})
    return rows


@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's form: answers, files and the submission are one form, so whatever button
    is pressed (Save, Attach, Remove, Submit) the answers on the screen are saved first."""
    application = selectors.application_get(user=request.user, pk=pk)
    if not selectors.can_act_as_member(request.user, application):
        raise PermissionDenied
    if not selectors.has_flag(application, "editable_by_applicant"):
        return redirect("programs:application-detail", pk=pk)
    initial = {"title": application.title, "amount_requested": _amount_as_typed(application.amount_requested)}
    initial.update({f"answer_{k}": v for k, v in application.answers.items()})
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    failed = False
    declaration_error = ""
    if request.method == "POST":
        form = ApplicationForm(request.POST, definition=application.form, initial=initial)
        saved = False
        if form.is_valid():
            try:
                services.application_save(
                    application=application, actor=request.user, title=form.cleaned_data["title"],
                    amount_requested=form.cleaned_data["amount_requested"], answers=form.answers(),
                )
                saved = True
            except ApplicationError as exc:
                if wants_json:
                    return JsonResponse({"saved": False, "errors": {k: str(v) for k, v in exc.extra.items()}}, status=400)
                for key, value in exc.extra.items():
                    form.add_error(key if key in form.fields else form.answer_field_name(key), str(value))
        elif wants_json:
            return JsonResponse({"saved": False, "errors": {k: " ".join(str(e) for e in v) for k, v in form.errors.items()}}, status=400)
        if wants_json:
            return JsonResponse({"saved": True})
        # the files chosen go with any button; each is checked on its own, and one refused keeps the others
        attached = _attach_chosen_files(request, application)
        action = request.POST.get("action", "save")
        if action.startswith("remove-") and action[7:].isdigit():
            attachment = application.attachments.filter(pk=int(action[7:])).first()
            if attachment is not None:
                try:
                    services.attachment_remove(attachment=attachment, actor=request.user)
                    messages.success(request, _("The file %(name)s is removed.") % {"name": attachment.original_name})
                except ApplicationError as exc:
                    _error_messages(request, exc)
        if not saved:
            failed = True
            if attached:
                messages.info(request, _("The files are attached; your answers are kept below but not saved yet: correct what is marked."))
        elif action in ("submit", "resubmit"):
            try:
                application = services.application_transition(
                    application=application, transition=action, actor=request.user,
                    message=request.POST.get("message", "")[:5000], declaration=request.POST.get("declaration") == "1",
                )
            except ApplicationError as exc:
                problems = exc.extra.get("problems", [])
                if any(p == _guard_text("declaration") for p in problems):
                    declaration_error = _guard_text("declaration")
                _error_messages(request, exc)
                messages.info(request, _("Your answers are saved."))
                return _edit_page(request, application, form=ApplicationForm(initial=_initial(application), definition=application.form),
                                  status=400, declaration_error=declaration_error, message=request.POST.get("message", ""))
            messages.success(request, _("Your application %(ref)s is submitted. Your receipt is below and was sent to you by e-mail.") % {
                "ref": application.reference})
            return redirect(reverse("programs:application-detail", kwargs={"pk": pk}) + "#receipt")
        else:
            if not attached and not action.startswith("remove-"):
                messages.success(request, _("Saved."))
            return redirect("programs:application-edit", pk=pk)
    else:
        form = ApplicationForm(initial=initial, definition=application.form)
    application.refresh_from_db()
    return _edit_page(request, application, form=form, status=400 if failed else 200)


def _guard_text(name: str) -> str:
    """The words a guard refuses with (to mark the field it is about)."""
    if name == "declaration":
        return _("Tick the declaration that your answers are true and complete; nothing was submitted.")
    return ""


def _initial(application: Application) -> dict[str, Any]:
    initial = {"title": application.title, "amount_requested": _amount_as_typed(application.amount_requested)}
    initial.update({f"answer_{k}": v for k, v in application.answers.items()})
    return initial


def _attach_chosen_files(request: HttpRequest, application: Application) -> int:
    """Attach each file chosen in the form's file boxes; says what was attached or refused."""
    attached = 0
    for field in application.form.fields():
        if field.get("kind") != "file":
            continue
        upload = request.FILES.get(f"{field['key']}-file")
        if upload is None:
            continue
        try:
            services.attachment_add(application=application, field_key=field["key"], upload=upload, actor=request.user)
            attached += 1
            messages.success(request, _("The file %(name)s is attached and your answers are saved.") % {"name": upload.name})
        except ApplicationError as exc:
            messages.error(request, f"{selectors.field_label(field)}: {exc.message}")
    return attached


def _edit_page(request: HttpRequest, application: Application, *, form: Any, status: int = 200, declaration_error: str = "",
               message: str = "") -> HttpResponse:
    file_fields = [
        {"field": f, "label": selectors.field_label(f), "accept": ",".join(f.get("accept") or [".pdf"]),
         "files": [a for a in application.attachments.all() if a.field_key == f["key"]]}
        for f in application.form.fields() if f.get("kind") == "file"
    ]
    return TemplateResponse(request, "programs/application_edit.html", {
        "application": application, "form": form, "file_fields": file_fields,
        "problems": selectors.eligibility_problems(application, after_close=selectors.has_flag(application, "returned")),
        "returned": selectors.has_flag(application, "returned"),
        "state_label": selectors.state_label(application, for_applicant=True),
        "ceiling": selectors.ceiling_for(stage=application.call.stage, year=application.call.year),
        "deletable": selectors.has_flag(application, "draft") and application.submitted_at is None,
        "declaration_error": declaration_error, "message": message,
    }, status=status)


@login_required
@require_POST
def application_delete_draft(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the box to confirm that you delete the draft; nothing was changed."))
        return redirect("programs:application-detail", pk=pk)
    reference = application.reference
    try:
        services.application_delete_draft(application=application, actor=request.user)
    except ApplicationError as exc:
        _error_messages(request, exc)
        return redirect("programs:application-detail", pk=pk)
    messages.success(request, _("The draft %(ref)s is deleted.") % {"ref": reference})
    return redirect("programs:my-applications")


def _amount_as_typed(amount: int | None) -> str:
    """A saved amount as the reader writes it in the box ('40.000.000' in Vietnamese, '40,000,000' in English)."""
    return "" if not amount else format_vnd(amount).rsplit("\u00a0", 1)[0]


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    key = request.POST.get("field_key", "")
    upload = request.FILES.get(f"{key}-file") or request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
    else:
        try:
            services.attachment_add(application=application, field_key=key, upload=upload, actor=request.user)
            messages.success(request, _("The file is attached."))
        except ApplicationError as exc:
            _error_messages(request, exc)
    return redirect("programs:application-edit", pk=pk)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(Attachment, pk=pk)
    selectors.application_get(user=request.user, pk=attachment.application_id)
    try:
        services.attachment_remove(attachment=attachment, actor=request.user)
    except ApplicationError as exc:
        _error_messages(request, exc)
    return redirect("programs:application-edit", pk=attachment.application_id)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    attachment = get_object_or_404(Attachment, pk=pk)
    selectors.application_get(user=request.user, pk=attachment.application_id)  # 404 unless visible
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # typed by the stored file's checked extension: rows written before issue 32 kept the
    # browser's claimed type; as_attachment so that a browser saves it rather than shows it
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name, content_type=content_type_for(attachment.file.name))


@login_required
@require_POST
@reauthentication_required(transition=reauth.posted("transition"))
def application_transition(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request is not valid."))
        return redirect("programs:application-detail", pk=pk)
    if form.cleaned_data["transition"] in CONFIRM_TRANSITIONS and not form.cleaned_data["confirm"]:
        messages.error(request, _("Tick the box to confirm that you withdraw the application; nothing was changed."))
        return redirect("programs:application-detail", pk=pk)
    try:
        application = services.application_transition(
            application=application, transition=form.cleaned_data["transition"], actor=request.user,
            message=form.cleaned_data["message"], amount=form.cleaned_data["amount"] or None,
        )
        step = spec_for(application.call.workflow).transitions[form.cleaned_data["transition"]]
        messages.success(request, _("%(action)s: application %(ref)s is now “%(state)s”.") % {
            "action": step.display_label, "ref": application.reference,
            "state": selectors.state_label(application, for_applicant=selectors.can_act_as_member(request.user, application))})
    except ApplicationError as exc:
        if form.cleaned_data["transition"] == "approve" and "amount" in exc.extra:
            # the page again, the manager's amount kept in its box with the error under it
            return _render_detail(request, application, status=400, approve_amount=form.cleaned_data["amount"],
                                  approve_error=str(exc.message))
        _error_messages(request, exc)
    return redirect("programs:application-detail", pk=pk)


@login_required
@require_POST
def message_post(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_post(application=application, actor=request.user, body=form.cleaned_data["body"])
            messages.success(request, _("Your message is sent."))
        except ApplicationError as exc:
            _error_messages(request, exc)
    return redirect("programs:application-detail", pk=pk)


@login_required
@require_POST
def milestone_report(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone.objects.select_related("award"), pk=pk)
    selectors.application_get(user=request.user, pk=milestone.award.application_id)
    form = MilestoneReportForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_report(milestone=milestone, actor=request.user, report=form.cleaned_data["report"],
                                      files=request.FILES.getlist("evidence"))
            messages.success(request, _("Your report is sent."))
        except ApplicationError as exc:
            _error_messages(request, exc)
    else:
        messages.error(request, _("Write your report."))
    return redirect("programs:application-detail", pk=milestone.award.application_id)


# --- Staff actions on one application --------------------------------------------------------------


@role_required(permissions.MANAGE_PROGRAMMES)
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    award = get_object_or_404(Award, application_id=pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            amount = parse_vnd(form.cleaned_data["amount"])
        except ValueError:
            form.add_error("amount", _("Enter an amount in VND, for example 40,000,000."))
        else:
            try:
                services.milestone_add(award=award, title=form.cleaned_data["title"], due_on=form.cleaned_data["due_on"],
                                       amount=amount, actor=request.user)
            except ApplicationError as exc:
                field = next((k for k in exc.extra if k in form.fields), None)
                form.add_error(field, str(exc.message))
            else:
                messages.success(request, _("The milestone is added."))
                return redirect("programs:application-detail", pk=pk)
    # the page again with the officer's input kept and each error under its field, as the site's other forms
    application = selectors.application_get(user=request.user, pk=pk)
    return _render_detail(request, application, status=400, milestone_form=form)


@role_required(permissions.MANAGE_PROGRAMMES)
@require_POST
def milestone_check(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone.objects.select_related("award"), pk=pk)
    form = MilestoneCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request is not valid."))
        return redirect("programs:application-detail", pk=milestone.award.application_id)
    met = form.cleaned_data["met"] == "1"
    try:
        milestone = services.milestone_check(milestone=milestone, actor=request.user, met=met, note=form.cleaned_data["note"])
    except ApplicationError as exc:
        if "note" not in exc.extra:
            _error_messages(request, exc)
            return redirect("programs:application-detail", pk=milestone.award.application_id)
        # the page again, the note's error under this milestone's note box
        application = selectors.application_get(user=request.user, pk=milestone.award.application_id)
        return _render_detail(request, application, status=400, check_error={
            "pk": milestone.pk, "title": milestone.title, "message": str(exc.message), "note": form.cleaned_data["note"]})
    messages.success(request, (_("Milestone “%(title)s” is met.") if met else _("Milestone “%(title)s” is not met; the startup is told why.")) % {
        "title": milestone.title})
    return redirect("programs:application-detail", pk=milestone.award.application_id)


@role_required(permissions.MANAGE_PROGRAMMES)
@require_POST
@reauthentication_required
def disbursement_record(request: HttpRequest, pk: int) -> HttpResponse:
    tranche = get_object_or_404(Tranche.objects.select_related("award"), pk=pk)
    form = DisbursementForm(request.POST)
    if form.is_valid():
        try:
            _d, created = services.disbursement_record(tranche=tranche, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The payment is recorded.") if created else _("This payment was already recorded; nothing changed."))
        except ApplicationError as exc:
            _error_messages(request, exc)
    else:
        messages.error(request, _("Fill in the payment order number and the date."))
    return redirect("programs:application-detail", pk=tranche.award.application_id)


@login_required
@reauthentication_required(transition=reauth.argument("transition"))
def application_decide(request: HttpRequest, pk: int, transition: str) -> HttpResponse:
    """A step that needs a signed record (a decision, the contract) on its own page: the record,
    the amount or the reason it needs, and a box to tick to confirm it; the step is taken only on
    this page's POST with everything given (the service checks again, and changes nothing otherwise)."""
    application = selectors.application_get(user=request.user, pk=pk)
    step = next((t for t in selectors.available_transitions(user=request.user, application=application) if t.code == transition), None)
    if step is None or not _needs_record(step):
        known = spec_for(application.call.workflow).transitions.get(transition)
        if known is not None and _needs_record(known) and user_has_role(request.user, permissions.MANAGE_PROGRAMMES):
            raise PermissionDenied  # staff whose role may not take it (an officer approving), or not in this state
        raise Http404
    needs_amount, needs_reason = "create_award" in step.effects, "reason" in step.guards
    form = DecisionForm(request.POST or None, request.FILES or None, needs_amount=needs_amount, needs_reason=needs_reason,
                        initial={"amount": _amount_as_typed(application.amount_requested)} if needs_amount else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                application = services.application_transition(
                    application=application, transition=step.code, actor=request.user, message=form.cleaned_data.get("message", ""),
                    amount=form.cleaned_data.get("amount") or None, record=form.record(),
                )
            except ApplicationError as exc:
                for key in exc.extra:
                    if key in form.fields and key != "problems":
                        form.add_error(key, str(exc.message))
                        break
                else:
                    form.add_error(None, str(exc.message))
                    for problem in exc.extra.get("problems", []) if len(exc.extra.get("problems", [])) > 1 else []:
                        form.add_error(None, problem)
            else:
                messages.success(request, _("%(action)s: application %(ref)s is now “%(state)s”; the signed record is kept.") % {
                    "action": step.display_label, "ref": application.reference, "state": selectors.state_label(application, for_applicant=False)})
                return redirect("programs:application-detail", pk=pk)
        status = 400
    return TemplateResponse(request, "programs/application_decide.html", {
        "application": application, "step": step, "form": form, "error_summary": form_error_rows(form) if form.errors else [],
        "ceiling": selectors.ceiling_for(stage=application.call.stage, year=application.call.year),
        "remaining": application.call.remaining_budget, "needs_amount": needs_amount,
        "state_label": selectors.state_label(application, for_applicant=False),
    }, status=status)


@login_required
def record_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    record = get_object_or_404(DecisionRecord, pk=pk)
    application = selectors.application_get(user=request.user, pk=record.application_id)
    if not selectors.decision_records(user=request.user, application=application).filter(pk=pk).exists():
        raise Http404
    return _download(record.file, record.original_name)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    evidence = get_object_or_404(MilestoneEvidence.objects.select_related("milestone__award"), pk=pk)
    selectors.application_get(user=request.user, pk=evidence.milestone.award.application_id)  # 404 unless visible
    return _download(evidence.file, evidence.original_name)


def _download(file: Any, name: str) -> HttpResponseBase:
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type_for(file.name))


@role_required(permissions.MANAGE_PROGRAMMES)
@reauthentication_required(transition=reauth.argument("transition"))
def bulk_decide(request: HttpRequest, transition: str) -> HttpResponse:
    """Many ranked applications approved under one signed decision, each with its own amount:
    the amount proposed (the one asked) is shown in each box, to be confirmed or changed."""
    ids = [int(i) for i in (request.POST.getlist("ids") or request.GET.getlist("ids")) if str(i).isdigit()][:200]
    applications = list(selectors.application_list(user=request.user).filter(pk__in=ids).order_by("rank", "id"))
    steps = {t.code: t for t in selectors.bulk_transitions(user=request.user)}
    step = steps.get(transition)
    if step is None or not _needs_record(step):
        raise Http404
    needs_amount, needs_reason = "create_award" in step.effects, "reason" in step.guards
    if not applications:
        messages.error(request, _("Choose applications and an action."))
        return redirect("programs:staff-applications")
    form = DecisionForm(request.POST if "number" in request.POST else None, request.FILES or None, needs_amount=False, needs_reason=needs_reason)
    amounts = {a.pk: request.POST.get(f"amount-{a.pk}", _amount_as_typed(a.amount_requested)) if needs_amount else None for a in applications}
    errors: dict[int, str] = {}
    status = 200
    if "number" in request.POST:
        for a in applications:
            if needs_amount and not str(amounts[a.pk]).strip():
                errors[a.pk] = _("Enter the amount awarded, as written on the signed decision.")
        if form.is_valid() and not errors:
            try:
                result = services.application_bulk_decide(amounts={a.pk: amounts[a.pk] for a in applications}, record=form.record(),
                                                          transition=step.code, actor=request.user,
                                                          message=form.cleaned_data.get("message", ""))
            except ApplicationError as exc:
                form.add_error(None, str(exc.message))
            else:
                if result["done"]:
                    messages.success(request, _("%(action)s: %(n)s applications are now “%(state)s”.") % {
                        "action": step.display_label, "n": len(result["done"]), "state": selectors.state_label(
                            Application.objects.select_related("call__workflow").get(pk=result["done"][0]), for_applicant=False)})
                for ref, reason in result["failed"].items():
                    messages.error(request, f"{ref}: {reason}")
                return redirect("programs:staff-applications")
        status = 400
    rows = [{"application": a, "amount": amounts[a.pk], "error": errors.get(a.pk, ""), "label": selectors.state_label(a, for_applicant=False)} for a in applications]
    summary = form_error_rows(form) if form.errors else []
    summary += [{"anchor": f"amount-{pk}", "label": _("Amount awarded (VND)"), "message": message} for pk, message in errors.items()]
    return TemplateResponse(request, "programs/bulk_decide.html", {
        "step": step, "rows": rows, "form": form, "error_summary": summary, "needs_amount": needs_amount,
    }, status=status)


# --- Reviewer ----------------------------------------------------------------------------------------------


@role_required(permissions.SEE_REVIEW_LIST)
def review_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in Review.State.values:
        state = ""
    page = paginate(request, selectors.review_list(user=request.user, state=state))
    return TemplateResponse(request, "programs/review_list.html", {"page": page, "state": state, "states": Review.State.choices})


@role_required(permissions.SEE_REVIEW_LIST)
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get(user=request.user, pk=pk)
    application = review.application
    criteria = list(application.call.rubric.criteria.all())
    errors: dict[str, str] = {}
    summary: list[dict[str, str]] = []
    # a draft comes back as it was left; a submitted review shows what was submitted
    values = form_values(review.draft_scores if review.has_draft else review.scores)
    comment = review.draft_comment if review.has_draft else review.comment
    conflict_form = ConflictForm()
    status = 200
    if request.method == "POST" and request.POST.get("action") == "conflict":
        conflict_form = ConflictForm(request.POST)
        if conflict_form.is_valid():
            try:
                services.review_declare_conflict(review=review, actor=request.user, reason=conflict_form.cleaned_data["reason"])
            except ApplicationError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("Your conflict of interest is recorded; the application goes to another reviewer."))
                return redirect("programs:review-list")
        else:
            status = 400
            summary = form_error_rows(conflict_form)
    elif request.method == "POST":
        values = {c.code: request.POST.get(f"score_{c.code}", "") for c in criteria}
        comment = request.POST.get("comment", "")
        draft = request.POST.get("action") == "draft"
        try:
            if draft:
                services.review_draft_save(review=review, actor=request.user, scores=values, comment=comment)
            else:
                services.review_submit(review=review, actor=request.user, scores=values, comment=comment)
        except ApplicationError as exc:
            errors = {k: str(v) for k, v in exc.extra.items()}
            if not errors or isinstance(exc, ConflictError):
                messages.error(request, str(exc.message))
            else:  # the scores' problems are listed at the top, each linked to its score
                status = 400
                summary = [{"anchor": f"score-{c.code}", "label": c.display_label, "message": errors[c.code]} for c in criteria if c.code in errors]
                summary = summary or [{"anchor": "", "label": "", "message": str(exc.message)}]
        else:
            if draft:
                messages.success(request, _("Your draft is saved. It is not submitted: it counts nowhere until you submit it."))
                return redirect("programs:review-detail", pk=review.pk)
            messages.success(request, _("Your review is submitted."))
            return redirect("programs:review-list")
    rows = [{"criterion": c, "value": values.get(c.code), "error": errors.get(c.code, ""),
             "range": range(c.min_score, c.max_score + 1)} for c in criteria]
    others = []
    if selectors.other_reviews_visible(user=request.user, application=application):
        others = [r for r in selectors.application_reviews(user=request.user, application=application) if r.pk != review.pk]
    return TemplateResponse(request, "programs/review_form.html", {
        "review": review, "application": application, "rows": rows, "others": others, "error_summary": summary,
        "answers": selectors.application_answers(application), "attachments": application.attachments.all(),
        "conflict_form": conflict_form, "comment": comment,
        "editable": review.state == Review.State.ASSIGNED and review.reviewer_id == request.user.pk,
    }, status=status)


# --- Officers and managers -------------------------------------------------------------------------------------


@role_required(permissions.MANAGE_PROGRAMMES)
def staff_applications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        transition = request.POST.get("transition", "")
        if not ids or not selectors.transition_known(transition):
            messages.error(request, _("Choose applications and an action."))
        elif transition not in {t.code for t in selectors.bulk_transitions(user=request.user)}:
            messages.error(request, _("Your role may not take this action; nothing was changed."))
        elif _needs_record({t.code: t for t in selectors.bulk_transitions(user=request.user)}[transition]):
            # a decision needs its signed record and each amount confirmed: on its own page
            query = "&".join(f"ids={i}" for i in ids)
            return redirect(reverse("programs:bulk-decide", kwargs={"transition": transition}) + "?" + query)
        else:
            result = services.application_bulk_transition(application_ids=ids, transition=transition, actor=request.user,
                                                          message=request.POST.get("message", ""))
            if result["done"]:
                spec = spec_for(Application.objects.select_related("call__workflow").get(pk=result["done"][0]).call.workflow)
                messages.success(request, _("%(action)s: %(n)s applications are now “%(state)s”.") % {
                    "action": spec.transitions[transition].display_label, "n": len(result["done"]),
                    "state": spec.staff_label(spec.transitions[transition].target)})
            for ref, reason in result["failed"].items():
                messages.error(request, f"{ref}: {reason}")
        return redirect(request.get_full_path())
    chosen = request.GET.get("call", "")
    call = Call.objects.select_related("workflow").filter(pk=int(chosen)).first() if chosen.isdigit() else None
    form = StaffFilterForm(request.GET or None, states=selectors.application_state_choices(call=call))
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"call_id": data["call"].pk if data["call"] else None, "state": data["state"], "stage": data["stage"], "q": data["q"]}
    page = paginate(request, selectors.application_list(user=request.user, **filters), per_page=50)
    for application in page:
        application.label = spec_for(application.call.workflow).staff_label(application.state)
        application.tone = selectors.state_tone(application)
    bulk = [(t.code, t.display_label) for t in selectors.bulk_transitions(user=request.user)]
    return TemplateResponse(request, "programs/staff_applications.html", {"form": form, "page": page, "bulk": bulk})


@role_required(permissions.MANAGE_PROGRAMMES)
def staff_calls(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.call_list(user=request.user))
    return TemplateResponse(request, "programs/staff_calls.html", {"page": page, "stages": Stage.choices})


@role_required(permissions.MANAGE_PROGRAMMES)
def call_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.select_related("programme", "workflow"), pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "assign":
                result = services.reviewers_assign(call=call, actor=request.user)
                messages.success(request, _("%(n)s reviews assigned.") % {"n": result["assigned"]})
                if result["short"]:
                    messages.warning(request, _("%(n)s applications still lack reviewers (no free reviewer without a conflict).") % {"n": len(result["short"])})
            elif action == "rank":
                result = services.call_rank(call=call, actor=request.user, confirm=request.POST.get("confirm") == "1")
                messages.success(request, _("%(n)s applications ranked, %(above)s within the budget and proposed for funding.") % {
                    "n": result["ranked"], "above": result["above_line"]})
                if result.get("below_min_score"):
                    messages.info(request, _("%(n)s applications score below the call's minimum of %(min)s and are not proposed, whatever the budget.") % {
                        "n": result["below_min_score"], "min": call.min_score})
        except ApplicationError as exc:
            _error_messages(request, exc)
        return redirect("programs:call-dashboard", pk=pk)
    ranking = selectors.call_ranking(user=request.user, call=call)
    page = paginate(request, ranking, per_page=50)
    dashboard = selectors.call_dashboard(user=request.user, call=call)
    return TemplateResponse(request, "programs/call_dashboard.html", {
        "dashboard": dashboard, "call": call, "page": page,
        "may_rank": selectors.call_may_be_ranked(call), "warnings": selectors.ranking_warnings(call=call),
        "charts": _dashboard_charts(dashboard),
    })


def _dashboard_charts(dashboard: dict[str, Any]) -> dict[str, str]:
    """The call's charts as inline SVG, drawn as the indicators draw theirs (matplotlib, `indicators.charts`);
    each sits beside a table of the same numbers on the page."""
    from django.utils import formats

    from innohub.indicators import charts

    def whole(figure):  # counts and millions of đồng read as whole numbers: "3", not "3,0" (nor ticks 0 0 1 1 2)
        from matplotlib.ticker import MaxNLocator

        for ax in figure.axes:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            for text in ax.texts:
                value = text.get_position()[0]
                if float(value).is_integer():
                    text.set_text(" " + formats.number_format(int(value), 0, force_grouping=True))
        return figure

    drawn = {}
    if dashboard["by_state"]:
        drawn["states"] = charts.to_svg(whole(charts.bar_chart(
            [label for _code, label, _n in dashboard["by_state"]], [n for _code, _label, n in dashboard["by_state"]],
            xlabel=_("Applications"), limit=None, width=charts.PAGE_WIDTH, wrap=18)), label=_("Applications by state"))
    if dashboard["score_buckets"]:
        drawn["scores"] = charts.to_svg(whole(charts.bar_chart(
            [bucket for bucket, _n in dashboard["score_buckets"]], [n for _bucket, n in dashboard["score_buckets"]],
            xlabel=_("Applications"), limit=None, width=charts.PAGE_WIDTH)), label=_("Applications by weighted score"))
    money = [(_("Budget"), dashboard["budget"]), (_("Awarded"), dashboard["awarded"]), (_("Disbursed"), dashboard["disbursed"])]
    drawn["money"] = charts.to_svg(whole(charts.bar_chart(
        [label for label, _v in money], [v / 1_000_000 for _label, v in money], xlabel=_("Million VND"), limit=None,
        width=charts.PAGE_WIDTH)), label=_("Budget, awarded and disbursed (million VND)"))
    return drawn


@role_required(permissions.MANAGE_PROGRAMMES)
def call_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk)
    return exports.call_export(user=request.user, call=call, fmt=fmt)


@role_required(permissions.MANAGE_PROGRAMMES)
def stage_dashboard(request: HttpRequest, stage: str) -> HttpResponse:
    if stage not in Stage.values:
        raise Http404
    year = request.GET.get("year")
    year_int = int(year) if year and year.isdigit() else None
    return TemplateResponse(request, "programs/stage_dashboard.html", {
        "dashboard": selectors.stage_dashboard(user=request.user, stage=stage, year=year_int), "stages": Stage.choices, "year": year_int,
    })


@role_required(permissions.MANAGE_PROGRAMMES)
def stage_export(request: HttpRequest, stage: str, fmt: str) -> HttpResponse:
    if stage not in Stage.values:
        raise Http404
    return exports.stage_export(user=request.user, stage=stage, fmt=fmt)


def _disbursements_filtered(request: HttpRequest) -> tuple[DisbursementFilterForm, Any]:
    form = DisbursementFilterForm(request.GET or None, states=selectors.application_state_choices())
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"call_id": data["call"].pk if data["call"] else None, "state": data["state"],
                   "date_from": data["date_from"], "date_to": data["date_to"]}
    return form, selectors.disbursement_list(user=request.user, **filters)


@role_required(permissions.MANAGE_PROGRAMMES)
def disbursement_list(request: HttpRequest) -> HttpResponse:
    form, disbursements = _disbursements_filtered(request)
    page = paginate(request, disbursements, per_page=50)
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(request, "programs/disbursement_list.html", {
        "page": page, "form": form, "totals": selectors.disbursement_totals(disbursements), "query": query.urlencode(),
        "error_summary": form_error_rows(form) if form.is_bound and form.errors else [],
    }, status=400 if form.is_bound and form.errors else 200)


@role_required(permissions.MANAGE_PROGRAMMES)
def disbursement_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _form, disbursements = _disbursements_filtered(request)
    return exports.disbursement_export(disbursements=disbursements, fmt=fmt)
