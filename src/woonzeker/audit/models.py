"""The audit trail: who did what with whose personal data, when and from where. Append-only and
tamper-evident: every entry carries a hash of its content and of the entry before it."""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from woonzeker.append_only import AppendOnlyModel


class AuditAction(models.TextChoices):
    READ = "read", _("Read")
    CHANGE = "change", _("Change")
    EXPORT = "export", _("Export")
    PRINT = "print", _("Print")


class AuditEntry(AppendOnlyModel):
    at = models.DateTimeField(_("at"), default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # Written out, so the entry still says who it was when the account is gone.
    username = models.CharField(_("user"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=40, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    what = models.CharField(_("what"), max_length=200)
    case_ids = models.JSONField(_("cases"), default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    @property
    def what_shown(self):
        """``what`` in the reader's words (``audit.wording``); the stored text is never rewritten."""
        from woonzeker.audit.wording import describe

        return describe(self.what)

    @property
    def role_shown(self):
        from woonzeker.audit.wording import role_label

        return role_label(self.role)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["at"]), models.Index(fields=["username", "at"])]
        # No forks: two entries can never chain from the same predecessor (migration 0003).
        constraints = [models.UniqueConstraint(fields=["previous_hash"], name="audit_one_entry_per_link")]

    def content(self):
        """What the hash covers: every field but the hashes themselves, in a fixed form."""
        return json.dumps(
            {
                "at": self.at.isoformat(),
                "user": self.user_id,
                "username": self.username,
                "organisation": self.organisation,
                "role": self.role,
                "action": self.action,
                "what": self.what,
                "case_ids": self.case_ids,
                "reason": self.reason,
                "address": self.address,
            },
            sort_keys=True,
            separators=(",", ":"),
        )

    def compute_hash(self):
        return hashlib.sha256((self.previous_hash + self.content()).encode()).hexdigest()


class AuditChainHead(models.Model):
    """One row, locked while an entry is added, so the chain has no forks."""

    last_hash = models.CharField(max_length=64, default="0" * 64)


class AuditCheckpoint(models.Model):
    """Where the kept trail begins after the retention term removed older entries.

    ``anchor_hash`` is the hash of the last removed entry: the oldest kept entry
    chains from it, so ``first_broken_link`` checks the kept trail from here.
    Each pruning also writes an entry to the trail itself, naming the anchor.
    """

    created_at = models.DateTimeField(_("at"), default=timezone.now)
    removed_through = models.PositiveBigIntegerField(_("removed up to entry"))
    anchor_hash = models.CharField(max_length=64)
    removed_count = models.PositiveIntegerField(_("entries removed"))
    removed_before = models.DateTimeField(_("removed entries before"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
