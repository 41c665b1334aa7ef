"""The second factor after the password: time-based codes (TOTP) and backup codes, with django-otp.

A user who must (``authorization.requires_second_factor``) and has signed in with a password only
reaches the pages to enter a code or, the first time, to set up an authenticator app. API tokens
do not pass here: the API authenticates each request by its token, never by a session.
"""

import secrets
from base64 import b32encode
from functools import cache

import segno
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from woonzeker.accounts.authorization import requires_second_factor
from woonzeker.accounts.models import Role
from woonzeker.audit import services as audit
from woonzeker.audit.models import AuditAction

BACKUP_CODE_COUNT = 10
APP_CODE_DIGITS = 6  # django-otp's TOTPDevice default, which every device here is made with
OIDC_BACKEND = "woonzeker.accounts.oidc.OrganisationOIDCBackend"


def second_factor_done(request):
    """Whether this session has passed its second factor.

    A code verified here counts; so does a sign-in through an organisation's identity provider when
    that provider is configured as enforcing multi-factor authentication itself.
    """
    user = request.user
    if getattr(user, "is_verified", None) and user.is_verified():
        return True
    return bool(getattr(settings, "OIDC_IDP_ENFORCES_MFA", False)) and (
        request.session.get(BACKEND_SESSION_KEY) == OIDC_BACKEND
    )


def needs_second_factor(request):
    user = request.user
    return user.is_authenticated and requires_second_factor(user) and not second_factor_done(request)


class SecondFactorMiddleware:
    """Send a signed-in user who still owes a second factor to the code page (or to set one up)."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _is_open(path):
        """The pages a user who still owes the code may reach: the door itself, and what has its own door."""
        prefixes = (
            "/" + settings.STATIC_URL.lstrip("/"),
            "/api/",  # tokens only; a session is never asked there
            "/oidc/",
            "/healthz",
            "/readyz",
        )
        return path.startswith(prefixes) or path in _door_pages()

    def __call__(self, request):
        # The path first: the API and the health checks then never load a session's user.
        if not self._is_open(request.path) and needs_second_factor(request):
            target = "accounts:verify" if user_has_device(request.user) else "accounts:enrol"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


@cache
def _door_pages():
    return {reverse(name) for name in ("login", "logout", "accounts:verify", "accounts:enrol", "set_language")}


# --- Devices -------------------------------------------------------------------------------------


def unconfirmed_totp_device(user):
    """The authenticator app being set up: one unconfirmed device per user, kept until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="app", confirmed=False)


def qr_code_svg(device):
    """The device's otpauth:// address as an inline SVG QR code: drawn here, no outside service."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")


def base32_secret(device):
    """The secret as people type it into an authenticator app by hand: base32, in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def new_backup_codes(user):
    """Ten one-time codes for when the phone is lost; earlier codes stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="backup", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [secrets.token_hex(4) for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def verify_code(user, code, devices=None):
    """The device that accepts ``code`` (an app code or a backup code), or None.

    ``devices`` limits the check to these (e.g. the app being set up); by default every confirmed
    device of the user. A wrong code slows the next try down (django-otp's throttling).
    """
    code = "".join(str(code).split())
    if not code or len(code) > 16:
        return None
    # An app code is exactly the app's six digits; anything else is a backup code, whatever its characters
    # (a backup code of eight hex characters is all digits now and then, about one set of ten in five).
    # Each code goes to one kind of device only, so a backup code does not count as a wrong app code.
    wanted = TOTPDevice if code.isdigit() and len(code) == APP_CODE_DIGITS else StaticDevice
    with transaction.atomic():
        if devices is None:
            candidates = devices_for_user(user, for_verify=True)
        else:
            candidates = [type(d).objects.select_for_update().get(pk=d.pk) for d in devices]
        for device in candidates:
            if isinstance(device, wanted) and device.user_id == user.pk and device.verify_token(code):
                return device
    return None


# --- Removing a user's second factor: two functional administrators ------------------------------


class ResetRefused(PermissionDenied):
    """This administrator may not request or approve this removal; the message says why."""


def _check_administrator(administrator, user):
    if not (administrator.is_active and administrator.role == Role.FUNCTIONAL_ADMIN):
        raise ResetRefused(_("Only a functional administrator removes a second factor."))
    if administrator.pk == user.pk:
        raise ResetRefused(_("Nobody removes their own second factor; ask another functional administrator."))


def request_second_factor_reset(administrator, user, reason, *, request=None):
    """Ask for ``user``'s second factor to be removed (a lost phone): nothing is removed until another
    functional administrator approves (``approve_second_factor_reset``)."""
    from woonzeker.accounts.models import SecondFactorResetRequest

    _check_administrator(administrator, user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the second factor is removed.")})
    with transaction.atomic():
        reset = SecondFactorResetRequest.objects.create(user=user, reason=reason, requested_by=administrator)
        audit.record(
            administrator,
            AuditAction.CHANGE,
            f"second factor: removal of {user.username}'s requested (request {reset.pk})",
            reason=reason,
            request=request,
        )
    return reset


def approve_second_factor_reset(administrator, reset, *, request=None):
    """Approve a requested removal and remove the user's devices (authenticator app and backup codes).

    Approved by a functional administrator who is neither the one who asked nor the user; once only."""
    from woonzeker.accounts.models import SecondFactorResetRequest

    with transaction.atomic():
        reset = SecondFactorResetRequest.objects.select_for_update().select_related("user").get(pk=reset.pk)
        _check_administrator(administrator, reset.user)
        if reset.requested_by_id == administrator.pk:
            raise ResetRefused(_("Another functional administrator approves what you asked for."))
        if reset.approved_at is not None:
            raise ResetRefused(_("This removal was approved already."))
        removed = 0
        for model in (TOTPDevice, StaticDevice):
            removed += model.objects.filter(user=reset.user).delete()[0]
        reset.approved_by = administrator
        reset.approved_at = timezone.now()
        reset.save(update_fields=["approved_by", "approved_at"])
        audit.record(
            administrator,
            AuditAction.CHANGE,
            f"second factor: removal of {reset.user.username}'s approved (request {reset.pk}, {removed} removed)",
            reason=reset.reason,
            request=request,
        )
    return reset
