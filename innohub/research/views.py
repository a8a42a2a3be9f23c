"""Pages of research and technology transfer: the staff's task list and task page (stage,
timeline, budget, councils, reports, outputs), a council member's scoring page, deals and the
commercialisation pipeline; the public marketplace (offers and needs with search typed with
or without diacritics, an offer's page with the expression-of-interest form). Views call
services and selectors only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from innohub.activity.selectors import event_history
from innohub.core.errors import ApplicationError
from innohub.core.pagination import paginate
from innohub.core.permissions import login_required, public, role_required, user_has_role
from innohub.core.tabular import DATE, Column, Sheet, spreadsheet_response
from innohub.forms.display import answers_display
from innohub.research import forms, permissions, selectors, services, workflows
from innohub.research.models import ContractChange, Council, Output, Task
from innohub.workflow.services import transitions_allowed


# -- staff: tasks ------------------------------------------------------------------------
@role_required(permissions.MANAGE_TASKS)
def task_list(request: HttpRequest) -> HttpResponse:
    form = forms.TaskFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    tasks = selectors.task_list(user=request.user, query=data.get("q", ""), regime=data.get("regime", ""))
    return TemplateResponse(request, "research/task_list.html", {"form": form, "page": paginate(request, tasks)})


@role_required(permissions.MANAGE_TASKS)
def task_new(request: HttpRequest) -> HttpResponse:
    form = forms.TaskProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        urgency = d.pop("urgency")
        try:
            task = services.task_propose(actor=request.user, proposal={"urgency": urgency}, **d)
        except ApplicationError as exc:
            for key, problem in exc.extra.get("problems", {"code": str(exc.message)}).items():
                form.add_error(key if key in form.fields else None, problem)
        else:
            messages.success(request, _("The proposal is recorded."))
            return redirect("research:task", pk=task.pk)
    return TemplateResponse(request, "research/task_new.html", {"form": form}, status=400 if form.errors else 200)


def _task_page(request: HttpRequest, task: Task, *, status: int = 200, **bound: Any) -> HttpResponse:
    spec = workflows.task_spec(task)
    steps = transitions_allowed(user=request.user, obj=task, spec=spec)
    councils = []
    for council in task.councils.all():
        councils.append({"council": council, "result": services.council_result(council),
                         "member_form": bound.get(f"member_{council.pk}") or forms.MemberForm(auto_id=f"m{council.pk}_%s"),
                         "minutes_form": forms.MinutesForm(auto_id=f"mn{council.pk}_%s")})
    lines = list(task.budget_lines.all())
    by_source: dict[str, int] = {}
    for line in lines:
        by_source[line.get_source_display()] = by_source.get(line.get_source_display(), 0) + line.amount
    context = {
        "task": task, "spec": spec, "steps": steps, "state_label": spec.label(task.state), "state_help": spec.label(task.state, "help"),
        "timeline": workflows.timeline(task), "councils": councils, "lines": lines, "by_source": by_source,
        "lines_total": sum(line.amount for line in lines),
        "under_contract": workflows.has_flag(task, "under_contract"), "accepted": workflows.has_flag(task, "accepted"),
        "closed": workflows.has_flag(task, "closed"),
        "budget_form": bound.get("budget") or forms.BudgetLineForm(auto_id="b_%s"),
        "total_form": bound.get("total") or forms.ApprovedTotalForm(auto_id="t_%s"),
        "contract_form": bound.get("contract") or forms.ContractForm(auto_id="c_%s", initial={
            "number": task.contract_number, "start": task.contract_start, "end": task.contract_end}),
        "council_form": forms.CouncilForm(auto_id="k_%s"),
        "report_form": bound.get("report") or forms.ReportForm(auto_id="r_%s"),
        "change_form": bound.get("change") or forms.ChangeForm(auto_id="ch_%s"),
        "output_form": bound.get("output") or forms.OutputForm(auto_id="o_%s"),
        "offer_form": bound.get("offer") or forms.OfferForm(auto_id="of_%s"),
        "may_approve": user_has_role(request.user, permissions.APPROVE_CHANGES),
        "history": event_history(user=request.user, target=task),
        "proposal": answers_display(services.PROPOSAL_FORM, task.proposal or {}),
    }
    return TemplateResponse(request, "research/task_detail.html", context, status=status)


@role_required(permissions.MANAGE_TASKS)
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_page(request, selectors.task_get(user=request.user, pk=pk))


@role_required(permissions.MANAGE_TASKS)
def task_chain(request: HttpRequest, pk: int) -> HttpResponse:
    """The chain in one view: the cooperation action the task came from, its outputs, offers,
    deals and spin-offs, their support awards and the index figures they count toward."""
    return TemplateResponse(request, "research/task_chain.html", selectors.task_chain(user=request.user, pk=pk))


def _form_errors(form: Any) -> str:
    return " ".join(f"{form.fields[k].label if k in form.fields else ''}: {e}".lstrip(": ") for k, errs in form.errors.items() for e in errs)


# the bound form of a refused action, shown again with what was typed (a redirect would lose it)
_BOUND_KEYS = {"budget": "budget", "total": "total", "contract": "contract", "report": "report", "change": "change", "output": "output"}


def _refused(request: HttpRequest, task: Task, action: str, form: Any) -> HttpResponse:
    key = _BOUND_KEYS.get(action) or (action.replace("-", "_") if action.startswith("member-") else "")
    key = "offer" if action.startswith("offer-") else key
    task = selectors.task_get(user=request.user, pk=task.pk)
    return _task_page(request, task, status=400, **({key: form} if key else {}))


@require_POST
@role_required(permissions.MANAGE_TASKS)
def task_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Every write on a task page: a workflow step (``step-<code>``) or a record."""
    task = selectors.task_get(user=request.user, pk=pk)
    user = request.user
    form: Any = None
    anchor = ""
    try:
        if action.startswith("step-"):
            task = services.task_transition(task=task, transition=action.removeprefix("step-"), actor=user)
            messages.success(request, _("The task is now “%(state)s”.") % {"state": workflows.state_label(task)})
        elif action == "budget":
            form, anchor = forms.BudgetLineForm(request.POST, auto_id="b_%s"), "budget"
            if form.is_valid():
                services.budget_line_add(task=task, actor=user, **form.cleaned_data)
                messages.success(request, _("The budget line is added."))
        elif action == "total":
            form, anchor = forms.ApprovedTotalForm(request.POST, auto_id="t_%s"), "budget"
            if form.is_valid():
                services.task_budget_approve(task=task, actor=user, total=form.cleaned_data["total"])
                messages.success(request, _("The approved total is set."))
        elif action == "contract":
            form, anchor = forms.ContractForm(request.POST, auto_id="c_%s"), "contract"
            if form.is_valid():
                services.task_contract_record(task=task, actor=user, **form.cleaned_data)
                messages.success(request, _("The contract is recorded."))
        elif action == "council":
            form, anchor = forms.CouncilForm(request.POST, auto_id="k_%s"), "councils"
            if form.is_valid():
                services.council_create(task=task, actor=user, **form.cleaned_data)
                messages.success(request, _("The council is formed."))
        elif action.startswith("member-") or action.startswith("minutes-"):
            kind, _sep, council_pk = action.partition("-")
            council = get_object_or_404(Council, pk=council_pk, task=task)
            anchor = "councils"
            if kind == "member":
                form = forms.MemberForm(request.POST, auto_id=f"m{council.pk}_%s")
                if form.is_valid():
                    services.council_member_add(council=council, actor=user, **form.cleaned_data)
                    messages.success(request, _("The member is added to the council."))
            else:
                form = forms.MinutesForm(request.POST, request.FILES, auto_id=f"mn{council.pk}_%s")
                if form.is_valid():
                    services.council_minutes_attach(council=council, actor=user, upload=form.cleaned_data["minutes"],
                                                    meeting_on=form.cleaned_data["meeting_on"])
                    messages.success(request, _("The minutes are attached."))
        elif action == "report":
            form, anchor = forms.ReportForm(request.POST, request.FILES, auto_id="r_%s"), "reports"
            if form.is_valid():
                services.report_submit(task=task, actor=user, **form.cleaned_data)
                messages.success(request, _("The report is recorded."))
        elif action == "change":
            form, anchor = forms.ChangeForm(request.POST, auto_id="ch_%s"), "reports"
            if form.is_valid():
                services.contract_change_record(task=task, actor=user, **form.cleaned_data)
                messages.success(request, _("The change is recorded; a manager approves it."))
        elif action.startswith("approve-change-"):
            change = get_object_or_404(ContractChange, pk=action.removeprefix("approve-change-"), task=task)
            services.contract_change_approve(change=change, actor=user)
            messages.success(request, _("The change is approved."))
            anchor = "reports"
        elif action == "output":
            form, anchor = forms.OutputForm(request.POST, auto_id="o_%s"), "outputs"
            if form.is_valid():
                services.output_add(task=task, actor=user, **form.cleaned_data)
                messages.success(request, _("The output is added."))
        elif action.startswith("offer-"):
            output = get_object_or_404(Output, pk=action.removeprefix("offer-"), task=task)
            form, anchor = forms.OfferForm(request.POST, auto_id="of_%s"), "outputs"
            if form.is_valid():
                offer = services.offer_create(actor=user, organisation=task.host, output=output, **form.cleaned_data)
                messages.success(request, _("The output is offered on the marketplace."))
                return redirect("research:offer", pk=offer.pk)
        else:
            raise Http404
        if form is not None and not form.is_valid():
            messages.error(request, _form_errors(form))
            return _refused(request, task, action, form)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        if form is not None:
            return _refused(request, task, action, form)
    url = redirect("research:task", pk=task.pk).url
    return redirect(f"{url}#{anchor}" if anchor else url)


