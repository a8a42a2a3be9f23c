"""The knowledge base: documents uploaded, versioned, withdrawn and reinstated, ingested in the background into passages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.activity.services import event_record, snapshot
from innohub.core.background import enqueue_on_commit
from innohub.core.errors import ApplicationError, ConflictError
from innohub.core.permissions import ensure_role
from innohub.qa.knowledge import (
    MAX_DOCUMENT_BYTES,
    Chunk,
    detect_kind,
    extract_pages,
    split_passages,
)
from innohub.qa.models import (
    Collection,
    KnowledgeDocument,
    Passage,
)
from innohub.qa.permissions import MANAGE_KNOWLEDGE
from innohub.qa.services.intake import clean_text, required_text


# -- knowledge base -----------------------------------------------------------------------
def document_file_kind(upload: UploadedFile) -> str:
    """The kind of a knowledge-base file (pdf, docx, html, txt), or the ApplicationError that
    says why it cannot be taken. The upload form runs it too, so that a bad file is reported
    with a missing title in one round."""
    if (upload.size or 0) > MAX_DOCUMENT_BYTES:
        raise ApplicationError(_("The document is larger than 20 MB."), code="document_too_large")
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if not head:
        raise ApplicationError(_("The file is empty."), code="bad_file")
    return detect_kind(upload.name or "", head)


def _latest_version(document: KnowledgeDocument) -> KnowledgeDocument:
    """The newest version of ``document``, locked: the one a new upload follows or takes the
    place of. The chain of versions is followed through those replaced in turn, not into a
    version withdrawn by mistake that nothing replaced."""
    latest = KnowledgeDocument.objects.select_for_update().get(pk=document.pk)
    replaced = Exists(KnowledgeDocument.objects.filter(replaces=OuterRef("pk")))
    while True:
        newer = (
            KnowledgeDocument.objects.select_for_update().filter(replaces=latest)
            .filter(Q(withdrawn_at__isnull=True) | replaced).order_by("-version").first()
        )  # fmt: skip
        if newer is None:
            return latest
        latest = newer


@transaction.atomic
def knowledge_document_upload(
    *, actor: Any, title: str, file: UploadedFile, number: str = "", issuing_body: str = "",
    issued_on: dt.date | None = None, collection: str = "", document: KnowledgeDocument | None = None,
) -> KnowledgeDocument:
    """Store a document, or a new version of ``document``, and queue its splitting into
    passages; returns the document the file went to.

    A new version of a document in use is a document of its own, which replaces the one in
    force once it has been read (``_supersede``): until then drafts and the public page keep
    the version in force, and a file that cannot be read changes nothing but the new
    version's error. The answers published before keep citing the passages they quoted, on
    the version they quoted. A version not read yet (waiting, or failed) takes the new file
    in its place.

    ``collection`` is the kind of text (``Collection``), whose fusion weight retrieval uses
    for its passages: legal documents when not given for a new document; a new version
    keeps its document's unless another is given."""
    ensure_role(actor, MANAGE_KNOWLEDGE)
    if collection and collection not in Collection.values:
        raise ApplicationError(_("Choose one of the collections."), code="collection_invalid")
    kind = document_file_kind(file)
    title = clean_text(title)[:300]
    if not title:
        raise ApplicationError(_("Give the document's title."), code="title_required")
    before = None
    if document is None:
        document, action = KnowledgeDocument(uploaded_by=actor, collection=collection or Collection.LEGAL), "knowledge_document.uploaded"
    else:
        document = _latest_version(document)
        if document.status == KnowledgeDocument.Status.READY:
            # numbered after every version uploaded to replace it, those withdrawn included
            newest = max([document.version, *document.newer_versions.values_list("version", flat=True)])
            document = KnowledgeDocument(uploaded_by=actor, replaces=document, version=newest + 1, collection=collection or document.collection)
            action = "knowledge_document.new_version"
        else:
            before = snapshot(document, ["title", "number", "version", "file", "collection"])
            action = "knowledge_document.file_replaced"
            document.collection = collection or document.collection
    document.title, document.number, document.issuing_body, document.issued_on = title, clean_text(number)[:100], clean_text(issuing_body)[:200], issued_on
    document.file = file
    document.file_kind = kind
    document.status, document.progress, document.error = KnowledgeDocument.Status.PENDING, 0, ""
    document.put_in_force()  # a new version is the text in force
    document.save()
    event_record(actor=actor, action=action, target=document, before=before, after=snapshot(document, ["title", "number", "version", "file", "collection"]))
    enqueue_on_commit("innohub.qa.tasks.ingest_document", document_id=document.pk, version=document.version)
    return document


