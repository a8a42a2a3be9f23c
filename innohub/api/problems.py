"""Errors as RFC 9457 problem details (application/problem+json), one shape for every failure."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from innohub.core.errors import ApplicationError

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem_response(
    api: Any, request: HttpRequest, *, status: int, title: str, detail: str = "", type_: str = "about:blank", **extra: Any
) -> HttpResponse:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status, "instance": request.path}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_CONTENT_TYPE
    return response


def _expected(ctx: dict[str, Any]) -> str:
    # pydantic lists the allowed values as "'a', 'b' or 'c'": drop its English "or".
    return str(ctx.get("expected", "")).replace(" or ", ", ")


# shared by several error types; lazy, so each reads in the language of the request
_WHOLE_NUMBER = gettext_lazy("Enter a whole number.")
_NUMBER = gettext_lazy("Enter a number.")
_DATE = gettext_lazy("Enter a date as YYYY-MM-DD.")
_DATE_TIME = gettext_lazy("Enter a date and time in ISO 8601 (YYYY-MM-DDTHH:MM).")
_TEXT = gettext_lazy("Enter text.")


def _counted(message: Any) -> Any:
    """A plural message, ``ngettext_lazy(singular, plural, key)``, filled from ``ctx``: the
    plural follows ``ctx[key]`` (a length), in the language active when it is given."""
    return lambda ctx: message % ctx


# A readable message per pydantic error type, translated when it is given (`ctx` fills the
# numbers in); built once, not for every error.
_MESSAGES: dict[str, Any] = {
    "missing": lambda ctx: _("This field is required."),
    "less_than_equal": lambda ctx: _("Enter a value of at most %(le)s.") % ctx,
    "less_than": lambda ctx: _("Enter a value below %(lt)s.") % ctx,
    "greater_than_equal": lambda ctx: _("Enter a value of at least %(ge)s.") % ctx,
    "greater_than": lambda ctx: _("Enter a value above %(gt)s.") % ctx,
    "multiple_of": lambda ctx: _("Enter a multiple of %(multiple_of)s.") % ctx,
    "string_too_long": _counted(ngettext_lazy("Enter at most %(max_length)s character.", "Enter at most %(max_length)s characters.", "max_length")),
    "string_too_short": _counted(ngettext_lazy("Enter at least %(min_length)s character.", "Enter at least %(min_length)s characters.", "min_length")),
    "too_long": _counted(ngettext_lazy("Give at most %(max_length)s item.", "Give at most %(max_length)s items.", "max_length")),
    "too_short": _counted(ngettext_lazy("Give at least %(min_length)s item.", "Give at least %(min_length)s items.", "min_length")),
    "string_pattern_mismatch": lambda ctx: _("The value does not have the expected form."),
    "int_parsing": lambda ctx: _WHOLE_NUMBER,
    "int_type": lambda ctx: _WHOLE_NUMBER,
    "int_from_float": lambda ctx: _WHOLE_NUMBER,
    "float_parsing": lambda ctx: _NUMBER,
    "float_type": lambda ctx: _NUMBER,
    "decimal_parsing": lambda ctx: _NUMBER,
    "decimal_type": lambda ctx: _NUMBER,
    "finite_number": lambda ctx: _("Enter a finite number."),
    "bool_parsing": lambda ctx: _("Enter true or false."),
    "bool_type": lambda ctx: _("Enter true or false."),
    "string_type": lambda ctx: _TEXT,
    "string_unicode": lambda ctx: _TEXT,
    "date_parsing": lambda ctx: _DATE,
    "date_type": lambda ctx: _DATE,
    "date_from_datetime_parsing": lambda ctx: _DATE,
    "date_from_datetime_inexact": lambda ctx: _DATE,
    "datetime_parsing": lambda ctx: _DATE_TIME,
    "datetime_type": lambda ctx: _DATE_TIME,
    "datetime_from_date_parsing": lambda ctx: _DATE_TIME,
    "list_type": lambda ctx: _("Give a list."),
    "dict_type": lambda ctx: _("Give an object."),
    "model_type": lambda ctx: _("Give an object."),
    "model_attributes_type": lambda ctx: _("Give an object."),
    "literal_error": lambda ctx: _("Choose one of: %(expected)s.") % {"expected": _expected(ctx)},
    "enum": lambda ctx: _("Choose one of: %(expected)s.") % {"expected": _expected(ctx)},
    "json_invalid": lambda ctx: _("The value is not valid JSON."),
    "uuid_parsing": lambda ctx: _("Enter a valid UUID."),
    "url_parsing": lambda ctx: _("Enter a valid URL."),
    "extra_forbidden": lambda ctx: _("This field is not expected."),
}


def validation_message(error: dict[str, Any]) -> str:
    """The translated message for one pydantic error, or pydantic's own text when we have none."""
    message = _MESSAGES.get(str(error.get("type", "")))
    if message is not None:
        try:
            return str(message(error.get("ctx") or {}))
        except (KeyError, TypeError, ValueError):  # a ctx without the number we expected
            pass
    return str(error.get("msg", ""))


