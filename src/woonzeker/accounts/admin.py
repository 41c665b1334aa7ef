"""The admin of accounts: functional administrators administer accounts, and cannot become anyone.

What was closed (issue #15): a functional administrator could set another user's password, delete their
authenticator and so sign in as them; and put itself into a corporation to read its cases. Now:

- no password is set here: the user is sent the forgotten-password e-mail ("send a link");
- a second factor is removed only when a second functional administrator approves the request of the
  first (``SecondFactorResetRequest``); the devices themselves are not in the admin;
- nobody changes their own organisation, role or permissions;
- an account one administrator created, moved to another organisation or role, gave another e-mail address or
  ticked active again, is inactive until another administrator activates it (four eyes: otherwise one
  administrator could make an account of its own in a corporation, set its first password and read that
  corporation's cases); an organisation with users keeps its kind;
- users are deactivated, never deleted.
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from woonzeker.accounts.models import USERS_ARE_NOT_DELETED, Role, SecondFactorResetRequest, User
from woonzeker.accounts.second_factor import (
    ResetRefused,
    approve_second_factor_reset,
    request_second_factor_reset,
)
from woonzeker.audit import services as audit
from woonzeker.audit.models import AuditAction


class FunctionalAdminOnly:
    """Model admin open to functional administrators, closed to everyone else."""

    def _allowed(self, request):
        user = request.user
        return user.is_active and (user.role == Role.FUNCTIONAL_ADMIN or user.is_superuser)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, *args):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


class AccountChangeForm(UserChangeForm):
    """The account without its password: the admin shows no hash and links to no form that sets one."""

    password = None


#: What nobody changes on their own account: where they work, what they may do.
OWN_ACCOUNT_READ_ONLY = ("organisation", "role", "is_active", "is_superuser", "groups", "user_permissions")


@admin.register(User)
class UserAdmin(FunctionalAdminOnly, BaseUserAdmin):
    form = AccountChangeForm
    list_display = ["username", "first_name", "last_name", "organisation", "role", "is_active", "awaiting_activation"]
    list_filter = ["role", "organisation__kind", "is_active"]
    # The organisation may be empty, so the admin's own select_related() would not follow it.
    list_select_related = ["organisation"]
    fieldsets = [
        (None, {"fields": ["username"]}),
        (gettext_lazy("Person"), {"fields": ["first_name", "last_name", "email", "language"]}),
        (
            gettext_lazy("Organisation and role"),
            {"fields": ["organisation", "role", "is_active", "awaiting_activation_by_other_than"]},
        ),
        (gettext_lazy("Second factor"), {"fields": ["second_factor"]}),
        (gettext_lazy("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "password1", "password2", "organisation", "role"]}),
    ]
    actions = ["send_password_link", "activate", "deactivate"]

    @admin.display(description=gettext_lazy("second factor set up"), boolean=True)
    def second_factor(self, obj):
        return user_has_device(obj)

    def get_readonly_fields(self, request, obj=None):
        fields = ["second_factor", "last_login", "date_joined", "awaiting_activation_by_other_than"]
        if obj is not None and obj.pk == request.user.pk:
            fields += OWN_ACCOUNT_READ_ONLY
        return fields

    def get_urls(self):
        # No "<id>/password/": the admin never sets a password (it sends the link instead).
        return [url for url in super().get_urls() if url.name != "auth_user_password_change"]

    def save_model(self, request, obj, form, change):
        stored = User.objects.get(pk=obj.pk) if change else None
        if change and obj.pk == request.user.pk:
            changed = [
                name
                for name in ("organisation_id", "role", "is_active", "is_superuser")
                if getattr(stored, name) != getattr(obj, name)
            ]
            if changed:
                raise PermissionDenied(_("Nobody changes their own organisation, role or permissions."))
        # Four eyes on who may read case files: a new account, one moved to another organisation or role, one given
        # another e-mail address (where a password link goes is who can take it) and a deactivated one ticked
        # active again (someone who left) wait, inactive, for another administrator's "activate".
        others = change and obj.pk != request.user.pk
        waits = (
            not change
            or (stored.organisation_id, stored.role) != (obj.organisation_id, obj.role)
            or (others and stored.email != obj.email)
            or (obj.is_active and not stored.is_active)
        )
        if waits:
            obj.is_active = False
            obj.awaiting_activation_by_other_than = request.user
        super().save_model(request, obj, form, change)
        if waits:
            self.message_user(
                request,
                _("%(user)s is inactive until another functional administrator activates the account.")
                % {"user": obj.username},
                messages.WARNING,
            )

    # Users are deactivated, never deleted.

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        return False

    def delete_view(self, request, object_id, extra_context=None):
        self.message_user(request, USERS_ARE_NOT_DELETED, messages.ERROR)
        return HttpResponseRedirect(reverse("admin:accounts_user_changelist"))

    @admin.action(description=gettext_lazy("Send a link to set a new password"))
    def send_password_link(self, request, queryset):
        from woonzeker.accounts.views import send_password_link

        sent, not_sent = [], []
        for user in queryset:
            (sent if send_password_link(user, request) else not_sent).append(user.username)
        if sent:
            self.message_user(
                request, _("A link to set a new password was e-mailed to: %(users)s.") % {"users": ", ".join(sent)}
            )
        if not_sent:
            self.message_user(
                request,
                _(
                    "No link was sent to: %(users)s (inactive, no e-mail address, no second factor set up yet, "
                    "or a link was sent a few minutes ago)."
                )
                % {"users": ", ".join(not_sent)},
                messages.WARNING,
            )

    @admin.display(description=gettext_lazy("awaiting activation"), boolean=True)
    def awaiting_activation(self, obj):
        return obj.awaiting_activation_by_other_than_id is not None

    @admin.action(description=gettext_lazy("Activate the selected users (another administrator's)"))
    def activate(self, request, queryset):
        """Four eyes: an account waiting since an administrator created or moved it is activated by another."""
        activated, refused = [], []
        for user in queryset.exclude(pk=request.user.pk).filter(is_active=False):
            if user.awaiting_activation_by_other_than_id == request.user.pk:
                refused.append(user.username)
                continue
            user.is_active = True
            user.awaiting_activation_by_other_than = None
            user.save(update_fields=["is_active", "awaiting_activation_by_other_than"])
            audit.record(request.user, AuditAction.CHANGE, f"admin: activated user {user.username}", request=request)
            activated.append(user.username)
        if activated:
            self.message_user(request, _("Activated: %(users)s.") % {"users": ", ".join(activated)})
        if refused:
            self.message_user(
                request,
                _(
                    "Not activated: %(users)s. You created or moved these accounts: another administrator "
                    "activates them."
                )
                % {"users": ", ".join(refused)},
                messages.ERROR,
            )

    @admin.action(description=gettext_lazy("Deactivate the selected users"))
    def deactivate(self, request, queryset):
        own = queryset.filter(pk=request.user.pk).exists()
        users = list(queryset.exclude(pk=request.user.pk).filter(is_active=True))
        for user in users:
            user.is_active = False
            user.save(update_fields=["is_active"])
            audit.record(request.user, AuditAction.CHANGE, f"admin: deactivated user {user.username}", request=request)
        self.message_user(
            request,
            ngettext("%(count)d user deactivated.", "%(count)d users deactivated.", len(users)) % {"count": len(users)},
        )
        if own:
            self.message_user(request, _("Your own account is not deactivated by yourself."), messages.WARNING)


# The second factor's devices are not in the admin: whoever could delete one could, with the user's password,
# sign in as them. A removal is requested by one functional administrator and approved by another.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(SecondFactorResetRequest)
class SecondFactorResetRequestAdmin(FunctionalAdminOnly, admin.ModelAdmin):
    list_display = ["user", "requested_by", "requested_at", "approved_by", "approved_at"]
    list_filter = [("approved_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "user__last_name"]
    fields = ["user", "reason", "requested_by", "requested_at", "approved_by", "approved_at"]
    readonly_fields = ["requested_by", "requested_at", "approved_by", "approved_at"]
    actions = ["approve"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False  # a request is not edited; it is approved (the action) or left

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            saved = request_second_factor_reset(request.user, obj.user, obj.reason, request=request)
        except ResetRefused as refused:
            raise PermissionDenied(str(refused)) from refused
        obj.pk = saved.pk
        obj.requested_by, obj.requested_at = saved.requested_by, saved.requested_at

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        administrator = request.user

        class RequestForm(form):
            def clean_user(self):
                user = self.cleaned_data["user"]
                if user.pk == administrator.pk:
                    raise ValidationError(
                        _("Nobody removes their own second factor; ask another functional administrator.")
                    )
                return user

        return RequestForm

    @admin.action(description=gettext_lazy("Approve: remove the second factor"))
    def approve(self, request, queryset):
        for reset in queryset:
            try:
                approve_second_factor_reset(request.user, reset, request=request)
            except ResetRefused as refused:
                self.message_user(request, f"{reset.user.username}: {refused}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("The second factor of %(user)s is removed; they set up a new app at the next sign-in.")
                    % {"user": reset.user.username},
                )


# Groups and permissions are not how anyone here gets to do something (the role decides): not in the admin,
# so nobody grants themselves anything through them.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


# Blocked sign-ins (django-axes): the functional administrator sees them and may lift one early by deleting it.
if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LockoutAdmin(FunctionalAdminOnly, AccessAttemptAdmin):
    """A username without an account is text someone typed, often a password in the wrong field: it is shown
    as its first three characters and length, as in the audit trail; the form data is not shown."""

    fieldsets = (
        (None, {"fields": ("account", "path_info", "failures_since_start", "expiration")}),
        (gettext_lazy("Meta data"), {"fields": ("user_agent", "ip_address")}),
    )
    readonly_fields = ["account", "user_agent", "ip_address", "path_info", "failures_since_start", "expiration"]
    search_fields = ["ip_address"]

    def get_list_display(self, request):
        return ["account" if name == "username" else name for name in super().get_list_display(request)]

    @admin.display(description=gettext_lazy("user"))
    def account(self, obj):
        typed = obj.username or ""
        if User.objects.filter(username=typed).exists():
            return typed
        return f"{typed[:3]}… ({len(typed)})" if typed else "—"

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False