_WITHDRAWAL_FIELDS = ["withdrawn_at", "withdrawn_reason", "withdrawn_by"]


def _vectors_follow(task_name: str) -> None:
    """Queue the background task that encodes what changed, when dense retrieval is on
    (BM25 indexes notice the change by themselves, see ``search``)."""
    from innohub.qa.search import dense_enabled

    if dense_enabled():
        enqueue_on_commit(f"innohub.qa.tasks.{task_name}")


def knowledge_changed() -> None:
    """The set of passages in force changed: their vectors follow."""
    _vectors_follow("embed_knowledge")


@transaction.atomic
def knowledge_document_withdraw(*, document: KnowledgeDocument, actor: Any, reason: str) -> KnowledgeDocument:
    """Take a repealed or replaced document out of retrieval: drafts stop citing it,
    its public page says it is no longer in force, published answers keep their quotes."""
    ensure_role(actor, MANAGE_KNOWLEDGE)
    reason = required_text(
        reason, limit=300, missing=_("Say why the document is withdrawn, for example the document that replaces it."),
        too_long=_("The reason is too long: at most 300 characters."), code="reason",
    )
    document = KnowledgeDocument.objects.select_for_update().get(pk=document.pk)
    if document.withdrawn_at is not None:
        raise ConflictError(_("The document is already withdrawn."), code="already_withdrawn")
    document.withdrawn_at, document.withdrawn_reason, document.withdrawn_by = timezone.now(), reason, actor
    document.save(update_fields=[*_WITHDRAWAL_FIELDS, "updated_at"])
    event_record(actor=actor, action="knowledge_document.withdrawn", target=document, after={"reason": reason})
    knowledge_changed()
    return document


@transaction.atomic
def knowledge_document_reinstate(*, document: KnowledgeDocument, actor: Any) -> KnowledgeDocument:
    """Put a withdrawn document back in force (withdrawn by mistake)."""
    ensure_role(actor, MANAGE_KNOWLEDGE)
    document = KnowledgeDocument.objects.select_for_update().get(pk=document.pk)
    if document.withdrawn_at is None:
        raise ConflictError(_("The document is in force."), code="not_withdrawn")
    if document.replaced:
        raise ConflictError(
            _("Version %(version)s replaces this document: withdraw it first to put this one back in force.") % {"version": document.version_in_force.version},
            code="replaced",
        )
    before = {"withdrawn_at": document.withdrawn_at.isoformat(), "reason": document.withdrawn_reason}
    document.put_in_force()
    document.save(update_fields=[*_WITHDRAWAL_FIELDS, "updated_at"])
    event_record(actor=actor, action="knowledge_document.reinstated", target=document, before=before)
    knowledge_changed()
    return document


# progress of an ingestion, in percent: the file read, its pages extracted (page by page
# for a PDF), the text split, the passages being saved; 100 only once ready (or failed)
PROGRESS_READ, PROGRESS_EXTRACTED, PROGRESS_SPLIT, PROGRESS_SAVING = 10, 70, 80, 90
PROGRESS_STEP = 5  # at most one write of the progress per this many percent


def _progress_write(document_pk: int, progress: int, **fields: Any) -> None:
    KnowledgeDocument.objects.filter(pk=document_pk).update(progress=progress, updated_at=timezone.now(), **fields)


