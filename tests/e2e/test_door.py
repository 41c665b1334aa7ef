"""The door as a person meets it: password, setting up the authenticator app, the code, a lockout."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, check_accessibility, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_first_sign_in_sets_up_the_app_from_the_secret_on_the_page(page, world):
    user = world.team_worker  # no authenticator yet
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw authenticator-app instellen")
    expect(page.get_by_role("img", name="QR-code voor uw authenticator-app")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "door-enrol")
    # What a person types into the app by hand, and what the app then shows.
    secret = page.locator(".wz-secret").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code", exact=True).fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw reservecodes")
    assert len(re.findall(r"\b[0-9a-f]{8}\b", page.locator(".wz-codes").inner_text())) == 10
    check_accessibility(page)
    page.get_by_role("link", name="Verder").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mijn werk")


def test_sign_in_with_the_code_from_the_app(page, world):
    login(page, world.corporation_worker)  # password, then the code computed from the app's key
    expect(page.get_by_role("link", name="Reservecodes")).to_be_visible()


def test_the_code_page_explains_a_wrong_code(page, world):
    from tests.e2e.conftest import current_code, give_authenticator

    give_authenticator(world.corporation_worker)
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(world.corporation_worker.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    wrong = f"{(int(current_code()) + 1) % 1_000_000:06d}"
    page.get_by_label("Code", exact=True).fill(wrong)
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_text("Deze code klopt niet").first).to_be_visible()
    check_accessibility(page)
    screenshot(page, "door-wrong-code")


def test_too_many_wrong_passwords_lock_the_sign_in_with_a_reason(page, world):
    page.goto("/inloggen/")
    for _ in range(5):
        page.get_by_label("Gebruikersnaam").fill(world.corporation_worker.username)
        page.get_by_label("Wachtwoord").fill("niet-het-wachtwoord")
        page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_contain_text("15 minuten geblokkeerd")
    check_accessibility(page)
    screenshot(page, "door-locked")


def test_a_forgotten_password_is_set_anew_through_the_mailed_link(page, world):
    from django.core import mail

    from tests.e2e.conftest import give_authenticator

    user = world.corporation_worker
    user.email = "medewerker@merwehaven.example"
    user.save()
    give_authenticator(user)  # a link goes only to an account whose second factor is set up
    page.goto("/inloggen/")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    check_accessibility(page)
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_role("button", name="Link versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kijk in uw e-mail")
    check_accessibility(page)
    link = re.search(r"https?://[^/]+(/inloggen/nieuw-wachtwoord/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("kort")
    page.get_by_label("Nieuw wachtwoord bevestigen").fill("kort")
    page.get_by_role("button", name="Wachtwoord instellen").click()
    expect(page.get_by_role("alert")).to_contain_text("Dit wachtwoord is te kort")
    check_accessibility(page)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("paars-nijlpaard-op-de-fiets")
    page.get_by_label("Nieuw wachtwoord bevestigen").fill("paars-nijlpaard-op-de-fiets")
    page.get_by_role("button", name="Wachtwoord instellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw wachtwoord is gewijzigd")
    check_accessibility(page)
    screenshot(page, "door-new-password")
