"""Writes on users, memberships and API tokens. Each one is audited."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from innohub.accounts.models import ApiToken, Membership, User
from innohub.accounts.two_factor import RECOVERY_CODES
from innohub.activity.services import event_record, snapshot
from innohub.core.errors import ApplicationError
from innohub.core.roles import ADMIN_ROLES, Role

USER_AUDIT_FIELDS = ["username", "email", "full_name", "role", "is_active", "language"]


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str | None,
    full_name: str = "",
    role: str = Role.VISITOR,
    language: str = "vi",
    actor: User | None = None,
) -> User:
    if role not in Role.values:
        raise ApplicationError(f"Unknown role: {role}")
    if User.objects.filter(email__iexact=email).exists():
        raise ApplicationError("A user with this e-mail address already exists.")
    user = User(
        username=username,
        email=email.lower(),
        full_name=full_name,
        role=role,
        language=language,
        is_staff=role in ADMIN_ROLES,
        is_superuser=role in ADMIN_ROLES,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    event_record(actor=actor or user, action="user.created", target=user, after=snapshot(user, USER_AUDIT_FIELDS))
    return user


@transaction.atomic
def user_set_role(*, user: User, role: str, actor: User) -> User:
    if role not in Role.values:
        raise ApplicationError(f"Unknown role: {role}")
    before = snapshot(user, USER_AUDIT_FIELDS)
    user.role = role
    user.is_staff = role in ADMIN_ROLES
    user.is_superuser = role in ADMIN_ROLES
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    event_record(
        actor=actor, action="user.role_changed", target=user, before=before,
        after=snapshot(user, USER_AUDIT_FIELDS),
    )
    return user


@transaction.atomic
def membership_add(*, user: User, organisation, actor: User, org_role: str = Membership.OrgRole.MEMBER, title: str = "") -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"org_role": org_role, "title": title}
    )
    if created:
        event_record(
            actor=actor, action="membership.added", target=membership,
            after={"user": user.pk, "organisation": organisation.pk, "org_role": org_role},
        )
    return membership


@transaction.atomic
def api_token_create(*, user: User, name: str, actor: User | None = None) -> tuple[ApiToken, str]:
    """Create a token; returns it with the raw key, which is never stored."""
    key = "ih_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[3:11], key_hash=ApiToken.hash_key(key)
    )
    event_record(actor=actor or user, action="api_token.created", target=token, after={"name": name, "prefix": token.prefix})
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        event_record(actor=actor, action="api_token.revoked", target=token, before={"revoked": False}, after={"revoked": True})
    return token


# --- two-factor authentication (innohub/accounts/two_factor.py) ---

def two_factor_device_pending(*, user: User) -> TOTPDevice:
    """The authenticator device an account is enrolling: its unconfirmed TOTP device (created
    with a new random key the first time), shown as a QR code and a key until a code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=str(_("Authenticator app")), confirmed=False)
    return device


def _recovery_codes_issue(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=str(_("Recovery codes")), confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_confirm(*, user: User, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator device with a code it shows; any other TOTP device of
    the account is removed and new recovery codes replace the old. Returns the device and the
    recovery codes (shown once; only they are never stored in the clear elsewhere)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    if device is None or not device.verify_token(_token_digits(token)):
        raise ApplicationError(str(_("This code is not the one your authenticator app shows now. Check the app's clock and try the current code.")))
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_issue(user)
    event_record(actor=user, action="two_factor.enrolled", target=user, after={"recovery_codes": len(codes)})
    return device, codes


@transaction.atomic
def two_factor_recovery_codes_replace(*, user: User) -> list[str]:
    """New recovery codes for an enrolled account; the old ones stop working."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ApplicationError(str(_("Set up an authenticator app first.")))
    codes = _recovery_codes_issue(user)
    event_record(actor=user, action="two_factor.recovery_codes_replaced", target=user, after={"recovery_codes": len(codes)})
    return codes


def two_factor_verify(*, user: User, token: str) -> Device | None:
    """The device that accepts ``token`` (a current TOTP code or an unused recovery code, which
    is used up), or None. Using a recovery code is audited; django-otp slows down guessing
    (each failure doubles the wait before a device accepts another code)."""
    device = match_token(user, _token_digits(token))
    if isinstance(device, StaticDevice):
        left = StaticToken.objects.filter(device=device).count()
        event_record(actor=user, action="two_factor.recovery_code_used", target=user, after={"recovery_codes_left": left})
    return device


@transaction.atomic
def two_factor_reset(*, user: User, actor: User | None) -> int:
    """Remove an account's second factor (a lost phone): its next log-in enrols again. Audited
    with who reset it. Returns how many devices were removed."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).count()
    StaticDevice.objects.filter(user=user).delete()
    event_record(actor=actor, action="two_factor.reset", target=user, after={"devices_removed": removed})
    return removed


@transaction.atomic
def two_factor_enrol_with_key(*, user: User, key_hex: str, actor: User | None = None) -> TOTPDevice:
    """Enrol an account with a given key (the demo's published secret); no recovery codes."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=str(_("Authenticator app")), key=key_hex, confirmed=True)
    event_record(actor=actor, action="two_factor.enrolled", target=user, after={"recovery_codes": 0})
    return device


def _token_digits(token: str) -> str:
    """A code as typed, without spaces or hyphens, in lower case (recovery codes are)."""
    return "".join(token.split()).replace("-", "").lower()


def reauthentication_record(*, user: User, succeeded: bool) -> None:
    """Audit a confirmation of identity before a decision on money (innohub/accounts/reauth.py),
    or a failed one (a wrong password or code on the confirm page)."""
    event_record(actor=user, action="user.reauthenticated" if succeeded else "user.reauthentication_failed", target=user)
