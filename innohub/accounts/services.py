"""Writes on users, memberships and API tokens. Each one is audited."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from innohub.accounts.models import ApiToken, Membership, User
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
