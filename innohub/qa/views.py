"""Pages of the Q&A service: the public FAQ, asking and tracking; the staff inbox,
question page, knowledge base and statistics. Views call services and selectors only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from innohub.activity.selectors import event_history
from innohub.core import calendar, personal_data
from innohub.core.client_ip import client_ip
from innohub.core.errors import ApplicationError
from innohub.core.i18n import current_language
from innohub.core.pagination import paginate
from innohub.core.permissions import login_required, public, role_required, user_has_role
from innohub.core.roles import ADMIN_ROLES
from innohub.core.uploads import content_type_for
from innohub.qa import drafting, forms, permissions, search, selectors, services, workflows
from innohub.qa.models import Answer, Question
from innohub.qa.tasks import EMBED_PROGRESS_KEY

STAFF = permissions.ANSWER_QUESTIONS
PASSAGES_PER_PAGE = 50  # a document's public page; citations open the page their passage is on


# -- public ---------------------------------------------------------------------------
@public
def faq(request: HttpRequest) -> HttpResponse:
    form = forms.FaqSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    answers = selectors.faq_list(user=request.user, query=data.get("q", ""), topic=data.get("topic", ""), language=current_language())
    page = paginate(request, answers, per_page=20)
    return TemplateResponse(request, "qa/faq.html", {"form": form, "page": page, "topics": selectors.topic_list(), "query": data.get("q", "")})


@public
def answer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer_page(request, selectors.answer_public_get(pk=pk))


def _reader(request: HttpRequest, *, start: bool = False) -> str | None:
    """The reader's feedback key; a visitor's comes with their session, started on their first rating."""
    if not request.user.is_authenticated and not request.session.session_key:
        if not start:
            return None
        request.session.save()
    return services.feedback_reader(user=request.user, session_key=request.session.session_key)


def _answer_page(request: HttpRequest, answer: Answer, *, feedback_form: forms.FeedbackForm | None = None) -> HttpResponse:
    feedback = selectors.reader_feedback(answer=answer, reader=_reader(request))
    form = feedback_form or forms.FeedbackForm(initial={"helpful": "no", "comment": feedback.comment if feedback else ""}, auto_id="feedback_%s")
    context = {
        "answer": answer, "question": answer.question, "feedback": feedback, "feedback_form": form,
        # after "No", the reader is asked what was missing (and a comment too long is shown again to shorten)
        "feedback_comment_step": bool(feedback and not feedback.helpful) or form.has_error("comment"),
    }
    return TemplateResponse(request, "qa/answer_detail.html", context, status=400 if form.errors else 200)


@public
@require_POST
def answer_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """A reader says whether the answer helped (and if not, what was missing); back to the answer."""
    answer = selectors.answer_public_get(pk=pk)
    form = forms.FeedbackForm(request.POST, auto_id="feedback_%s")
    if form.is_valid():
        try:
            services.answer_feedback_give(
                answer=answer, reader=_reader(request, start=True) or "", helpful=form.cleaned_data["helpful"],
                comment=form.cleaned_data["comment"], actor=request.user, ip=client_ip(request),
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            return redirect(f"{reverse('qa:answer', args=[answer.pk])}#feedback")
    return _answer_page(request, answer, feedback_form=form)


@public
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_public_get(pk=pk)
    # A citation links to ?at=<anchor>#<anchor>: open the page its passage is on.
    at = selectors.passage_page_number(document=document, anchor=request.GET.get("at", "")[:20], per_page=PASSAGES_PER_PAGE)
    page = paginate(request, document.passages.all(), per_page=PASSAGES_PER_PAGE, number=at)
    return TemplateResponse(request, "qa/document_detail.html", {"document": document, "page": page})


# what a suggestion while typing quotes of its answer: three or four lines on a phone
SUGGESTED_ANSWER_CHARS = 160


@public
@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    """Published answers close to what is being typed (lexical: answers in milliseconds), each
    with what it says from the sentence that matched, so that the asker may read the answer
    there without opening it."""
    query = request.GET.get("q", "")[:500]
    language = current_language()
    items = [
        {
            "url": reverse("qa:answer", args=[a.pk]), "question": a.published_question[:200], "topic": a.question.topic.label, "language": a.question.language,
            "answer": Truncator(drafting.summary(a.published_text, query=query, language=language)).chars(SUGGESTED_ANSWER_CHARS),
        }
        for a in selectors.suggestions(query=query, language=language)
    ]
    return JsonResponse({"results": items})


def _file_again(form: Any, field: str, request: HttpRequest) -> None:
    """A refused form sent back without the file that was chosen (a browser never fills a file
    box again): say so at the file box, so that it is not lost unnoticed."""
    chosen = request.FILES.get(field)
    if form.errors and chosen is not None and field not in form.errors:
        form.add_error(field, _("Choose the file “%(name)s” again: a form sent back cannot keep it.") % {"name": (chosen.name or "")[:100]})


@public
def ask(request: HttpRequest) -> HttpResponse:
    # A search that found nothing offers to ask, with the reader's words already written.
    initial = {"text": request.GET.get("text", "").strip()[:500]}
    form = forms.AskForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                question = services.question_ask(
                    topic=data["topic"], text=data["text"], asker_email=data["asker_email"], asker_name=data["asker_name"],
                    asker=request.user, language=current_language(), attachment=data.get("attachment"),
                    ip=client_ip(request), honeypot=data.get("website", ""),
                )
                personal_data.consent_record(purpose="qa.ask", target=question, actor=request.user)
        except ApplicationError as exc:
            field_errors = exc.extra or {}
            for field, message in field_errors.items():
                if field in form.fields:
                    form.add_error(field, message)
            if not field_errors:
                form.add_error(None, str(exc.message))
        else:
            request.session["qa_asked"] = question.tracking_code
            return redirect("qa:asked")
    _file_again(form, "attachment", request)
    return TemplateResponse(request, "qa/ask.html", {"form": form}, status=400 if form.errors else 200)


@public
def asked(request: HttpRequest) -> HttpResponse:
    code = request.session.get("qa_asked")
    question = Question.objects.select_related("topic").filter(tracking_code=code).first() if code else None
    if question is None:
        return redirect("qa:ask")
    return TemplateResponse(request, "qa/asked.html", {"question": question, "track_path": selectors.track_path(question)})


@public
def track(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    form = forms.TrackForm(data or None)
    key = "" if request.method == "POST" else request.GET.get("key", "")[:100]
    question = None
    searched = False
    if form.is_bound and form.is_valid():
        email = form.cleaned_data.get("email") or ""
        question = selectors.question_track(code=form.cleaned_data["code"], email=email, user=request.user, key=key)
        # A link with the code alone asks for the e-mail address; it is not a failed search.
        searched = request.method == "POST" or bool(email or key)
    # as the public page shows it, with the sources its [1], [2]… link to
    answer = selectors.asker_answer_shown(question) if question else None
    context = {"form": form, "question": question, "searched": searched, "answer": answer, "bad_link": bool(key) and question is None}
    return TemplateResponse(request, "qa/track.html", context)


@login_required
def my_questions(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.questions_asked_by(user=request.user))
    return TemplateResponse(request, "qa/my_questions.html", {"page": page})


# -- staff ---------------------------------------------------------------------------
@role_required(permissions.VIEW_INBOX)
def inbox(request: HttpRequest) -> HttpResponse:
    form = forms.InboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    questions = selectors.inbox(user=request.user, **{k: v for k, v in filters.items() if v})
    page = paginate(request, questions)
    cited = selectors.knowledge_documents(user=request.user).filter(pk=filters["cites"]).first() if filters.get("cites") else None
    today = timezone.localdate()
    context = {
        "form": form, "page": page, "today": today, "cited": cited,
        # told to those who can add them: on an officer's phone two notices stood above the list
        "years_without_holidays": calendar.years_without_holidays(today=today) if user_has_role(request.user, ADMIN_ROLES) else [],
        "sees_fusion_weights": user_has_role(request.user, permissions.VIEW_FUSION_WEIGHTS),
    }
    return TemplateResponse(request, "qa/inbox.html", context)


@role_required(permissions.VIEW_INBOX)
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _question_page(request, selectors.question_for_staff(user=request.user, pk=pk))


# The forms of a question's "Handling" column. While the answer's form is on the page they are
# part of it (their boxes and buttons carry form="answer-form"): whichever button is pressed, the
# browser posts the answer as it is on the screen with them, with or without JavaScript, and it
# is kept before the button's action. The note's box is named "note-text" then, the answer's
# being "text"; a listed question to merge into comes as "merge_listed".
HANDLING_FORMS: dict[str, tuple[type[Form], str]] = {
    "assign": (forms.AssignForm, ""), "note": (forms.NoteForm, "note"), "reroute": (forms.RerouteForm, ""),
    "reject": (forms.ReasonForm, ""), "merge": (forms.MergeForm, ""),
}
ANSWER_ON_SCREEN = "answer_on_screen"  # a hidden field of the answer's form: the post carries the answer


def _answer_on_page(question: Question, answer: Answer | None, allowed: set[str]) -> bool:
    """Whether the question's page shows the answer's form (the draft being written)."""
    return answer is not None and not question.is_published and ("draft" in allowed or question.is_drafting)


def _handling_form(action: str, *, attached: bool, posted: Any = None, initial: dict | None = None) -> Form:
    """A "Handling" form to show: on its own, or part of the answer's form (``attached``),
    with what was typed in it when the page comes back refused (``posted``)."""
    form_class, prefix = HANDLING_FORMS[action]
    if not attached:
        return form_class(initial=initial or {}, auto_id=f"{action}_%s")
    values = dict(initial or {})
    if posted is not None:
        values.update({name: posted[f"{prefix}-{name}" if prefix else name] for name in form_class.base_fields
                       if (f"{prefix}-{name}" if prefix else name) in posted})
    form = form_class(initial=values, prefix=prefix or None, auto_id=f"{action}_%s")
    form.use_required_attribute = False  # else an empty box here would stop "Send for approval"
    for field in form.fields.values():
        field.widget.attrs["form"] = "answer-form"
    return form


def _handling_data(request: HttpRequest, action: str) -> Form:
    """The "Handling" form of ``action`` bound to what was posted: from its own form, or from
    the answer's form it is part of."""
    form_class, prefix = HANDLING_FORMS[action]
    post = request.POST
    if action == "merge" and post.get("merge_listed"):
        return form_class({"into": post["merge_listed"]})
    return form_class(post, prefix=prefix or None) if ANSWER_ON_SCREEN in post and prefix else form_class(post)


