from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "innohub.indicators"
    default_auto_field = "django.db.models.BigAutoField"
