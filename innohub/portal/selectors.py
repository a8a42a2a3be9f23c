"""Reads for the public home page."""

from __future__ import annotations

from innohub.directory.models import Organisation


def home_hubs() -> list[Organisation]:
    """The support organisations (hubs) the home page presents, verified ones first."""
    return list(
        Organisation.objects.filter(kind=Organisation.Kind.SUPPORT, archived_at__isnull=True)
        .order_by("-verified", "name")[:6]
    )