def _question_page(request: HttpRequest, question: Question, *, edit_form: Any = None, redraft_confirm: bool = False, status: int = 200) -> HttpResponse:
    """The staff page of a question; ``edit_form`` is a refused answer edit, shown with its
    errors and the text as the officer wrote it (a redirect would lose it), the other boxes of
    the page with what was typed in them; ``redraft_confirm`` asks whether a new draft may
    replace the answer as typed."""
    answer = selectors.answer_for_staff(user=request.user, question=question)
    role = getattr(request.user, "role", None)
    allowed = set(workflows.allowed(question.state, role))
    public_question = services.public_question_proposal(answer) if answer else ""
    attached = _answer_on_page(question, answer, allowed)
    posted = request.POST if request.method == "POST" and edit_form is not None else None
    context: dict[str, Any] = {
        "question": question,
        "answer": answer,
        "allowed": allowed,
        "today": timezone.localdate(),
        "answer_on_page": attached,
        # an unassigned question offers the officer who opened it: one click takes it on
        "assign_form": _handling_form("assign", attached=attached, posted=posted, initial={"assignee": question.assignee_id or request.user.pk}),
        "note_form": _handling_form("note", attached=attached, posted=posted),
        "reroute_form": _handling_form("reroute", attached=attached, posted=posted, initial={"topic": question.topic_id}),
        "reject_form": _handling_form("reject", attached=attached, posted=posted),
        "return_form": forms.ReturnForm(auto_id="return_%s"),
        "correct_form": forms.ReturnForm(auto_id="correct_%s"),
        # a form of its own (Enter in its code box merges; qa.js carries the answer with it)
        "merge_form": _handling_form("merge", attached=False),
        "edit_form": edit_form or forms.AnswerEditForm(
            initial={"text": answer.draft_text, "public_question": public_question} if answer else {},
            auto_id="answer_%s",
            language=question.language,
        ),
        "public_question": public_question,
        "is_open": question.is_open,
        "redraft_confirm": redraft_confirm,
        "history": event_history(user=request.user, target=question),
        "duplicates": selectors.possible_duplicates(user=request.user, question=question) if "merge" in allowed else [],
        "feedback": selectors.answer_feedback_summary(user=request.user, answer=answer) if answer and answer.published_at else None,
    }
    # the officer's own sources: a search of the knowledge base beside the draft
    if answer is not None and question.is_drafting and "draft" in allowed:
        find_form = forms.KnowledgeFindForm(request.GET if "kb" in request.GET else None, auto_id="kb_%s")
        found = selectors.knowledge_find(user=request.user, query=find_form.cleaned_data["kb"]) if find_form.is_bound and find_form.is_valid() else None
        cited = {c.passage_id: c.number for c in answer.citations.all() if c.passage_id}
        # the search belongs to the answer's form: pressing it keeps the answer as typed
        find_form.fields["kb"].widget.attrs["form"] = "answer-form"
        find_form.use_required_attribute = False  # else an empty search box would stop "Send for approval"
        context["find_form"] = find_form
        context["found"] = None if found is None else [(p, cited.get(p.pk)) for p in found]
    return TemplateResponse(request, "qa/question_detail.html", context, status=status)