class BodyNotAnObject(ValueError):
    """A JSON body that is not an object (a list, a string, a number)."""


def install_problem_handlers(api: Any) -> None:
    from django.core.exceptions import (
        PermissionDenied,
        RequestDataTooBig,
        TooManyFieldsSent,
        TooManyFilesSent,
    )
    from django.core.exceptions import ValidationError as DjangoValidationError
    from django.db import DataError
    from django.http import Http404, UnreadablePostError
    from django.http.multipartparser import MultiPartParserError
    from ninja.errors import (
        AuthenticationError,
        AuthorizationError,
        HttpError,
        Throttled,
        ValidationError,
    )
    from ninja.throttling import BaseThrottle  # noqa: F401  (throttling raises Throttled)

    @api.exception_handler(ValidationError)
    def _validation(request, exc):
        errors = [
            {"loc": list(map(str, e.get("loc", []))), "msg": validation_message(e), "type": e.get("type", "")}
            for e in exc.errors
        ]
        return problem_response(api, request, status=422, title=_("The request is not valid."), detail=_("See the list of errors."), errors=errors)

    @api.exception_handler(ApplicationError)
    def _application(request, exc: ApplicationError):
        extra: dict[str, Any] = {"code": exc.code}
        if exc.extra:
            extra["errors"] = exc.extra
        return problem_response(api, request, status=exc.status, title=str(exc.message), **extra)

    @api.exception_handler(DjangoValidationError)
    def _django_validation(request, exc: DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return problem_response(api, request, status=422, title=_("The request is not valid."), errors=errors)

    @api.exception_handler(AuthenticationError)
    def _auth(request, exc):
        return problem_response(api, request, status=401, title=_("Authentication is required."), detail=_("Send a bearer token or log in."))

    @api.exception_handler(AuthorizationError)
    def _authz(request, exc):
        return problem_response(api, request, status=403, title=_("You are not allowed to do this."))

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        return problem_response(api, request, status=403, title=_("You are not allowed to do this."))

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return problem_response(api, request, status=404, title=_("Not found."))

    @api.exception_handler(Throttled)
    def _throttled(request, exc):
        response = problem_response(api, request, status=429, title=_("Too many requests. Try again later."))
        if getattr(exc, "wait", None):
            response["Retry-After"] = str(int(exc.wait))
        return response

    @api.exception_handler(OverflowError)
    def _overflow(request, exc):
        # A number in the request that no database column can hold (e.g. an id of 2**64):
        # the client's input is wrong, not the server.
        return problem_response(api, request, status=422, title=_("A number in the request is out of range."))

    @api.exception_handler(DataError)
    def _data_error(request, exc):
        return problem_response(api, request, status=422, title=_("A value in the request is out of range."))

    # A body Django cannot read is the client's fault: a 400 (which Django itself gives a too
    # large one, and which the spec declares), saying what to send instead.
    unreadable = gettext_lazy("The request body could not be read.")
    bad_bodies = {
        # a multipart request without a boundary, a truncated body, no body at all
        MultiPartParserError: (unreadable, gettext_lazy("Send the form as multipart/form-data with a valid boundary.")),
        UnreadablePostError: (unreadable, ""),
        RequestDataTooBig: (gettext_lazy("The request is too large."), gettext_lazy("Send a smaller body or a smaller file.")),
        TooManyFieldsSent: (gettext_lazy("The request has too many fields or files."), ""),
        TooManyFilesSent: (gettext_lazy("The request has too many fields or files."), ""),
    }
    for exception, (title, detail) in bad_bodies.items():

        def _bad_body(request, exc, title=title, detail=detail):
            return problem_response(api, request, status=400, title=str(title), detail=str(detail))

        api.add_exception_handler(exception, _bad_body)

    @api.exception_handler(HttpError)
    def _http(request, exc: HttpError):
        if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
            # ninja's "Cannot parse request body (…)": JSON that does not parse, or is not UTF-8,
            # or (our parser) is not an object
            return problem_response(
                api, request, status=400, title=_("The request body could not be read."),
                detail=_("Send the body as a JSON object ({…}).") if isinstance(exc.__cause__, BodyNotAnObject) else _("Send the body as valid JSON (UTF-8)."),
            )
        return problem_response(api, request, status=exc.status_code, title=str(exc.message))

    @api.exception_handler(Exception)
    def _server_error(request, exc):
        import logging

        logging.getLogger("innohub.api").exception("Unhandled API error", exc_info=exc)
        return problem_response(api, request, status=500, title=_("Server error."), detail=_("The error has been recorded."))
