"""Routes of this part of training (included by training/urls.py): recommendations
and outcomes."""

from django.urls import path

from garda.training import views_insight

urlpatterns: list = [
    path("recommendations/", views_insight.my_recommendations, name="my_recommendations"),
    path(
        "people/<int:pk>/recommendations/",
        views_insight.person_recommendations,
        name="person_recommendations",
    ),
    path("outcomes/", views_insight.outcomes_page, name="outcomes"),
    path("outcomes/export/", views_insight.outcomes_export, name="outcomes_export"),
]
