"""Reading form versions for the editor: the list of every declared kind's versions, and where
each version is used (counted by one query per use for a whole page, never per row)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from innohub.forms.kinds import FormKind, form_kinds


def form_versions(*, kind: FormKind) -> QuerySet:
    return kind.model_class().objects.order_by("code", "-version")  # type: ignore[attr-defined]


def form_usage(*, kind: FormKind, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """For each version id, [{"label", "count"}] of the uses that point at it (none left out)."""
    from django.apps import apps

    usage: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    for use in kind.used_by:
        model = apps.get_model(use.model)
        counts = dict(model.objects.filter(**{f"{use.field}__in": ids}).values_list(use.field).annotate(n=Count("pk")).values_list(use.field, "n"))
        for pk in ids:
            if counts.get(pk):
                usage[pk].append({"label": use.label, "count": counts[pk]})
    return usage


def form_rows(*, kind_code: str = "") -> list[dict[str, Any]]:
    """Every version of every declared kind (or of one kind), as rows for the list, unpaginated
    but light: (kind, id, code, version, title) only."""
    rows = []
    for kind in form_kinds():
        if kind_code and kind.code != kind_code:
            continue
        for pk, code, version, title in form_versions(kind=kind).values_list("pk", "code", "version", "title"):
            rows.append({"kind": kind, "pk": pk, "code": code, "version": version, "title": title})
    return rows


def form_users(*, kind: FormKind, version: Any, limit: int = 20) -> list[dict[str, Any]]:
    """What points at one version: [{"label", "count", "names"}], with the first ``limit`` names of
    the named uses (calls, events; answers are only counted)."""
    from django.apps import apps

    out = []
    for use in kind.used_by:
        queryset = apps.get_model(use.model).objects.filter(**{use.field: version})
        count = queryset.count()
        if count:
            names = [str(o) for o in queryset.order_by("-pk")[:limit]] if use.named else []
            out.append({"label": use.label, "count": count, "names": names})
    return out
