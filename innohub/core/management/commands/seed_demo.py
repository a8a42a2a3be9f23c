"""Load the demo data once (a second run adds nothing) and print the demo accounts."""

from __future__ import annotations

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app with demo data has a `demo.seed()`; order matters (organisations before users).
SEEDERS = [
    "innohub.directory.demo",
    "innohub.accounts.demo",
    "innohub.qa.demo",
    "innohub.programs.demo",
    "innohub.indicators.demo",
]


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the accounts.")

    def handle(self, *args, quiet: bool = False, **options):
        for path in SEEDERS:
            with transaction.atomic():
                result = import_module(path).seed()
            self.stdout.write(f"{path}: {result}")
        if not quiet:
            from innohub.accounts.demo import DEMO_PASSWORD, DEMO_USERS

            self.stdout.write(self.style.SUCCESS(f"\nDemo accounts (password for all: {DEMO_PASSWORD})"))
            for username, full_name, role, _email in DEMO_USERS:
                self.stdout.write(f"  {role.label:<14} {username:<10} {full_name}")
