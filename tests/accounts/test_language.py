"""Dutch for everyone unless a person chooses English; the browser's language does not decide pages."""

import pytest
from django.urls import reverse

from tests.factories import client_for
from woonzeker.api.models import Scope

pytestmark = pytest.mark.django_db


def test_an_english_browser_still_reads_the_pages_in_dutch(client, world):
    client.force_login(world.corporation_worker)
    response = client.get(reverse("cases:list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="nl"' in response.text
    assert "Mijn werk" in response.text


def test_the_sign_in_page_is_dutch_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="nl"' in response.text


def test_choosing_english_in_the_header_is_kept_on_the_account(client, world):
    user = world.corporation_worker
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("cases:list")})
    user.refresh_from_db()
    assert user.language == "en"
    # Another browser (no cookie), Dutch by its own settings: the account's choice holds.
    other = type(client)()
    other.force_login(user)
    response = other.get(reverse("cases:list"), HTTP_ACCEPT_LANGUAGE="nl")
    assert 'lang="en"' in response.text
    assert "My work" in response.text


def test_a_signed_out_visitor_can_switch_the_sign_in_page_to_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    response = client.get(reverse("login"))
    assert 'lang="en"' in response.text


def test_the_api_keeps_accept_language_for_machine_clients(world, make_case):
    case = make_case()
    api = client_for(world.corporation_worker, [Scope.CASES_READ])
    url = f"/api/v1/cases/{case.pk}/moves/record_approach/"
    dutch = api.post(url, {}, format="json")
    english = api.post(url, {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert dutch.headers["Content-Language"] == "nl" and "bevoegdheid" in dutch.json()["detail"]
    assert english.headers["Content-Language"] == "en" and "bevoegdheid" not in english.json()["detail"]
