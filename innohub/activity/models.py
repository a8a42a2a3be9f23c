"""The append-only audit log and in-app notifications.

A `Notification` is a message id and its parameters (`activity.messages`), rendered in the
reader's language whenever it is shown or e-mailed; its `subject` and `body` keep the text
as first written for the recipient (what the admin searches), and are all that rows written
before messages had ids have.

`Event` rows are written by services through `event_record` and never changed or
deleted: `save` refuses an update and `delete` refuses outright, and the admin is
read-only. Each event carries the hash of the one before it (`activity.chain`), so a change
made to the table directly is found by `manage.py audit_verify`. The object is kept as content type + id + its text at the time, so the
log still reads after the object is gone.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

# checks is imported with the models so that its system check is registered at start-up
from innohub.activity import checks, labels  # noqa: F401


class AppendOnlyError(Exception):
    pass


class Event(models.Model):
    # set before the event is hashed (activity.chain), so not auto_now_add
    created_at = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True, db_index=True)
    target_label = models.CharField(_("object"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # the hash chain (activity.chain): the previous event's hash and this one's
    prev_hash = models.CharField(_("previous event's hash"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")

    @property
    def actor_display(self) -> str:
        """Who acted, by name while the account exists; the system's own steps say so."""
        if self.actor is not None:
            return self.actor.display_name
        return str(_("innohub (automatic)")) if self.actor_label == "system" else self.actor_label

    @property
    def action_label(self) -> str:
        """The action in the reader's language; the stored code when it has no label."""
        return labels.action_label(self.action)

    @property
    def target_label_display(self) -> str:
        """The object's stored label with its amounts in the reader's money format."""
        return labels.amounts_in_reader_format(self.target_label)

    @property
    def target_type_label(self) -> str:
        """The kind of object in the reader's language (its model's verbose_name)."""
        return labels.target_type_label(self.target_type) if self.target_type_id else ""


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(_("message id"), max_length=100, blank=True, db_index=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    send_email = models.BooleanField(default=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject

    def rendered(self, language: str | None = None) -> tuple[str, str]:
        """(subject, body) in ``language`` (the active one when None); the stored text for a
        row written before messages had ids, or whose message is no longer declared."""
        from innohub.activity.messages import MessageParamsError, UnknownMessage, message_get

        if not self.message:
            return self.subject, self.body
        key = language or translation.get_language() or settings.LANGUAGE_CODE
        cache = self.__dict__.setdefault("_rendered", {})
        if key not in cache:
            try:
                cache[key] = message_get(self.message).render(self.params, language=key)
            except (UnknownMessage, MessageParamsError):
                cache[key] = (self.subject, self.body)
        return cache[key]

    @property
    def shown_subject(self) -> str:
        """The subject in the reader's language."""
        return self.rendered()[0]

    @property
    def shown_body(self) -> str:
        """The body in the reader's language."""
        return self.rendered()[1]
