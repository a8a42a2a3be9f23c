from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QaConfig(AppConfig):
    name = "innohub.qa"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Questions and answers")
