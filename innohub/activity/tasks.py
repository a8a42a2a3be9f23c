"""Background work of the activity app: e-mailing notifications. Tasks take ids and are
safe to run twice."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from innohub.activity.messages import one_line
from innohub.activity.models import Notification


def notification_email(notification: Notification) -> EmailMultiAlternatives:
    """The e-mail of one notification in its recipient's language: whom it is for, what
    happened and its details, the absolute link (from ``SITE_URL``) to read more; plain
    text with an HTML alternative."""
    from innohub.activity.services import recipient_language
    from innohub.core.links import absolute_url

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


@task()
def deliver_notification_email(notification_id: int) -> bool:
    """E-mail one notification; a second run finds it already sent and does nothing."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True, send_email=True)
            .first()
        )
        if notification is None:
            return False
        notification_email(notification).send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True
