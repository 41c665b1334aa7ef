"""Too many failed sign-ins lock the username (and the address trying) for a while; the page says why."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def attempt(client, username, password, address="192.0.2.10"):
    return client.post("/inloggen/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_with_a_dutch_message(client, world, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    user = world.corporation_worker
    for _ in range(4):
        response = attempt(client, user.username, "wrong-password")
        assert response.status_code == 200
        assert "Gebruikersnaam en wachtwoord komen niet overeen" in response.content.decode()
    response = attempt(client, user.username, "wrong-password")
    assert response.status_code == 429
    # Locked: even the right password is refused now, with the reason.
    response = attempt(client, user.username, "correct-horse-battery")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Te vaak mislukt om met deze gebruikersnaam of vanaf dit adres in te loggen" in page
    assert "15 minuten geblokkeerd" in page
    assert "_auth_user_id" not in client.session


def test_the_lock_lifts_after_the_cool_off(client, world):
    user = world.corporation_worker
    for _ in range(5):
        attempt(client, user.username, "wrong-password")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = attempt(client, user.username, "correct-horse-battery")
    assert response.status_code == 302


def test_a_successful_sign_in_clears_the_count(client, world):
    user = world.corporation_worker
    for _ in range(4):
        attempt(client, user.username, "wrong-password")
    assert attempt(client, user.username, "correct-horse-battery").status_code == 302
    client.post("/uitloggen/")
    for _ in range(4):
        attempt(client, user.username, "wrong-password")
    assert attempt(client, user.username, "correct-horse-battery").status_code == 302


def test_signing_in_clears_only_that_usernames_failures_not_others_from_the_same_address(client, world):
    """Reproduced on main: one successful sign-in cleared the failures of every username tried from that
    address, so someone guessing a colleague's password could reset the count with their own account."""
    own, victim = world.corporation_worker, world.team_worker
    for _ in range(4):
        attempt(client, victim.username, "wrong-password", address="198.51.100.7")
    assert attempt(client, own.username, "correct-horse-battery", address="198.51.100.7").status_code == 302
    client.post("/uitloggen/")
    # The fifth wrong password for the colleague's username blocks it, the four before still counting.
    assert attempt(client, victim.username, "wrong-password", address="198.51.100.7").status_code == 429
    assert attempt(client, victim.username, "correct-horse-battery", address="203.0.113.5").status_code == 429


def test_signing_in_does_not_reset_the_count_of_an_address_spraying_passwords(client, world):
    sprayed = [world.team_worker, world.safe_home_worker, world.health_service_worker, world.social_service_worker]
    own = world.corporation_worker.username
    for user in sprayed:
        attempt(client, user.username, "Welkom2026!", address="198.51.100.7")
    assert attempt(client, own, "correct-horse-battery", "198.51.100.7").status_code == 302
    client.post("/uitloggen/")
    attempt(client, world.team_coordinator.username, "Welkom2026!", address="198.51.100.7")
    assert attempt(client, own, "correct-horse-battery", "198.51.100.7").status_code == 429


def test_one_address_spraying_one_password_over_many_accounts_is_locked(client, world):
    users = [
        world.corporation_worker,
        world.team_worker,
        world.safe_home_worker,
        world.health_service_worker,
        world.social_service_worker,
    ]
    for user in users:
        attempt(client, user.username, "Welkom2026!", address="198.51.100.7")
    assert attempt(client, world.team_coordinator.username, "correct-horse-battery", "198.51.100.7").status_code == 429
    # Someone else, elsewhere, signs in as usual.
    assert attempt(client, world.team_coordinator.username, "correct-horse-battery", "203.0.113.5").status_code == 302


def test_failure_limit_and_cool_off_come_from_the_environment():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).parents[2]
    code = "from woonzeker.conf import settings as s; print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds())"
    environment = {**os.environ, "PYTHONPATH": str(root / "src"), "LOGIN_FAILURE_LIMIT": "3"}
    environment["LOGIN_COOLOFF_MINUTES"] = "60"
    result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, cwd=root)
    assert result.stdout.split() == ["3", "3600.0"], result.stderr


def test_the_functional_administrator_sees_and_lifts_a_lockout(client, world):
    for _ in range(5):
        attempt(client, world.corporation_worker.username, "wrong-password")
    blocked = AccessAttempt.objects.get(username=world.corporation_worker.username)
    admin = Client()
    admin.force_login(world.functional_admin)  # both steps passed (tests/conftest.py)
    assert world.corporation_worker.username in admin.get("/beheer/axes/accessattempt/").content.decode()
    assert admin.post(f"/beheer/axes/accessattempt/{blocked.pk}/delete/", {"post": "yes"}).status_code == 302
    assert attempt(client, world.corporation_worker.username, "correct-horse-battery").status_code == 302


def test_a_lockout_is_told_to_the_functional_administrators_once_a_day(client, world, settings):
    from django.core import mail

    from woonzeker.notifications.models import Kind, Notification

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    administrator = world.functional_admin
    administrator.email = "beheer@dordrecht.example"
    administrator.save()
    for _ in range(7):  # locked at the fifth; the sixth and seventh find it locked
        attempt(client, world.corporation_worker.username, "wrong-password")
    [told] = Notification.objects.filter(kind=Kind.ACCOUNT_LOCKED)
    assert told.user == administrator
    assert f"het account {world.corporation_worker.username}, vanaf adres 192.0.2.10" in told.message
    [message] = mail.outbox
    assert message.to == [administrator.email] and "Inloggen geblokkeerd" in message.subject
    assert "om het dossier te zien" not in message.body
    assert not Notification.objects.exclude(user=administrator).filter(kind=Kind.ACCOUNT_LOCKED).exists()


def test_a_username_without_an_account_is_not_repeated_to_the_administrators(client, world):
    from woonzeker.notifications.models import Kind, Notification

    typed = "<script>alert(1)</script>"
    for _ in range(5):
        attempt(client, typed, "wrong-password", address="198.51.100.7")
    [told] = Notification.objects.filter(kind=Kind.ACCOUNT_LOCKED)
    assert "een gebruikersnaam zonder account, vanaf adres 198.51.100.7" in told.message
    assert typed not in told.message
