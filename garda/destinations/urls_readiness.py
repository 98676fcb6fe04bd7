from django.urls import path

from garda.destinations import readiness_views

urlpatterns = [
    path("readiness/", readiness_views.my_readiness, name="my_readiness"),
    path("readiness/plan/", readiness_views.my_plan, name="my_plan"),
    path("people/<int:pk>/readiness/", readiness_views.person_readiness, name="person_readiness"),
    path("people/<int:pk>/plan/", readiness_views.person_plan, name="person_plan"),
]
