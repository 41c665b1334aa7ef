"""API tokens: ``Authorization: Token wz_<prefix>_<secret>``."""

import hmac
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from woonzeker.api.models import ApiToken, hash_key
from woonzeker.joined import Joined

#: How precisely "last used" is kept.
LAST_USE_RESOLUTION = timedelta(minutes=1)


#: The token with its user and the user's organisation, in one statement composed once (``woonzeker.joined``).
TOKEN_WITH_USER = Joined(ApiToken, "user", "user__organisation")


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token wz_<prefix>_<secret>``: the token is found by its prefix, checked by its hash."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after 'Token ', without spaces."))
        key = header[1]
        parts = key.split("_")
        token = None
        if len(parts) >= 3 and parts[0] == "wz":
            token = TOKEN_WITH_USER.first("t0.prefix = %s", [parts[1]])
        if token is None or not hmac.compare_digest(token.key_hash, hash_key(key)) or not token.is_active:
            raise exceptions.AuthenticationFailed(_("This API token is unknown or revoked."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USE_RESOLUTION:
            # Once a minute at most: a write (and a lock on the token's row) per request would
            # serialise every concurrent request of one system on that row.
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "woonzeker.api.authentication.TokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization", "description": "Token wz_…"}