@role_required(permissions.VIEW_INBOX)
def question_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything readers said was missing from a question's published answer, page by page."""
    question = selectors.question_for_staff(user=request.user, pk=pk)
    answer = selectors.published_answer_for_staff(user=request.user, question=question)
    page = paginate(request, selectors.answer_feedback_comments(user=request.user, answer=answer), per_page=50)
    ratings = selectors.answer_ratings(user=request.user, answer=answer)
    return TemplateResponse(request, "qa/question_feedback.html", {"question": question, "answer": answer, "page": page, "feedback": ratings})


@role_required(permissions.VIEW_INBOX)
def question_attachment(request: HttpRequest, pk: int) -> FileResponse:
    question = selectors.question_for_staff(user=request.user, pk=pk)
    if not question.attachment:
        raise Http404
    # Stored under a generated name; downloaded under the asker's own (FileResponse writes a
    # non-ASCII one as filename*=utf-8''…), typed by the stored file's checked extension rather
    # than guessed from the asker's name.
    return FileResponse(question.attachment.open("rb"), as_attachment=True, filename=question.attachment_download_name,
                        content_type=content_type_for(question.attachment.name))


def _draft_of(question: Question) -> Answer:
    answer = getattr(question, "answer", None)
    if answer is None:
        raise ApplicationError(_("Draft the answer first."))
    return answer


