from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gitforge.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from gitforge.accounts import checks  # noqa: F401 (registers the serving checks)
