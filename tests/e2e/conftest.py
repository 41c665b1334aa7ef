"""End-to-end: Debian's Chromium driven by Playwright against the live test server.

Chromium comes from the machine (`make browser` installs Debian's package);
Playwright never downloads a browser. Screenshots go to test-artefacts/
(ignored by git).
"""

import os
import shutil
import signal
import subprocess
import threading
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.signals import request_finished, request_started
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import sync_playwright

from tests.faults.processes import free_port
from woonzeker.accounts.authorization import requires_second_factor

# Playwright's sync API runs an event loop in this thread; the test's own database work is synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "test-artefacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
PASSWORD = "correct-horse-battery"
TOTP_KEY = b"e2e-authenticator-key".hex()  # the test users' authenticator app
PHONE = {"width": 390, "height": 844}  # a phone, in CSS pixels
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: run `make browser`."
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class LiveServerRequests:
    """The requests the live server has started and not yet finished answering.

    On SQLite the live server shares the test's in-memory database connection. A request still being answered
    while the test's rows are flushed away runs in the same transaction as the flush, and can roll it back: the
    next test would then find the last one's rows."""

    def __init__(self):
        self.answering = 0
        self.changed = threading.Condition()

    def started(self, **kwargs):
        with self.changed:
            self.answering += 1

    def finished(self, **kwargs):
        with self.changed:
            self.answering -= 1
            self.changed.notify_all()

    def wait_until_idle(self, timeout):
        with self.changed:
            return self.changed.wait_for(lambda: self.answering == 0, timeout)


@pytest.fixture(scope="session")
def live_server_requests():
    requests = LiveServerRequests()
    # The live server answers through the static-files handler, the test client through a handler of its own.
    request_started.connect(requests.started, sender=StaticFilesHandler)
    request_finished.connect(requests.finished, sender=StaticFilesHandler)
    yield requests
    request_started.disconnect(requests.started, sender=StaticFilesHandler)
    request_finished.disconnect(requests.finished, sender=StaticFilesHandler)


@pytest.fixture
def page(browser, live_server, live_server_requests):
    """A browser tab on the live server; at the end, no page may have broken its Content-Security-Policy.

    The tab is closed only when every request it made has been answered, and the test's data is flushed only
    when the live server has finished answering."""
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None
        ),
    )
    in_flight = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))
    yield page
    for request in list(in_flight):
        response = request.response()
        if response is not None:
            response.finished()
    context.close()
    assert live_server_requests.wait_until_idle(timeout=30), "The live server was still answering 30 s after the test."
    assert violations == [], "Content-Security-Policy violated: " + "; ".join(violations)


def current_code():
    """What the test users' authenticator app shows now."""
    return f"{totp(bytes.fromhex(TOTP_KEY)):06d}"


def give_authenticator(user):
    """The user's authenticator app (the known key). A code is accepted once; signing in again within
    the same 30 seconds is allowed here by forgetting the last code used (the replay refusal has its own test)."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="e2e", defaults={"key": TOTP_KEY, "confirmed": True})
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    return device


def login(page, user):
    """Sign in as a person does: username and password, then the code from the authenticator app."""
    page.context.clear_cookies()
    second_step = requires_second_factor(user)
    if second_step:
        give_authenticator(user)
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    if second_step:
        page.get_by_label("Code", exact=True).fill(current_code())
        page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url("**/")


def check_accessibility(page):
    """axe-core on the page as it is: no WCAG 2.1 A or AA violations."""
    # Evaluated through the browser's debugging protocol, not as a <script> in the page: our CSP refuses
    # inline scripts, as it should.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    violations = [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})" for v in result["violations"]
    ]
    assert violations == [], f"{page.url}: " + "; ".join(violations)


def screenshot(page, name):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def fits_the_screen(page, name):
    page.evaluate("window.scrollTo(0, 0)")
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                         && !e.closest('.wz-table-scroll, [hidden], details:not([open])'))
            .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
    )
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at 390 px: {wide}"
    screenshot(page, f"phone-{name}")


class MakeRun:
    """`make run` in a process group of its own: migrations, the demo, collected static files, the task worker
    and the development server, on a SQLite database, media and seals in a folder of the test's own."""

    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / "make-run.log"
        env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
        # A newcomer's machine: none of the suite's or CI's settings (CI's DATABASE_URL names PostgreSQL).
        for key in ("DATABASE_URL", "DEBUG", "WOONZEKER_PRODUCTION", "SITE_URL", "EMAIL_BACKEND", "SECRET_KEY"):
            env.pop(key, None)
        env.update(WOONZEKER_VAR_DIR=str(folder / "var"), STATIC_ROOT=str(folder / "static"))
        self._log = open(self.log_path, "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "run", f"RUN_ADDRESS=127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log(self):
        """Everything `make run` printed so far: the demo logins, and the e-mails (Django's console backend)."""
        return self.log_path.read_text(errors="replace")

    def answers(self):
        import urllib.error
        import urllib.request

        if self.process.poll() is not None:
            raise AssertionError(f"`make run` stopped ({self.process.returncode}):\n{self.log()[-3000:]}")
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:  # noqa: S310 (loopback)
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self._log.close()


@pytest.fixture(scope="session")
def make_run(tmp_path_factory):
    """The product as `make run` starts it (the Makefile's own target, on a free port)."""
    from tests.faults.processes import wait_until

    server = MakeRun(tmp_path_factory.mktemp("make-run"))
    try:
        wait_until(server.answers, 240, "`make run` answering /healthz")
        yield server
    finally:
        server.stop()
