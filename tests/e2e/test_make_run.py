"""`make run` is the product: the server `make run` starts (the Makefile's target itself, ``make_run``) serves
the stylesheets and scripts itself (whitenoise, from STATIC_ROOT after collectstatic), and the pages have the NL
Design System look. Not Django's test server: its static-files handler would hide a server that serves none."""

from tests.e2e.conftest import screenshot


def test_make_run_serves_its_stylesheets_and_scripts_and_looks_like_nl_design_system(browser, make_run):
    context = browser.new_context(base_url=make_run.url, locale="nl-NL")
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
