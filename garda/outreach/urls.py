"""Page routes of the outreach app, one block per part (views/)."""

from django.urls import path

from garda.outreach.views import announcements, events, funnel, public

app_name = "outreach"

urlpatterns: list = [
    # events: staff
    path("events/", events.event_list, name="event_list"),
    path("events/new/", events.event_new, name="event_new"),
    path("events/<int:pk>/", events.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", events.event_edit, name="event_edit"),
    path("events/<int:pk>/status/", events.event_status, name="event_status"),
    path("events/<int:pk>/attendance/", events.attendance, name="attendance"),
    path("events/<int:pk>/attendance.csv", events.attendance_csv, name="attendance_csv"),
    path("events/<int:pk>/check-in/", events.check_in, name="check_in"),
    path("events/<int:pk>/walk-in/", events.walk_in, name="walk_in"),
    # funnel
    path("events/<int:pk>/funnel/", funnel.event_funnel_page, name="event_funnel"),
    path("funnel/", funnel.overview, name="funnel"),
    # announcements: publishing
    path("announcements/new/", announcements.announcement_new, name="announcement_new"),
    # public and workers
    path("", public.events, name="public_events"),
    path("e/<int:pk>/", public.event, name="public_event"),
    path("registrations/<str:token>/", public.confirmation, name="confirmation"),
    path("announcements/", public.announcements, name="announcements"),
    path("subscription/", public.subscription, name="subscription"),
]
