"""The audit trail: who did what with whose personal data, when, from where and with what result.
Append-only and tamper-evident: a request only inserts its entry; the chainer (``audit/chain.py``) then gives
each entry its place in the chain and a hash of its content and of the entry before it, and seals the head
outside the database (``audit/seals.py``)."""

import hashlib
import json

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from woonzeker.append_only import AppendOnlyModel


class AuditAction(models.TextChoices):
    READ = "read", _("Read")
    CHANGE = "change", _("Change")
    EXPORT = "export", _("Export")
    PRINT = "print", _("Print")
    SIGN_IN = "sign_in", _("Sign in")
    SIGN_OUT = "sign_out", _("Sign out")


class AuditResult(models.TextChoices):
    """What came of it (BIO 8.15.01: the result of the event is logged, refusals too)."""

    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    FAILED = "failed", _("Failed")


class AuditEntry(AppendOnlyModel):
    at = models.DateTimeField(_("at"), default=timezone.now)
    # The account's id as a plain number, no foreign key: deleting an account must not rewrite the trail
    # (a SET NULL would change hashed content and break the chain).
    user_id = models.BigIntegerField(_("user id"), null=True, blank=True)
    # Written out, so the entry still says who it was when the account is gone.
    username = models.CharField(_("user"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=40, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    result = models.CharField(_("result"), max_length=20, choices=AuditResult.choices, default=AuditResult.GRANTED)
    what = models.CharField(_("what"), max_length=200)
    case_ids = models.JSONField(_("cases"), default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    # Filled in by the chainer, never by the request that wrote the entry: its place in the chain (1, 2, ...
    # in the order entries were chained), the hash of the entry before it there, and its own hash.
    position = models.BigIntegerField(null=True, blank=True, editable=False)
    previous_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)
    hash = models.CharField(max_length=64, null=True, blank=True, editable=False)

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
        # No forks: two entries can never chain from the same predecessor (migration 0003), nor share a place.
        constraints = [
            models.UniqueConstraint(fields=["previous_hash"], name="audit_one_entry_per_link"),
            models.UniqueConstraint(fields=["position"], name="audit_one_entry_per_position"),
        ]

    def content(self):
        """What the hash covers: every field but the chain's own, in a fixed form.

        ``result`` is written only when it is not "granted": the entries written before there was a result
        keep the hash they had, and an entry's result cannot be changed either way without changing it."""
        fields = {
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
        }
        if self.result != AuditResult.GRANTED:
            fields["result"] = self.result
        return json.dumps(fields, sort_keys=True, separators=(",", ":"))

    def compute_hash(self):
        return hashlib.sha256((self.previous_hash + self.content()).encode()).hexdigest()


class AuditChainHead(models.Model):
    """One row: where the chainer got to. Only the chainer locks it (requests never touch it), so two
    chainers cannot fork the chain. ``chained_count`` is the number of chained entries the database
    should hold (the retention term's pruning subtracts what it removes); ``sealed_position`` the last
    place sealed. The database is not trusted with any of it: ``verify_audit`` checks the seals."""

    last_hash = models.CharField(max_length=64, default="0" * 64)
    last_position = models.BigIntegerField(default=0)
    chained_count = models.BigIntegerField(default=0)
    sealed_position = models.BigIntegerField(default=0)


class AuditCheckpoint(models.Model):
    """Where the kept trail begins after the retention term removed older entries.

    ``anchor_hash`` is the hash of the last removed entry: the oldest kept entry
    chains from it, so ``first_broken_link`` checks the kept trail from here.
    Each pruning also writes an entry to the trail itself, naming the anchor.
    """

    created_at = models.DateTimeField(_("at"), default=timezone.now)
    # The place in the chain (``AuditEntry.position``) up to which entries were removed.
    removed_through = models.PositiveBigIntegerField(_("removed up to entry"))
    anchor_hash = models.CharField(max_length=64)
    removed_count = models.PositiveIntegerField(_("entries removed"))
    removed_before = models.DateTimeField(_("removed entries before"))
    # HMAC of the fields above under AUDIT_SEAL_KEY (``audit.seals.checkpoint_signature``): a checkpoint written
    # by someone with database access alone, to hide entries they removed, does not verify.
    signature = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
