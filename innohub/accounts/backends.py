"""Let people log in with their e-mail address as well as their username."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from innohub.accounts.models import User


class EmailOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and "@" in username:
            user = User.objects.filter(email__iexact=username).first()
            if user is not None:
                username = user.get_username()
        return super().authenticate(request, username=username, password=password, **kwargs)
