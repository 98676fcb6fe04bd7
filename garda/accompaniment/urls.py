from django.urls import path

from garda.accompaniment.views import mine, person, worklist

app_name = "accompaniment"

urlpatterns = [
    path("", worklist.worklist_page, name="worklist"),
    path("workload/", worklist.workload_page, name="workload"),
    path("reassign/", worklist.reassign, name="reassign"),
    path("me/", mine.mine, name="mine"),
    path("me/summary.pdf", mine.my_summary_pdf, name="my_summary_pdf"),
    path("people/<int:pk>/", person.person_page, name="person"),
    path("people/<int:pk>/timeline/", person.timeline, name="timeline"),
    path("people/<int:pk>/officers/", person.assignment_add_view, name="assignment_add"),
    path(
        "people/<int:pk>/officers/<int:officer_pk>/remove/",
        person.assignment_remove_view,
        name="assignment_remove",
    ),
    path("people/<int:pk>/tasks/", person.task_create_view, name="task_create"),
    path("people/<int:pk>/contacts/", person.contact_log_view, name="contact_log"),
    path("people/<int:pk>/summary.pdf", person.summary_pdf, name="summary_pdf"),
    path("tasks/<int:pk>/complete/", person.task_complete_view, name="task_complete"),
    path("tasks/<int:pk>/cancel/", person.task_cancel_view, name="task_cancel"),
    path("tasks/<int:pk>/reschedule/", person.task_reschedule_view, name="task_reschedule"),
]