@role_required(permissions.MANAGE_TASKS)
def results_export(request: HttpRequest) -> HttpResponse:
    """The results registration as a spreadsheet: each recognised task and its outputs."""
    tasks = selectors.task_list(user=request.user).filter(state__in=workflows.states_with("accepted")).prefetch_related("outputs")
    rows = [
        (t.code, t.title, t.host.name if t.host else "", t.principal_investigator, workflows.state_label(t),
         o.title if o else "", o.get_kind_display() if o else "", o.trl if o else None, o.get_ip_status_display() if o else "",
         o.filed_on if o else None, o.granted_on if o else None)
        for t in tasks for o in ([*t.outputs.all()] or [None])  # type: ignore[list-item]
    ]
    sheet = Sheet(
        title=_("Results"),
        columns=[_("Code"), _("Title"), _("Host organisation"), _("Principal investigator"), _("State"), _("Output"), _("Kind"),
                 _("TRL"), _("IP status"), Column(_("Filed on"), DATE), Column(_("Granted on"), DATE)],
        rows=rows,
    )
    return spreadsheet_response("ket-qua-nhiem-vu", request.GET.get("format", "xlsx"), [sheet])


@role_required(permissions.MANAGE_TASKS)
def pipeline(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "research/pipeline.html", {"rows": selectors.pipeline(user=request.user)})


