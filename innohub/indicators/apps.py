"""The ecosystem index: public pages and staff tools under /indicators/, its API, its demo data."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from innohub.core.navigation import NavItem
from innohub.core.registry import ApiRouter, Demo, UrlMount
from innohub.core.roles import MANAGER_ROLES


class IndicatorsConfig(AppConfig):
    name = "innohub.indicators"
    verbose_name = _("Indicators")
    default_auto_field = "django.db.models.BigAutoField"
    urls = UrlMount("innohub.indicators.urls", prefix="indicators/")
    api_router = ApiRouter("/indicators/", "innohub.indicators.api.router")
    nav_items = (
        NavItem("indicators:home", _("Ecosystem index"), order=50),
        NavItem("indicators:staff", _("Indicators"), roles=MANAGER_ROLES, area="staff", order=60),
    )
    demo = Demo("innohub.indicators.demo.seed", order=50)
    cached_views = ("indicators:home",)  # innohub/core/page_cache.py
    action_labels = {
        "indicator_framework.created": _("Indicator framework created"),
        "indicator_framework.spec_changed": _("Indicator framework changed"),
        "indicator_framework.english_filled": _("English added to the indicator framework"),
        "indicator_run.created": _("Index calculation started"),
        "indicator_run.failed": _("Index calculation failed"),
        "indicator_run.succeeded": _("Index calculated"),
        "indicator_run.uncertainty_requested": _("Sensitivity analysis requested"),
        "indicator_run.uncertainty_failed": _("Sensitivity analysis failed"),
        "indicator_run.uncertainty_succeeded": _("Sensitivity analysis finished"),
        "indicator_value.computed": _("Indicator values computed"),
        "indicator_value.imported": _("Indicator values imported"),
    }
