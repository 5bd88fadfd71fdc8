from django.apps import AppConfig


class RateLimitsConfig(AppConfig):
    name = "gitforge.ratelimits"
    label = "ratelimits"
    default_auto_field = "django.db.models.BigAutoField"
