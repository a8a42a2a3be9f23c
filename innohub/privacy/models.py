"""A person's request about their personal data: what they ask (see, correct, delete), who they
are (an account, or an e-mail address they confirmed), when it was received and when it is
due, and how it ended. Its state runs on the shared workflow engine (`privacy.workflows`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from innohub.core.models import TimeStampedModel
from innohub.core.uploads import generated_upload_path


class DataRequest(TimeStampedModel):
    class Kind(models.TextChoices):
        ACCESS = "access", _("See and receive a copy of my data")
        CORRECTION = "correction", _("Correct my data")
        ERASURE = "erasure", _("Delete my data")

    kind = models.CharField(_("request"), max_length=20, choices=Kind.choices)
    email = models.EmailField(_("e-mail address"), db_index=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    details = models.TextField(_("details"), max_length=5000, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="data_requests")
    state = models.CharField(_("state"), max_length=30, db_index=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), max_length=5000, blank=True)
    last_reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)
    # the copy of an access request's data, downloaded by the person from a signed link until
    # export_expires_at, then deleted by the retention run (never served from MEDIA_URL)
    export_file = models.FileField(_("copy of the data"), upload_to=generated_upload_path("privacy/exports"), blank=True, max_length=200)
    export_expires_at = models.DateTimeField(_("copy available until"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")

    def __str__(self) -> str:
        return f"YC-{self.pk}"

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return bool(self.due_at and not self.closed_at and self.due_at < timezone.now())

    @property
    def reference(self) -> str:
        return f"YC-{self.pk}"
