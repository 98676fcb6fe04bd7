"""Page routes of the interceptions register (views/pages.py)."""

from django.urls import path

from garda.interceptions.views import pages

app_name = "interceptions"

urlpatterns = [
    path("", pages.register, name="list"),
    path("new/", pages.record, name="new"),
    path("<int:pk>/", pages.detail, name="detail"),
    path("steps/<int:pk>/done/", pages.step_done, name="step_done"),
    path("<int:pk>/person/", pages.link_person, name="link_person"),
    path("brokers/", pages.brokers, name="brokers"),
    path("cases/<int:pk>/brokers/", pages.case_brokers, name="case_brokers"),
]
