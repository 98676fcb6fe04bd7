from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "garda.training"
    verbose_name = "Training"
