"""Training routes (namespace "training"), one block per part of the app: the public
catalogue and enrolment, the trainer's classroom, certificates (with the public
verification address in a certificate's QR code), and insight (recommendations and
outcomes)."""

from django.urls import path

from garda.training.views import catalogue, certificates, classroom, insight

app_name = "training"

urlpatterns = [
    # --- catalogue ---
    path("", catalogue.catalogue, name="catalogue"),
    path("courses/<slug:code>/", catalogue.course_detail, name="course"),
    path("batches/<int:pk>/", catalogue.batch_detail, name="batch"),
    path("batches/<int:pk>/enrol/", catalogue.enrol, name="enrol"),
    path("batches/<int:pk>/enrol-person/", catalogue.enrol_person, name="enrol_person"),
    path("me/", catalogue.my_training, name="my_training"),
    path("enrolments/<int:pk>/withdraw/", catalogue.withdraw, name="withdraw"),
    # --- classroom ---
    path("teach/", classroom.teach, name="teach"),
    path("batches/new/", classroom.batch_new, name="batch_new"),
    path("batches/<int:pk>/edit/", classroom.batch_edit, name="batch_edit"),
    path("batches/<int:pk>/cancel/", classroom.batch_cancel_view, name="batch_cancel"),
    path("batches/<int:pk>/roster/", classroom.roster, name="roster"),
    path(
        "batches/<int:pk>/sessions/<int:number>/attendance/",
        classroom.attendance,
        name="attendance",
    ),
    path(
        "batches/<int:pk>/units/<int:unit_pk>/assessments/",
        classroom.assessments,
        name="assessments",
    ),
    path("batches/<int:pk>/close/", classroom.batch_close_view, name="batch_close"),
    path("enrolments/<int:pk>/no-show/", classroom.no_show, name="no_show"),
    # --- certificates ---
    # Public: the URL in the QR code of a printed certificate.
    path("verify/<str:code>/", certificates.verify, name="verify"),
    # Public: check by the number printed on a certificate and the holder's birth date.
    path("certificates/check/", certificates.check, name="certificate_check"),
    path("certificates/mine/", certificates.my_certificates, name="my_certificates"),
    path("certificates/<int:pk>/", certificates.certificate_detail, name="certificate"),
    path("certificates/<int:pk>/pdf/", certificates.certificate_pdf_view, name="certificate_pdf"),
    path(
        "certificates/<int:pk>/revoke/",
        certificates.certificate_revoke_view,
        name="certificate_revoke",
    ),
    path(
        "people/<int:pk>/certificates/",
        certificates.person_certificates,
        name="person_certificates",
    ),
    path("people/<int:pk>/certificates/new/", certificates.record_external, name="record_external"),
    # --- insight ---
    path("recommendations/", insight.my_recommendations, name="my_recommendations"),
    path(
        "people/<int:pk>/recommendations/",
        insight.person_recommendations,
        name="person_recommendations",
    ),
    path("outcomes/", insight.outcomes_page, name="outcomes"),
    path("outcomes/export/", insight.outcomes_export, name="outcomes_export"),
]
