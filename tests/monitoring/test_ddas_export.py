"""The DDAS Vroegsignalering v1.2 exchange file: valid against the schema, limited and audit-logged."""

import json
from datetime import timedelta

import pytest
from jsonschema import ValidationError

from tests.factories import TenancyFactory, UserFactory
from woonzeker.accounts.models import Role
from woonzeker.audit.models import AuditEntry
from woonzeker.cases import services
from woonzeker.cases.constants import Outcome, State
from woonzeker.monitoring import ddas
from woonzeker.monitoring.periods import Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world, make_case, today):
    closed = make_case(State.CLOSED, established_days_ago=100, bsn="111222333")
    signal = make_case(State.SIGNAL, established_days_ago=5, house_number_suffix="A")
    resolved = make_case(State.RESOLVED_BEFORE_REFERRAL, established_days_ago=30)
    household = TenancyFactory(corporation=None, contract_number="", municipality=world.dordrecht)
    safe_home = services.refer_from_safe_home(world.safe_home_worker, household, referred_on=today)
    return {"closed": closed, "signal": signal, "resolved": resolved, "safe_home": safe_home}


def test_exchange_file_is_valid_against_the_schema(world, cases, today):
    period = Period("p", today - timedelta(days=365), today, "p")
    document = ddas.exchange_file(
        world.dordrecht, world.municipality, world.municipality_user, period, ddas.cases_for(world.dordrecht, period)
    )
    ddas.validator().validate(document)  # raises if not
    delivery = document["leveringen"][0]
    assert delivery["gemeentecode"] == "0505"
    signals = {s["ID"]: s for s in delivery["vroegsignalen"]}
    closed = signals[f"WZ-{cases['closed'].pk}"]
    assert closed["client"] == {"burgerservicenummer": "111222333"}
    assert (closed["signaalpartner"]["type"], closed["status"], closed["bedrag"]) == ("Huur", "Opgepakt", 700)
    assert signals[f"WZ-{cases['signal'].pk}"]["status"] == "Nog niet opgepakt"
    assert signals[f"WZ-{cases['signal'].pk}"]["client"]["huisnummertoevoeging"] == "A"
    assert signals[f"WZ-{cases['resolved'].pk}"]["status"] == "Niet opgepakt: andere reden"
    assert signals[f"WZ-{cases['safe_home'].pk}"]["signaalpartner"]["type"] == "Overige"
    zaken = {z["vroegsignalen"][0]["ID"]: z for z in delivery["vroegsignaalzaken"]}
    assert set(zaken) == {f"WZ-{cases['closed'].pk}", f"WZ-{cases['safe_home'].pk}"}
    closed_case = zaken[f"WZ-{cases['closed'].pk}"]
    assert closed_case["resultaat"] == "Vervolghulp en/of verwijzing financieel"  # arrears cleared
    assert closed_case["contactpogingen"] == [
        {"soort": "Brief", "bereikt": True, "datum": cases["closed"].approaches.get().approached_on.isoformat()}
    ]


def test_withdrawn_signal_maps_to_the_standards_status(world, make_case, today):
    case = make_case(State.SIGNAL, established_days_ago=5)
    services.withdraw_signal(world.corporation_coordinator, case, outcome=Outcome.DECEASED, closed_on=today)
    period = Period("p", today - timedelta(days=30), today, "p")
    document = ddas.exchange_file(world.dordrecht, world.municipality, world.municipality_user, period, [case])
    assert document["leveringen"][0]["vroegsignalen"][0]["status"] == "Inwoner is overleden"


def test_an_invalid_file_is_never_handed_out(world, today):
    period = Period("p", today, today, "p")
    world.dordrecht.cbs_code = 505  # not a string: the schema refuses it
    with pytest.raises(ValidationError):
        ddas.exchange_file(world.dordrecht, world.municipality, world.municipality_user, period, [])


def test_download_is_for_municipality_coordinators_and_is_audit_logged(client, world, cases, today):
    client.force_login(world.municipality_user)
    response = client.post("/monitoring/ddas/", {"periode": str(today.year), "reden": "Levering CBS"})
    assert response.status_code == 200
    document = json.loads(response.content)
    ddas.validator().validate(document)
    entry = AuditEntry.objects.get(action="export")  # beside the sign-in
    assert (entry.username, entry.action, entry.reason) == (world.municipality_user.username, "export", "Levering CBS")
    assert set(entry.case_ids) >= {cases["signal"].pk, cases["safe_home"].pk}


def test_download_needs_a_purpose(client, world, cases, today):
    client.force_login(world.municipality_user)
    response = client.post("/monitoring/ddas/", {"periode": str(today.year), "reden": ""})
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action="export").exists()


@pytest.mark.parametrize("who", ["team_coordinator", "corporation_worker"])
def test_other_parties_cannot_download(client, world, who, today):
    client.force_login(getattr(world, who))
    assert client.post("/monitoring/ddas/", {"periode": str(today.year), "reden": "x"}).status_code == 403


def test_municipality_case_worker_cannot_download(client, world, today):
    client.force_login(UserFactory(organisation=world.municipality, role=Role.CASE_WORKER))
    assert client.post("/monitoring/ddas/", {"periode": str(today.year), "reden": "x"}).status_code == 403