# The buttons of the answer's own form post the answer as it is on screen ("text",
# "public_question"), and so do the page's other forms, which are part of it while it is on the
# page (HANDLING_FORMS); a client may also send it with another action as "draft_text" and
# "draft_public_question". Either way it is kept before the button's action.
ANSWER_FORM_ACTIONS = ("submit", "source", "draft")


def _typed_answer(request: HttpRequest, question: Question, action: str) -> forms.AnswerEditForm | None:
    """The answer as the officer had it on screen when pressing the button, as a bound edit
    form; None when the button posted none."""
    post = request.POST
    if (action in ANSWER_FORM_ACTIONS or (action != "edit" and ANSWER_ON_SCREEN in post)) and "text" in post:
        data = post
    elif action != "edit" and "draft_text" in post:
        answer = getattr(question, "answer", None)
        # the public wording as it is on screen; as saved when only the answer came
        wording = post["draft_public_question"] if "draft_public_question" in post else services.public_question_proposal(answer) if answer else ""
        data = {"text": post["draft_text"], "public_question": wording}  # type: ignore[assignment]
    else:
        return None
    return forms.AnswerEditForm(data, auto_id="answer_%s", language=question.language)


def _refused(request: HttpRequest, question: Question, typed: forms.AnswerEditForm, exc: ApplicationError) -> HttpResponse:
    """A refused action with the answer on screen: the page again with the answer as typed and
    the reason (a redirect would lose what was typed)."""
    field = "public_question" if exc.code.startswith("public_question") else None if exc.code in ("no_draft", "flagged", "wrong_state") else "text"
    typed.add_error(field, str(exc.message))
    return _question_page(request, question, edit_form=typed, status=400)


