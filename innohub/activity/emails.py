"""The e-mail of a notification, in its recipient's language: whom it is for, what happened
with its details, and the absolute link to read more (from ``SITE_URL``); plain text with an
HTML alternative. Rendering only: `activity.services.notification_email_deliver` sends it."""

from __future__ import annotations

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
    with translation.override(language):
        context = {
            "name": recipient.display_name,
            "subject": subject,
            "body": body,
            "url": absolute_url(notification.url, language=language) if notification.url else "",
            "site_url": absolute_url("", language=language),
        }
        text = render_to_string("activity/email/notification.txt", context).strip() + "\n"
        html = render_to_string("activity/email/notification.html", context)
    email = EmailMultiAlternatives(
        subject=one_line(subject),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    email.attach_alternative(html, "text/html")
    return email
