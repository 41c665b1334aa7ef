"""Several app servers behind one load balancer (docs/deploy.md): two production servers on one database and
one shared cache. Whatever one server did, the other knows: a signing-in, a retried request, a token's rate
limit and the data itself. Nothing is kept in a server's own memory that a user would notice missing."""

import http.client
import json
import re
import socket
import uuid

import pytest

from tests.faults.processes import ProductionServer, new_key, new_signal

REDIS = ("127.0.0.1", 6379)


def redis_answers():
    try:
        with socket.create_connection(REDIS, timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not redis_answers(), reason="needs the Redis server on 127.0.0.1:6379 (as in CI)")


def raw(server, method, path, body=b"", headers=None):
    """(status, headers, body) without following a redirect: what the browser gets from this one server."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    answer = response.status, {name.lower(): value for name, value in response.getheaders()}, response.read()
    connection.close()
    return answer


@pytest.fixture
def two_servers(database, tmp_path):
    shared = {
        "CACHE_URL": "redis://127.0.0.1:6379/0",
        "CACHE_KEY_PREFIX": f"woonzeker-test-{uuid.uuid4().hex}",  # this test's own counters
        # Per day: the fixed window cannot turn over during the test (short of midnight UTC itself).
        "API_RATE": "5/day",
        "WOONZEKER_BSN_KEYS": new_key(),
        "WOONZEKER_BSN_HASH_KEY": new_key(),
    }
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with (
        ProductionServer(database.url, tmp_path / "a", **shared) as a,
        ProductionServer(database.url, tmp_path / "b", **shared) as b,
    ):
        yield a, b


def test_what_one_server_did_the_other_knows(database, two_servers):
    a, b = two_servers
    world = database.world
    api = {"Authorization": f"Token {world['token']}"}

    # A retry that lands on the other server gets the first answer back instead of a second case.
    retry = {**api, "Idempotency-Key": str(uuid.uuid4())}
    first = a.request("POST", "/api/v1/cases/signals/", new_signal(world, "TWEE", 1), retry)
    again = b.request("POST", "/api/v1/cases/signals/", new_signal(world, "TWEE", 1), retry)
    assert first[0] == again[0] == 201
    assert again[1]["Idempotent-Replayed"] == "true" and again[2] == first[2]

    # What one server wrote, the other reads.
    case = json.loads(first[2])["id"]
    assert b.get(f"/api/v1/cases/{case}/", api)[0] == 200

    # The token's limit (5 a day) holds across both: three requests so far, two more, then refused on either.
    assert [a.get("/api/v1/cases/", api)[0], b.get("/api/v1/cases/", api)[0]] == [200, 200]
    assert [a.get("/api/v1/cases/", api)[0], b.get("/api/v1/cases/", api)[0]] == [429, 429]


def test_signed_in_on_one_server_is_signed_in_on_the_other(database, two_servers):
    a, b = two_servers
    world = database.world
    status, headers, page = raw(a, "GET", "/inloggen/")
    csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    cookie = headers["set-cookie"].split(";")[0]
    form = f"username={world['username']}&password={world['password']}&csrfmiddlewaretoken={csrf}"
    status, headers, _page = raw(
        a,
        "POST",
        "/inloggen/",
        form.encode(),
        {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "Referer": f"{a.base}/inloggen/"},
    )
    assert status == 302, "signed in (on to the second factor or the work queue)"
    session = re.search(r"sessionid=[^;]+", headers["set-cookie"]).group(0)

    # Server B knows the session: it asks for the second step, as A does, not for the password again.
    on_a, on_b = (raw(server, "GET", "/", headers={"Cookie": session})[1]["location"] for server in (a, b))
    assert on_b == on_a == "/inloggen/tweede-stap/?next=%2F"
    assert raw(b, "GET", "/")[1]["location"] == "/inloggen/?next=/"  # without the session: the sign-in page
