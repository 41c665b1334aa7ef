"""Every page carries a strict Content-Security-Policy and the other security headers; none needs inline code."""

import re

import pytest

from woonzeker.cases.constants import State

pytestmark = pytest.mark.django_db

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def policy(response):
    """The Content-Security-Policy header as {directive: sources}."""
    return dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))


def test_the_sign_in_page_has_a_strict_policy_and_security_headers(client):
    response = client.get("/inloggen/")
    assert policy(response) == CSP
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),  # a script without src
    re.compile(r"<style[\s>]", re.IGNORECASE),
    re.compile(r"\sstyle=", re.IGNORECASE),
    re.compile(r"\son[a-z]+=", re.IGNORECASE),  # onclick=, onchange=, ...
    re.compile(r"javascript:", re.IGNORECASE),
]


@pytest.mark.parametrize(
    ("user", "paths"),
    [
        (None, ["/inloggen/"]),
        ("corporation_worker", ["/", "/signalen/nieuw/", "/aanleveringen/", "/dossiers/{case}/", "/meldingen/"]),
        ("team_coordinator", ["/", "/dossiers/{case}/", "/monitoring/"]),
        ("safe_home_worker", ["/aanmelden/"]),
        ("functional_admin", ["/beheer/", "/beheer/accounts/user/", "/beheer/accounts/user/add/"]),
    ],
)
def test_no_page_of_ours_needs_inline_script_or_style(client, world, make_case, user, paths):
    case = make_case(State.FEEDBACK_SENT)
    if user:
        client.force_login(getattr(world, user))
    for path in paths:
        response = client.get(path.format(case=case.pk))
        assert response.status_code == 200, path
        page = response.content.decode()
        found = [pattern.pattern for pattern in INLINE if pattern.search(page)]
        assert found == [], f"{path}: {found}"
        assert policy(response) == CSP


def test_the_enrolment_page_draws_its_qr_code_without_inline_style(client, world):
    from django.contrib.auth import BACKEND_SESSION_KEY  # noqa: F401  (Django's own session login below)
    from django.test import Client

    fresh = Client()
    fresh.post("/inloggen/", {"username": world.team_worker.username, "password": "correct-horse-battery"})
    page = fresh.get("/inloggen/tweede-stap/").content.decode()
    assert "<svg" in page
    assert [p.pattern for p in INLINE if p.search(page)] == []
