"""Settings come from the environment; a development secret is generated once, never committed."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


SECRET_AND_DATABASE = (
    "from woonzeker.conf import settings as s; print(s.SECRET_KEY); print(s.DATABASES['default']['ENGINE'])"
)


def _settings(env, tmp_path, code=SECRET_AND_DATABASE, base=os.environ):
    """Run ``code`` against the settings made from ``env`` alone (none of this shell's own)."""
    environment = {k: v for k, v in base.items() if k not in {"SECRET_KEY", "DATABASE_URL", "CACHE_URL"}}
    environment.update({"PYTHONPATH": str(ROOT / "src"), "WOONZEKER_VAR_DIR": str(tmp_path), **env})
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, cwd=ROOT)


def test_development_secret_generated_once_and_private(tmp_path):
    first = _settings({}, tmp_path)
    second = _settings({}, tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[0] == second.stdout.splitlines()[0]
    assert len(first.stdout.splitlines()[0]) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_production_refuses_to_start_without_a_secret(tmp_path):
    result = _settings({"WOONZEKER_PRODUCTION": "1"}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    "site_url",
    [
        None,
        "",
        "http://woonzeker.example.nl",
        "woonzeker.example.nl",
        "https://",
        "https://woonzeker.example.nl/?x=1",
        # A link under each would not reach the case: the home page (the case's address after "?" or "#"),
        # or another host (the part before "@" a user name; after a backslash, a browser's path).
        "https://woonzeker.example.nl?",
        "https://woonzeker.example.nl/#",
        "https://woonzeker.example.nl@elders.example",
        "https://elders.example\\@woonzeker.example.nl",
        "https://woonzeker.example.nl:99999",
    ],
    ids=[
        "not-set",
        "empty",
        "http",
        "no-scheme",
        "no-host",
        "with-a-query",
        "an-empty-query",
        "an-empty-fragment",
        "a-user-part",
        "a-backslash",
        "no-port",
    ],
)
def test_production_refuses_to_start_without_an_https_site_url(tmp_path, site_url):
    """E-mails link to cases under SITE_URL: production names it, over HTTPS, and never falls back to the laptop's."""
    env = {"WOONZEKER_PRODUCTION": "1", "SECRET_KEY": "x" * 50}
    if site_url is not None:
        env["SITE_URL"] = site_url
    environment = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    result = _settings(env, tmp_path, "from woonzeker.conf import settings", base=environment)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SITE_URL must be set in production to the https:// address" in result.stderr


@pytest.mark.parametrize("site_url", ["https://woonzeker.example.nl", "https://woonzeker.example.nl:8443/wz/"])
def test_production_takes_an_https_site_url(tmp_path, site_url):
    env = {"WOONZEKER_PRODUCTION": "1", "SECRET_KEY": "x" * 50, "SITE_URL": site_url}
    result = _settings(env, tmp_path, "from woonzeker.conf import settings as s; print(s.SITE_URL)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == site_url


def test_development_links_to_the_laptop_without_a_site_url(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "WOONZEKER_PRODUCTION"}}
    result = _settings({}, tmp_path, "from woonzeker.conf import settings as s; print(s.SITE_URL)", base=environment)
    assert result.stdout.strip() == "http://127.0.0.1:8000", result.stderr


def test_a_shared_cache_from_cache_url(tmp_path):
    code = "from woonzeker.conf import settings as s; c = s.CACHES['default']; print(c['BACKEND'], c.get('LOCATION'))"

    def backend(**env):
        return _settings(env, tmp_path, code).stdout.split()

    assert backend(CACHE_URL="redis://127.0.0.1:6379/3") == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/3",
    ]
    assert backend() == ["django.core.cache.backends.locmem.LocMemCache", "None"]


def test_database_from_database_url(tmp_path):
    result = _settings({"DATABASE_URL": "postgres://u@127.0.0.1:5432/x", "SECRET_KEY": "x" * 50}, tmp_path)
    assert result.stdout.splitlines()[1] == "django.db.backends.postgresql"
    assert _settings({}, tmp_path).stdout.splitlines()[1] == "django.db.backends.sqlite3"


OIDC = {
    "OIDC_RP_CLIENT_ID": "woonzeker",
    "OIDC_RP_CLIENT_SECRET": "s3cret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.merwehaven.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://login.merwehaven.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://login.merwehaven.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://login.merwehaven.example/jwks",
    "OIDC_ORGANISATIONS": "merwehaven",
}


