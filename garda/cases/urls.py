"""Page routes of the cases app, one block per part (views/)."""

from django.urls import path

from garda.cases.views import dashboard, handling, mine, public, staff

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
    # dashboard: cases by kind, stage, severity, owner and clock
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    # the worker: their own cases (about them, or reported by them)
    path("mine/", mine.mine, name="mine"),
    path("mine/new/", mine.report, name="mine_report"),
    path("mine/<int:pk>/", mine.detail, name="mine_detail"),
    path("mine/<int:pk>/message/", mine.message, name="mine_message"),
    path("mine/<int:pk>/documents/", mine.document_add, name="mine_document_add"),
]
