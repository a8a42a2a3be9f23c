"""Citizens' questions and their answers, and the knowledge base that answers cite.

A Question moves through the workflow in `workflows.py`; its Answer holds the draft
(with numbered Citations to knowledge-base Passages or earlier published answers),
the manager's approval and the published, redacted text. KnowledgeDocuments are split
into Passages that keep their place (article, clause, page) so citations can link to it.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path, PurePath
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from innohub.core.i18n import in_language
from innohub.core.models import TimeStampedModel
from innohub.core.text import slugify_vi
from innohub.qa import workflows
from innohub.qa.drafting import without_citations
from innohub.qa.knowledge import appendix_name


def passage_url(document_id: int, anchor: str) -> str:
    """A document's public page opened at the page of passages ``anchor`` is on, scrolled
    to it (the document's first page when there is no anchor)."""
    query = f"?{urlencode({'at': anchor})}#{anchor}" if anchor else ""
    return reverse("qa:document", args=[document_id]) + query


ATTACHMENT_NAME_CHARS = 200  # the asker's name for an attachment, as kept


def _generated_name(folder: str, filename: str) -> str:
    return f"qa/{folder}/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"


def question_attachment_path(instance: models.Model, filename: str) -> str:
    return _generated_name("attachments", filename)


def document_file_path(instance: models.Model, filename: str) -> str:
    return _generated_name("documents", filename)


class Unit(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.name, self.name_en)


class Topic(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit answering"), on_delete=models.PROTECT, null=True, blank=True, related_name="topics")
    answer_working_days = models.PositiveSmallIntegerField(_("working days to answer"), default=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.name, self.name_en)


class Question(TimeStampedModel):
    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True)
    asker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asker"), on_delete=models.SET_NULL, null=True, blank=True, related_name="qa_questions")
    asker_name = models.CharField(_("name"), max_length=200, blank=True)
    asker_email = models.EmailField(_("e-mail"))
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="questions")
    text = models.TextField(_("question"))
    attachment = models.FileField(_("attachment"), upload_to=question_attachment_path, blank=True, max_length=200)
    # the asker's own name for the file (cleaned by services.attachment_name); the file is
    # stored under a generated one. Blank for questions asked before it was kept, and when
    # nothing of it survived cleaning.
    attachment_name = models.CharField(_("attachment's file name"), max_length=ATTACHMENT_NAME_CHARS, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="vi")
    state = models.CharField(_("state"), max_length=30, choices=workflows.state_choices(), default=workflows.QUESTION_SPEC.initial, db_index=True)
    due_date = models.DateField(_("due date"), db_index=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="questions")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assignee"), on_delete=models.SET_NULL, null=True, blank=True, related_name="qa_assigned")
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates")
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    receipt_emailed_at = models.DateTimeField(_("receipt e-mailed at"), null=True, blank=True)
    answer_emailed_at = models.DateTimeField(_("answer e-mailed at"), null=True, blank=True)
    reminded_on = models.DateField(_("staff reminded on"), null=True, blank=True)
    submitted_ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [models.Index(fields=["state", "due_date"])]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def staff_state_label(self) -> str:
        return workflows.staff_label(self.state)

    @property
    def public_state_label(self) -> str:
        return workflows.public_label(self.state)

    @property
    def is_open(self) -> bool:
        return self.state in workflows.OPEN_STATES

    # the flags templates read (a template cannot pass the flag to `workflows.has_flag`)
    @property
    def is_published(self) -> bool:
        return workflows.has_flag(self.state, "published")

    @property
    def is_drafting(self) -> bool:
        return workflows.has_flag(self.state, "drafting")

    @property
    def is_rejected(self) -> bool:
        return workflows.has_flag(self.state, "rejected")

    @property
    def is_merged(self) -> bool:
        return workflows.has_flag(self.state, "merged")

    @property
    def attachment_download_name(self) -> str:
        """The name officers see the attachment by and download it under: the asker's own,
        or, when none was kept (questions asked before it was, names that cleaned to
        nothing), one after the question in the active language ("HD-ABCD-EFGH-tep-dinh-kem.pdf")."""
        if self.attachment_name:
            return self.attachment_name
        extension = PurePath(self.attachment.name).suffix.lower()
        return f"{self.tracking_code}-{slugify_vi(gettext('attachment'))}{extension}"


