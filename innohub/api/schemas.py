"""Schemas shared by every router: problem details, and the date every input takes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: Any) -> Any:
    """Pydantic reads a number, or a string of digits, as a Unix time: a payment ``paid_on: 0``
    would be recorded on 01/01/1970. A date in this API is written YYYY-MM-DD, as its
    description says (``format: date``); anything else is refused as a date."""
    if isinstance(value, dt.date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise PydanticCustomError("date_parsing", "Input should be a valid date in the format YYYY-MM-DD")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: Any | None = None


ERROR_RESPONSES: dict[int, type[Schema]] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem, 429: Problem}
