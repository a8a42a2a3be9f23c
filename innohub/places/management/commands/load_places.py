"""Loads or updates the administrative units from the pinned reference package (idempotent)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from innohub.places.reference import load_units


class Command(BaseCommand):
    help = "Load or update Vietnam's administrative units (2025 map and the former units) from the pinned package."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = load_units()
        self.stdout.write(", ".join(f"{name}: {n}" for name, n in counts.items()))
