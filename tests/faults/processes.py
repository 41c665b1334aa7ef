"""Real processes for the fault tests: a throw-away PostgreSQL cluster, manage.py, and the production server.

Everything listens on loopback only, every wait is bounded, and everything started is stopped again."""

import base64
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_key():
    """A fresh BSN or hash key, as production takes it from the environment."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def new_signal(world, prefix, number):
    """The API body of a new signal in the seeded world (``seed``): contract ``<prefix>-<number>``."""
    return {
        "contract_number": f"{prefix}-{number}",
        "tenant_name": f"Huurder {number}",
        "street": "Voorstraat",
        "house_number": str(number),
        "postcode": "3311AB",
        "town": "Dordrecht",
        "municipality": world["municipality"],
        "monthly_rent": "650.00",
        "arrears": "700.00",
        "established_on": "2026-11-02",
    }


def postgres_bindir():
    try:
        return Path(
            subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
        )
    except (OSError, subprocess.CalledProcessError):
        initdb = shutil.which("initdb")
        return Path(initdb).resolve().parent if initdb else None


def can_run_a_cluster():
    """initdb is there, and we may run it as the postgres user (it refuses root)."""
    bindir = postgres_bindir()
    if bindir is None or not (bindir / "initdb").exists():
        return False
    return os.geteuid() != 0 or shutil.which("runuser") is not None


def wait_until(check, timeout, what):
    """Poll ``check`` until it is true, at most ``timeout`` seconds; fail saying ``what`` did not happen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen within {timeout} s")


class ThrowAwayCluster:
    """A PostgreSQL cluster of our own, on its own port, that a test may stop and start at will."""

    def __init__(self):
        self.bindir = postgres_bindir()
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="wz-cluster-"))
        self.data = self.directory / "data"
        # A name of its own, so what is kept beside it (the audit seals, ``environment``) is never an earlier run's.
        self.name = f"woonzeker_{secrets.token_hex(4)}"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{self.name}"

    def _as_postgres(self, *command, check=True):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run([*prefix, *command], capture_output=True, text=True, check=check)

    def create(self):
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
        self._as_postgres(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
        )
        self.start()
        self._as_postgres(
            str(self.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", self.name
        )
        return self

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} -c fsync=off"
        # -l: the server's output goes to a file, not to our pipes (which it would hold open forever).
        log = str(self.directory / "server.log")
        self._as_postgres(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self):
        """Stop at once, as a crash or a fail-over would: connections are cut, nothing is shut down politely."""
        self._as_postgres(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def destroy(self):
        self._as_postgres(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.directory, ignore_errors=True)


def environment(database_url, **extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="woonzeker.conf.settings", **extra)
    # The audit chain's seals of this database, beside it (its name is the test's own), never var/'s.
    name = database_url.rsplit("/", 1)[-1].replace(".sqlite3", "")
    folder = Path(database_url.removeprefix("sqlite:///")).parent if database_url.startswith("sqlite") else None
    env.setdefault("AUDIT_SEAL_PATH", str((folder or Path(tempfile.gettempdir())) / f"audit-seals-{name}.jsonl"))
    return env


def manage(database_url, *args, env=None, check=True):
    """Run manage.py against ``database_url`` in a process of its own; returns the completed process."""
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=PROJECT,
        env={**environment(database_url), **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def seed(database_url):
    """A minimal covenant world in that database (see tests/faults/seed.py); returns what it made."""
    result = manage(database_url, "shell", "-c", "from tests.faults.seed import seed; seed()")
    return json.loads(result.stdout.strip().splitlines()[-1])


class ProductionServer:
    """gunicorn with production settings (as ``make serve``), on a loopback port, persistent connections."""

    def __init__(self, database_url, var_dir, **settings):
        """``settings``: environment variables over the defaults below (several servers share their keys)."""
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = environment(
            database_url,
            WOONZEKER_PRODUCTION="1",
            SECRET_KEY="fault-test-" + "x" * 50,
            SITE_URL="https://woonzeker.example.nl",
            SECURE_SSL_REDIRECT="0",
            SECURE_COOKIES="0",
            DB_CONN_MAX_AGE="60",
            BIND=f"127.0.0.1:{self.port}",
            WEB_WORKERS="1",
            WEB_THREADS="4",
            WOONZEKER_VAR_DIR=str(var_dir),
            LOG_LEVEL="WARNING",
            API_RATE="100000/minute",  # the test client sends as fast as it can
            WOONZEKER_BSN_KEYS=new_key(),
            WOONZEKER_BSN_HASH_KEY=new_key(),
            AUDIT_SEAL_KEY=new_key(),
        )
        self.env.update(settings)
        self.process = None

    def __enter__(self):
        self.log = open(self.env["WOONZEKER_VAR_DIR"] + "/server.log", "wb")  # noqa: SIM115 (closed in __exit__)
        self.process = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "--config", "gunicorn.conf.py"],
            cwd=PROJECT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(lambda: self.get("/healthz")[0] == 200, 30, "the server answering /healthz")
        return self

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        self.log.close()

    def request(self, method, path, body=None, headers=None, form=False):
        """(status, headers, body text); a refused connection is status 0."""
        data = None
        headers = dict(headers or {})
        if body is not None:
            if form:
                data = urllib.parse.urlencode(body).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:  # no (whole) answer at all
            return 0, {}, repr(error)

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)
