from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "garda.documents"
    verbose_name = "Documents"
