"""The client's address behind the trusted proxies: the lockout counts it and the audit trail records it.

With no proxy (``TRUSTED_PROXY_COUNT = 0``) a client's own X-Forwarded-For changes nothing; behind one,
the address the proxy appended (the right-most) is the client's, whatever the client wrote to its left.
"""

import pytest
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from woonzeker.audit.models import AuditEntry
from woonzeker.audit.services import client_address as audit_address
from woonzeker.conf.client_ip import client_address

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"


def attempt(client, username, password, address, forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post("/inloggen/", {"username": username, "password": password}, **extra)


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.5", None, "203.0.113.5"),
        (0, "203.0.113.5", "198.51.100.1", "203.0.113.5"),  # spoofed, and no proxy to vouch for it
        (1, PROXY, "198.51.100.1", "198.51.100.1"),
        (1, PROXY, "10.9.9.9, 198.51.100.1", "198.51.100.1"),  # the client's own entry is to the left
        (1, PROXY, "10.9.9.9,198.51.100.1", "198.51.100.1"),
        (2, PROXY, "10.9.9.9, 198.51.100.1, 192.0.2.77", "198.51.100.1"),  # two proxies, each appended one
        (1, PROXY, None, PROXY),  # not through the proxy: the connection's own address
        (1, PROXY, "198.51.100.1, not-an-address", PROXY),
        (1, PROXY, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_comes_from_the_trusted_proxy_count(settings, count, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **extra)
    assert client_address(request) == expected
    assert audit_address(request) == expected


def test_without_a_proxy_a_forged_forwarded_header_does_not_escape_the_lockout(client, world, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    user = world.corporation_worker
    for n in range(5):
        attempt(client, f"guess{n}", "wrong-password", "203.0.113.66", forwarded=f"198.51.100.{n}")
    response = attempt(client, user.username, "correct-horse-battery", "203.0.113.66", forwarded="198.51.100.99")
    assert response.status_code == 429


def test_behind_the_proxy_one_address_guessing_does_not_lock_everyone_out(client, world, settings):
    """Reproduced on main: every request came from the proxy's address, so five wrong passwords anywhere
    blocked every user for 15 minutes."""
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        # The guesser writes a new X-Forwarded-For each time; the proxy appends its real address.
        attempt(client, f"guess{n}", "wrong-password", PROXY, forwarded=f"10.0.0.{n}, 198.51.100.7")
    assert attempt(client, "someone", "wrong-password", PROXY, forwarded="198.51.100.7").status_code == 429
    # A colleague elsewhere, through the same proxy, signs in as usual.
    response = attempt(client, world.team_worker.username, "correct-horse-battery", PROXY, forwarded="203.0.113.5")
    assert response.status_code == 302


def test_behind_the_proxy_the_audit_trail_records_the_client_not_the_proxy(client, world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    world.corporation_worker.email = "medewerker@example.org"
    world.corporation_worker.save()
    TOTPDevice.objects.create(user=world.corporation_worker, name="app", confirmed=True)
    client.post(
        "/inloggen/wachtwoord-vergeten/",
        {"email": "medewerker@example.org"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.23",
    )
    entry = AuditEntry.objects.filter(what__startswith="password reset").get()
    assert entry.address == "198.51.100.23"
