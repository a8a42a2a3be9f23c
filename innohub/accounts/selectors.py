"""Reads on users and tokens."""

from __future__ import annotations

from django.utils import timezone

from innohub.accounts.models import ApiToken, Membership, User


def user_for_api_key(*, key: str) -> User | None:
    """The active user owning an unrevoked token with this key, or None."""
    if not key or not key.startswith("ih_"):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    # Last use is bookkeeping, not a state change: no audit event, at most once a minute.
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def organisations_of(*, user: User):
    from innohub.directory.models import Organisation

    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user)


def member_communes() -> dict[int, str]:
    """Each member's organisation's commune code (the first, for a member of several), for the
    ecosystem index's figures by commune."""
    communes: dict[int, str] = {}  # the commune's code: a foreign key to its code, not an id
    rows = Membership.objects.exclude(organisation__commune=None).order_by("pk")
    for user_id, commune in rows.values_list("user_id", "organisation__commune_id"):
        communes.setdefault(user_id, str(commune))
    return communes
