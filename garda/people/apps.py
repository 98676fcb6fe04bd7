from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "garda.people"
    verbose_name = "People"
