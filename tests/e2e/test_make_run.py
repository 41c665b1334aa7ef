"""`make run` is the product: the development server, configured as `make run` configures it, serves the
stylesheets and scripts itself (whitenoise, from STATIC_ROOT after collectstatic), and the pages have the NL
Design System look. Not Django's test server: its static-files handler would hide a server that serves none."""

import os
import signal
import subprocess

import pytest

from tests.e2e.conftest import screenshot
from tests.faults.processes import PROJECT, PYTHON, environment, free_port, wait_until


def _answers(url):
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="module")
def make_run_server(tmp_path_factory):
    """``manage.py runserver`` as `make run` starts it: DEBUG off, no production settings, static files
    collected first; on a SQLite database and STATIC_ROOT of the test's own."""
    folder = tmp_path_factory.mktemp("make-run")
    env = environment(
        f"sqlite:///{folder / 'woonzeker.sqlite3'}", STATIC_ROOT=str(folder / "static"), MEDIA_ROOT=str(folder)
    )
    for key in ("DEBUG", "WOONZEKER_PRODUCTION"):
        env.pop(key, None)
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput", "--verbosity", "0"]):
        subprocess.run([PYTHON, "manage.py", *command], cwd=PROJECT, env=env, check=True, capture_output=True)
    port = free_port()
    log = open(folder / "runserver.log", "wb")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(base + "/healthz"), 60, "the development server answering /healthz")
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def test_make_run_serves_its_stylesheets_and_scripts_and_looks_like_nl_design_system(browser, make_run_server):
    context = browser.new_context(base_url=make_run_server, locale="nl-NL")
    page = context.new_page()
    assets = {}
    page.on("response", lambda r: assets.update({r.url: r}) if "/static/" in r.url else None)
    page.goto("/inloggen/")
    page.wait_for_load_state("networkidle")

    kinds = {url.rsplit("/", 1)[-1]: (r.status, r.headers.get("content-type", "")) for url, r in assets.items()}
    assert kinds["index.css"][0] == 200 and kinds["index.css"][1].startswith("text/css"), kinds
    assert kinds["site.css"][0] == 200 and kinds["site.css"][1].startswith("text/css"), kinds
    assert kinds["htmx.min.js"][0] == 200 and kinds["htmx.min.js"][1].startswith("text/javascript"), kinds
    assert len([url for url in assets if url.endswith(".css")]) == 3
    assert page.evaluate("() => typeof window.htmx") == "object", "htmx did not load"

    # The design tokens reached the page: the body's font and the primary button's colour are the tokens'.
    look = page.evaluate(
        """() => {
            const probe = document.createElement('div');
            probe.style.backgroundColor = 'var(--utrecht-button-primary-action-background-color)';
            probe.style.fontFamily = 'var(--utrecht-document-font-family)';
            document.body.appendChild(probe);
            const token = getComputedStyle(probe);
            const button = document.querySelector('.utrecht-button--primary-action');
            return {
                tokenColour: token.backgroundColor, tokenFont: token.fontFamily,
                buttonColour: getComputedStyle(button).backgroundColor,
                bodyFont: getComputedStyle(document.body).fontFamily,
            };
        }"""
    )
    assert look["tokenColour"] not in ("", "rgba(0, 0, 0, 0)"), look
    assert look["buttonColour"] == look["tokenColour"], look
    assert look["bodyFont"] == look["tokenFont"] and "Times" not in look["bodyFont"], look
    screenshot(page, "make-run-login")
    context.close()
