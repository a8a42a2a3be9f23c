from django.apps import AppConfig


class QaConfig(AppConfig):
    name = "innohub.qa"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Hỏi đáp"
