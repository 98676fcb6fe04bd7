from django.urls import path

from garda.places import views

app_name = "places"

urlpatterns = [
    path("regions/picker/", views.region_picker, name="region_picker"),
]
