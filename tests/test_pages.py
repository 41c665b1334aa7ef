"""The pages a user reaches in this foundation: sign in, my work, a case, the admin."""

import pytest

from woonzeker.cases.constants import State

pytestmark = pytest.mark.django_db


def test_pages_require_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")


def test_sign_in_page_is_dutch_by_default(client):
    response = client.get("/inloggen/")
    assert '<html lang="nl">' in response.content.decode()
    assert "Inloggen" in response.content.decode()


def test_interface_available_in_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/inloggen/"})
    response = client.get("/inloggen/")
    assert '<html lang="en">' in response.content.decode()
    assert "Sign in" in response.content.decode()


def test_my_work_lists_own_open_cases_only(client, world, make_case):
    make_case(State.SIGNAL, tenant_name="Piet Pieters")
    make_case(State.CLOSED, tenant_name="Gesloten Geval")
    client.force_login(world.corporation_worker)
    page = client.get("/").content.decode()
    assert "Piet Pieters" in page
    assert "Gesloten Geval" not in page
    client.force_login(world.other_corporation_worker)
    assert "Piet Pieters" not in client.get("/").content.decode()


def test_case_of_another_organisation_does_not_exist(client, world, make_case):
    case = make_case(State.REFERRED)
    client.force_login(world.other_corporation_worker)
    assert client.get(f"/dossiers/{case.pk}/").status_code == 404
    client.force_login(world.other_team_worker)
    assert client.get(f"/dossiers/{case.pk}/").status_code == 404


def test_internal_notes_are_shown_to_the_team_not_the_corporation(client, world, make_case):
    case = make_case(State.FEEDBACK_SENT)
    client.force_login(world.team_worker)
    page = client.get(f"/dossiers/{case.pk}/").content.decode()
    assert "Vertrouwelijk: verslaving." in page and "Huurder werkt mee." in page
    client.force_login(world.corporation_worker)
    page = client.get(f"/dossiers/{case.pk}/").content.decode()
    assert "Vertrouwelijk: verslaving." not in page
    assert "Huurder werkt mee." in page


def test_case_page_shows_deadline_and_history(client, world, make_case):
    case = make_case(State.REFERRED, established_days_ago=50)
    client.force_login(world.corporation_worker)
    page = client.get(f"/dossiers/{case.pk}/").content.decode()
    assert "deadline-overdue" in page  # the analysis is 26 days late
    assert page.count("<li><time") == case.events.count()


def test_municipality_user_gets_no_personal_files(client, world, make_case):
    make_case(State.REFERRED, tenant_name="Piet Pieters")
    client.force_login(world.municipality_user)
    page = client.get("/").content.decode()
    assert "Piet Pieters" not in page
    assert "geen persoonlijke dossiers" in page


def test_admin_is_for_functional_administrators_only(client, world):
    client.force_login(world.team_coordinator)
    assert client.get("/beheer/").status_code == 302
    client.force_login(world.functional_admin)
    assert client.get("/beheer/").status_code == 200
    assert client.get("/beheer/covenants/covenant/").status_code == 200


def test_my_work_puts_the_soonest_deadline_first_and_marks_overdue(client, world, make_case):
    make_case(State.SIGNAL, established_days_ago=5, tenant_name="Later Due")
    make_case(State.SIGNAL, established_days_ago=50, tenant_name="Long Overdue")
    make_case(State.SIGNAL, established_days_ago=40, tenant_name="Due Soon")
    client.force_login(world.corporation_worker)
    page = client.get("/").content.decode()
    assert page.index("Long Overdue") < page.index("Due Soon") < page.index("Later Due")
    assert page.count("(te laat)") == 1


def test_history_is_shown_in_words(client, world, make_case):
    case = make_case(State.REFERRED)
    client.force_login(world.team_worker)
    page = client.get(f"/dossiers/{case.pk}/").content.decode()
    assert "Melden bij het sociaal team → Gemeld" in page
    assert "Achterstand vaststellen → Signaal" in page
    assert "establish_signal" not in page


def test_a_case_one_may_not_read_is_not_found_in_dutch_in_the_sites_layout(client, world, make_case):
    case = make_case(State.REFERRED)
    client.force_login(world.other_corporation_worker)
    response = client.get(f"/dossiers/{case.pk}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Niet gevonden" in page and "Mijn werk" in page  # the site's own page, its menu too
    assert "Not Found" not in page and case.tenancy.tenant_name not in page


@pytest.mark.django_db
def test_an_expired_form_is_explained_in_dutch():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/inloggen/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Dit formulier is verlopen" in page and "Er is niets opgeslagen" in page
    assert "Forbidden" not in page and "CSRF" not in page


@pytest.mark.django_db
def test_a_request_for_another_host_is_refused_in_dutch(client):
    response = client.get("/inloggen/", HTTP_HOST="woonzeker.elders.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Dit verzoek kan Woonzeker niet verwerken" in page and "Bad Request" not in page
