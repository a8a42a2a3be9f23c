"""What every module builds on (base model, money, text, roles, permissions, the registry,
the tabular files, the working-day calendar); in the admin, the public holidays."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "innohub.core"
    verbose_name = _("Working-day calendar")
    action_labels = {
        "public_holiday.filled": _("Public holiday added from the statutory calendar"),
        "consent.given": _("Consent given"),
        "personal_data.anonymised": _("Personal data anonymised"),
        "personal_data.exported": _("Personal data exported"),
        "personal_data.erased": _("Personal data erased"),
        "personal_data.login_records_purged": _("Log-in records past their retention deleted"),
        "personal_data.attachment_deleted": _("Attachment past its retention deleted"),
    }

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.test.signals import setting_changed

        from innohub.core import page_cache

        # the page cache sees every statement: the tables a page reads, the writes that change them
        connection_created.connect(page_cache.on_connection_created, dispatch_uid="innohub.core.page_cache")
        setting_changed.connect(page_cache.on_setting_changed, dispatch_uid="innohub.core.page_cache.settings")