@require_POST
@role_required(STAFF)
def question_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    question = selectors.question_for_staff(user=request.user, pk=pk)
    user = request.user
    form: Any = None
    typed = _typed_answer(request, question, action)
    if typed is not None:
        if not typed.is_valid():
            return _question_page(request, question, edit_form=typed, status=400)
        text, public_question = typed.cleaned_data["text"], typed.cleaned_data["public_question"]
        answer = getattr(question, "answer", None)
        if action == "draft" and answer is not None and request.POST.get("confirm") != "replace" \
                and services.answer_typed_differs(answer, text=text, public_question=public_question):
            # a new draft would replace what the officer wrote: asked first, the text still on screen
            return _question_page(request, question, edit_form=typed, redraft_confirm=True, status=409)
        if action not in ANSWER_FORM_ACTIONS and answer is not None:
            try:
                if services.answer_typed_keep(answer=answer, actor=user, text=text, public_question=public_question):
                    messages.info(request, _("The answer as it was on the screen is saved."))
            except ApplicationError as exc:
                return _refused(request, question, typed, exc)
    try:
        if action == "assign":
            form = _handling_data(request, "assign")
            if form.is_valid():
                services.question_assign(question=question, actor=user, assignee=form.cleaned_data["assignee"])
                messages.success(request, _("The question is assigned."))
        elif action == "reroute":
            form = _handling_data(request, "reroute")
            if form.is_valid():
                question = services.question_reroute(question=question, actor=user, topic=form.cleaned_data["topic"])
                messages.success(request, _("The question is moved to the topic “%(topic)s” (%(unit)s).") % {
                    "topic": question.topic.label, "unit": question.unit.label if question.unit else "—"})
        elif action == "note":
            form = _handling_data(request, "note")
            if form.is_valid():
                services.question_note_add(question=question, actor=user, text=form.cleaned_data["text"])
                messages.success(request, _("The note is saved."))
        elif action == "draft":
            services.question_draft(question=question, actor=user)
            messages.success(request, _("A draft was composed from the knowledge base."))
        elif action == "edit":
            form = forms.AnswerEditForm(request.POST, auto_id="answer_%s", language=question.language)
            if not form.is_valid():
                return _question_page(request, question, edit_form=form, status=400)
            found = request.POST.get("kb", "").strip()[:300]  # the knowledge-base search, part of the answer's form
            draft = _draft_of(question)
            if found and not services.answer_typed_differs(draft, text=form.cleaned_data["text"], public_question=form.cleaned_data["public_question"]):
                # a search of the knowledge base, the answer unchanged: nothing to save
                return redirect(f"{reverse('qa:question', args=[question.pk])}?{urlencode({'kb': found})}#add-source")
            try:
                answer = services.answer_edit(
                    answer=draft, actor=user, text=form.cleaned_data["text"], public_question=form.cleaned_data["public_question"]
                )
            except ApplicationError as exc:
                form.add_error("public_question" if exc.code.startswith("public_question") else "text", str(exc.message))
                return _question_page(request, question, edit_form=form, status=400)
            else:
                if answer.flagged:
                    messages.error(request, _("Saved, but the citations need checking: %(reason)s") % {"reason": answer.flag_reason})
                else:
                    messages.success(request, _("The answer is saved."))
                if found:  # the search pressed with the answer changed: saved, then searched
                    return redirect(f"{reverse('qa:question', args=[question.pk])}?{urlencode({'kb': found})}#add-source")
        elif action == "source":
            form = forms.SourceForm(request.POST)
            if form.is_valid():
                kept = {"text": typed.cleaned_data["text"], "public_question": typed.cleaned_data["public_question"]} if typed is not None else {}
                citation = services.answer_source_add(answer=_draft_of(question), actor=user, passage_id=form.cleaned_data["passage"], **kept)
                messages.success(request, _("The passage is source [%(number)s]: write [%(number)s] in the answer where it is used.") % {"number": citation.number})
        elif action == "submit":
            kept = {"text": typed.cleaned_data["text"], "public_question": typed.cleaned_data["public_question"]} if typed is not None else {}
            services.question_submit(question=question, actor=user, **kept)
            messages.success(request, _("The answer is sent for approval."))
        elif action == "publish":
            services.question_publish(question=question, actor=user)
            messages.success(request, _("The answer is published and the asker informed."))
        elif action == "return":
            form = forms.ReturnForm(request.POST)
            if form.is_valid():
                services.question_return(question=question, actor=user, reason=form.cleaned_data["reason"])
                messages.success(request, _("The draft is returned to the officer."))
        elif action == "correct":
            form = forms.ReturnForm(request.POST)
            if form.is_valid():
                services.question_correct(question=question, actor=user, reason=form.cleaned_data["reason"])
                messages.success(request, _("The answer is taken down from the public pages; correct it and publish it again."))
        elif action == "reject":
            form = _handling_data(request, "reject")
            if form.is_valid():
                services.question_reject(question=question, actor=user, reason=form.cleaned_data["reason"])
                messages.success(request, _("The question is closed as out of scope."))
        elif action == "merge":
            form = _handling_data(request, "merge")
            if form.is_valid():
                into = Question.objects.filter(tracking_code=form.cleaned_data["into"].strip().upper()).first()
                if into is None:
                    raise ApplicationError(_("No question has this tracking code."))
                services.question_merge(question=question, actor=user, into=into)
                messages.success(request, _("The question is merged."))
        else:
            raise Http404
        if form is not None and not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    except ApplicationError as exc:
        if typed is not None and action in ANSWER_FORM_ACTIONS:
            return _refused(request, question, typed, exc)
        messages.error(request, str(exc.message))
    return redirect("qa:question", pk=question.pk)


