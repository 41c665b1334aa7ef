"""What a user sees when the database cannot be reached, and on any other server error."""

import pytest
from django.db import OperationalError
from django.test import Client

from woonzeker.api.authentication import TokenAuthentication


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)


def fail(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def test_a_page_says_temporarily_unavailable_when_the_database_is_gone(browser, monkeypatch):
    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", fail)
    browser.cookies["sessionid"] = "a-session"
    response = browser.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Woonzeker is tijdelijk niet beschikbaar" in page
    assert "Connection refused" not in page  # no internals shown


def test_an_api_client_gets_a_503_problem_when_the_database_is_gone(browser, monkeypatch):
    monkeypatch.setattr(TokenAuthentication, "authenticate", fail)
    response = browser.get("/api/v1/cases/", HTTP_AUTHORIZATION="Token wz_x_y")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 503


def test_any_other_error_is_a_plain_500_without_details(browser, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", broken)
    browser.cookies["sessionid"] = "a-session"
    response = browser.get("/")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()
    assert "secret detail" not in response.content.decode()
