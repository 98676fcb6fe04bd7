from django.urls import path, re_path, register_converter

from garda.people import access_log, duplicate_views, import_views, profile_views, views

app_name = "people"
register_converter(profile_views.ProfileKind, "profile_kind")

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="register"),
    path("me/", views.my_profile, name="me"),
    path("me/access/", access_log.my_access_log, name="my_access_log"),
    path("nik/", views.nik_check, name="nik_check"),
    path("import/", import_views.import_home, name="import"),
    re_path(
        r"^import/template\.(?P<fmt>csv|xlsx)$",
        import_views.import_template,
        name="import_template",
    ),
    path("import/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("import/<int:pk>/commit/", import_views.import_commit, name="import_commit"),
    path("import/<int:pk>/errors.csv", import_views.import_errors, name="import_errors"),
    path("duplicates/", duplicate_views.duplicate_queue, name="duplicates"),
    path(
        "duplicates/<int:pk>/decision/",
        duplicate_views.duplicate_decision,
        name="duplicate_decision",
    ),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/identity/", views.person_reveal, name="reveal"),
    path("<int:pk>/status/", views.person_status, name="status"),
    path("<int:pk>/verify/", views.person_verify, name="verify"),
    path("<int:pk>/<profile_kind:kind>/add/", profile_views.profile_item_add, name="profile_add"),
    path(
        "<int:pk>/<profile_kind:kind>/<int:item_pk>/remove/",
        profile_views.profile_item_delete,
        name="profile_remove",
    ),
]
