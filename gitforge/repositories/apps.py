from django.apps import AppConfig


class RepositoriesConfig(AppConfig):
    name = "gitforge.repositories"
    label = "repositories"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from gitforge.repositories import receivers  # noqa: F401 (connects the receiver)
