"""The forms of the door: the code after the password, a forgotten password."""

import logging

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device

from woonzeker.accounts.authorization import requires_second_factor
from woonzeker.accounts.second_factor import verify_code
from woonzeker.audit import services as audit
from woonzeker.audit.models import AuditAction
from woonzeker.forms import StyledForm

logger = logging.getLogger(__name__)


class CodeForm(StyledForm):
    """A code from the authenticator app (six digits) or a backup code; checked against the user's devices."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The six digits your authenticator app shows now, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )

    def __init__(self, *args, user, devices=None, **kwargs):
        self.user = user
        self.devices = devices
        self.device = None
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = self.cleaned_data["code"]
        self.device = verify_code(self.user, code, devices=self.devices)
        if self.device is None:
            raise forms.ValidationError(
                _("This code is not right (or no longer valid). Wait for a new code and try again."), code="invalid"
            )
        return code


class ForgottenPasswordForm(StyledForm, PasswordResetForm):
    """An e-mail address; each active account with that address and a password gets a link to set a new one.

    The page says the same whatever the address, so it tells no one which addresses have an account. An
    account gets at most one link per ``PASSWORD_RESET_MAIL_INTERVAL`` (a shared cache counts across app
    servers; should it not answer, the link goes anyway and the log says so). An account that must pass a
    second factor and has not set one up yet gets no link: its first sign-in would set up an authenticator
    app on the password alone, so whoever reads its mailbox could make the account theirs. It signs in
    with the password its functional administrator gave it.

    ``account`` limits the form to that one account: its functional administrator sends it the link
    (``views.send_password_link``), under the same rules, instead of ever setting a password itself."""

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        self.sent_to = []

    def get_users(self, email):
        for user in super().get_users(email):
            if self.account is not None and user.pk != self.account.pk:
                continue
            if requires_second_factor(user) and not user_has_device(user):
                logger.warning("password reset: no link for an account without a second factor set up")
                continue
            if _first_link_in_interval(user):
                yield user

    def save(self, *args, request=None, extra_email_context=None, **kwargs):
        self.request = request
        # The link goes where every e-mail's link goes (``SITE_URL``), not to the host the request named.
        site_url = settings.SITE_URL.rstrip("/")
        extra_email_context = {**(extra_email_context or {}), "site_url": site_url}
        return super().save(*args, request=request, extra_email_context=extra_email_context, **kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
        self.sent_to.append(context["user"])
        what = f"password reset: link e-mailed to {context['user'].username}"
        if self.account is not None:  # sent by the functional administrator, who is named
            audit.record(self.request.user, AuditAction.CHANGE, f"{what} by the administrator", request=self.request)
        else:
            audit.record(None, AuditAction.CHANGE, what, request=self.request)


def _first_link_in_interval(user):
    try:
        return cache.add(f"password-reset-mail:{user.pk}", 1, timeout=settings.PASSWORD_RESET_MAIL_INTERVAL)
    except Exception:  # the cache is down: a link too many is better than a person locked out
        logger.warning("password reset: the cache did not answer; the link is sent without the interval check")
        return True


class NewPasswordForm(StyledForm, SetPasswordForm):
    """The new password, twice, against the password rules (``AUTH_PASSWORD_VALIDATORS``)."""
