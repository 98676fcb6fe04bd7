from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "garda.audit"
    verbose_name = "Audit"
