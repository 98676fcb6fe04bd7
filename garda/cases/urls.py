"""Page routes of the cases app, one block per part (views/)."""

from django.urls import path

from garda.cases.views import (
    dashboard,
    evacuations,
    handling,
    mine,
    public,
    repatriation,
    staff,
    transfers,
)

app_name = "cases"

urlpatterns = [
    # public: report without an account, follow it with number + secret
    path("report/", public.report, name="report"),
    path("track/", public.track, name="track"),
    # staff: the list (worklist and intake queue), intake, one case and its actions
    path("", staff.case_list, name="list"),
    path("new/", staff.case_create, name="create"),
    path("<int:pk>/", staff.case_detail, name="detail"),
    path("<int:pk>/move/", handling.move, name="move"),
    path("<int:pk>/assign/", handling.assign, name="assign"),
    path("<int:pk>/severity/", handling.severity, name="severity"),
    path("<int:pk>/reopen/", handling.reopen, name="reopen"),
    path("<int:pk>/duplicate/", handling.duplicate, name="duplicate"),
    path("<int:pk>/person/", handling.link_person, name="link_person"),
    path("<int:pk>/notes/", handling.note_add, name="note_add"),
    path("<int:pk>/tasks/", handling.task_add, name="task_add"),
    path("tasks/<int:pk>/done/", handling.task_done, name="task_done"),
    path("<int:pk>/services/", handling.service_add, name="service_add"),
    path("services/<int:pk>/done/", handling.service_done, name="service_done"),
    path("<int:pk>/screening/", handling.screening, name="screening"),
    path("<int:pk>/documents/", handling.document_add, name="document_add"),
    path("documents/<int:pk>/", staff.document, name="document"),
    path("approvals/<int:pk>/", handling.approval_decide, name="approval_decide"),
    # transfers: to another agency (offer, request, answers) and the old owner's trail
    path("<int:pk>/transfer/", transfers.offer, name="transfer_offer"),
    path("transfers/", transfers.inbox, name="transfers"),
    path("transfers/request/", transfers.ask, name="transfer_request"),
    path("transfers/<int:pk>/accept/", transfers.accept, name="transfer_accept"),
    path("transfers/<int:pk>/decline/", transfers.decline, name="transfer_decline"),
    path("transfers/<int:pk>/cancel/", transfers.cancel, name="transfer_cancel"),
    path("<int:pk>/trail/", transfers.trail, name="trail"),
    # repatriation: started from a case, its steps, travel, signed statements and their PDF
    path("<int:pk>/repatriations/", repatriation.start, name="repatriation_start"),
    path("repatriations/<int:pk>/", repatriation.detail, name="repatriation"),
    path("repatriations/<int:pk>/travel/", repatriation.travel, name="repatriation_travel"),
    path("repatriations/<int:pk>/cancel/", repatriation.cancel, name="repatriation_cancel"),
    path(
        "repatriations/<int:pk>/statements/<str:kind>/",
        repatriation.statement,
        name="repatriation_statement",
    ),
    path(
        "repatriation-steps/<int:pk>/done/", repatriation.step_done, name="repatriation_step_done"
    ),
    path(
        "repatriation-steps/<int:pk>/not-needed/",
        repatriation.step_not_needed,
        name="repatriation_step_not_needed",
    ),
    path(
        "repatriation-statements/<int:pk>/pdf/",
        repatriation.statement_pdf,
        name="repatriation_statement_pdf",
    ),
    # dashboard: cases by kind, stage, severity, owner and clock
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    # evacuations and arrivals
    path("evacuations/", evacuations.evacuation_list, name="evacuations"),
    path("evacuations/new/", evacuations.evacuation_create, name="evacuation_create"),
    path("evacuations/<int:pk>/", evacuations.evacuation_detail, name="evacuation"),
    path("evacuations/<int:pk>/people/", evacuations.people_add, name="evacuation_people"),
    path("evacuations/<int:pk>/bulk/", evacuations.bulk, name="evacuation_bulk"),
    path("evacuations/<int:pk>/close/", evacuations.close, name="evacuation_close"),
    path("evacuations/<int:pk>/flights/", evacuations.flights, name="evacuation_flights"),
    path(
        "evacuations/<int:pk>/flights.pdf",
        evacuations.flights_pdf,
        name="evacuation_flights_pdf",
    ),
    path("arrivals/", evacuations.arrivals_board, name="arrivals"),
    path("arrivals.pdf", evacuations.arrivals_pdf, name="arrivals_pdf"),
    # the worker: their own cases (about them, or reported by them)
    path("mine/", mine.mine, name="mine"),
    path("mine/new/", mine.report, name="mine_report"),
    path("mine/<int:pk>/", mine.detail, name="mine_detail"),
    path("mine/<int:pk>/message/", mine.message, name="mine_message"),
    path("mine/<int:pk>/documents/", mine.document_add, name="mine_document_add"),
]
