"""The door behind the proxy of docs/examples/haproxy.cfg (TRUSTED_PROXY_COUNT=1, production's default): the
lockout counts the address of whoever reached HAProxy, not HAProxy's own, whatever X-Forwarded-For a client
writes itself. Two "clients" on loopback: connections from 127.0.0.2 and 127.0.0.3."""

import http.client
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.faults.processes import ProductionServer, free_port, wait_until

pytestmark = pytest.mark.skipif(not shutil.which("haproxy"), reason="needs haproxy (apt-get install haproxy)")

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "haproxy.cfg"


class HAProxy:
    """docs/examples/haproxy.cfg on a free loopback port, both backend servers pointed at ``server``."""

    def __init__(self, server, directory):
        self.port = free_port()
        config = EXAMPLE.read_text()
        config = config.replace("bind 127.0.0.1:8080", f"bind 127.0.0.1:{self.port}")
        config = config.replace("127.0.0.1:8001", f"127.0.0.1:{server.port}").replace(
            "127.0.0.1:8002", f"127.0.0.1:{server.port}"
        )
        config = config.replace("log stdout format raw local0 info", "")  # quiet in a test
        assert f"bind 127.0.0.1:{self.port}" in config and str(server.port) in config
        self.config = directory / "haproxy.cfg"
        self.config.write_text(config)

    def __enter__(self):
        subprocess.run(["haproxy", "-c", "-q", "-f", str(self.config)], check=True)
        self.process = subprocess.Popen(["haproxy", "-db", "-f", str(self.config)], stdout=subprocess.DEVNULL)
        wait_until(lambda: self.raw("127.0.0.1", "GET", "/readyz")[0] == 200, 30, "HAProxy passing requests on")
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)

    def raw(self, source, method, path, body=b"", headers=None):
        """(status, headers, body) of one request from the loopback address ``source``; 0 when refused."""
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=(source, 0))
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            answer = response.status, {name.lower(): value for name, value in response.getheaders()}, response.read()
            connection.close()
            return answer
        except OSError:
            return 0, {}, b""


def sign_in(proxy, source, username, password, forwarded=None):
    """The sign-in page's form posted as a browser at ``source`` would; the status of the answer."""
    _status, headers, page = proxy.raw(source, "GET", "/inloggen/")
    csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    extra = {
        "Cookie": headers["set-cookie"].split(";")[0],
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"http://127.0.0.1:{proxy.port}/inloggen/",
    }
    if forwarded:
        extra["X-Forwarded-For"] = forwarded
    form = f"username={username}&password={password}&csrfmiddlewaretoken={csrf}".encode()
    return proxy.raw(source, "POST", "/inloggen/", form, extra)[0]


@pytest.fixture
def proxy(database, tmp_path):
    with (
        ProductionServer(database.url, tmp_path, TRUSTED_PROXY_COUNT="1") as server,
        HAProxy(server, tmp_path) as haproxy,
    ):
        yield haproxy


def test_behind_haproxy_a_guesser_is_blocked_and_everyone_else_signs_in(database, proxy):
    world = database.world
    for n in range(4):
        # A new forged X-Forwarded-For every time: HAProxy appends the real address after it.
        assert sign_in(proxy, "127.0.0.2", f"gok{n}", "Welkom2026!", forwarded=f"10.0.0.{n}") == 200
    assert sign_in(proxy, "127.0.0.2", "gok4", "Welkom2026!", forwarded="10.0.0.4") == 429  # the fifth
    assert sign_in(proxy, "127.0.0.2", world["username"], world["password"], forwarded="10.0.0.99") == 429
    # Someone at another address, through the same HAProxy, is not blocked with them.
    assert sign_in(proxy, "127.0.0.3", world["username"], world["password"]) == 302
