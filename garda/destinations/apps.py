from django.apps import AppConfig


class DestinationsConfig(AppConfig):
    name = "garda.destinations"
    verbose_name = "Destinations"
