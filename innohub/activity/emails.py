"""The e-mail of a notification, in its recipient's language: whom it is for, what happened
with its details, and the absolute link to read more (from ``SITE_URL``); plain text with an
HTML alternative. Rendering only: `activity.services.notification_email_deliver` sends it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from innohub.activity.messages import one_line
from innohub.activity.models import Notification
from innohub.core.links import absolute_url


def notification_email(notification: Notification) -> EmailMultiAlternatives:
    """The e-mail of one notification in its recipient's language: whom it is for, what
    happened and its details, the absolute link (from ``SITE_URL``) to read more; plain
    text with an HTML alternative."""
    from innohub.activity.services import recipient_language

    recipient = notification.recipient
    language = recipient_language(recipient)
    subject, body = notification.rendered(language)
    return _compose(to=recipient.email, name=recipient.display_name, language=language, subject=subject, body=body,
                    url=notification.url)


def message_email(
    *, to: str, name: str, language: str, message: str, params: Mapping[str, Any], url: str = "", reason: str = "",
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> EmailMultiAlternatives:
    """The e-mail of a declared message to an address that may have no account (an event's
    attendee), in ``language``, built as a notification's e-mail is; ``reason`` replaces the
    footer's "you have an account" line, ``attachments`` are (filename, content, mimetype)."""
    from innohub.activity.messages import message_get
    from innohub.activity.services import _jsonable

    subject, body = message_get(message).render(_jsonable(dict(params)), language=language)
    email = _compose(to=to, name=name, language=language, subject=subject, body=body, url=url, reason=reason)
    for filename, content, mimetype in attachments:
        email.attach(filename, content, mimetype)
    return email


def _compose(*, to: str, name: str, language: str, subject: str, body: str, url: str, reason: str = "") -> EmailMultiAlternatives:
    with translation.override(language):
        context = {
            "name": name,
            "subject": subject,
            "body": body,
            "url": absolute_url(url, language=language) if url else "",
            "site_url": absolute_url("", language=language),
            "reason": reason,
        }
        text = render_to_string("activity/email/notification.txt", context).strip() + "\n"
        html = render_to_string("activity/email/notification.html", context)
    email = EmailMultiAlternatives(
        subject=one_line(subject),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    email.attach_alternative(html, "text/html")
    return email