@role_required(permissions.MANAGE_MARKET)
def deal_list(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "research/deal_list.html", {"page": paginate(request, selectors.deal_list(user=request.user))})


# -- council members -----------------------------------------------------------------------
@role_required(permissions.SIT_ON_COUNCILS)
def my_councils(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "research/my_councils.html", {"page": paginate(request, selectors.councils_of(user=request.user))})


@role_required(permissions.SIT_ON_COUNCILS)
def council_score(request: HttpRequest, pk: int) -> HttpResponse:
    council = selectors.council_for_member(user=request.user, pk=pk)
    criteria = list(council.criteria.all())
    mine = council.scores.filter(member=request.user).first()  # type: ignore[misc]
    seat = council.members.get(user=request.user)  # type: ignore[misc]
    # a draft comes back as it was left, else what was submitted
    if seat.has_draft:
        initial = {f"score_{k}": v for k, v in seat.draft_scores.items()} | {"comment": seat.draft_comment}
    else:
        initial = {f"score_{k}": v for k, v in (mine.scores if mine else {}).items()} | {"comment": mine.comment if mine else ""}
    draft = request.POST.get("action") == "draft"
    form = forms.ScoreForm(request.POST or None, criteria=criteria, initial=initial, draft=draft)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if draft:
                    services.council_score_draft_save(council=council, actor=request.user, scores=form.scores(), comment=form.cleaned_data["comment"])
                else:
                    services.council_score_submit(council=council, actor=request.user, scores=form.scores(), comment=form.cleaned_data["comment"])
            except ApplicationError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Your draft is saved. It is not submitted: it counts nowhere until you submit it.") if draft
                                 else _("Your scores are saved."))
                return redirect("research:score", pk=council.pk)
        status = 400
    return TemplateResponse(request, "research/council_score.html",
                            {"council": council, "form": form, "mine": mine, "seat": seat, "grades": council.grades.all()}, status=status)


# -- public marketplace -------------------------------------------------------------------------
@public
def market(request: HttpRequest) -> HttpResponse:
    form = forms.SearchForm(request.GET or None)
    query = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    page = paginate(request, selectors.offers_public(user=request.user, query=query), per_page=20)
    return TemplateResponse(request, "research/market.html", {"form": form, "page": page, "query": query, "tab": "offers"})


@public
def need_list(request: HttpRequest) -> HttpResponse:
    form = forms.SearchForm(request.GET or None)
    query = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    page = paginate(request, selectors.needs_public(user=request.user, query=query), per_page=20)
    return TemplateResponse(request, "research/needs.html", {"form": form, "page": page, "query": query, "tab": "needs",
                                                            "may_moderate": user_has_role(request.user, permissions.MANAGE_MARKET)})


