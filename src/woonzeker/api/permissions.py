from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from woonzeker.api.models import ApiToken


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
    """A rate limit per token (``API_RATE`` in the environment)."""

    scope = "token"

    def get_rate(self):
        # Read when used (not when the class is defined), so the rate follows the settings.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
