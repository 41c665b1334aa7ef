"""The privacy officer: searches and exports the audit trail, answers access requests, sees no case file."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.factories import MunicipalityFactory, TenancyFactory, UserFactory, give_consent
from woonzeker.accounts.models import Role
from woonzeker.audit import services as audit
from woonzeker.audit.models import AuditAction, AuditEntry
from woonzeker.cases import services
from woonzeker.cases.constants import State
from woonzeker.notifications.models import Kind
from woonzeker.notifications.services import notify
from woonzeker.privacy.audit_search import containing_cases, naming_cases_as_text, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, world):
    client.force_login(world.privacy_officer)
    return client


@pytest.fixture
def person(make_case, world):
    """A household with a case in a care trajectory, read by the team, with the social service brought in."""
    case = make_case(State.CARE_TRAJECTORY, tenant_name="Jansen-de Boer", bsn="111222333", contract_number="K-77")
    give_consent(world.team_worker, case)
    services.request_involvement(world.team_worker, case, organisation=world.social_service, question="Budget")
    audit.record(world.team_worker, AuditAction.READ, f"case {case.pk}", cases=[case.pk])
    audit.record(world.team_worker, AuditAction.READ, f"case {case.pk + 100}", cases=[case.pk + 100])
    return case


@pytest.mark.parametrize(
    "party",
    ["corporation_worker", "team_coordinator", "social_service_worker", "municipality_user", "functional_admin"],
)
def test_only_the_privacy_officer_reaches_the_pages(client, world, person, party):
    client.force_login(getattr(world, party))
    assert client.get("/privacy/?gebruiker=x").status_code == 403
    assert client.get(f"/privacy/inzage/{person.tenancy.pk}/").status_code == 403
    assert client.post(f"/privacy/inzage/{person.tenancy.pk}/", {"reason": "x"}).status_code == 403


def test_the_officer_sees_no_case_file(officer_client, person):
    assert officer_client.get(f"/dossiers/{person.pk}/").status_code == 404
    assert f"/dossiers/{person.pk}/" not in officer_client.get("/").content.decode()


def test_a_privacy_officer_works_for_a_municipality(world):
    user = UserFactory.build(organisation=world.corporation, role=Role.PRIVACY_OFFICER)
    with pytest.raises(ValidationError, match="municipality"):
        user.clean()


@pytest.mark.parametrize("query", ["jansen", "111222333", "K-77"])
def test_search_by_person_finds_the_entries_about_their_cases(officer_client, person, query):
    page = officer_client.get("/privacy/", {"persoon": query}).content.decode()
    assert "Jansen-de Boer" in page
    assert f"Dossier {person.pk}<" in page
    assert f"Dossier {person.pk + 100}<" not in page  # a number that merely contains the case's is not a match
    logged = AuditEntry.objects.order_by("-pk").first()
    assert (logged.what, logged.case_ids) == ("audit trail search", [person.pk])
    assert "Jansen" not in logged.reason  # the log names the household, not the name searched for


def test_the_trail_by_case_finds_the_entries_naming_it_and_not_a_longer_number(world):
    for what, cases in [("only 12", [12]), ("112 and 5", [112, 5]), ("3, 12, 40", [3, 12, 40]), ("none", [])]:
        audit.record(world.team_worker, AuditAction.READ, what, cases=cases)
    assert {entry.what for entry in search(case_ids=[12])} == {"only 12", "3, 12, 40"}
    assert {entry.what for entry in search(case_ids=[5, 40])} == {"112 and 5", "3, 12, 40"}
    assert not search(case_ids=[1]).exists() and not search(case_ids=[]).exists()
    if connection.vendor == "postgresql":  # the index's way (``@>``) and the text's way (SQLite's) agree
        for ids in ([12], [5, 40], [1]):
            entries = AuditEntry.objects.all()
            assert set(containing_cases(entries, ids)) == set(naming_cases_as_text(entries, ids))


def test_search_by_user_and_period(officer_client, world, person, today):
    page = officer_client.get("/privacy/", {"gebruiker": world.team_worker.username}).content.decode()
    assert f"Dossier {person.pk}<" in page
    page = officer_client.get("/privacy/", {"gebruiker": world.corporation_worker.username}).content.decode()
    assert f"Dossier {person.pk}<" not in page
    page = officer_client.get("/privacy/", {"van": today.replace(year=today.year - 1).isoformat(), "tot": "2000-01-01"})
    assert page.status_code == 400 and "De periode eindigt voordat hij begint" in page.content.decode()
    assert (
        "Zoek op persoon, gebruiker, periode of resultaat" in officer_client.get("/privacy/?persoon=+").content.decode()
    )


def test_a_person_outside_the_covenant_is_not_found(officer_client, world):
    elsewhere = MunicipalityFactory(name="Rotterdam", cbs_code="0599")
    TenancyFactory(tenant_name="Pietersen", municipality=elsewhere)
    page = officer_client.get("/privacy/", {"persoon": "Pietersen"}).content.decode()
    assert "Geen persoon gevonden." in page and "/privacy/inzage/" not in page


def test_the_export_is_a_csv_and_is_logged(officer_client, person):
    response = officer_client.get("/privacy/", {"persoon": "K-77", "formaat": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert f"Dossier {person.pk}" in body and f"Dossier {person.pk + 100}" not in body
    logged = AuditEntry.objects.order_by("-pk").first()
    assert (logged.action, logged.what, logged.case_ids) == ("export", "audit trail export", [person.pk])


def test_an_access_request_needs_a_reason(officer_client, person):
    response = officer_client.post(f"/privacy/inzage/{person.tenancy.pk}/", {"reason": ""})
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(what__startswith="access request").exists()


def test_the_access_request_page_shows_everything_and_is_logged(officer_client, person):
    url = f"/privacy/inzage/{person.tenancy.pk}/"
    assert "Inzageverzoek" in officer_client.get(url).content.decode()
    page = officer_client.post(url, {"reason": "Verzoek huurder 12-03, kenmerk AVG-1"}).content.decode()
    for expected in [
        "Jansen-de Boer",
        "111222333",  # the BSN stored
        "Vertrouwelijk: verslaving.",  # the team's internal notes: stored about them, so shown
        "Huurder werkt mee.",
        "Budget",  # the question to the service brought in
        "Toestemming om te delen",
        "Geschiedenis",
        "Audittrail over deze dossiers",
        f"Dossier {person.pk}",
    ]:
        assert expected in page, expected
    logged = AuditEntry.objects.order_by("-pk").first()
    assert logged.what == f"access request for household {person.tenancy.pk} (page)"
    assert (logged.action, logged.reason, logged.case_ids) == (
        "export",
        "Verzoek huurder 12-03, kenmerk AVG-1",
        [person.pk],
    )


def test_the_access_request_downloads_as_json(officer_client, person):
    response = officer_client.post(f"/privacy/inzage/{person.tenancy.pk}/", {"reason": "AVG-2", "json": ""})
    assert response["Content-Disposition"] == f'attachment; filename="inzage-{person.tenancy.pk}.json"'
    document = json.loads(response.content)
    assert document["household"][0]["tenant_name"] == "Jansen-de Boer"
    assert document["reason"] == "AVG-2"
    (case,) = document["cases"]
    assert case["case"][0]["id"] == person.pk
    assert case["analysis"][0]["internal_notes"] == "Vertrouwelijk: verslaving."
    assert case["consents"][0]["given_by"] == "Jansen-de Boer"
    assert case["involvements"][0]["question"] == "Budget"
    assert any(e["action"] == "request_involvement" for e in case["events"])
    assert any(e["what"] == f"case {person.pk}" for e in document["audit_entries"])
    assert AuditEntry.objects.order_by("-pk").first().what.endswith("(JSON)")


def test_an_access_request_outside_the_covenant_does_not_exist(officer_client):
    elsewhere = MunicipalityFactory(name="Rotterdam", cbs_code="0599")
    tenancy = TenancyFactory(municipality=elsewhere)
    assert officer_client.get(f"/privacy/inzage/{tenancy.pk}/").status_code == 404


def test_the_access_request_holds_the_households_notifications_and_no_one_elses(officer_client, world, make_case):
    # A tenant and a case worker share a surname (common in the Netherlands): a notice to the privacy officer
    # about that case worker's unusual access names the worker, not the household, and is about no case.
    case = make_case(State.REFERRED, tenant_name="de Vries")
    worker = UserFactory(organisation=world.team, first_name="Anna", last_name="de Vries")
    notify(
        [world.privacy_officer],
        Kind.UNUSUAL_ACCESS,
        "unusual_access:1:2026-12-01",
        f"Ongebruikelijke toegang op 1 december 2026: {worker} ({world.team}) opende 40 verschillende dossiers "
        "binnen een uur.",
    )
    url = f"/privacy/inzage/{case.tenancy.pk}/"
    page = officer_client.post(url, {"reason": "AVG-3"}).content.decode()
    assert f"Dossier {case.pk} is gemeld bij uw team." in page  # the household's own notification
    assert "Anna de Vries" not in page and "verschillende dossiers" not in page
    document = json.loads(officer_client.post(url, {"reason": "AVG-3", "json": ""}).content)
    assert document["notifications"] and all(f"Dossier {case.pk} " in n["message"] for n in document["notifications"])
    assert "Anna de Vries" not in json.dumps(document)
