from django.apps import AppConfig


class AccompanimentConfig(AppConfig):
    name = "garda.accompaniment"
    verbose_name = "Accompaniment"
