from django.urls import path

from garda.people import views

app_name = "people"

urlpatterns = [
    path("nik/", views.nik_check, name="nik_check"),
]
