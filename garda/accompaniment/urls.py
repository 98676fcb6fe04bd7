from django.urls import path

from garda.accompaniment import my_views, views, work_views

app_name = "accompaniment"

urlpatterns = [
    path("", work_views.worklist_page, name="worklist"),
    path("workload/", work_views.workload_page, name="workload"),
    path("reassign/", work_views.reassign, name="reassign"),
    path("me/", my_views.mine, name="mine"),
    path("me/summary.pdf", my_views.my_summary_pdf, name="my_summary_pdf"),
    path("people/<int:pk>/", views.person_page, name="person"),
    path("people/<int:pk>/timeline/", views.timeline, name="timeline"),
    path("people/<int:pk>/officers/", views.assignment_add_view, name="assignment_add"),
    path(
        "people/<int:pk>/officers/<int:officer_pk>/remove/",
        views.assignment_remove_view,
        name="assignment_remove",
    ),
    path("people/<int:pk>/tasks/", views.task_create_view, name="task_create"),
    path("people/<int:pk>/contacts/", views.contact_log_view, name="contact_log"),
    path("people/<int:pk>/summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("tasks/<int:pk>/complete/", views.task_complete_view, name="task_complete"),
    path("tasks/<int:pk>/cancel/", views.task_cancel_view, name="task_cancel"),
    path("tasks/<int:pk>/reschedule/", views.task_reschedule_view, name="task_reschedule"),
]
