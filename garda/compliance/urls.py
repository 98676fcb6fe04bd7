"""Page routes of the compliance app, one block per part (views/)."""

from django.urls import path

from garda.compliance.views import holds, incidents, retention

app_name = "compliance"

urlpatterns = [
    # retention: the rules and what is past its time (admins)
    path("retention/", retention.rules, name="retention"),
    # legal holds (supervisors, admins)
    path("holds/", holds.hold_list, name="holds"),
    path("holds/<int:pk>/lift/", holds.hold_lift_view, name="hold_lift"),
    # the incident register (admins)
    path("incidents/", incidents.incident_list, name="incidents"),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident"),
    path("incidents/<int:pk>/persons/", incidents.incident_search, name="incident_search"),
    path("incidents/<int:pk>/notify/", incidents.incident_notify, name="incident_notify"),
    path("incidents/<int:pk>/authority/", incidents.incident_authority, name="incident_authority"),
]