class InternalNote(TimeStampedModel):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self) -> str:
        return f"{self.question} #{self.pk}"


class Collection(models.TextChoices):
    """The kinds of text a knowledge base holds. Retrieval weighs BM25 and dense vectors
    per collection (FusionEstimate): one weight was right for one kind of text and wrong
    for another (issue 33)."""

    LEGAL = "legal", _("Legal documents")
    GUIDES = "guides", _("Guides and procedures")
    ANSWERS = "answers", _("Questions and answers")


class KnowledgeDocument(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    Collection = Collection

    title = models.CharField(_("title"), max_length=300)
    number = models.CharField(_("number"), max_length=100, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=200, blank=True)
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    file = models.FileField(_("file"), upload_to=document_file_path, blank=True, max_length=200)
    file_kind = models.CharField(_("file type"), max_length=10, blank=True)
    collection = models.CharField(_("collection"), max_length=20, choices=Collection.choices, default=Collection.LEGAL, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # a repealed or replaced document leaves retrieval; the answers that cited it keep their quotes
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # a new version of a document in use is a document of its own: it replaces this one once
    # it has been read, and this one keeps its passages for the answers that quoted them
    # (a new version withdrawn by mistake leaves room for another: hence a foreign key)
    replaces = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="newer_versions", verbose_name=_("replaces")
    )

    class Meta:
        ordering = ["-issued_on", "title"]
        verbose_name = _("knowledge document")
        verbose_name_plural = _("knowledge documents")

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None

    @property
    def successor(self) -> KnowledgeDocument | None:
        """The newest version uploaded to replace this one (read or not yet), if any."""
        return max(self.newer_versions.all(), key=lambda d: d.version, default=None)

    @property
    def replaced(self) -> bool:
        """Whether a newer version has been read and took this one's place (in force, or
        replaced in turn since)."""
        successor = self.successor
        return successor is not None and successor.status == self.Status.READY and (successor.in_force or successor.replaced)

    @property
    def version_in_force(self) -> KnowledgeDocument:
        """The version that took this one's place at the end of the chain (itself if none did)."""
        document = self
        while document.replaced and (successor := document.successor) is not None:
            document = successor
        return document

    def put_in_force(self) -> None:
        """Clear any withdrawal (the caller saves)."""
        self.withdrawn_at, self.withdrawn_reason, self.withdrawn_by = None, "", None


class Passage(models.Model):
    document = models.ForeignKey(KnowledgeDocument, on_delete=models.CASCADE, related_name="passages")
    order = models.PositiveIntegerField(_("order"))
    article = models.CharField(_("article"), max_length=20, blank=True)
    clause = models.CharField(_("clause"), max_length=20, blank=True)
    page = models.PositiveIntegerField(_("page"), null=True, blank=True)
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["document", "order"]
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        constraints = [models.UniqueConstraint(fields=["document", "order"], name="qa_passage_unique_order")]

    def __str__(self) -> str:
        return f"{self.document} – {self.place}"

    @property
    def place(self) -> str:
        """Where a reader finds the passage, in the active language: "Điều 5, Khoản 2"
        ("Article 5, clause 2"), an appendix by the name the document gives it with its
        page, or the paragraph's order for a preamble or an unnumbered paragraph."""
        parts = []
        if self.article:
            parts.append(gettext("Article %(number)s") % {"number": self.article})
        if self.clause:
            parts.append(gettext("clause %(number)s") % {"number": self.clause})
        appendix = "" if parts else appendix_name(self.heading)
        if appendix:  # "PHỤ LỤC I. MẪU ĐƠN ĐỀ NGHỊ" → "Phụ lục I", as the document names it
            parts.append(appendix)
        if self.page and not self.article:
            parts.append(gettext("p. %(number)s") % {"number": self.page})
        return ", ".join(parts) or gettext("paragraph %(number)s") % {"number": self.order}

    @property
    def place_and_page(self) -> str:
        """:attr:`place` with the page beside it when the place does not give it
        ("Điều 5, Khoản 2 · trang 2"; "Phụ lục I, tr. 4" says its page already)."""
        if self.page and self.article:
            return f"{self.place} · {gettext('page')} {self.page}"
        return self.place

    @property
    def anchor(self) -> str:
        return f"p{self.order}"

    @property
    def source_label(self) -> str:
        """What a citation calls the passage: its document and its place, in the active
        language ("1208/QĐ-SKHCN Quy định …, Điều 5, Khoản 2")."""
        return f"{self.document}, {self.place}"

    @property
    def url(self) -> str:
        """The passage on its document's public page."""
        return passage_url(self.document_id, self.anchor)

    @staticmethod
    def order_from_anchor(anchor: str) -> int | None:
        """The ``order`` an :attr:`anchor` ("p12") names, or ``None`` for anything else."""
        match = re.fullmatch(r"p(\d{1,9})", anchor)
        return int(match[1]) if match else None


class AnswerQuerySet(models.QuerySet):
    def public(self) -> AnswerQuerySet:
        """Published and not taken down for correction: what readers see and search."""
        return self.filter(published_at__isnull=False, question__state__in=workflows.states_with("published"))


class Answer(TimeStampedModel):
    class Generator(models.TextChoices):
        EXTRACTIVE = "extractive", _("Extractive")
        LLM = "llm", _("Language model")
        OFFICER = "officer", _("Written by an officer")

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="answer")
    draft_text = models.TextField(_("draft"), blank=True)
    generator = models.CharField(_("drafted by"), max_length=20, choices=Generator.choices, default=Generator.EXTRACTIVE)
    flagged = models.BooleanField(_("citations to check"), default=False)
    flag_reason = models.TextField(_("why flagged"), blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_question = models.TextField(_("published question"), blank=True)
    published_text = models.TextField(_("published answer"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    # when a manager last took the published answer down to correct it
    corrected_at = models.DateTimeField(_("taken down for correction at"), null=True, blank=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.question}"


class AnswerFeedback(TimeStampedModel):
    """A reader's "did this answer help?" on a published answer: one per reader and answer.

    The reader is a keyed hash of their account or browser session (`services.feedback_reader`):
    it lets a reader change their mind without counting twice, and names nobody. Only the
    feedback given since the answer was last published counts: a corrected answer starts again.
    """

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="feedback")
    reader = models.CharField(max_length=64)
    helpful = models.BooleanField(_("helpful"))
    comment = models.TextField(_("what was missing"), blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("reader's feedback")
        verbose_name_plural = _("readers' feedback")
        constraints = [models.UniqueConstraint(fields=["answer", "reader"], name="qa_feedback_one_per_reader")]
        indexes = [models.Index(fields=["answer", "updated_at"])]

    def __str__(self) -> str:
        verdict = _("helpful") if self.helpful else _("not helpful")
        return f"{self.answer.question.tracking_code}: {verdict}"


class Citation(models.Model):
    """Number `[n]` of an answer, pointing at a passage or an earlier published answer.

    The place and quote are copied so a citation still reads right after its document
    is re-uploaded and its passages replaced."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="citations")
    number = models.PositiveSmallIntegerField(_("number"))
    passage = models.ForeignKey(Passage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    cited_answer = models.ForeignKey(Answer, on_delete=models.SET_NULL, null=True, blank=True, related_name="cited_by")
    document = models.ForeignKey(KnowledgeDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    source_label = models.CharField(_("source"), max_length=400)
    place = models.CharField(_("place"), max_length=100, blank=True)
    anchor = models.CharField(max_length=20, blank=True)
    quote = models.TextField(_("quote"), blank=True)
    score = models.FloatField(default=0)

    class Meta:
        ordering = ["answer", "number"]
        constraints = [models.UniqueConstraint(fields=["answer", "number"], name="qa_citation_unique_number")]

    def __str__(self) -> str:
        return f"[{self.number}] {self.source_label}"

    @property
    def url(self) -> str:
        """Where a reader checks the source: the cited passage on its document's public
        page (the page of passages it is on), or the earlier answer while it is published;
        "" for neither."""
        if self.document_id:
            return passage_url(self.document_id, self.anchor)
        if self.cited_answer_id and self.cited_answer is not None and self.cited_answer.question.is_published:
            return reverse("qa:answer", args=[self.cited_answer_id])
        return ""  # an earlier answer taken down for correction: its quote stays, without a link

    @property
    def quote_language(self) -> str:
        """The quote's language: an earlier answer's is its asker's; a passage's Vietnamese,
        as the knowledge base holds the city's Vietnamese documents."""
        if self.cited_answer_id and self.cited_answer is not None:
            return self.cited_answer.question.language
        return "vi"

    @property
    def shown_quote(self) -> str:
        """The quote as a reader sees it beside this answer: an earlier answer's own [1], [2]
        are taken out, as here they would point at this answer's sources."""
        if self.cited_answer_id:
            return without_citations(self.quote)
        return self.quote


class FusionEstimate(models.Model):
    """One estimation of a collection's fusion weight (``search.fusion_reestimate``): what
    was chosen, by which rule, on how many labelled pairs (questions and the passages
    officers cited in their published answers), with the cross-validation figures. The
    newest one of each collection is the weight retrieval uses; the older ones are the
    history. Written by the background task only, never edited."""

    class Rule(models.TextChoices):
        NO_PAIRS = "no_pairs", _("No cited passage yet: default kept")
        TOO_FEW = "too_few", _("Too few pairs to cross-validate: default kept")
        DENSE_OFF = "dense_off", _("Dense retrieval off: default kept, BM25 alone in use")
        SAFE_DEFAULT = "safe_default", _("Safe default: the better of BM25 alone and the default fusion")
        CROSS_VALIDATED = "cross_validated", _("Weight chosen by cross-validation")

    collection = models.CharField(_("collection"), max_length=20, choices=Collection.choices, db_index=True)
    lexical_share = models.FloatField(_("BM25 share"), help_text=_("1 is BM25 alone (dense vectors off); 0 is dense vectors alone."))
    rule = models.CharField(_("why"), max_length=20, choices=Rule.choices)
    pairs = models.PositiveIntegerField(_("labelled pairs"))
    cv_mrr = models.FloatField(_("MRR@10 of the chosen weight, cross-validated"), null=True, blank=True)
    cv_low = models.FloatField(_("95% interval, low"), null=True, blank=True)
    cv_high = models.FloatField(_("95% interval, high"), null=True, blank=True)
    bm25_mrr = models.FloatField(_("MRR@10 of BM25 alone, cross-validated"), null=True, blank=True)
    fusion_mrr = models.FloatField(_("MRR@10 of the default fusion, cross-validated"), null=True, blank=True)
    tuned_share = models.FloatField(_("best BM25 share on all pairs"), null=True, blank=True)
    folds = models.JSONField(_("figures per fold"), default=list, blank=True)
    created_at = models.DateTimeField(_("estimated at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("fusion weight")
        verbose_name_plural = _("fusion weights")

    def __str__(self) -> str:
        return f"{self.get_collection_display()}: {self.lexical_share:.1f}"

    @property
    def dense(self) -> bool:
        return self.lexical_share < 1.0
