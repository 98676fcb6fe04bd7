"""Page routes of the referrals app: the flow (views/pages.py), the per-agency
dashboard (views/dashboard.py) and the printable letter (views/letter.py)."""

from django.urls import path

from garda.referrals.views import dashboard, letter, pages

app_name = "referrals"

urlpatterns = [
    path("", pages.referral_list, name="list"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("case/<int:case_pk>/new/", pages.referral_create, name="create"),
    path("<int:pk>/", pages.referral_detail, name="detail"),
    path("<int:pk>/accept/", pages.referral_accept, name="accept"),
    path("<int:pk>/decline/", pages.referral_decline, name="decline"),
    path("<int:pk>/report/", pages.referral_report, name="report"),
    path("<int:pk>/close/", pages.referral_close, name="close"),
    path("<int:pk>/cancel/", pages.referral_cancel, name="cancel"),
    path("<int:pk>/letter.pdf", letter.letter_pdf, name="letter_pdf"),
]
