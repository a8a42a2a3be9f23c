"""`/api/v1/`: its own router (health, the authenticated user) and the URLs the API answers at."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from innohub.core.registry import ApiRouter, UrlMount


class ApiConfig(AppConfig):
    name = "innohub.api"
    verbose_name = _("API")
    urls = UrlMount("innohub.api.urls", prefix="api/v1/", i18n=False)
    api_router = ApiRouter("/", "innohub.api.routers.router")