def _offer_page(request: HttpRequest, offer: Any, *, interest_form: Any = None, decline_form: Any = None, deal_form: Any = None,
                status: int = 200) -> HttpResponse:
    context = {
        "offer": offer, "interest": selectors.my_interest(user=request.user, offer=offer),
        "interest_form": interest_form or forms.InterestForm(auto_id="i_%s"),
        "decline_form": decline_form or forms.DeclineForm(auto_id="d_%s"),
        "matches": selectors.matched_needs(user=request.user, offer=offer)[:5],
        "interests": selectors.offer_interests(user=request.user, offer=offer)[:50],
        "deal_form": (deal_form or forms.DealForm(auto_id="deal_%s")) if user_has_role(request.user, permissions.MANAGE_MARKET) else None,
        "deals": [(d, forms.FollowUpForm(auto_id=f"fu{d.pk}_%s", initial={"in_production": d.in_production, "revenue": d.revenue,
                                                                        "jobs": d.jobs, "paid": d.paid}))
                  for d in offer.deals.select_related("buyer", "spin_off")] if user_has_role(request.user, permissions.MANAGE_MARKET) else [],
    }
    return TemplateResponse(request, "research/offer_detail.html", context, status=status)


@public
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _offer_page(request, selectors.offer_public_get(user=request.user, pk=pk))


@public
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_public_get(user=request.user, pk=pk)
    return TemplateResponse(request, "research/need_detail.html", {"need": need, "matches": selectors.matched_offers(user=request.user, need=need)[:5]})


