"""Users, roles, organisation membership, login hardening: its pages under /accounts/."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from innohub.core.registry import Demo, UrlMount


class AccountsConfig(AppConfig):
    name = "innohub.accounts"
    verbose_name = _("Accounts")
    urls = UrlMount("innohub.accounts.urls", prefix="accounts/")
    demo = Demo("innohub.accounts.demo.seed", order=20, after=("directory",))
    action_labels = {
        "api_token.created": _("API token created"),
        "api_token.revoked": _("API token revoked"),
        "membership.added": _("Member added to an organisation"),
        "user.created": _("Account created"),
        "user.role_changed": _("Role changed"),
        "two_factor.enrolled": _("Two-step verification set up"),
        "two_factor.recovery_codes_replaced": _("Recovery codes replaced"),
        "two_factor.recovery_code_used": _("Recovery code used to log in"),
        "two_factor.reset": _("Two-step verification reset"),
        "user.reauthenticated": _("Identity confirmed before a decision on money"),
        "user.reauthentication_failed": _("Identity confirmation failed"),
    }

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from innohub.accounts import idle, reauth

        # a log-in confirms the password and is activity: session bookkeeping, not business logic
        user_logged_in.connect(reauth.on_login, dispatch_uid="innohub.accounts.reauth")
        user_logged_in.connect(idle.on_login, dispatch_uid="innohub.accounts.idle")
