"""The door: the code after the password, setting up an authenticator app, backup codes, lockout."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, PasswordResetConfirmView, PasswordResetView
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import user_has_device

from woonzeker.accounts.forms import CodeForm, ForgottenPasswordForm, NewPasswordForm
from woonzeker.accounts.second_factor import (
    base32_secret,
    new_backup_codes,
    qr_code_svg,
    second_factor_done,
    unconfirmed_totp_device,
)
from woonzeker.audit import services as audit
from woonzeker.audit.models import AuditAction
from woonzeker.audit.signals import record_failed_code


class SignInView(LoginView):
    """Username and password (or, when configured, the organisation's identity provider); the code follows."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        context["oidc_login_label"] = settings.OIDC_LOGIN_LABEL or _("Sign in with your organisation's account")
        context["idp_refused"] = "idp" in self.request.GET
        return context


class ForgottenPasswordView(PasswordResetView):
    """Forgotten password: a link by e-mail. Signing in afterwards still asks for the second factor."""

    form_class = ForgottenPasswordForm
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"


def send_password_link(user, request):
    """The forgotten-password e-mail, sent to ``user`` at its functional administrator's request (the admin
    never sets a password). The same form, link, rules and interval as "Wachtwoord vergeten?"; whether a
    link went out (not to an inactive account, one without an address or without its second factor set up,
    nor twice within ``PASSWORD_RESET_MAIL_INTERVAL``)."""
    form = ForgottenPasswordForm({"email": user.email}, account=user)
    if not user.email or not form.is_valid():
        return False
    view = ForgottenPasswordView()
    view.setup(request)
    view.form_valid(form)
    return bool(form.sent_to)


class NewPasswordView(PasswordResetConfirmView):
    """The link's page: a new password. The link works once; every session of the account ends."""

    form_class = NewPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(form.user, AuditAction.CHANGE, "password set through a reset link", request=self.request)
        return response


def _next(request):
    """Where to go after the door: the page asked for, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@never_cache
@login_required
def verify(request):
    """The second step of signing in: a code from the app, or a backup code."""
    if second_factor_done(request):
        return HttpResponseRedirect(_next(request))
    if not user_has_device(request.user):
        return redirect("accounts:enrol")
    form = CodeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        request.session.cycle_key()  # a new session id once the second factor is passed
        return HttpResponseRedirect(_next(request))
    if form.has_error("code", "invalid"):
        record_failed_code(request.user, request)
    return render(
        request, "accounts/verify.html", {"form": form, "next": _next(request)}, status=400 if form.errors else 200
    )


@never_cache
@login_required
def enrol(request):
    """Set up an authenticator app: scan the QR code (or type the secret), confirm with a first code."""
    if user_has_device(request.user) and not second_factor_done(request):
        return redirect("accounts:verify")
    device = unconfirmed_totp_device(request.user)
    form = CodeForm(request.POST or None, user=request.user, devices=[device])
    form.fields["code"].help_text = _("The six digits your authenticator app shows now.")
    if request.method == "POST" and form.is_valid():
        device = form.device
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        request.session.cycle_key()
        codes = new_backup_codes(request.user)
        audit.record(request.user, AuditAction.CHANGE, "second factor: authenticator app set up", request=request)
        return render(request, "accounts/backup_codes.html", {"codes": codes, "next": _next(request)})
    context = {
        "form": form,
        "qr_code": qr_code_svg(device),
        "secret": base32_secret(device),
        "next": _next(request),
    }
    if form.has_error("code", "invalid"):
        record_failed_code(request.user, request)
    return render(request, "accounts/enrol.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
def backup_codes(request):
    """New backup codes (the old ones stop working); only after the second factor was passed."""
    if not second_factor_done(request):
        return redirect("accounts:verify")
    if request.method != "POST":
        return render(request, "accounts/backup_codes_new.html")
    codes = new_backup_codes(request.user)
    audit.record(request.user, AuditAction.CHANGE, "second factor: new backup codes", request=request)
    messages.success(request, _("Your new backup codes are below; the old ones no longer work."))
    return render(
        request, "accounts/backup_codes.html", {"codes": codes, "next": resolve_url(settings.LOGIN_REDIRECT_URL)}
    )


def locked_out(request, credentials, *args, **kwargs):
    """What django-axes shows after too many failed sign-ins: the sign-in page with the reason."""
    from django.contrib.auth.forms import AuthenticationForm

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"form": AuthenticationForm(request), "locked_out": True, "cooloff_minutes": minutes}
    return render(request, "registration/login.html", context, status=429)
