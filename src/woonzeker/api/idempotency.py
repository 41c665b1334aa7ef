"""``Idempotency-Key`` for API writes: a retried request creates nothing twice.

A client that is unsure whether its write arrived (a time-out, a dropped connection) sends it again with
the same key. A request first claims its key (a row with a unique index), then does its work and stores
the response on that row, all in one transaction; a retry finds the row and gets that same response back,
marked with ``Idempotent-Replayed: true``. A retry that arrives while the first is still running waits on
the unique index until the first commits, and then replays it. The same key with a different request is
refused (422). Errors raised by the view roll the claim back with the work, so nothing half-done is
remembered.
"""

import functools
import hashlib
import json
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from woonzeker.api.models import IdempotentRequest
from woonzeker.api.problems import problem

HEADER = "Idempotency-Key"
KEPT_FOR = timedelta(days=1)


def fingerprint(request):
    """What makes two requests the same: method, path and body (uploaded files by their content)."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    data = request.data
    if not hasattr(data, "items"):  # a JSON body that is not an object: the view refuses it, the same each time
        digest.update(json.dumps(data, default=str).encode())
        return digest.hexdigest()
    fields = {}
    for name, value in sorted(data.items()):
        if hasattr(value, "chunks"):
            content = hashlib.sha256()
            for chunk in value.chunks():
                content.update(chunk)
            value.seek(0)
            fields[name] = {"file": value.name, "sha256": content.hexdigest()}
        else:
            fields[name] = value
    digest.update(json.dumps(fields, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _key(request):
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= 255 or not key.isprintable():
        raise ValidationError({HEADER: "Send a key of 1 to 255 printable characters, e.g. a UUID."})
    return key


def _replay(previous):
    body = json.loads(previous.body)  # its keys in the order they were answered in
    response = Response(body, status=previous.status_code, content_type=previous.content_type or None)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(view_method):
    """Make an API write safe to retry with an ``Idempotency-Key`` header (optional)."""

    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = _key(request)
        if key is None:
            return view_method(self, request, *args, **kwargs)
        claim = fingerprint(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    # Claim the key first: a concurrent retry waits here until this request commits.
                    record = IdempotentRequest.objects.create(user=request.user, key=key, fingerprint=claim)
            except IntegrityError:
                record = None
            if record is not None:
                response = view_method(self, request, *args, **kwargs)
                record.status_code = response.status_code
                record.content_type = response.content_type or ""  # empty: negotiated as usual
                record.body = json.dumps(response.data, default=str)
                record.save()
                return response
        previous = IdempotentRequest.objects.get(user=request.user, key=key)
        if previous.fingerprint != claim:
            return problem(422, f"This {HEADER} was used for a different request; use a new key for a new request.")
        return _replay(previous)

    return wrapper


def forget_old_keys(now=None):
    """Drop keys older than a day (the daily run); returns how many."""
    now = now or timezone.now()
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=now - KEPT_FOR).delete()
    return deleted
