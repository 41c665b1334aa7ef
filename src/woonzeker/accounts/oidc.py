"""Signing in through an organisation's own identity provider (OpenID Connect).

The provider vouches for a person; Woonzeker decides what that person may do. So a sign-in only
succeeds for an existing, active account of one of the organisations this provider serves
(``OIDC_ORGANISATIONS``), found by the verified e-mail address or, when configured, by a username
claim. An account is never created from a sign-in: without an organisation and a role it could do
nothing, and who works where is the functional administrator's to record.
"""

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class OrganisationOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        users = self.UserModel.objects.filter(
            is_active=True, organisation__isnull=False, organisation__code__in=settings.OIDC_ORGANISATIONS
        )
        claim = getattr(settings, "OIDC_USERNAME_CLAIM", "")
        if claim:
            username = claims.get(claim)
            return users.filter(username=username) if username else users.none()
        email = claims.get("email")
        if not email or claims.get("email_verified") is False:
            return users.none()
        return users.filter(email__iexact=email)

    def verify_claims(self, claims):
        claim = getattr(settings, "OIDC_USERNAME_CLAIM", "")
        return bool(claims.get(claim)) if claim else bool(claims.get("email"))

    def create_user(self, claims):
        return None
