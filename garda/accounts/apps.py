from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "garda.accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from garda.accounts import signals  # noqa: F401  (auth events -> audit log)
        from garda.accounts.roles import LABELS
        from garda.audit import display

        display.ROLE_LABELS.update(LABELS)  # the audit pages name roles in words
