"""Settings, read from the environment.

Defaults are safe and work on a laptop: SQLite in ``var/``, console mail,
DEBUG off unless asked. A development secret key is generated on first run
into ``var/secret_key`` (git ignores ``var/``); production sets SECRET_KEY, and
SITE_URL (an https:// address) since e-mails link to cases under it.
The keys that protect the BSN at rest are handled the same way (``var/bsn_key``,
``var/bsn_hash_key`` in development; WOONZEKER_BSN_KEYS and WOONZEKER_BSN_HASH_KEY
in production, where a system check refuses to start without them).
"""

import base64
import os
import re
import secrets
from datetime import time, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent  # src/woonzeker
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("WOONZEKER_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_time_of_day(name, default):
    """A time of day written HH:MM on the 24-hour clock (``06:15``); anything else stops the start, naming it."""
    value = os.environ.get(name, default).strip()
    match = re.fullmatch(r"([01]?[0-9]|2[0-3]):([0-5][0-9])", value)
    if match is None:
        raise ImproperlyConfigured(
            f"{name} must be a time of day as HH:MM on the 24-hour clock, such as 06:15; it is {value!r}."
        )
    return time(int(match[1]), int(match[2]))


def _development_secret(name, make):
    """A secret generated once per checkout into ``var/<name>``, never committed."""
    path = VAR_DIR / name
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def _is_https_address(url):
    """Whether ``url`` is an https:// address with a host (and nothing after its path), under which a link reaches
    that host's page: no "?" or "#" (a case's address after it would be a query or fragment of the home page),
    no user part ("https://woonzeker.example.nl@elders.example" is elders.example), no backslash (a browser reads
    it as "/", so "https://elders.example\\@woonzeker.example.nl" is elders.example too), no space, a valid port."""
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 (raises for a port out of range)
    except ValueError:
        return False
    return (
        parts.scheme == "https"
        and bool(parts.hostname)
        and "@" not in parts.netloc
        and not any(character in url for character in "?#\\ ")
    )


def _new_bsn_key():
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


PRODUCTION = env_bool("WOONZEKER_PRODUCTION")
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or None
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production.")
    SECRET_KEY = _development_secret("secret_key", lambda: secrets.token_urlsafe(50))

# The BSN at rest (woonzeker/crypto.py): AES-256-GCM keys, base64, newest first (the first encrypts, all
# decrypt, so a key can be rotated), and a separate key for the keyed hash used to find a BSN.
# Production sets both; without them the system check woonzeker.E001 stops migrate and the server.
BSN_KEYS = env_list("WOONZEKER_BSN_KEYS")
BSN_HASH_KEY = os.environ.get("WOONZEKER_BSN_HASH_KEY", "").strip()
if not PRODUCTION:
    BSN_KEYS = BSN_KEYS or [_development_secret("bsn_key", _new_bsn_key)]
    BSN_HASH_KEY = BSN_HASH_KEY or _development_secret("bsn_hash_key", _new_bsn_key)

# The key that signs the audit chain's seals (woonzeker/audit/seals.py): the database must not hold it.
# Generated in development; production sets it (system check woonzeker.E010).
AUDIT_SEAL_KEY = os.environ.get("AUDIT_SEAL_KEY", "").strip()
if not PRODUCTION:
    AUDIT_SEAL_KEY = AUDIT_SEAL_KEY or _development_secret("audit_seal_key", lambda: secrets.token_urlsafe(48))
# The seals, one JSON line each, appended and fsynced: outside the database, ideally append-only (chattr +a).
AUDIT_SEAL_PATH = Path(os.environ.get("AUDIT_SEAL_PATH", VAR_DIR / "audit-seals.jsonl"))
# Seconds between the chainer's passes (the task audit.tasks.seal_trail_task, run by manage.py db_worker).
AUDIT_SEAL_INTERVAL = int(os.environ.get("AUDIT_SEAL_INTERVAL", "10"))
# verify_audit fails when an entry has waited this long for its place: the chainer has stopped (seconds).
AUDIT_CHAIN_STALLED_AFTER = int(os.environ.get("AUDIT_CHAIN_STALLED_AFTER", "900"))

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "woonzeker.accounts.admin_site.AdminConfig",  # the Django admin, behind the second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "woonzeker.organisations",
    "woonzeker.accounts",
    "woonzeker.covenants",
    "woonzeker.tenancies",
    "woonzeker.cases",
    "woonzeker.ledgers",
    "woonzeker.monitoring",
    "woonzeker.audit",
    "woonzeker.privacy",
    "woonzeker.api",
    "woonzeker.notifications",
    "woonzeker.operations",
    "woonzeker.demo",
    "django_tasks",
    "django_tasks_db",
]

# Background work through the tasks API (the django-tasks backport), kept in the database; the worker is
# `manage.py db_worker` (`make run` starts one beside the development server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

