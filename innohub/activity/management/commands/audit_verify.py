"""Walk the audit log's hash chain (innohub/activity/chain.py) and report the first broken link.

Exit status 0 when every event holds, 1 (with the event's id and what is wrong) otherwise. The
head hash printed at the end can be recorded elsewhere to detect the newest events' removal.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from innohub.activity import chain
from innohub.activity.models import Event


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit 1 at the first event whose link is broken."

    def add_arguments(self, parser):
        parser.add_argument("--expect-head", default="", help="The head hash recorded earlier: fail if the chain no longer reaches it.")

    def handle(self, *args, expect_head: str = "", **options):
        fields = ["id", "prev_hash", "hash", *chain.CHAINED_FIELDS]
        rows = Event.objects.order_by("id").values(*fields).iterator(chunk_size=5000)
        count, head, broken = chain.verify(rows)
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at event {broken.event_id}: {broken.reason}. "
                f"{count} events before it hold."
            )
        if expect_head and not Event.objects.filter(hash=expect_head).exists():
            raise CommandError(f"Audit chain holds ({count} events) but no longer contains the recorded head {expect_head}: events were removed.")
        self.stdout.write(f"Audit chain holds: {count} events, head {head}.")