class _IngestProgress:
    """A document's progress, written forward only and at most once per PROGRESS_STEP
    percent, so a long PDF costs a dozen small updates rather than one per page. A write
    that also changes other fields (the status), or reaches 100, always happens."""

    def __init__(self, document_pk: int) -> None:
        self.document_pk = document_pk
        self.written = 0

    def __call__(self, progress: int, **fields: Any) -> None:
        progress = min(max(progress, self.written) if fields else progress, 100)
        if fields or (progress > self.written and (progress == 100 or progress >= self.written + PROGRESS_STEP)):
            _progress_write(self.document_pk, progress, **fields)
            self.written = progress

    def pages(self, done: int, total: int) -> None:
        self(PROGRESS_READ + (PROGRESS_EXTRACTED - PROGRESS_READ) * done // max(total, 1))


def knowledge_document_ingest(*, document_id: int, version: int | None = None) -> KnowledgeDocument | None:
    """Split the document's file into passages, replacing the previous ones, with its
    progress advancing as the work does (see PROGRESS_*).

    Safe to run twice: a run for an outdated version, or for a document already
    ready at this version, does nothing."""
    document = KnowledgeDocument.objects.filter(pk=document_id).first()
    if document is None or (version is not None and document.version != version):
        return None
    if document.status == KnowledgeDocument.Status.READY:
        return document
    report = _IngestProgress(document.pk)
    report(PROGRESS_READ, status=KnowledgeDocument.Status.PROCESSING)
    try:
        chunks = _document_chunks(document, progress=report.pages)
        report(PROGRESS_SPLIT)
    except Exception as exc:  # noqa: BLE001 - any unreadable file ends as a failed document, with its reason
        message = _unreadable(exc)
        report(100, status=KnowledgeDocument.Status.FAILED, error=message[:2000])
        event_record(actor=None, action="knowledge_document.failed", target=document, after={"error": message[:500]})
        return KnowledgeDocument.objects.get(pk=document.pk)
    report(PROGRESS_SAVING)
    with transaction.atomic():
        document = KnowledgeDocument.objects.select_for_update().get(pk=document.pk)
        _replace_passages(document, chunks)
        report(100, status=KnowledgeDocument.Status.READY, error="")
        document.status, document.progress, document.error = KnowledgeDocument.Status.READY, 100, ""
        event_record(actor=None, action="knowledge_document.ingested", target=document, after={"passages": len(chunks), "version": document.version})
        _supersede(document)
    return document


def _supersede(document: KnowledgeDocument) -> None:
    """A new version has been read: the version it replaces leaves retrieval. Its public page
    stays, saying what replaced it, for the answers that quoted its passages."""
    if document.replaces_id is None or document.withdrawn_at is not None:  # withdrawn while it was read: replaces nothing
        return
    old = KnowledgeDocument.objects.select_for_update().get(pk=document.replaces_id)
    if old.withdrawn_at is not None:  # withdrawn before, with its own reason
        return
    old.withdrawn_at, old.withdrawn_reason, old.withdrawn_by = timezone.now(), "", document.uploaded_by
    old.save(update_fields=[*_WITHDRAWAL_FIELDS, "updated_at"])
    event_record(actor=None, action="knowledge_document.superseded", target=old, after={"replaced_by": document.pk, "version": document.version})


def _document_chunks(document: KnowledgeDocument, *, progress: Callable[[int, int], None] | None = None) -> list[Chunk]:
    """The document's file read and split into passages (raises if no text comes out)."""
    with document.file.open("rb") as fh:
        data = fh.read()
    pages = extract_pages(data, document.file_kind or detect_kind(document.file.name, data[:2048]), progress=progress)
    chunks = split_passages(pages)
    if not chunks:
        raise ApplicationError(_("No text could be read from the document."), code="no_text")
    return chunks


def _unreadable(exc: Exception) -> str:
    return str(getattr(exc, "message", "")) or _("The document could not be read (%(error)s).") % {"error": type(exc).__name__}


# what a passage keeps of its chunk (besides its order in the document)
_CHUNK_FIELDS = ("article", "clause", "page", "heading", "text")


def _replace_passages(document: KnowledgeDocument, chunks: list[Chunk]) -> None:
    document.passages.all().delete()
    Passage.objects.bulk_create(
        [Passage(document=document, order=n, **{f: getattr(c, f) for f in _CHUNK_FIELDS}) for n, c in enumerate(chunks, start=1)]
    )


@dataclass(frozen=True)
class Resplit:
    before: int  # passages before
    after: int  # passages now (the same when unchanged or unreadable)
    changed: bool
    error: str = ""


def knowledge_document_resplit(*, document: KnowledgeDocument, dry_run: bool = False) -> Resplit:
    """Split a ready document's current file again with today's rules (after an upgrade
    that splits better), replacing its passages only if they come out different.

    Unlike an ingestion, a file that can no longer be read leaves the document as it is,
    ready with its passages, and says why. Published answers keep their quotes, as
    after a new version. ``dry_run`` says what would change and changes nothing. For
    operators: ``manage.py qa_resplit``."""
    before = list(document.passages.order_by("order").values_list(*_CHUNK_FIELDS))
    try:
        chunks = _document_chunks(document)
    except Exception as exc:  # noqa: BLE001 - reported per document; the document keeps its passages
        return Resplit(len(before), len(before), False, _unreadable(exc))
    if [tuple(getattr(c, f) for f in _CHUNK_FIELDS) for c in chunks] == before:
        return Resplit(len(before), len(before), False)
    if dry_run:
        return Resplit(len(before), len(chunks), True)
    with transaction.atomic():
        document = KnowledgeDocument.objects.select_for_update().get(pk=document.pk)
        _replace_passages(document, chunks)
        event_record(
            actor=None, action="knowledge_document.resplit", target=document,
            before={"passages": len(before)}, after={"passages": len(chunks), "version": document.version},
        )  # fmt: skip
    return Resplit(len(before), len(chunks), True)
