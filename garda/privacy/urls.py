"""Page routes of the privacy app, one block per part (views/)."""

from django.urls import path, re_path

from garda.privacy.views import corrections, export, sharing

app_name = "privacy"

urlpatterns = [
    # export: the worker's "Data saya" and downloads; the desk's export for a person
    path("me/", export.mine, name="mine"),
    re_path(r"^me/export\.(?P<fmt>json|pdf)$", export.my_export, name="my_export"),
    path("people/<int:pk>/", export.person_data, name="person_data"),
    re_path(
        r"^people/(?P<pk>[0-9]+)/export\.(?P<fmt>json|pdf)$",
        export.person_export,
        name="person_export",
    ),
    # corrections: the worker's requests, the officers' queue and decisions
    path("me/corrections/", corrections.my_corrections, name="my_corrections"),
    path("me/corrections/new/", corrections.my_correction_new, name="my_correction_new"),
    path("corrections/", corrections.queue, name="corrections"),
    path("corrections/<int:pk>/", corrections.detail, name="correction"),
    path("corrections/<int:pk>/decision/", corrections.decide, name="correction_decide"),
    # sharing: the supervisors' list
    path("sharing/", sharing.sharing_list, name="sharing_list"),
]
