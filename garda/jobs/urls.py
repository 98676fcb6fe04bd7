"""Page routes of the jobs app, one block per part (views/)."""

from django.urls import path

from garda.jobs.views import (
    applications,
    card,
    matching,
    orders,
    orientation,
    parties,
    placement,
    public,
    register,
)

app_name = "jobs"

urlpatterns = [
    # public: the vacancy board, "is this agency licensed?", "is this job real?"
    path("", public.vacancy_list, name="vacancies"),
    path("<int:pk>/", public.vacancy_detail, name="vacancy"),
    path("agencies/", public.agency_lookup, name="agency_lookup"),
    path("agencies/<int:pk>/", public.agency_public, name="agency_public"),
    path("check/", public.job_check, name="job_check"),
    # job orders: recruiters (their company's), officers (verify), supervisors, admins
    path("orders/", orders.order_list, name="order_list"),
    path("orders/new/", orders.order_create, name="order_create"),
    path("orders/<int:pk>/", orders.order_detail, name="order_detail"),
    path("orders/<int:pk>/edit/", orders.order_edit, name="order_edit"),
    path("orders/<int:pk>/submit/", orders.order_submit, name="order_submit"),
    path("orders/<int:pk>/verify/", orders.order_verify, name="order_verify"),
    path("orders/<int:pk>/reject/", orders.order_reject, name="order_reject"),
    path("orders/<int:pk>/close/", orders.order_close, name="order_close"),
    path("orders/<int:pk>/cancel/", orders.order_cancel, name="order_cancel"),
    # applications (issue 15): the worker's, an order's, one application, the moves
    path("<int:pk>/apply/", applications.application_apply, name="application_apply"),
    path("my-applications/", applications.my_applications, name="my_applications"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/move/", applications.application_move, name="application_move"),
    path(
        "applications/<int:pk>/withdraw/",
        applications.application_withdraw,
        name="application_withdraw",
    ),
    path("applications/<int:pk>/accept/", applications.nomination_accept, name="nomination_accept"),
    path(
        "applications/<int:pk>/decline/", applications.nomination_decline, name="nomination_decline"
    ),
    path(
        "orders/<int:pk>/applications/",
        applications.order_applications,
        name="order_applications",
    ),
    path(
        "orders/<int:pk>/nominate/", applications.application_nominate, name="application_nominate"
    ),
    # matching: an order's candidates (officers), the worker's own matches
    path("orders/<int:pk>/candidates/", matching.order_candidates, name="order_candidates"),
    path("my-matches/", matching.my_matches, name="my_matches"),
    # employers, foreign partners, the problematic list
    path("employers/", parties.employer_list, name="employer_list"),
    path("employers/new/", parties.employer_create, name="employer_create"),
    path("employers/<int:pk>/", parties.employer_edit, name="employer_edit"),
    path("partners/", parties.partner_list, name="partner_list"),
    path("partners/new/", parties.partner_create, name="partner_create"),
    path("partners/<int:pk>/", parties.partner_edit, name="partner_edit"),
    path("listings/", parties.listing_list, name="listing_list"),
    path("listings/new/", parties.listing_create, name="listing_create"),
    path("listings/<int:pk>/delist/", parties.listing_delist, name="listing_delist"),
    # the licence register (admins)
    path("register/", register.register_list, name="register_list"),
    path("register/new/", register.agency_create, name="agency_create"),
    path("register/load/", register.register_load, name="register_load"),
    path("register/<int:pk>/", register.agency_manage, name="agency_manage"),
    path("register/<int:pk>/status/", register.agency_status, name="agency_status"),
    path("register/<int:pk>/branches/", register.branch_add, name="branch_add"),
    path("register/branches/<int:pk>/remove/", register.branch_remove, name="branch_remove"),
    path("register/<int:pk>/staff/", register.recruiter_add, name="recruiter_add"),
    path("register/staff/<int:pk>/remove/", register.recruiter_remove, name="recruiter_remove"),
    # placement and departure (docs/placement.md)
    path("card/<str:code>/", card.card_public, name="card"),
    path("placements/", placement.placement_list, name="placement_list"),
    path("placements/export.csv", placement.placement_export, name="placement_export"),
    path("placements/<int:pk>/", placement.placement_detail, name="placement_detail"),
    path(
        "placements/<int:pk>/<slug:section>/save/",
        placement.placement_section,
        name="placement_section",
    ),
    path("placements/<int:pk>/reveal/", placement.placement_reveal, name="placement_reveal"),
    path("placements/<int:pk>/depart/", placement.placement_depart, name="placement_depart"),
    path("placements/<int:pk>/arrive/", placement.placement_arrive, name="placement_arrive"),
    path("placements/<int:pk>/cancel/", placement.placement_cancel, name="placement_cancel"),
    path("placements/<int:pk>/card.pdf", card.card_download, name="placement_card"),
    path(
        "applications/<int:pk>/placement/",
        placement.placement_create,
        name="placement_create",
    ),
    path("departures/", placement.departures, name="departures"),
    path("orientation/", orientation.session_list, name="orientation_list"),
    path("orientation/new/", orientation.session_create, name="orientation_create"),
    path("orientation/<int:pk>/", orientation.session_detail, name="orientation_detail"),
    path("orientation/<int:pk>/delete/", orientation.session_delete, name="orientation_delete"),
]
