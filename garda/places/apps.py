from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "garda.places"
    verbose_name = "Places"
