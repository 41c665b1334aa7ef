"""Correcting a household's address and contact details: by the corporation and the team, covered by a team,
each change a line in the case's history."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import client_for
from woonzeker.cases import services
from woonzeker.cases.constants import State
from woonzeker.cases.models import CaseEvent

pytestmark = pytest.mark.django_db


def correct(client, case, **data):
    fields = {
        "street": case.tenancy.street,
        "house_number": case.tenancy.house_number,
        "house_number_suffix": case.tenancy.house_number_suffix,
        "postcode": case.tenancy.postcode,
        "town": case.tenancy.town,
        "phone": case.tenancy.phone,
        "email": "",
        **data,
    }
    return client.post(
        f"/dossiers/{case.pk}/correct_household/", {f"correct_household-{k}": v for k, v in fields.items()}
    )


def test_the_corporation_corrects_the_address_and_the_history_says_from_what_to_what(client, world, make_case):
    case = make_case(State.SIGNAL, street="Voorstraat", house_number="12")
    client.force_login(world.corporation_worker)
    assert correct(client, case, street="Singel", house_number_suffix="B").status_code == 302
    case.tenancy.refresh_from_db()
    assert (case.tenancy.street, case.tenancy.house_number_suffix) == ("Singel", "B")
    page = client.get(f"/dossiers/{case.pk}/").content.decode()
    assert "Adres en contactgegevens verbeteren" in page
    assert "Straat: Voorstraat → Singel" in page and "Toevoeging: — → B" in page
    event = case.events.last()
    assert event.details == {
        "changes": [
            {"field": "street", "from": "Voorstraat", "to": "Singel"},
            {"field": "house_number_suffix", "from": "", "to": "B"},
        ]
    }


def test_every_party_on_the_case_reads_the_correction_in_the_history(client, world, make_case):
    case = make_case(State.REFERRED, phone="078-1111111")
    client.force_login(world.team_worker)
    assert correct(client, case, phone="06-22222222").status_code == 302
    client.force_login(world.corporation_worker)
    assert "Telefoon: 078-1111111 → 06-22222222" in client.get(f"/dossiers/{case.pk}/").content.decode()


def test_a_corrected_postcode_no_team_covers_is_refused_on_the_postcode_and_changes_nothing(client, world, make_case):
    case = make_case(State.SIGNAL)
    events = case.events.count()
    client.force_login(world.corporation_worker)
    response = correct(client, case, postcode="3350 AB", street="Singel")
    page = response.content.decode()
    assert response.status_code == 400
    assert (
        "Geen sociaal team werkt in postcode 3350 AB in Dordrecht" in page
        and 'href="#id_correct_household-postcode"' in page
    )
    case.tenancy.refresh_from_db()
    assert (case.tenancy.postcode, case.tenancy.street) == ("3311AB", "Voorstraat")
    assert case.events.count() == events


def test_a_postcode_that_is_no_postcode_is_named_in_dutch(client, world, make_case):
    case = make_case(State.SIGNAL)
    client.force_login(world.corporation_worker)
    response = correct(client, case, postcode="33A")
    assert response.status_code == 400
    assert "is geen Nederlandse postcode" in response.content.decode()
    case.tenancy.refresh_from_db()
    assert case.tenancy.postcode == "3311AB"


def test_a_referred_case_stays_with_its_team_when_the_postcode_moves_to_another_teams_area(world, make_case):
    case = make_case(State.REFERRED)
    services.correct_household(world.team_worker, case, postcode="3320AB")
    case.refresh_from_db()
    assert case.social_team == world.team  # its analysis and deadline stay that team's
    assert case.tenancy.postcode == "3320AB"


def test_a_signal_corrected_into_another_teams_area_is_referred_there(world, make_case, today):
    case = make_case(State.SIGNAL)
    services.correct_household(world.corporation_worker, case, postcode="3320 ab")
    services.record_approach(world.corporation_worker, case, channel="letter", approached_on=today, reached=True)
    services.refer(world.corporation_worker, case, referred_on=today)
    assert case.social_team == world.other_team


def test_the_email_address_is_replaced_or_removed_but_shown_nowhere(client, world, make_case):
    case = make_case(State.SIGNAL, email="oud@example.org")
    client.force_login(world.corporation_worker)
    assert "oud@example.org" not in client.get(f"/dossiers/{case.pk}/").content.decode()  # not in the form either
    assert correct(client, case, email="nieuw@example.org").status_code == 302
    case.tenancy.refresh_from_db()
    assert case.tenancy.email == "nieuw@example.org"
    page = client.get(f"/dossiers/{case.pk}/").content.decode()
    assert "E-mailadres: gewijzigd" in page
    assert "oud@example.org" not in page and "nieuw@example.org" not in page
    assert case.events.last().details == {"changes": [{"field": "email"}]}
    assert correct(client, case, remove_email="on").status_code == 302
    case.tenancy.refresh_from_db()
    assert case.tenancy.email == ""


def test_a_correction_that_changes_nothing_is_refused(client, world, make_case):
    case = make_case(State.SIGNAL)
    events = case.events.count()
    client.force_login(world.corporation_worker)
    response = correct(client, case)
    assert response.status_code == 400
    assert "Er is niets gewijzigd" in response.content.decode()
    assert case.events.count() == events


def test_an_empty_street_is_refused_on_the_street(world, make_case):
    case = make_case(State.SIGNAL)
    with pytest.raises(ValidationError) as refused:
        services.correct_household(world.corporation_worker, case, street="  ")
    assert list(refused.value.message_dict) == ["street"]


def test_a_closed_case_offers_no_correction(client, world, make_case):
    case = make_case(State.CLOSED)
    client.force_login(world.team_worker)
    assert "correct_household" not in client.get(f"/dossiers/{case.pk}/").content.decode()
    assert correct(client, case, street="Singel").status_code == 400
    case.tenancy.refresh_from_db()
    assert case.tenancy.street == "Voorstraat"


def test_the_api_corrects_only_the_fields_it_sends(world, make_case):
    case = make_case(State.REFERRED, phone="078-1111111")
    response = client_for(world.team_worker).post(
        f"/api/v1/cases/{case.pk}/moves/correct_household/", {"phone": "06-33333333"}, format="json"
    )
    assert response.status_code == 200, response.json()
    case.tenancy.refresh_from_db()
    assert (case.tenancy.phone, case.tenancy.street, case.tenancy.postcode) == ("06-33333333", "Voorstraat", "3311AB")
    event = CaseEvent.objects.filter(case=case).last()
    assert (event.action, event.organisation_id) == ("correct_household", world.team.pk)
