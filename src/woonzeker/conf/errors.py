"""Error pages that need nothing that may be broken: no database, no session, no user.

When the database is gone (a restart, a fail-over, a lost connection), a user gets "temporarily
unavailable" (503, with Retry-After) instead of a crash, and an API client a 503 problem; every change
runs in a transaction, so nothing is half-written, and the next request after the database returns is
served again (Django opens a new connection; ``conn_health_checks`` drops a broken persistent one).
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger("woonzeker.errors")

RETRY_AFTER_SECONDS = "30"


def database_unavailable(error):
    """Connection-level failures: the database cannot be reached, not a query that is wrong."""
    return isinstance(error, OperationalError | InterfaceError)


def server_error(request, template_name="500.html"):
    """handler500: a plain page (or problem) rendered without the database; 503 when the database is gone."""
    error = sys.exc_info()[1]
    api = request.path.startswith("/api/")
    if error is not None and database_unavailable(error):
        logger.error("database unavailable: %s", error.__class__.__name__)
        if api:
            response = JsonResponse(
                {
                    "type": "about:blank",
                    "title": "Service unavailable",
                    "status": 503,
                    "detail": "The database is temporarily unavailable; nothing was changed. Try again shortly.",
                },
                status=503,
                content_type="application/problem+json",
            )
        else:
            response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = RETRY_AFTER_SECONDS
        return response
    if api:
        return JsonResponse(
            {"type": "about:blank", "title": "Server error", "status": 500, "detail": "Something went wrong."},
            status=500,
            content_type="application/problem+json",
        )
    return HttpResponse(loader.render_to_string(template_name), status=500)