MIDDLEWARE = [
    "woonzeker.conf.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "woonzeker.accounts.language.LanguageMiddleware",  # the account's language, never the browser's (pages)
    "django_otp.middleware.OTPMiddleware",
    "woonzeker.accounts.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "woonzeker.conf.security.PermissionsPolicyMiddleware",
    "woonzeker.conf.cache_control.NoStoreMiddleware",  # no-store for sessions, tokens and forms
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "woonzeker.conf.urls"
WSGI_APPLICATION = "woonzeker.conf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["woonzeker.formatting"],  # |euro in every template
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "woonzeker.accounts.context_processors.door",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'woonzeker.sqlite3'}",
        # Persistent connections in production (checked before reuse); per request in development.
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60" if PRODUCTION else "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Statements bound and prepared on the server: a query the connection has run a few times is no
    # longer planned again on every request (planning cost more than running the case queries).
    # DB_PREPARE_THRESHOLD=off behind a pooler in transaction mode that cannot keep prepared statements.
    _prepare = os.environ.get("DB_PREPARE_THRESHOLD", "5")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": None if _prepare == "off" else int(_prepare)}
    )
else:
    # SQLite (`make run`): the task worker writes beside the server. Write-ahead logging lets pages read while
    # the worker writes; a transaction takes the write lock when it begins and waits for it up to 20 s, instead
    # of failing at once with "database is locked" when it upgrades a read lock (decision 119).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # SQLite keeps the key columns of the work queue's covering indexes and leaves their INCLUDE out, as
    # intended (cases.Case.Meta.indexes): no warning on every migrate of the development database.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds the API's rate-limit counters. Several app servers share one (CACHE_URL=redis://host:6379/0),
# so a token's limit holds across them; without it each process counts on its own. Sessions, lockouts,
# idempotency keys and the audit chain head are in the database either way.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "woonzeker"),
            # A cache that does not answer within this costs a request its rate limit, not its answer.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if os.environ.get("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:list"
LOGOUT_REDIRECT_URL = "login"

# django-axes first: it refuses a locked-out username before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Lockout after repeated failed sign-ins (django-axes): of the username tried (guessing one account's
# password) and of the address trying (one password sprayed over many accounts). A successful sign-in
# clears that username's count, so a colleague who mistypes now and then is not locked.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The client's address: REMOTE_ADDR, or behind N trusted proxies (production: the TLS proxy) the address
# the outermost of them (the one the client reached) appended to X-Forwarded-For, never one a client could write itself
# (woonzeker/conf/client_ip.py; the audit trail records the same address).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1" if env_bool("WOONZEKER_PRODUCTION") else "0"))
AXES_CLIENT_IP_CALLABLE = "woonzeker.conf.client_ip.client_address"
# A successful sign-in clears that username's failed attempts only (accounts/lockout.py), not, as django-axes'
# own AXES_RESET_ON_SUCCESS does, every attempt from the same address: signing in with one's own account
# must not wipe the count of a password being guessed for other usernames from that address.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "woonzeker.accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

# A forgotten password: a link by e-mail that works once, within this time (Django's default is three days).
PASSWORD_RESET_TIMEOUT = 60 * int(os.environ.get("PASSWORD_RESET_LINK_MINUTES", "60"))
# At most one link per account in this many seconds: the form cannot be used to flood someone's mailbox.
PASSWORD_RESET_MAIL_INTERVAL = int(os.environ.get("PASSWORD_RESET_MAIL_INTERVAL", "300"))

# The second factor (django-otp): time-based codes from an authenticator app, backup codes on paper.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Woonzeker")

