"""Routes of the catalogue and enrolment pages (included by training/urls.py)."""

from django.urls import path

from garda.training import views_catalogue as views

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("courses/<slug:code>/", views.course_detail, name="course"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("batches/<int:pk>/enrol-person/", views.enrol_person, name="enrol_person"),
    path("me/", views.my_training, name="my_training"),
    path("enrolments/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
