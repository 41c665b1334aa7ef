"""Signing in through an organisation's own identity provider (OpenID Connect), with the provider mocked.

No network: the provider's token, keys and userinfo endpoints are answered here, with an ID token
signed by a key made for the test, as the provider would sign it.
"""

import json
from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import SESSION_KEY
from mozilla_django_oidc import auth as oidc_auth

from tests.factories import UserFactory
from woonzeker.accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.real_second_factor]

PROVIDER = "https://login.merwehaven.example"
SIGNING_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def oidc(settings, world):
    world.corporation.code = "merwehaven"
    world.corporation.save()
    settings.ROOT_URLCONF = "tests.accounts.oidc_urls"
    settings.OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "woonzeker.accounts.oidc.OrganisationOIDCBackend",
    ]
    settings.OIDC_RP_CLIENT_ID = "woonzeker"
    settings.OIDC_RP_CLIENT_SECRET = "s3cret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{PROVIDER}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{PROVIDER}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{PROVIDER}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{PROVIDER}/jwks"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_SCOPES = "openid email profile"
    settings.OIDC_ORGANISATIONS = ["merwehaven"]
    settings.OIDC_USERNAME_CLAIM = ""
    settings.OIDC_CREATE_USER = False
    settings.OIDC_USE_PKCE = True
    settings.LOGIN_REDIRECT_URL_FAILURE = "/inloggen/?idp=geweigerd"
    return settings


@pytest.fixture
def provider(monkeypatch):
    """The identity provider's endpoints, answered without network; ``provider.claims`` is what userinfo says."""
    state = SimpleNamespace(claims={}, nonce=None, token_requests=[])
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(SIGNING_KEY.public_key()))

    def answer(body):
        return SimpleNamespace(
            json=lambda: body,
            raise_for_status=lambda: None,
            status_code=200,
            headers={"Content-Type": "application/json"},
        )

    def post(url, data=None, **kwargs):
        assert url == f"{PROVIDER}/token"
        state.token_requests.append(data)
        id_token = jwt.encode(
            {"iss": PROVIDER, "aud": "woonzeker", "sub": "abc-123", "nonce": state.nonce, "exp": 9_999_999_999},
            SIGNING_KEY,
            algorithm="RS256",
            headers={"kid": "key-1"},
        )
        return answer({"id_token": id_token, "access_token": "access-token"})

    def get(url, headers=None, **kwargs):
        if url == f"{PROVIDER}/jwks":
            return answer({"keys": [{**public, "kid": "key-1", "alg": "RS256", "use": "sig"}]})
        assert url == f"{PROVIDER}/userinfo"
        assert headers["Authorization"] == "Bearer access-token"
        return answer(state.claims)

    monkeypatch.setattr(oidc_auth.requests, "post", post)
    monkeypatch.setattr(oidc_auth.requests, "get", get)
    return state


def sign_in_at_provider(client, provider, claims):
    """The browser goes to the provider and comes back with a code, as after signing in there."""
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 302 and response["Location"].startswith(f"{PROVIDER}/authorize")
    query = parse_qs(urlparse(response["Location"]).query)
    assert query["client_id"] == ["woonzeker"] and "code_challenge" in query
    provider.nonce = query["nonce"][0]
    provider.claims = claims
    return client.get("/oidc/callback/", {"code": "authorisation-code", "state": query["state"][0]})


def test_the_sign_in_page_offers_the_organisation_account(client, oidc):
    page = client.get("/inloggen/").content.decode()
    assert 'href="/oidc/authenticate/"' in page and "Inloggen met het account van uw organisatie" in page


def test_the_provider_signs_in_an_existing_account_by_e_mail_and_the_code_follows(client, oidc, provider, world):
    user = world.corporation_worker
    user.email = "a.dewaal@merwehaven.example"
    user.save()
    response = sign_in_at_provider(client, provider, {"email": "A.deWaal@merwehaven.example", "email_verified": True})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(user.pk)
    assert provider.token_requests[0]["code"] == "authorisation-code"
    # Our own second step still applies unless the provider is trusted to enforce its own.
    assert client.get("/")["Location"].startswith("/inloggen/tweede-stap/")


def test_a_provider_that_enforces_mfa_itself_counts_as_both_steps(client, oidc, provider, world):
    oidc.OIDC_IDP_ENFORCES_MFA = True
    user = world.corporation_worker
    user.email = "a.dewaal@merwehaven.example"
    user.save()
    sign_in_at_provider(client, provider, {"email": "a.dewaal@merwehaven.example"})
    assert client.get("/").status_code == 200


def test_by_username_claim_when_configured(client, oidc, provider, world):
    oidc.OIDC_USERNAME_CLAIM = "preferred_username"
    sign_in_at_provider(client, provider, {"preferred_username": world.corporation_worker.username})
    assert client.session[SESSION_KEY] == str(world.corporation_worker.pk)


@pytest.mark.parametrize(
    "claims",
    [
        {"email": "nobody@merwehaven.example"},  # no such account
        {"email": "worker@other.example"},  # an account of another organisation
        {"email": "a.dewaal@merwehaven.example", "email_verified": False},
        {"name": "No E-mail"},
    ],
)
def test_no_account_is_made_or_borrowed(client, oidc, provider, world, claims):
    world.other_corporation_worker.email = "worker@other.example"
    world.other_corporation_worker.save()
    world.corporation_worker.email = "a.dewaal@merwehaven.example"
    world.corporation_worker.save()
    accounts = User.objects.count()
    response = sign_in_at_provider(client, provider, claims)
    assert response.status_code == 302 and response["Location"] == "/inloggen/?idp=geweigerd"
    assert SESSION_KEY not in client.session
    assert User.objects.count() == accounts
    assert (
        "Het inloggen via uw organisatie leidde niet tot een Woonzeker-account"
        in client.get(response["Location"]).content.decode()
    )


def test_an_account_without_organisation_is_never_signed_in(client, oidc, provider):
    UserFactory(organisation=None, email="loose@merwehaven.example")
    response = sign_in_at_provider(client, provider, {"email": "loose@merwehaven.example"})
    assert response["Location"] == "/inloggen/?idp=geweigerd"


def test_a_forged_callback_is_refused_without_an_error_page(client, oidc, provider):
    response = client.get("/oidc/callback/", {"code": "x", "state": "not-ours"})
    assert response.status_code < 500
    assert SESSION_KEY not in client.session
