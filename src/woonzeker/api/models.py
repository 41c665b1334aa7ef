"""API tokens: issued per organisation, with scopes, shown once, stored hashed, revocable."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    CASES_READ = "cases:read", _("Read cases")
    CASES_WRITE = "cases:write", _("Make moves on cases")
    LEDGER_WRITE = "ledger:write", _("Send rent ledgers")


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A key for one system of one organisation. It acts as ``user`` (a service account of that
    organisation), limited further to its ``scopes``."""

    name = models.CharField(_("name"), max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Who the token was issued as: it stops working when its user moves to another organisation or role, so a
    # system's key does not follow an account into another organisation's cases.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user, name, scopes):
        """Create a token; returns (token, key). The key is shown once and never stored."""
        prefix = secrets.token_hex(6)
        key = f"wz_{prefix}_{secrets.token_urlsafe(32)}"
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=prefix,
            key_hash=hash_key(key),
            scopes=list(scopes),
            organisation_id=user.organisation_id,
            role=user.role,
        )
        return token, key

    @property
    def is_active(self):
        """Not revoked, its user active, and still in the organisation and role it was issued for."""
        user = self.user
        return (
            self.revoked_at is None
            and user.is_active
            and user.organisation_id == self.organisation_id
            and user.role == self.role
        )


class IdempotentRequest(models.Model):
    """An API write sent with an ``Idempotency-Key``: its fingerprint and what its answer was about, so a retry
    of the same request is answered again instead of doing the work twice. Kept for a day.

    No body is kept: a replay renders the answer afresh for its reader (``api/idempotency.py``), so this table
    holds no personal data."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    # Filled in the same transaction as the claim: never seen empty by another request.
    status_code = models.PositiveSmallIntegerField(null=True)
    # The case (or ledger import) the answer was about; which of the two follows from the request's path.
    object_id = models.PositiveBigIntegerField(null=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_response_per_idempotency_key")]
