"""Operations: backups that restore, health and readiness, request ids in the logs, metrics."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from innohub.core.registry import UrlMount


class OpsConfig(AppConfig):
    name = "innohub.ops"
    verbose_name = _("Operations")
    urls = UrlMount("innohub.ops.urls", prefix="", i18n=False)
