"""One way to paginate a list page: `paginate(request, queryset)` → Django Page."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

DEFAULT_PAGE_SIZE = 25


def paginate(
    request: HttpRequest, items: QuerySet | list, per_page: int = DEFAULT_PAGE_SIZE, *, number: int | None = None
) -> Page:
    """The page the request asks for (``?page=``), or page ``number`` when it does not ask."""
    paginator = Paginator(items, per_page)
    return paginator.get_page(request.GET.get("page") or number)
