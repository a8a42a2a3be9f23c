"""Issue an API token for a user and print it once (only its hash is stored)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from innohub.accounts.models import User
from innohub.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print the key (shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="What the token is for, e.g. 'statistics office import'.")

    def handle(self, *args, username: str, name: str, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        token, key = api_token_create(user=user, name=name)
        self.stdout.write(key)
        self.stderr.write(f"Token {token.prefix}… for {user.username}; use it as 'Authorization: Bearer <key>'.")
