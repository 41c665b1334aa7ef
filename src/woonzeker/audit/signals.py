"""Configuration changes in the admin go into the audit trail too (BIO: changes to who may do what are
logged where nobody can quietly edit them). Django's own admin log stays as it is; this adds the entry to
the hash chain. Sign-ins, sign-outs, failed sign-ins and lockouts are entries as well."""

from axes.signals import user_locked_out
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from woonzeker.audit import services
from woonzeker.audit.models import AuditAction, AuditResult

VERBS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}


@receiver(post_save, sender=LogEntry, dispatch_uid="audit-admin-log-entry")
def record_admin_change(sender, instance, created, **kwargs):
    if not created:
        return
    model = instance.content_type.model if instance.content_type_id else "object"
    what = f"admin: {VERBS.get(instance.action_flag, 'changed')} {model} {instance.object_id}: {instance.object_repr}"
    services.record(instance.user, AuditAction.CHANGE, what[:200], reason=instance.get_change_message()[:1000])


# --- Signing in and out (BIO 8.15.01: successful and failed sign-ins, and lockouts, are logged) -------------

#: Of a username that belongs to no account, the trail keeps this many characters and the length: it may be
#: a password typed in the wrong field, and every password here is longer (docs/decisions.md).
UNKNOWN_USERNAME_KEPT = 3


def typed_username(text):
    """How a typed username that belongs to no account is written in the trail: its start and its length."""
    text = str(text or "")
    return f"{text[:UNKNOWN_USERNAME_KEPT]}… ({len(text)} characters)"


def _account(username):
    from django.contrib.auth import get_user_model

    if not username:
        return None
    return get_user_model().objects.filter(username=username).select_related("organisation").first()


@receiver(user_logged_in, dispatch_uid="audit-signed-in")
def record_sign_in(sender, request, user, **kwargs):
    services.record(user, AuditAction.SIGN_IN, "signed in (password)", request=request)


@receiver(user_logged_out, dispatch_uid="audit-signed-out")
def record_sign_out(sender, request, user, **kwargs):
    if user is not None:
        services.record(user, AuditAction.SIGN_OUT, "signed out", request=request)


@receiver(user_login_failed, dispatch_uid="audit-sign-in-failed")
def record_failed_sign_in(sender, credentials, request=None, **kwargs):
    typed = (credentials or {}).get("username", "")
    account = _account(typed)
    if account is not None:
        services.record(account, AuditAction.SIGN_IN, "sign-in failed", request=request, result=AuditResult.FAILED)
    else:
        services.record(
            None,
            AuditAction.SIGN_IN,
            "sign-in failed: no account with this username",
            reason=f"typed username: {typed_username(typed)}",
            request=request,
            result=AuditResult.FAILED,
            username="?",
        )


@receiver(user_locked_out, dispatch_uid="audit-locked-out")
def record_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    account = _account(username)
    what = "sign-in blocked after too many failed attempts"
    if account is not None:
        services.record(account, AuditAction.SIGN_IN, what, request=request, result=AuditResult.REFUSED)
    else:
        services.record(
            None,
            AuditAction.SIGN_IN,
            what,
            reason=f"typed username: {typed_username(username)}; address {ip_address or '?'}",
            request=request,
            result=AuditResult.REFUSED,
            username="?",
        )


def record_failed_code(user, request):
    """A wrong or used second-factor code (the sign-in's second step)."""
    services.record(user, AuditAction.SIGN_IN, "second factor: wrong code", request=request, result=AuditResult.FAILED)
