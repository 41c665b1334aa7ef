"""A session ends after inactivity and with the browser; passwords are long and not guessable."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_a_session_expires_after_thirty_minutes_without_a_request(client, world, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client.force_login(world.corporation_worker)
    assert client.get("/").status_code == 200
    # Thirty-one minutes pass without a request.
    Session.objects.update(expire_date=timezone.now() - timedelta(minutes=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")


def test_each_request_extends_the_session(client, world):
    client.force_login(world.corporation_worker)
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=2))
    client.get("/")
    remaining = Session.objects.get().expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_the_session_cookie_ends_with_the_browser(client, world):
    client.force_login(world.corporation_worker)
    cookie = client.get("/").cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"]


@pytest.mark.parametrize(
    "password",
    [
        "kort-wachtw",  # 11 characters
        "123456789012345",  # numbers only
        "qwertyuiop123",  # common
        "anoukdewaal2015",  # like the user's own name
    ],
)
def test_weak_passwords_are_refused(world, password):
    user = world.corporation_worker
    user.first_name, user.last_name, user.username = "Anouk", "de Waal", "anoukdewaal2015"
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_long_unguessable_password_is_accepted(world):
    validate_password("rivier-lantaarn-kompas-17", world.corporation_worker)


def test_force_login_in_ordinary_tests_counts_as_both_steps(world):
    """tests/conftest.py: ``client.force_login`` passes the second factor too, so page tests test pages."""
    client = Client()
    client.force_login(world.corporation_worker)
    assert client.get("/").status_code == 200
