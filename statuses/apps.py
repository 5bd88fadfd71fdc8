from django.apps import AppConfig


class StatusesConfig(AppConfig):
    name = "statuses"
    default_auto_field = "django.db.models.BigAutoField"
