from django.apps import AppConfig


class GardaConfig(AppConfig):
    name = "garda"
    verbose_name = "Garda"

    def ready(self) -> None:
        from garda import checks  # noqa: F401  (registers the project's system checks)
