"""The rules' pages: public destination facts, and the admins' rules pages under
manage/ (URL names prefixed rules_)."""

from django.urls import path, re_path

from garda.destinations import views_admin, views_public

# Upper-case ISO codes only, so that lower-case paths of the readiness pages
# (e.g. "me/") never read as a country.
CODE = r"(?P<code>[A-Z]{2})"

urlpatterns = [
    path("", views_public.destination_index, name="destination_index"),
    path("manage/", views_admin.destination_list, name="rules_destinations"),
    path("manage/requirement-sets/", views_admin.requirement_set_list, name="rules_sets"),
    path(
        "manage/requirement-sets/new/",
        views_admin.requirement_set_create_view,
        name="rules_set_create",
    ),
    path(
        "manage/requirement-sets/<int:pk>/",
        views_admin.requirement_set_detail,
        name="rules_set",
    ),
    path(
        "manage/requirement-sets/<int:pk>/revise/",
        views_admin.requirement_set_revise_view,
        name="rules_set_revise",
    ),
    re_path(rf"^manage/{CODE}/$", views_admin.destination_admin_detail, name="rules_destination"),
    re_path(rf"^manage/{CODE}/edit/$", views_admin.destination_edit, name="rules_destination_edit"),
    re_path(rf"^manage/{CODE}/rules/$", views_admin.sector_rule_list, name="rules_sector_rules"),
    re_path(
        rf"^manage/{CODE}/rules/add/$",
        views_admin.sector_rule_add_view,
        name="rules_sector_rule_add",
    ),
    re_path(rf"^{CODE}/$", views_public.destination_detail, name="destination_detail"),
]