# Optional: signing in through an organisation's own identity provider (OpenID Connect,
# mozilla-django-oidc), on when OIDC_RP_CLIENT_ID is set. The provider's user is matched to an
# existing Woonzeker account of one of OIDC_ORGANISATIONS (by e-mail, or by OIDC_USERNAME_CLAIM);
# no account is ever created from a sign-in. See docs/deploy.md.
OIDC_ENABLED = bool(os.environ.get("OIDC_RP_CLIENT_ID"))
OIDC_LOGIN_LABEL = os.environ.get("OIDC_LOGIN_LABEL", "")
OIDC_IDP_ENFORCES_MFA = env_bool("OIDC_IDP_ENFORCES_MFA", False)
if OIDC_ENABLED:

    def _required(name):
        value = os.environ.get(name)
        if not value:
            raise ImproperlyConfigured(f"{name} must be set when OIDC_RP_CLIENT_ID is.")
        return value

    OIDC_RP_CLIENT_ID = os.environ["OIDC_RP_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = _required("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = _required("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = _required("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = _required("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = _required("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
    OIDC_ORGANISATIONS = env_list("OIDC_ORGANISATIONS")
    if not OIDC_ORGANISATIONS:
        raise ImproperlyConfigured("OIDC_ORGANISATIONS must name the organisation codes this provider signs in for.")
    OIDC_USERNAME_CLAIM = os.environ.get("OIDC_USERNAME_CLAIM", "")
    OIDC_CREATE_USER = False
    OIDC_USE_PKCE = True
    OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
    LOGIN_REDIRECT_URL_FAILURE = "/inloggen/?idp=geweigerd"
    AUTHENTICATION_BACKENDS.append("woonzeker.accounts.oidc.OrganisationOIDCBackend")
    INSTALLED_APPS.append("mozilla_django_oidc")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "woonzeker.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Dutch first, English available.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = False  # identifiers (case 1680, 2026) never grouped; |euro groups amounts: € 1.234,56
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "static/"
NODE_MODULES = PROJECT_DIR / "node_modules"  # installed by `make` (npm ci); served by us, no CDN
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/utrecht", NODE_MODULES / "@utrecht/component-library-css/dist"),
    ("vendor/utrecht-tokens", NODE_MODULES / "@utrecht/design-tokens/dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org/dist"),
]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
# Static files are served by the application itself (whitenoise), compressed, from STATIC_ROOT after
# collectstatic, in every mode: `make run` collects them as `make serve` and production do, so the laptop
# shows what production shows (decision in docs/decisions.md, "make run is the product").
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed, not renamed: the design tokens package ships a CSS file pointing to an image it lacks,
    # which a manifest storage refuses.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Original ledger files are personal data: MEDIA_ROOT is never served as a public URL.
# An upload larger than this is refused with a message (ledgers of a few million rows fit).
LEDGER_MAX_UPLOAD_BYTES = int(os.environ.get("LEDGER_MAX_UPLOAD_BYTES", str(1024 * 1024 * 1024)))

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True  # inactivity expiry, not absolute
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Everything the pages load comes from this server: no inline script or style, no other origin.
# (The QR code for the authenticator app is inline SVG markup, not an image from elsewhere.)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
# Browser features no page of ours uses, switched off (sent by woonzeker.conf.security).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), fullscreen=(self)"
if PRODUCTION:
    # Served over HTTPS only (behind a TLS-terminating proxy that sets X-Forwarded-Proto).
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "woonzeker@localhost")
# Where people reach the application: e-mails link to a case's page under it (the case number only).
# Production names it, over HTTPS: the laptop's default would send every e-mail's link to nowhere (or, over
# HTTP, a session's first request in the clear).
SITE_URL = os.environ.get("SITE_URL", "").strip()
if PRODUCTION and not _is_https_address(SITE_URL):
    found = f"it is {SITE_URL!r}" if SITE_URL else "it is not set"
    raise ImproperlyConfigured(
        "SITE_URL must be set in production to the https:// address people reach Woonzeker at "
        f"(e-mails link to cases under it), e.g. https://woonzeker.example.nl; {found}."
    )
SITE_URL = SITE_URL or "http://127.0.0.1:8000"

# An audit entry written on its own (a read) is committed to disk before the page is sent (the default):
# a crash of the database server loses no entry. AUDIT_SYNCHRONOUS_COMMIT=0 lets those commits skip the
# wait (about five times the entries per second; the last fraction of a second of entries can then be
# lost in such a crash, never a link in between): a trade-off for the privacy officer, see docs/decisions.md.
AUDIT_SYNCHRONOUS_COMMIT = env_bool("AUDIT_SYNCHRONOUS_COMMIT", True)
# The shortest the audit trail is kept, whatever a covenant's term says (privacy.retention.audit_cutoff): a
# deployment's setting, out of the administrators' reach.
AUDIT_RETENTION_MIN_YEARS = int(os.environ.get("AUDIT_RETENTION_MIN_YEARS", "2"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["woonzeker.api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "woonzeker.api.pagination.PageWithoutCount",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "woonzeker.api.problems.problem_details_handler",
    "DEFAULT_THROTTLE_CLASSES": ["woonzeker.api.permissions.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("API_RATE", "600/minute")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's three, its JSON parser refusing a body nested too deeply as a 400 (not a RecursionError).
    "DEFAULT_PARSER_CLASSES": [
        "woonzeker.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Woonzeker API",
    "DESCRIPTION": "Cases, signals and rent ledgers of the covenant on preventing evictions. "
    "Authenticate with an API token: `Authorization: Token wz_…`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "ENUM_NAME_OVERRIDES": {"NextStepNameEnum": "woonzeker.cases.selectors.NEXT_STEP_NAMES"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "woonzeker.api.schema.add_problem_responses",
    ],
}

# Notifications: a deadline within this many working days is "due soon"; coordinators hear of a passed
# deadline after this many more working days.
NOTIFY_DUE_WITHIN_WORKING_DAYS = int(os.environ.get("NOTIFY_DUE_WITHIN_WORKING_DAYS", "3"))
ESCALATION_GRACE_WORKING_DAYS = int(os.environ.get("ESCALATION_GRACE_WORKING_DAYS", "2"))
# When the task worker does the daily run (notifications.tasks.run_daily_task): a time of day on the local
# clock (TIME_ZONE, Europe/Amsterdam), the same wall-clock time in summer and in winter.
DAILY_RUN_AT = env_time_of_day("DAILY_RUN_AT", "06:15")

LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "woonzeker.conf.logging.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
