"""The admin screen for users, agencies and API tokens. Saves go through services,
so the admin writes the same audit rows as every other path."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from garda.accounts import roles, services
from garda.accounts.models import Agency, ApiToken, User

admin.site.site_header = _("Garda administration")
admin.site.site_title = "Garda"
admin.site.unregister(Group)  # roles are fixed groups, created by a migration


class UserAdminForm(forms.ModelForm):
    role = forms.ChoiceField(label=_("Role"), choices=roles.CHOICES)
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        widget=forms.PasswordInput,
        help_text=_("Only for a new account; users change it themselves afterwards."),
    )

    class Meta:
        model = User
        fields = ["email", "full_name", "phone", "agency", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["role"].initial = self.instance.role
            self.fields["email"].disabled = True
            self.fields.pop("password", None)
        else:
            self.fields["password"].required = True

    current_user: User | None = None  # set per request by UserAdmin.get_form

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if not self.instance.pk and others.exists():
            raise forms.ValidationError(_("An account with this e-mail already exists."))
        return email

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role in services.ROLES_NEEDING_AGENCY and not data.get("agency"):
            self.add_error("agency", _("This role requires an agency."))
        editing_self = self.current_user is not None and self.instance.pk == self.current_user.pk
        if editing_self and (not data.get("is_active", True) or role != self.current_user.role):
            raise forms.ValidationError(
                _("You cannot deactivate yourself or change your own role.")
            )
        if not self.instance.pk and data.get("password"):
            probe = User(email=data.get("email", ""), full_name=data.get("full_name", ""))
            try:
                validate_password(data["password"], probe)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    form = UserAdminForm
    list_display = ["email", "full_name", "role_label", "agency", "is_active", "last_login"]
    list_filter = ["groups", "agency", "is_active"]
    search_fields = ["email", "full_name"]
    list_select_related = ["agency"]
    ordering = ["email"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.current_user = request.user
        return form

    def get_fields(self, request, obj=None):
        fields = ["email", "full_name", "phone", "agency", "role", "is_active"]
        return fields if obj else [*fields, "password"]

    @admin.display(description=_("Role"))
    def role_label(self, obj):
        return obj.role_label

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Opening an account's page shows personal data (name, e-mail, phone).
        if request.method == "GET" and object_id and object_id.isdigit():
            from garda.audit.models import AuditEvent
            from garda.audit.services import audit_record

            if self.get_queryset(request).filter(pk=object_id).exists():
                audit_record(
                    actor=request.user,
                    action=AuditEvent.Action.VIEW,
                    object_type="accounts.user",
                    object_id=object_id,
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.user_update(
                actor=request.user,
                user=obj,
                role=data["role"],
                agency=data.get("agency"),
                full_name=data.get("full_name", ""),
                phone=data.get("phone", ""),
                is_active=data.get("is_active", True),
            )
        else:
            created = services.user_create(
                actor=request.user,
                email=data["email"],
                password=data["password"],
                role=data["role"],
                agency=data.get("agency"),
                full_name=data.get("full_name", ""),
                phone=data.get("phone", ""),
            )
            obj.pk = created.pk

    def save_related(self, request, form, formsets, change):
        pass  # the role (group) is set by the service

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: the audit trail keeps pointing at the user


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "kind", "region", "country", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = []
    raw_id_fields = ["region"]
    list_select_related = ["region", "country"]

    def save_model(self, request, obj, form, change):
        services.agency_save(actor=request.user, agency=obj, changed_fields=list(form.changed_data))

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["key_prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "key_prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # tokens are made by `garda create_api_token`, which shows the key once

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke selected tokens"), permissions=["view"])
    def revoke(self, request, queryset):
        for token in queryset:
            services.api_token_revoke(actor=request.user, token=token)
        messages.success(request, _("Tokens revoked."))
