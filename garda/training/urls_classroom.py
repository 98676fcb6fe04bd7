"""Routes of the classroom: the trainer's batches, roster, attendance, assessments,
closing and cancelling (included by training/urls.py, namespace "training")."""

from django.urls import path

from garda.training import views_classroom as views

urlpatterns: list = [
    path("teach/", views.teach, name="teach"),
    path("batches/new/", views.batch_new, name="batch_new"),
    path("batches/<int:pk>/edit/", views.batch_edit, name="batch_edit"),
    path("batches/<int:pk>/cancel/", views.batch_cancel_view, name="batch_cancel"),
    path("batches/<int:pk>/roster/", views.roster, name="roster"),
    path(
        "batches/<int:pk>/sessions/<int:number>/attendance/",
        views.attendance,
        name="attendance",
    ),
    path(
        "batches/<int:pk>/units/<int:unit_pk>/assessments/",
        views.assessments,
        name="assessments",
    ),
    path("batches/<int:pk>/close/", views.batch_close_view, name="batch_close"),
    path("enrolments/<int:pk>/no-show/", views.no_show, name="no_show"),
]