def _production_check(tmp_path, **env):
    # As a production server starts: none of the test run's own variables (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE for their thread, which the deploy check rightly warns about).
    dropped = {"SECRET_KEY", "DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    dropped |= {"WOONZEKER_BSN_KEYS", "WOONZEKER_BSN_HASH_KEY", "AUDIT_SEAL_KEY"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("OIDC_")}
    environment.update(
        {
            "PYTHONPATH": str(ROOT / "src"),
            "WOONZEKER_VAR_DIR": str(tmp_path),
            "WOONZEKER_PRODUCTION": "1",
            "SECRET_KEY": "a-long-random-production-secret-" + "x9Q2" * 12,
            "ALLOWED_HOSTS": "woonzeker.example.nl",
            "SITE_URL": "https://woonzeker.example.nl",
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
    )


def _key():
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


@pytest.mark.parametrize("extra", [{}, OIDC], ids=["password-and-code", "with-oidc"])
def test_production_settings_pass_the_deploy_check(tmp_path, extra):
    keys = {"WOONZEKER_BSN_KEYS": f"{_key()}, {_key()}", "WOONZEKER_BSN_HASH_KEY": _key(), "AUDIT_SEAL_KEY": _key()}
    result = _production_check(tmp_path, **keys, **extra)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_the_audit_seal_key(tmp_path):
    keys = {"WOONZEKER_BSN_KEYS": _key(), "WOONZEKER_BSN_HASH_KEY": _key()}
    result = _production_check(tmp_path, **keys)
    assert result.returncode != 0
    assert "woonzeker.E010" in result.stderr and "AUDIT_SEAL_KEY must be set" in result.stderr
    assert not (tmp_path / "audit_seal_key").exists()  # production never makes a key of its own


def test_development_audit_seal_key_generated_once_and_private(tmp_path):
    code = "from woonzeker.conf import settings as s; print(s.AUDIT_SEAL_KEY)"
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("WOONZEKER_", "AUDIT_"))}
    environment.update({"PYTHONPATH": str(ROOT / "src"), "WOONZEKER_VAR_DIR": str(tmp_path)})
    runs = [
        subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, cwd=ROOT)
        for _ in range(2)
    ]
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[0].stdout == runs[1].stdout and len(runs[0].stdout.strip()) >= 32
    assert (tmp_path / "audit_seal_key").stat().st_mode & 0o777 == 0o600


def test_production_refuses_to_start_without_the_bsn_keys(tmp_path):
    result = _production_check(tmp_path)
    assert result.returncode != 0
    assert "woonzeker.E001" in result.stderr and "WOONZEKER_BSN_KEYS is not set" in result.stderr
    assert "WOONZEKER_BSN_HASH_KEY is not set" in result.stderr
    assert not (tmp_path / "bsn_key").exists()  # production never makes a key of its own


def test_development_bsn_keys_generated_once_and_private(tmp_path):
    code = "from woonzeker.conf import settings as s; print(s.BSN_KEYS[0]); print(s.BSN_HASH_KEY)"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("WOONZEKER_")}
    environment.update({"PYTHONPATH": str(ROOT / "src"), "WOONZEKER_VAR_DIR": str(tmp_path)})
    runs = [
        subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, cwd=ROOT)
        for _ in range(2)
    ]
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[0].stdout == runs[1].stdout
    key, hash_key = runs[0].stdout.split()
    assert key != hash_key and len(base64.urlsafe_b64decode(key)) == 32
    assert (tmp_path / "bsn_key").stat().st_mode & 0o777 == 0o600


def test_the_web_server_does_not_start_without_the_bsn_keys(tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("WOONZEKER_") and k != "DATABASE_URL"}
    environment.update(
        {
            "PYTHONPATH": str(ROOT / "src"),
            "WOONZEKER_VAR_DIR": str(tmp_path),
            "WOONZEKER_PRODUCTION": "1",
            "SECRET_KEY": "x" * 50,
            "SITE_URL": "https://woonzeker.example.nl",
        }
    )
    code = "import woonzeker.conf.wsgi"
    result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0
    assert "WOONZEKER_BSN_KEYS is not set" in result.stderr


def test_oidc_refuses_to_start_without_the_organisations_it_serves(tmp_path):
    """An identity provider signs in for named organisations only, never for every account."""
    result = _settings({k: v for k, v in OIDC.items() if k != "OIDC_ORGANISATIONS"}, tmp_path)
    assert result.returncode != 0
    assert "OIDC_ORGANISATIONS must name" in result.stderr
    assert _settings(OIDC, tmp_path).returncode == 0
