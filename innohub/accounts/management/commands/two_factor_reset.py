"""Reset an account's two-step verification (a lost phone and lost recovery codes): its next
log-in enrols a new authenticator app. Audited as done by the system, with --by naming who asked."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from innohub.accounts.models import User
from innohub.accounts.services import two_factor_reset


class Command(BaseCommand):
    help = "Remove USERNAME's authenticator app and recovery codes; the next log-in enrols again."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--by", default="", help="The administrator's username, recorded in the audit log.")

    def handle(self, *args, username: str, by: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        actor = None
        if by:
            actor = User.objects.filter(username=by, is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user named {by!r}.")
        removed = two_factor_reset(user=user, actor=actor)
        self.stdout.write(f"Two-step verification reset for {user.username} ({removed} devices removed).")
