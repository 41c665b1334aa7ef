import logging

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from woonzeker.api.models import ApiToken

logger = logging.getLogger(__name__)


class HasScope(permissions.BasePermission):
    """The view's ``required_scopes`` (per HTTP method) must be among the token's scopes."""

    message = _("This API token lacks the scope for this request.")

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        needed = view.required_scopes.get(request.method, view.required_scopes.get("*"))
        return needed in token.scopes


class TokenRateThrottle(SimpleRateThrottle):
    """A rate limit per token (``API_RATE`` in the environment): a counter per token and window.

    DRF's own throttle keeps the time of every request in the window and rewrites that list on each
    request, work that grows with the rate; a counter costs the same at any rate. A burst across the
    edge of two windows may reach twice the rate for a moment. The counters are in the cache, shared by
    all app servers when ``CACHE_URL`` names one; when that cache does not answer, requests are let through
    (and logged): a limit against runaway clients is not worth an outage of the API.
    """

    scope = "token"

    def get_rate(self):
        # Read when used (not when the class is defined), so the rate follows the settings.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        self.remaining = self.duration - now % self.duration
        try:
            count = self._count(f"{key}_{window}")
        except Exception:  # noqa: BLE001 -- any failure of the cache's client
            logger.warning("The rate-limit cache did not answer; request let through", exc_info=True)
            return True
        return count <= self.num_requests

    def _count(self, key):
        self.cache.add(key, 0, timeout=self.duration + 1)
        try:
            return self.cache.incr(key)
        except ValueError:  # expired between add and incr
            self.cache.set(key, 1, timeout=self.duration + 1)
            return 1

    def wait(self):
        return self.remaining
