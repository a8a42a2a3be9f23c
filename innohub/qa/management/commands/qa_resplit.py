"""``manage.py qa_resplit``: split the knowledge base's documents again with today's rules.

After an upgrade that splits documents better (chapter headings, page numbers, tables…),
the documents ingested before keep their old passages until a new version is uploaded.
This reads each ready document's stored file again and replaces its passages where they
come out different; a file that can no longer be read leaves its document as it was and
is reported (exit status 1). The search indexes are rebuilt and the passage vectors
re-encoded (by the worker) when anything changed. Every replacement is audited
(``knowledge_document.resplit``). ``--dry-run`` reports and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from innohub.qa import search, services
from innohub.qa.models import KnowledgeDocument


class Command(BaseCommand):
    help = "Split the knowledge base's ready documents again, replacing passages that come out different."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--document", type=int, action="append", metavar="ID", help="only this document (repeatable)"
        )
        parser.add_argument("--dry-run", action="store_true", help="report what would change, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        documents = KnowledgeDocument.objects.filter(status=KnowledgeDocument.Status.READY).order_by("pk")
        if options["document"]:
            wanted = set(options["document"])
            documents = documents.filter(pk__in=wanted)
            missing = wanted - set(documents.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"no ready document with id {', '.join(map(str, sorted(missing)))}")
        changed, unreadable = 0, []
        for document in documents:
            result = services.knowledge_document_resplit(document=document, dry_run=options["dry_run"])
            name = f"#{document.pk} {document.number} {document.title}".replace("  ", " ")
            if result.error:
                unreadable.append(name)
                self.stdout.write(f"{name}: cannot be read, left as it was ({result.error})")
            elif result.changed:
                changed += 1
                verb = "would be re-split" if options["dry_run"] else "re-split"
                self.stdout.write(f"{name}: {verb}, {result.before} → {result.after} passages")
            else:
                self.stdout.write(f"{name}: unchanged ({result.before} passages)")
        if changed and not options["dry_run"]:
            search.index_rebuild()
            services.knowledge_changed()  # the worker re-encodes the passages whose text is new
        self.stdout.write(
            f"{changed} document(s) {'would change' if options['dry_run'] else 'changed'}, "
            f"{len(unreadable)} unreadable, of {len(documents)}"
        )
        if unreadable:
            raise CommandError(f"{len(unreadable)} document(s) could not be read again")
