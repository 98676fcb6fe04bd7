from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from garda.accounts.forms import AuditedPasswordChangeForm, AuditedSetPasswordForm
from garda.accounts.views import account, notifications, signup

app_name = "accounts"

urlpatterns = [
    path("login/", account.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", signup.signup, name="signup"),
    path("signup/again/", signup.signup_resend, name="signup_resend"),
    path("signup/confirm/<str:token>/", signup.signup_confirm, name="signup_confirm"),
    path("", account.account, name="account"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/form_page.html",
            form_class=AuditedPasswordChangeForm,
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/message_page.html"),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/form_page.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/message_page.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/form_page.html",
            form_class=AuditedSetPasswordForm,
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/message_page.html"),
        name="password_reset_complete",
    ),
    path("2fa/setup/", account.two_factor_setup, name="2fa_setup"),
    path("2fa/verify/", account.two_factor_verify, name="2fa_verify"),
    path("2fa/recovery-codes/", account.recovery_codes_regenerate, name="recovery_codes"),
    path("agencies/", account.agency_list, name="agency_list"),
    path("agencies/<int:pk>/", account.agency_detail, name="agency_detail"),
    path("notifications/", notifications.inbox, name="notifications"),
    path(
        "notifications/<int:pk>/read/",
        notifications.mark_read,
        name="notification_read",
    ),
    path(
        "notifications/read-all/",
        notifications.mark_all_read,
        name="notifications_read_all",
    ),
]
