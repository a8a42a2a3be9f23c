"""Load the demo data once (a second run adds nothing) and print the demo accounts.

Each app declares its seeder as `demo` on its AppConfig (`innohub.core.registry`), with the
order it runs in and the apps whose demo data it needs.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from innohub.core import registry


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the accounts.")

    def handle(self, *args, quiet: bool = False, **options):
        for _label, demo in registry.demo_seeders():
            with transaction.atomic():
                result = import_string(demo.seed)()
            self.stdout.write(f"{demo.seed.rpartition('.')[0]}: {result}")
        if not quiet:
            from innohub.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_USERS
            from innohub.core.roles import BACKOFFICE_ROLES

            self.stdout.write(self.style.SUCCESS(f"\nDemo accounts (password for all: {DEMO_PASSWORD})"))
            for username, full_name, role, _email in DEMO_USERS:
                self.stdout.write(f"  {role.label:<14} {username:<10} {full_name}")
            self.stdout.write(self.style.SUCCESS(
                f"\nStaff accounts ({', '.join(u for u, _n, r, _e in DEMO_USERS if r in BACKOFFICE_ROLES)}) confirm each log-in with a code."
                f"\nAdd this time-based key to an authenticator app: {DEMO_TOTP_SECRET}"
            ))
