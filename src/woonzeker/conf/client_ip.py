"""The client's address: what the lockout counts and the audit trail records.

Without a proxy (``TRUSTED_PROXY_COUNT = 0``) it is the connection's own address, ``REMOTE_ADDR``;
an ``X-Forwarded-For`` header is then text the client wrote and is ignored. Behind N trusted proxies,
each of which appends the address it was reached from (HAProxy's ``option forwardfor``, nginx's
``$proxy_add_x_forwarded_for``), the client is the N-th address from the right of ``X-Forwarded-For``:
everything to the left of it a client could have written itself. One function, so the lockout
(django-axes, ``AXES_CLIENT_IP_CALLABLE``) and the audit trail (``audit.services.client_address``)
name the same address.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    """The address the request came from, as a string; None when there is none."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    # Several X-Forwarded-For lines reach Django joined by commas (gunicorn joins repeated headers).
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        # Not through every trusted proxy (the app servers listen on the proxy's network only).
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        # Not an address our proxy wrote: then TRUSTED_PROXY_COUNT is more than the proxies there are.
        return remote
