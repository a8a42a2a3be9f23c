"""Platform endpoints: health and the current user."""


from django.db import connection
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from innohub.api.schemas import ERROR_RESPONSES, Problem

router = Router(tags=["platform"])


class Health(Schema):
    status: str
    database: str


@router.get("/health", auth=None, response={200: Health, 429: Problem, 503: Problem}, summary="Is the service up?")
def health(request: HttpRequest):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        raise HttpError(503, _("The database is unavailable.")) from None  # → a problem detail
    return {"status": "ok", "database": "ok"}


class Me(Schema):
    id: int
    username: str
    full_name: str
    email: str
    role: str
    language: str
    organisations: list[int]


@router.get("/me", response={200: Me, **ERROR_RESPONSES}, summary="The authenticated user")
def me(request: HttpRequest):
    user = request.auth
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "role": user.role,
        "language": user.language,
        "organisations": list(user.memberships.values_list("organisation_id", flat=True)),
    }
