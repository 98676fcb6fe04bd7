from django.urls import path

from garda.family import views

app_name = "family"

urlpatterns = [
    path("me/", views.mine, name="mine"),
    path("cases/<int:pk>/", views.case_page, name="case"),
    path("cases/<int:pk>/issue/", views.issue, name="issue"),
    path("access/<int:pk>/revoke/", views.revoke, name="revoke"),
]
