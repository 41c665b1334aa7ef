"""Structured logs: one JSON object per line, with the request id of the request being served."""

import contextvars
import json
import logging
import uuid
from datetime import UTC, datetime

request_id = contextvars.ContextVar("request_id", default="-")


class RequestIdMiddleware:
    """Gives every request an id (or takes the proxy's ``X-Request-ID``), logs it, and returns it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        # Not reset afterwards: Django logs a failed response after the middleware has returned.
        # Every request sets its own id first, so nothing carries over to the next one.
        request_id.set(incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else uuid.uuid4().hex)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id.get()
        return response


def json_line(level, logger, for_request, when=None, **fields):
    """One log line: time (UTC, to the millisecond, the same in every process), level, logger and request id
    first, then the fields of its kind."""
    moment = datetime.now(UTC) if when is None else datetime.fromtimestamp(when, UTC)
    entry = {
        "time": moment.isoformat(timespec="milliseconds"),
        "level": level,
        "logger": logger,
        "request_id": for_request,
        **fields,
    }
    return json.dumps(entry, ensure_ascii=False)


class JsonFormatter(logging.Formatter):
    def format(self, record):
        fields = {"message": record.getMessage()}
        if record.exc_info:
            fields["exception"] = self.formatException(record.exc_info)
        return json_line(record.levelname, record.name, request_id.get(), when=record.created, **fields)
