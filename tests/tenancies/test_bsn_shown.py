"""The BSN is shown masked (*****2333); in full only to the social service brought into the case; never in
the audit trail, the log lines or the notifications; found in the work queue only through its keyed hash."""

import logging

import pytest
from django.core import mail

from tests.factories import client_for, give_consent
from woonzeker.audit.models import AuditEntry
from woonzeker.cases import services
from woonzeker.cases.constants import State

pytestmark = pytest.mark.django_db
BSN = "111222333"
MASKED = "*****2333"


@pytest.fixture
def case(world, make_case):
    case = make_case(State.CARE_TRAJECTORY, bsn=BSN)
    give_consent(world.team_worker, case)
    services.request_involvement(world.team_worker, case, organisation=world.social_service)
    return case


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("corporation_worker", MASKED),
        ("team_worker", MASKED),
        ("health_service_worker", None),  # not brought in: the case does not exist for it
        ("social_service_worker", BSN),
        ("municipality_user", None),
    ],
)
def test_case_page_and_api_show_the_bsn_as_the_authorization_table_says(client, world, case, who, shown):
    user = getattr(world, who)
    client.force_login(user)
    response = client.get(f"/dossiers/{case.pk}/")
    api = client_for(user).get(f"/api/v1/cases/{case.pk}/")
    if shown is None:
        assert (response.status_code, api.status_code) == (404, 404)
        return
    page = response.content.decode()
    assert f'<dd class="wz-bsn">{shown}</dd>' in page
    assert api.json()["bsn"] == shown
    if shown == MASKED:
        assert BSN not in page and BSN not in api.content.decode()


def test_a_case_without_a_bsn_shows_no_bsn_row(client, world, make_case):
    case = make_case(State.SIGNAL)
    client.force_login(world.corporation_worker)
    assert "wz-bsn" not in client.get(f"/dossiers/{case.pk}/").content.decode()
    assert client_for(world.corporation_worker).get(f"/api/v1/cases/{case.pk}/").json()["bsn"] == ""


def test_the_full_bsn_stays_out_of_the_audit_trail_the_logs_and_mail(client, world, case, caplog):
    with caplog.at_level(logging.DEBUG):
        client.force_login(world.social_service_worker)
        assert BSN in client.get(f"/dossiers/{case.pk}/").content.decode()
        client_for(world.social_service_worker).get(f"/api/v1/cases/{case.pk}/")
        client.force_login(world.corporation_worker)
        client.get(f"/?q={BSN}")
    trail = " ".join(f"{e.what} {e.reason} {e.case_ids}" for e in AuditEntry.objects.all())
    assert AuditEntry.objects.exists() and BSN not in trail
    assert BSN not in caplog.text.replace(f"q={BSN}", "")  # the query string of the search itself aside
    assert all(BSN not in message.body + message.subject for message in mail.outbox)


def test_the_work_queue_finds_a_case_by_its_full_bsn_through_the_hash(client, world, case, make_case):
    other = make_case(State.SIGNAL, bsn="123456782")
    client.force_login(world.corporation_worker)
    found = client.get("/", {"q": "111 222 333"}).context["page"].object_list
    assert [c.pk for c in found] == [case.pk]
    assert other.pk != case.pk
    assert list(client.get("/", {"q": "2333"}).context["page"].object_list) == []  # no search by part of a BSN
