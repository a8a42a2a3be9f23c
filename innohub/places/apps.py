"""Vietnam's administrative units: the 2025 two-level map (province, commune) and the
pre-July-2025 units kept as history (province, district, ward) with their mapping to the new ones."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "innohub.places"
    verbose_name = _("Administrative units")
    default_auto_field = "django.db.models.BigAutoField"