@require_POST
@login_required
def offer_interest(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_public_get(user=request.user, pk=pk)
    form = forms.InterestForm(request.POST, auto_id="i_%s")
    if form.is_valid():
        try:
            services.interest_express(offer=offer, actor=request.user, message=form.cleaned_data["message"])
        except ApplicationError as exc:
            form.add_error("message", str(exc.message))
        else:
            messages.success(request, _("Your interest is sent to %(organisation)s.") % {"organisation": offer.organisation.name})
            return redirect("research:offer", pk=offer.pk)
    return _offer_page(request, offer, interest_form=form, status=400)


@require_POST
@login_required
def offer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_public_get(user=request.user, pk=pk)
    form = forms.DeclineForm(request.POST, auto_id="d_%s")
    if form.is_valid():
        try:
            services.interest_decline(offer=offer, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error("reason", str(exc.message))
        else:
            messages.success(request, _("Thank you: your answer helps the offer's owner."))
            return redirect("research:offer", pk=offer.pk)
    return _offer_page(request, offer, decline_form=form, status=400)


@role_required(permissions.MANAGE_MARKET)
def offer_new(request: HttpRequest) -> HttpResponse:
    form = forms.StandaloneOfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The technology is offered on the marketplace."))
            return redirect("research:offer", pk=offer.pk)
    return TemplateResponse(request, "research/market_new.html", {"form": form, "heading": _("Offer a technology")},
                            status=400 if form.errors else 200)


@role_required(permissions.MANAGE_MARKET)
def need_new(request: HttpRequest) -> HttpResponse:
    form = forms.NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.need_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The need is published on the marketplace."))
            return redirect("research:need", pk=need.pk)
    return TemplateResponse(request, "research/market_new.html", {"form": form, "heading": _("Publish an enterprise's need")},
                            status=400 if form.errors else 200)


@require_POST
@role_required(permissions.MANAGE_MARKET)
def deal_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    deal = get_object_or_404(selectors.deal_list(user=request.user), pk=pk)
    form = forms.FollowUpForm(request.POST, auto_id=f"fu{deal.pk}_%s")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.deal_follow_up(deal=deal, actor=request.user, in_production=d["in_production"], revenue=d["revenue"] or 0,
                                    jobs=d["jobs"] or 0, paid=d["paid"] or 0)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The follow-up is recorded."))
    else:
        messages.error(request, _form_errors(form))
    return redirect("research:offer", pk=deal.offer_id)


@require_POST
@role_required(permissions.MANAGE_MARKET)
def offer_deal(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_public_get(user=request.user, pk=pk)
    form = forms.DealForm(request.POST, auto_id="deal_%s")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.deal_record(offer=offer, actor=request.user, buyer=d["buyer"], kind=d["kind"], signed_on=d["signed_on"],
                                 value=d["value"] or 0, spin_off=d["spin_off"])
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The transfer deal is recorded."))
    else:
        # shown again with what was typed: a buyer's name that matched several is chosen there
        return _offer_page(request, offer, deal_form=form, status=400)
    return redirect("research:offer", pk=offer.pk)



# -- a task's team and partners (staff) ----------------------------------------------------------
def _problems_onto(form: Any, exc: ApplicationError) -> None:
    for key, problem in exc.extra.get("problems", {None: str(exc.message)}).items():
        form.add_error(key if key in form.fields else None, problem)


def _edit_list(request: HttpRequest, pk: int, *, kind: str) -> HttpResponse:
    """The page editing a task's team or its partners: the list with a remove button each, and
    the add form, shown again with what was typed when refused."""
    task = selectors.task_get(user=request.user, pk=pk)
    is_team = kind == "team"
    form_class = forms.TeamMemberForm if is_team else forms.TaskPartnerForm
    form = form_class(request.POST if request.method == "POST" and "remove" not in request.POST else None, auto_id="e_%s")
    if request.method == "POST":
        rows = task.team if is_team else task.partners
        try:
            if "remove" in request.POST:
                row: Any = get_object_or_404(rows, pk=request.POST.get("remove") if str(request.POST.get("remove")).isdigit() else 0)
                if is_team:
                    services.team_member_remove(member=row, actor=request.user)
                else:
                    services.task_partner_remove(partner=row, actor=request.user)
                messages.success(request, _("Removed."))
                return redirect(request.path)
            if form.is_valid():
                if is_team:
                    services.team_member_add(task=task, actor=request.user, **form.cleaned_data)
                else:
                    services.task_partner_add(task=task, actor=request.user, **form.cleaned_data)
                messages.success(request, _("Added."))
                return redirect(request.path)
        except ApplicationError as exc:
            _problems_onto(form, exc)
    rows_shown = task.team.select_related("organisation").order_by("id") if is_team else task.partners.select_related("organisation").order_by("id")
    return TemplateResponse(request, "research/task_edit_list.html", {
        "task": task, "form": form, "is_team": is_team, "page": paginate(request, rows_shown, per_page=50),
        "heading": _("The task's team") if is_team else _("The task's partners"),
    }, status=400 if form.errors else 200)


@role_required(permissions.MANAGE_TASKS)
def task_team(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit_list(request, pk, kind="team")


@role_required(permissions.MANAGE_TASKS)
def task_partners(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit_list(request, pk, kind="partners")


# -- needs posted by enterprises, moderated by officers ----------------------------------------------
@login_required
def need_post(request: HttpRequest) -> HttpResponse:
    """A member of an enterprise of the directory posts what technology it needs; it is public
    once an officer approves it. The page also lists the user's posted needs and their fate."""
    enterprises = services.enterprises_of(request.user)
    form = forms.NeedPostForm(request.POST or None, enterprises=enterprises, auto_id="np_%s")
    if request.method == "POST" and enterprises and form.is_valid():
        try:
            services.need_post(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            _problems_onto(form, exc)
        else:
            messages.success(request, _("Your need is sent: an officer of the department checks it before it is published."))
            return redirect("research:need-post")
    mine = selectors.needs_posted_by(user=request.user)
    return TemplateResponse(request, "research/need_post.html", {"form": form, "enterprises": enterprises, "page": paginate(request, mine)},
                            status=403 if request.method == "POST" and not enterprises else (400 if form.errors else 200))


@role_required(permissions.MANAGE_MARKET)
def need_moderation(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.needs_to_moderate(user=request.user))
    return TemplateResponse(request, "research/need_moderation.html", {
        "page": page, "items": [(n, forms.ModerateForm(auto_id=f"mod{n.pk}_%s")) for n in page]})


@require_POST
@role_required(permissions.MANAGE_MARKET)
def need_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(selectors.needs_to_moderate(user=request.user), pk=pk)
    form = forms.ModerateForm(request.POST, auto_id=f"mod{need.pk}_%s")
    if form.is_valid():
        try:
            services.need_moderate(need=need, actor=request.user, approve=form.cleaned_data["decision"] == "approve",
                                   note=form.cleaned_data["note"])
        except ApplicationError as exc:
            form.add_error("note", str(exc.message))
        else:
            messages.success(request, _("The need is published.") if form.cleaned_data["decision"] == "approve" else _("The need is not published."))
            return redirect("research:need-moderation")
    page = paginate(request, selectors.needs_to_moderate(user=request.user))
    items = [(n, form if n.pk == need.pk else forms.ModerateForm(auto_id=f"mod{n.pk}_%s")) for n in page]
    return TemplateResponse(request, "research/need_moderation.html", {"page": page, "items": items, "errors_form": form}, status=400)