@role_required(permissions.VIEW_INBOX)
def knowledge(request: HttpRequest) -> HttpResponse:
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not user_has_role(request.user, permissions.MANAGE_KNOWLEDGE):
            raise PermissionDenied
        if form.is_valid():
            try:
                document = services.knowledge_document_upload(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error("file", str(exc.message))
            else:
                messages.success(request, _("The document is uploaded; it is being split into passages."))
                return redirect("qa:knowledge-document", pk=document.pk)
    _file_again(form, "file", request)
    page = paginate(request, selectors.knowledge_documents(user=request.user))
    vectors = search.dense_status()
    progress = cache.get(EMBED_PROGRESS_KEY) if vectors is not None else None  # shared only with Redis
    context = {"form": form, "page": page, "vectors": vectors, "progress": progress}
    return TemplateResponse(request, "qa/knowledge.html", context, status=400 if form.errors else 200)


@role_required(permissions.VIEW_INBOX)
def knowledge_document(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(selectors.knowledge_documents(user=request.user), pk=pk)
    initial = {"title": document.title, "number": document.number, "issuing_body": document.issuing_body, "issued_on": document.issued_on, "collection": document.collection}
    form = forms.DocumentForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            uploaded = services.knowledge_document_upload(actor=request.user, document=document, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error("file", str(exc.message))
        else:
            if uploaded.replaces_id:
                messages.success(request, _("Version %(version)s is uploaded. It replaces the version in force as soon as it has been read; until then drafts cite the version in force.") % {"version": uploaded.version})
            else:
                messages.success(request, _("The file is uploaded; it is being split into passages."))
            return redirect("qa:knowledge-document", pk=uploaded.pk)
    _file_again(form, "file", request)
    page = paginate(request, document.passages.all(), per_page=100)
    context = {
        "document": document, "form": form, "page": page, "withdraw_form": forms.WithdrawForm(auto_id="withdraw_%s"),
        "history": event_history(user=request.user, target=document),
        "citing": selectors.answers_citing(user=request.user, document=document),
    }
    return TemplateResponse(request, "qa/knowledge_document.html", context, status=400 if form.errors else 200)


@require_POST
@role_required(permissions.VIEW_INBOX)
def knowledge_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(selectors.knowledge_documents(user=request.user), pk=pk)
    form = forms.WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(" ".join(str(e) for errors in form.errors.values() for e in errors))
        services.knowledge_document_withdraw(document=document, actor=request.user, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The document is withdrawn: drafts no longer cite it."))
    return redirect("qa:knowledge-document", pk=document.pk)


@require_POST
@role_required(permissions.VIEW_INBOX)
def knowledge_reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(selectors.knowledge_documents(user=request.user), pk=pk)
    try:
        services.knowledge_document_reinstate(document=document, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The document is back in force."))
    return redirect("qa:knowledge-document", pk=document.pk)


@role_required(permissions.VIEW_INBOX)
def knowledge_progress(request: HttpRequest, pk: int) -> JsonResponse:
    document = get_object_or_404(selectors.knowledge_documents(user=request.user), pk=pk)
    # the code drives the page's script; the label is what the officer reads
    return JsonResponse({
        "status": document.status, "status_label": document.get_status_display(), "progress": document.progress,
        "passages": getattr(document, "passage_count", 0), "error": document.error,
    })


@require_GET
@role_required(permissions.VIEW_FUSION_WEIGHTS)
def fusion_weights(request: HttpRequest) -> HttpResponse:
    """Each collection's fusion weight, why it was chosen and on what figures; the history
    of the estimates below, paginated. Read-only: the background task alone writes them."""
    from innohub.qa.retrieval.fusion import BM25_ALONE, DEFAULT_SHARE

    context = {
        "weights": selectors.fusion_weights(user=request.user),
        "page": paginate(request, selectors.fusion_estimate_history(user=request.user), per_page=20),
        "default_share": DEFAULT_SHARE, "bm25_alone": BM25_ALONE,
        "min_pairs": settings.QA_FUSION_MIN_PAIRS, "folds": settings.QA_FUSION_FOLDS,
    }
    return TemplateResponse(request, "qa/fusion_weights.html", context)


@role_required(permissions.VIEW_INBOX)
def stats(request: HttpRequest) -> HttpResponse:
    form, period = _stats_period(request)
    summary = selectors.statistics_summary(user=request.user, **period)
    context = {"form": form, "s": summary, "query": request.GET.urlencode(), "review_min": selectors.REVIEW_MIN_RATINGS}
    return TemplateResponse(request, "qa/stats.html", context)


@role_required(permissions.VIEW_INBOX)
def stats_export(request: HttpRequest, fmt: str) -> HttpResponse:
    from innohub.qa.exports import statistics_export

    _form, period = _stats_period(request)
    return statistics_export(user=request.user, fmt=fmt, **period)


def _stats_period(request: HttpRequest) -> tuple[forms.StatsForm, dict[str, Any]]:
    """The statistics form and the period it gives (``date_from``, ``date_to``; None when left open or invalid)."""
    form = forms.StatsForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, {"date_from": data.get("date_from"), "date_to": data.get("date_to")}
