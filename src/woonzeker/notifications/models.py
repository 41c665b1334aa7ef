"""Notifications: in the application and by e-mail, each user choosing how per kind."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    NEW_REFERRAL = "new_referral", _("A new referral to your team")
    FEEDBACK_READY = "feedback_ready", _("Feedback ready for your corporation")
    INVOLVEMENT_REQUEST = "involvement_request", _("Your service is asked to join a care trajectory")
    DEADLINE_DUE = "deadline_due", _("A deadline is due soon")
    DEADLINE_PASSED = "deadline_passed", _("A deadline has passed")
    DEADLINE_ESCALATION = "deadline_escalation", _("A deadline passed some time ago (to coordinators)")
    CURRENT_RENT_BREACH = "current_rent_breach", _("Current rent not paid during a care trajectory")
    INVOLVEMENT_ENDED = "involvement_ended", _("Your service's involvement ended: consent withdrawn")
    ACCOUNT_LOCKED = "account_locked", _("Sign-in blocked after too many failed attempts (to administrators)")
    UNUSUAL_ACCESS = "unusual_access", _("Unusual access to case files (to privacy officers)")
    CASE_ASSIGNED = "case_assigned", _("A case was assigned to you")
    CORPORATION_DECIDED = "corporation_decided", _("The corporation decided on a care trajectory")
    INVOLVEMENT_ANSWERED = "involvement_answered", _("A service accepted, declined or finished its part")
    CASE_CLOSED = "case_closed", _("A case your organisation works on was closed")


#: Overdue promises reach people whatever they chose: "off" becomes a daily digest.
CANNOT_SWITCH_OFF = (Kind.DEADLINE_PASSED, Kind.DEADLINE_ESCALATION)

#: About a case its readers may no longer open: the e-mail does not send them to see it.
CASE_CLOSED_TO_THEM = (Kind.INVOLVEMENT_ENDED,)


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Daily digest")
    OFF = "off", _("Off (in the application only)")


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    message = models.TextField(_("message"))
    key = models.CharField(max_length=200, help_text="What this is about; the same key is never notified twice.")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notify_once_per_user_and_key")]
        indexes = [models.Index(fields=["user", "read_at"]), models.Index(fields=["emailed_at"])]


class Preference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    delivery = models.CharField(max_length=20, choices=Delivery.choices, default=Delivery.IMMEDIATELY)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]
