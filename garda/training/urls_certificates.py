"""Certificate routes (included by training/urls.py, namespace "training")."""

from django.urls import path

from garda.training import views_certificates as views

urlpatterns = [
    # Public: the URL in the QR code of a printed certificate.
    path("verify/<str:code>/", views.verify, name="verify"),
    path("certificates/mine/", views.my_certificates, name="my_certificates"),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf_view, name="certificate_pdf"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke_view, name="certificate_revoke"),
    path("people/<int:pk>/certificates/", views.person_certificates, name="person_certificates"),
    path("people/<int:pk>/certificates/new/", views.record_external, name="record_external"),
]
