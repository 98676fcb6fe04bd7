"""Destination routes (namespace "destinations"): the public destination facts, the
admins' rules pages under manage/ (URL names prefixed rules_), and readiness (a
worker's own under readiness/, an officer's for a person under people/<pk>/)."""

from django.urls import path, re_path

from garda.destinations.views import manage, public, readiness

app_name = "destinations"

# Upper-case ISO codes only, so that lower-case paths of the readiness pages
# (e.g. "me/") never read as a country.
CODE = r"(?P<code>[A-Z]{2})"

urlpatterns = [
    # --- public facts and the rules pages ---
    path("", public.destination_index, name="destination_index"),
    path("manage/", manage.destination_list, name="rules_destinations"),
    path("manage/requirement-sets/", manage.requirement_set_list, name="rules_sets"),
    path(
        "manage/requirement-sets/new/",
        manage.requirement_set_create_view,
        name="rules_set_create",
    ),
    path(
        "manage/requirement-sets/<int:pk>/",
        manage.requirement_set_detail,
        name="rules_set",
    ),
    path(
        "manage/requirement-sets/<int:pk>/revise/",
        manage.requirement_set_revise_view,
        name="rules_set_revise",
    ),
    re_path(rf"^manage/{CODE}/$", manage.destination_admin_detail, name="rules_destination"),
    re_path(rf"^manage/{CODE}/edit/$", manage.destination_edit, name="rules_destination_edit"),
    re_path(rf"^manage/{CODE}/rules/$", manage.sector_rule_list, name="rules_sector_rules"),
    re_path(
        rf"^manage/{CODE}/rules/add/$",
        manage.sector_rule_add_view,
        name="rules_sector_rule_add",
    ),
    re_path(rf"^{CODE}/$", public.destination_detail, name="destination_detail"),
    # --- readiness ---
    path("readiness/", readiness.my_readiness, name="my_readiness"),
    path("readiness/plan/", readiness.my_plan, name="my_plan"),
    path("people/<int:pk>/readiness/", readiness.person_readiness, name="person_readiness"),
    path("people/<int:pk>/plan/", readiness.person_plan, name="person_plan"),
]
