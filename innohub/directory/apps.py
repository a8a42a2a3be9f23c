from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "innohub.directory"
    verbose_name = _("Ecosystem directory")
