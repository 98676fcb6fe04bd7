from django.urls import path

from garda.documents import views

app_name = "documents"

urlpatterns = [
    path("me/", views.my_documents, name="mine"),
    path("queue/", views.verification_queue, name="queue"),
    path("expiring/", views.expiring_documents, name="expiring"),
    path("person/<int:pk>/", views.person_documents, name="person"),
    path("person/<int:pk>/upload/", views.upload, name="upload"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/files/<int:page>/", views.document_file, name="file"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("<int:pk>/reject/", views.reject, name="reject"),
]
