"""Personal data: retention (daily: questions' contacts, their attachments, answer feedback, past events' registrations, log-in records), and a person's requests to export or erase their data.

    manage.py personal_data retention [--months N] [--dry-run]
    manage.py personal_data export EMAIL --by ADMIN_USERNAME      (JSON on standard output)
    manage.py personal_data erase EMAIL --by ADMIN_USERNAME --yes

Every run that changes or hands out data is audited (innohub/core/personal_data.py).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from innohub.core import personal_data


class Command(BaseCommand):
    help = "Apply the retention period, or export or erase one person's data (audited)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        retention = sub.add_parser("retention", help="Anonymise the contacts of questions closed past the retention period.")
        retention.add_argument("--months", type=int, default=None, help="Override QA_ASKER_RETENTION_MONTHS.")
        retention.add_argument("--dry-run", action="store_true")
        for name in ("export", "erase"):
            p = sub.add_parser(name)
            p.add_argument("email")
            p.add_argument("--by", required=True, help="The administrator handling the request (audited).")
            if name == "erase":
                p.add_argument("--yes", action="store_true", help="Confirm: erasing cannot be undone.")

    def handle(self, *args, action: str, **options):
        if action == "retention":
            months = options["months"]
            if months is not None and months < 1:
                raise CommandError("--months must be at least 1.")
            counts = personal_data.retention_run(months=months, dry_run=options["dry_run"])
            verb = "would be" if options["dry_run"] else "were"
            self.stdout.write(f"{counts['questions_anonymised']} closed questions {verb} anonymised.")
            self.stdout.write(f"{counts['attachments_deleted']} attachments of closed questions {verb} deleted.")
            self.stdout.write(f"{counts['feedback_anonymised']} readers' feedback on answers {verb} anonymised.")
            self.stdout.write(f"{counts['registrations_anonymised']} registrations for past events {verb} anonymised.")
            self.stdout.write(f"{counts['exports_deleted']} copies of a person's data past their download period {verb} deleted.")
            self.stdout.write(f"{counts['log_ins']} log-in records, {counts['failed_log_ins']} failed log-in records and "
                              f"{counts['attempt_counters']} attempt counters {verb} deleted.")
            self.stdout.write(f"{counts['reauth_posts_dropped']} posts kept for an unfinished re-authentication {verb} dropped.")
            return
        from innohub.accounts.models import User
        from innohub.core.roles import ADMIN_ROLES

        actor = User.objects.filter(username=options["by"], is_active=True, role__in=ADMIN_ROLES).first()
        if actor is None:
            raise CommandError(f"No active administrator named {options['by']!r}.")
        if action == "export":
            data = personal_data.subject_export(email=options["email"], actor=actor)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        else:
            if not options["yes"]:
                raise CommandError("Erasing cannot be undone: add --yes to confirm.")
            counts = personal_data.subject_erase(email=options["email"], actor=actor)
            self.stdout.write(f"Erased: {counts}")
