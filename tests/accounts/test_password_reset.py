"""A forgotten password: a link by e-mail that works once; it tells no one which addresses exist, and the
second factor still follows."""

import re
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from woonzeker.audit.models import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.real_second_factor]

NEW_PASSWORD = "paars-nijlpaard-op-de-fiets"


@pytest.fixture
def person(world):
    """A social team's case worker with an e-mail address, who has set up an authenticator app."""
    user = world.team_worker
    user.email = "j.devries@wijkteam-noord.example"
    user.save()
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


def ask_for_a_link(client, address):
    return client.post("/inloggen/wachtwoord-vergeten/", {"email": address})


def link_in(message):
    return re.search(re.escape(settings.SITE_URL) + r"(/inloggen/nieuw-wachtwoord/\S+/)", message.body).group(1)


def set_password(client, link, password=NEW_PASSWORD, again=None):
    form_page = client.get(link)  # the token moves from the address into the session
    assert form_page.status_code == 302
    return client.post(form_page["Location"], {"new_password1": password, "new_password2": again or password})


def test_the_sign_in_page_leads_to_the_forgotten_password_page(client):
    page = client.get("/inloggen/").content.decode()
    assert 'href="/inloggen/wachtwoord-vergeten/"' in page and "Wachtwoord vergeten?" in page


def test_a_link_by_e_mail_sets_a_new_password_and_the_code_still_follows(client, person):
    response = ask_for_a_link(client, "J.deVries@wijkteam-noord.example")  # the address as people type it
    assert response["Location"] == "/inloggen/wachtwoord-vergeten/verstuurd/"
    [message] = mail.outbox
    assert message.to == [person.email]
    assert message.subject == "Woonzeker: stel een nieuw wachtwoord in"
    assert person.username in message.body and "werkt één keer" in message.body

    response = set_password(client, link_in(message))
    assert response["Location"] == "/inloggen/nieuw-wachtwoord/klaar/"
    assert "Uw wachtwoord is gewijzigd" in client.get(response["Location"]).content.decode()

    fresh = Client()
    refused = fresh.post("/inloggen/", {"username": person.username, "password": "correct-horse-battery"})
    assert refused.status_code == 200 and "niet overeen" in refused.content.decode()
    assert fresh.post("/inloggen/", {"username": person.username, "password": NEW_PASSWORD}).status_code == 302
    assert fresh.get("/")["Location"].startswith("/inloggen/code/")  # the code from the app, not the cases

    trail = list(AuditEntry.objects.order_by("pk").values_list("username", "what"))
    assert ("system", f"password reset: link e-mailed to {person.username}") in trail
    assert (person.username, "password set through a reset link") in trail


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, person):
    known = ask_for_a_link(client, person.email)
    unknown = ask_for_a_link(client, "niemand@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [message.to for message in mail.outbox] == [[person.email]]


def test_an_inactive_account_gets_no_link(client, person):
    person.is_active = False
    person.save()
    ask_for_a_link(client, person.email)
    assert mail.outbox == []


def test_an_account_without_its_second_factor_set_up_gets_no_link(client, person, world, caplog):
    """Its first sign-in sets up the authenticator app on the password alone: a link would hand the account
    to whoever reads the mailbox. An account that needs no second factor gets one."""
    TOTPDevice.objects.filter(user=person).delete()
    assert ask_for_a_link(client, person.email)["Location"] == "/inloggen/wachtwoord-vergeten/verstuurd/"
    assert mail.outbox == []
    assert "no link for an account without a second factor" in caplog.text
    aggregates_only = world.municipality_user
    aggregates_only.role = "case_worker"  # a municipality's case worker sees figures only: no second factor
    aggregates_only.email = "cijfers@dordrecht.example"
    aggregates_only.save()
    ask_for_a_link(client, aggregates_only.email)
    assert [message.to for message in mail.outbox] == [[aggregates_only.email]]


def test_one_link_per_account_in_the_interval(client, person, settings):
    assert settings.PASSWORD_RESET_MAIL_INTERVAL == 300
    for _ in range(3):
        assert ask_for_a_link(client, person.email).status_code == 302
    assert len(mail.outbox) == 1


def test_a_link_works_once(client, person):
    ask_for_a_link(client, person.email)
    link = link_in(mail.outbox[0])
    set_password(client, link)
    page = Client().get(link).content.decode()
    assert "Deze link werkt niet meer" in page
    assert 'name="new_password1"' not in page


def test_the_new_password_follows_the_password_rules_in_dutch(client, person):
    ask_for_a_link(client, person.email)
    response = set_password(client, link_in(mail.outbox[0]), password="kort")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dit wachtwoord is te kort" in page
    mismatch = client.post(response.request["PATH_INFO"], {"new_password1": NEW_PASSWORD, "new_password2": "x"})
    assert "De twee wachtwoordvelden komen niet overeen" in mismatch.content.decode()
    person.refresh_from_db()
    assert person.check_password("correct-horse-battery")  # nothing changed


def test_a_new_password_signs_out_every_other_session(client, person):
    elsewhere = Client()
    elsewhere.force_login(person)
    assert elsewhere.get("/meldingen/")["Location"].startswith("/inloggen/code/")  # signed in there
    ask_for_a_link(client, person.email)
    set_password(client, link_in(mail.outbox[0]))
    assert elsewhere.get("/meldingen/")["Location"].startswith("/inloggen/?next=")  # signed out


def test_the_link_expires_after_an_hour(client, person, monkeypatch):
    ask_for_a_link(client, person.email)
    link = link_in(mail.outbox[0])
    later = datetime.now() + timedelta(minutes=61)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    assert "Deze link werkt niet meer" in client.get(link).content.decode()


def test_the_link_goes_to_the_site_url_whatever_host_the_request_named(client, person, settings):
    """Like every e-mail's link (``SITE_URL``): not to the host a request happened to name, one of several the
    server answers to (``ALLOWED_HOSTS``), nor over HTTP because the request came in that way."""
    settings.SITE_URL = "https://woonzeker.example.nl"
    settings.ALLOWED_HOSTS = ["woonzeker.example.nl", "app-1.intern.example"]
    client.post("/inloggen/wachtwoord-vergeten/", {"email": person.email}, HTTP_HOST="app-1.intern.example")
    [message] = mail.outbox
    assert "https://woonzeker.example.nl/inloggen/nieuw-wachtwoord/" in message.body
    assert "intern.example" not in message.body and "http://" not in message.body
