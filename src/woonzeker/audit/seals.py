"""Seals of the chain's head, kept outside the database.

After each chaining pass the head (its place, its hash, how many chained entries the database holds, the
latest retention checkpoint, the time) is signed with HMAC-SHA256 under ``AUDIT_SEAL_KEY``, a key the
database does not hold, and appended as one JSON line to ``AUDIT_SEAL_PATH`` (opened for appending, fsynced).
Whoever can write to the database can rewrite an entry and recompute every later hash, or delete the newest
entries, and the chain alone still holds; it no longer matches the newest seal, which they cannot forge.
"""

import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from woonzeker.audit.models import AuditCheckpoint, AuditEntry

FIELDS = ("position", "hash", "count", "checkpoint", "sealed_at")


def seal_key():
    key = (settings.AUDIT_SEAL_KEY or "").strip()
    if len(key) < 32:
        raise ImproperlyConfigured("AUDIT_SEAL_KEY must be set to a random text of at least 32 characters.")
    return key.encode()


def signature(seal, key=None):
    """HMAC-SHA256 over the seal's fields (not its signature), in a fixed form."""
    message = json.dumps({name: seal[name] for name in FIELDS}, sort_keys=True, separators=(",", ":"))
    return hmac.new(key or seal_key(), message.encode(), hashlib.sha256).hexdigest()


def checkpoint_signature(checkpoint, key=None):
    """HMAC-SHA256 over what a retention checkpoint says (where the kept trail starts and what went before it)."""
    message = json.dumps(
        {
            "removed_through": checkpoint.removed_through,
            "anchor_hash": checkpoint.anchor_hash,
            "removed_count": checkpoint.removed_count,
            "removed_before": checkpoint.removed_before.astimezone(UTC).isoformat(),
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hmac.new(key or seal_key(), message.encode(), hashlib.sha256).hexdigest()


def unsigned_checkpoints(key=None):
    """The retention checkpoints whose signature does not verify: forged or altered in the database."""
    return [
        checkpoint
        for checkpoint in AuditCheckpoint.objects.order_by("pk")
        if not hmac.compare_digest(checkpoint.signature, checkpoint_signature(checkpoint, key))
    ]


def seal_path():
    return Path(settings.AUDIT_SEAL_PATH)


def append(seal, path=None):
    """Append one seal as a JSON line and wait until it is on disk."""
    path = Path(path or seal_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(seal, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def seal_head():
    """Seal the chain's head when it moved since the last seal; returns the seal written, or None."""
    from woonzeker.audit.chain import locked_head

    with transaction.atomic():
        head = locked_head()
        if head.last_position == 0 or head.last_position == head.sealed_position:
            return None
        checkpoint = AuditCheckpoint.objects.order_by("-pk").values_list("pk", flat=True).first()
        seal = {
            "position": head.last_position,
            "hash": head.last_hash,
            "count": head.chained_count,
            "checkpoint": checkpoint or 0,
            "sealed_at": timezone.now().isoformat(),
        }
        seal["signature"] = signature(seal)
        # Written before the head notes it: a crash in between seals the same head twice, never none.
        append(seal)
        head.sealed_position = head.last_position
        head.save(update_fields=["sealed_position"])
    return seal


def seal_trail():
    """Chain what is waiting and seal the head: the chainer's whole pass. Returns (entries chained, seal)."""
    from woonzeker.audit.chain import chain_pending

    chained = chain_pending()
    return chained, seal_head()


@dataclass
class SealCheck:
    """What ``check_seals`` found: the newest valid seal and its line, the lines that are not valid seals,
    what does not match the database, and the entries after the seal (chained or not yet)."""

    seal: dict | None = None
    line: int | None = None
    invalid_lines: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    unsealed: int = 0
    unchained: int = 0

    @property
    def holds(self):
        return not self.problems and not self.invalid_lines


def read_seals(path=None, key=None):
    """[(line number, seal or None, why not)] for every line of the seal file."""
    path = Path(path or seal_path())
    if not path.exists():
        return []
    key = key or seal_key()
    lines = []
    with open(path, encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                seal = json.loads(text)
                if not isinstance(seal, dict) or any(name not in seal for name in (*FIELDS, "signature")):
                    raise ValueError
            except ValueError:
                lines.append((number, None, "not a seal"))
                continue
            if not hmac.compare_digest(str(seal["signature"]), signature(seal, key)):
                lines.append((number, None, "its signature does not verify with AUDIT_SEAL_KEY"))
                continue
            lines.append((number, seal, ""))
    return lines


def check_seals(path=None, key=None):
    """The newest valid seal against the database: the sealed entry is there with the sealed hash, and the
    chained entries up to it are as many as sealed, less what retention removed since (its checkpoints)."""
    report = SealCheck()
    for number, seal, why in read_seals(path, key):
        if seal is None:
            report.invalid_lines.append((number, why))
            continue
        previous = report.seal
        if previous is not None and (
            int(seal["position"]) < int(previous["position"]) or seal["sealed_at"] < previous["sealed_at"]
        ):
            # Seals only move forward: a line going back is an older seal copied to the end (to make a trail
            # cut back to it look whole), which append-only storage alone does not prevent.
            report.invalid_lines.append(
                (
                    number,
                    f"it goes back from place {previous['position']} to {seal['position']}: an older seal repeated",
                )
            )
            continue
        report.seal, report.line = seal, number
    report.unchained = AuditEntry.objects.filter(position__isnull=True).count()
    chained = AuditEntry.objects.filter(position__isnull=False)
    seal = report.seal
    if seal is None:
        report.unsealed = chained.count()
        if report.unsealed:
            report.problems.append(f"No valid seal in {path or seal_path()}: nothing anchors the chain's head.")
        return report
    position = int(seal["position"])
    report.unsealed = chained.filter(position__gt=position).count()
    latest = AuditCheckpoint.objects.order_by("-pk").first()
    if latest is not None and position <= latest.removed_through:
        report.problems.append(
            f"The newest seal (place {position}) is older than the latest retention checkpoint: run seal_audit."
        )
        return report
    sealed = chained.filter(position=position).values_list("hash", flat=True).first()
    if sealed is None:
        report.problems.append(
            f"The sealed entry (place {position}) is gone: entries at the end of the trail were removed."
        )
    elif sealed != seal["hash"]:
        report.problems.append(
            f"The entry at place {position} does not have the sealed hash: the trail up to it was rewritten."
        )
    removed = AuditCheckpoint.objects.filter(pk__gt=int(seal["checkpoint"])).aggregate(n=Sum("removed_count"))["n"]
    expected = int(seal["count"]) - (removed or 0)
    found = chained.filter(position__lte=position).count()
    if found != expected:
        report.problems.append(
            f"The trail holds {found} entries up to the sealed one, the seal says {expected}: entries were removed."
        )
    return report


@checks.register(checks.Tags.security)
def check_seal_key(app_configs=None, **kwargs):
    """woonzeker.E010: the audit seal key must be set wherever it is not generated (production)."""
    try:
        seal_key()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), hint="Set AUDIT_SEAL_KEY in the environment.", id="woonzeker.E010")]
    return []
