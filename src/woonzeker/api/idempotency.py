"""``Idempotency-Key`` for API writes: a retried request creates nothing twice.

A client that is unsure whether its write arrived (a time-out, a dropped connection) sends it again with
the same key. A request first claims its key (a row with a unique index), then does its work and stores
on that row what its answer was about (the status code and the case or import it answered with), all in
one transaction. A retry finds the row and is answered again, marked with ``Idempotent-Replayed: true``.
A retry that arrives while the first is still running waits on the unique index until the first commits,
and then replays it. The same key with a different request is refused (422). Errors raised by the view roll
the claim back with the work, so nothing half-done is remembered.

A replay is a new request: the answer is rendered afresh, for the user as they may read it now, by the
view's own ``replay`` function (the same rendering as the first answer, and audited as a read). A case the
user may no longer see (a withdrawn consent) is a 404, as its ``GET`` is. So the stored row holds no body and
no personal data, and a masked or full BSN follows the reader's rights of the moment, not of the first answer.
"""

import functools
import hashlib
import json
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ParseError, ValidationError

from woonzeker.api.models import IdempotentRequest
from woonzeker.api.problems import problem

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
KEPT_FOR = timedelta(days=1)


def fingerprint(request):
    """What makes two requests the same: method, path and body (uploaded files by their content)."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    data = request.data
    try:
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
    except RecursionError:  # nested deeper than Python's stack allows: no view takes such a body
        raise ParseError(_("The JSON body is nested too deeply.")) from None
    return digest.hexdigest()


def _key(request):
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= 255 or not key.isprintable():
        raise ValidationError({HEADER: "Send a key of 1 to 255 printable characters, e.g. a UUID."})
    return key


def answered_with(response, object_id):
    """Mark ``response`` as the answer about ``object_id`` (a case, an import): what a replay renders again."""
    response.idempotent_object_id = object_id
    return response


def _replay(replay, request, previous):
    try:
        response = replay(request, previous.object_id, previous.status_code)
    except NotFound as exc:  # no longer the user's to see: as its GET would answer
        response = problem(404, str(exc.detail))
    response[REPLAYED] = "true"
    return response


def idempotent(replay):
    """Make an API write safe to retry with an ``Idempotency-Key`` header (optional).

    The view marks its answer with ``answered_with``; ``replay(request, object_id, status_code)`` answers a
    retry: it checks that ``request.user`` may still see the object (``NotFound`` if not), audits the read,
    and renders it as the view does.
    """

    def decorator(view_method):
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
                    record.object_id = response.idempotent_object_id  # every answer of an idempotent view has one
                    record.save()
                    return response
            previous = IdempotentRequest.objects.get(user=request.user, key=key)
            if previous.fingerprint != claim:
                return problem(422, f"This {HEADER} was used for a different request; use a new key for a new request.")
            return _replay(replay, request, previous)

        return wrapper

    return decorator


def forget_old_keys(now=None):
    """Drop keys older than a day (the daily run); returns how many."""
    now = now or timezone.now()
    deleted, _count = IdempotentRequest.objects.filter(created_at__lt=now - KEPT_FOR).delete()
    return deleted
