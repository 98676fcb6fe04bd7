from django.urls import path, re_path, register_converter

from garda.people import access_log
from garda.people.views import consents, duplicates, family, imports, profile, registry

app_name = "people"
register_converter(profile.ProfileKind, "profile_kind")

urlpatterns = [
    path("", registry.person_list, name="list"),
    path("new/", registry.person_create, name="register"),
    path("me/", registry.my_profile, name="me"),
    path("me/access/", access_log.my_access_log, name="my_access_log"),
    path("me/consents/", consents.my_consents, name="my_consents"),
    path("me/consents/new/", consents.my_consent_new, name="my_consent_new"),
    path(
        "me/consents/<int:consent_pk>/withdraw/",
        consents.my_consent_withdraw,
        name="my_consent_withdraw",
    ),
    path("me/family/", family.my_family, name="my_family"),
    path("me/family/new/", family.my_family_new, name="my_family_new"),
    path("me/family/<int:contact_pk>/edit/", family.my_family_edit, name="my_family_edit"),
    path("me/family/<int:contact_pk>/remove/", family.my_family_remove, name="my_family_remove"),
    path("nik/", registry.nik_check, name="nik_check"),
    path("import/", imports.import_home, name="import"),
    re_path(
        r"^import/template\.(?P<fmt>csv|xlsx)$",
        imports.import_template,
        name="import_template",
    ),
    path("import/<int:pk>/", imports.import_detail, name="import_detail"),
    path("import/<int:pk>/commit/", imports.import_commit, name="import_commit"),
    path("import/<int:pk>/errors.csv", imports.import_errors, name="import_errors"),
    path("duplicates/", duplicates.duplicate_queue, name="duplicates"),
    path(
        "duplicates/<int:pk>/decision/",
        duplicates.duplicate_decision,
        name="duplicate_decision",
    ),
    path("<int:pk>/", registry.person_detail, name="detail"),
    path("<int:pk>/edit/", registry.person_edit, name="edit"),
    path("<int:pk>/identity/", registry.person_reveal, name="reveal"),
    path("<int:pk>/identity-check/", registry.person_identity_check, name="identity_check"),
    path("<int:pk>/status/", registry.person_status, name="status"),
    path("<int:pk>/verify/", registry.person_verify, name="verify"),
    path("<int:pk>/consents/", consents.person_consents, name="consents"),
    path("<int:pk>/consents/new/", consents.consent_new, name="consent_new"),
    path(
        "<int:pk>/consents/<int:consent_pk>/withdraw/",
        consents.consent_withdraw_view,
        name="consent_withdraw",
    ),
    path("<int:pk>/family/", family.person_family, name="family"),
    path("<int:pk>/family/new/", family.family_new, name="family_new"),
    path("<int:pk>/family/<int:contact_pk>/edit/", family.family_edit, name="family_edit"),
    path("<int:pk>/family/<int:contact_pk>/remove/", family.family_remove, name="family_remove"),
    path("<int:pk>/<profile_kind:kind>/add/", profile.profile_item_add, name="profile_add"),
    path(
        "<int:pk>/<profile_kind:kind>/<int:item_pk>/remove/",
        profile.profile_item_delete,
        name="profile_remove",
    ),
]
