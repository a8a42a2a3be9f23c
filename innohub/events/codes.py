"""Signed codes: the attendee's QR code for check-in and the link that opens (and cancels)
their registration, both made with `django.core.signing` (HMAC on SECRET_KEY).

A check-in code names the event and the registration and carries the registration's random
code, so that a code edited by hand fails its signature ("forged") and a code of another
event is recognised as such. The QR code is an SVG drawn by segno (pure Python).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from django.core import signing

CHECKIN_SALT = "innohub.events.checkin"
ATTENDEE_SALT = "innohub.events.attendee"
PREFIX = "IHEV:"  # says what a scanned text is, before its signature is checked


@dataclass(frozen=True)
class CheckinCode:
    event_id: int
    registration_id: int
    code: str


class ForgedCode(ValueError):
    """The text is not a code this site signed."""


def checkin_code(registration) -> str:
    """The text of the attendee's QR code."""
    value = f"{registration.event_id}.{registration.pk}.{registration.code}"
    return PREFIX + signing.Signer(salt=CHECKIN_SALT).sign(value)


def checkin_code_read(text: str) -> CheckinCode:
    """The signed content of a scanned code; ForgedCode for anything this site did not sign."""
    text = (text or "").strip()
    if not text.startswith(PREFIX):
        raise ForgedCode(text)
    try:
        value = signing.Signer(salt=CHECKIN_SALT).unsign(text[len(PREFIX):])
        event_id, registration_id, code = value.split(".", 2)
        return CheckinCode(event_id=int(event_id), registration_id=int(registration_id), code=code)
    except (signing.BadSignature, ValueError):
        raise ForgedCode(text) from None


def attendee_token(registration) -> str:
    """The token of the attendee's own page (confirmation, QR, cancel, certificate)."""
    return signing.dumps([registration.pk, registration.code], salt=ATTENDEE_SALT, compress=False)


def attendee_token_read(token: str) -> tuple[int, str] | None:
    try:
        pk, code = signing.loads(token, salt=ATTENDEE_SALT)
        return int(pk), str(code)
    except (signing.BadSignature, ValueError, TypeError):
        return None


def qr_svg(text: str, *, scale: int = 5, title: str = "") -> str:
    """An inline SVG of the QR code (no XML declaration), quiet zone included."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=scale, xmldecl=False, svgns=True, title=title or None,
                                     svgclass="qr", lineclass=None, omitsize=False)
    return out.getvalue().decode()


def qr_png(text: str, *, scale: int = 8) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=scale)
    return out.getvalue()
