"""The case pages: each party's moves through forms, refusals, and what each party may read."""

from decimal import Decimal

import pytest

from tests.factories import TenancyFactory, give_consent
from woonzeker.cases import services
from woonzeker.cases.constants import State

pytestmark = pytest.mark.django_db


def post_move(client, case, move, data):
    return client.post(f"/dossiers/{case.pk}/{move}/", {f"{move}-{k}": v for k, v in data.items()})


def test_move_through_its_form(client, world, make_case, today):
    case = make_case(State.SIGNAL)
    client.force_login(world.corporation_worker)
    response = post_move(
        client, case, "record_approach", {"channel": "letter", "approached_on": today.isoformat(), "reached": "no"}
    )
    assert response.status_code == 302
    assert case.approaches.get().reached is False


def test_invalid_form_is_shown_again_with_the_error_in_dutch(client, world, make_case):
    case = make_case(State.SIGNAL)
    client.force_login(world.corporation_worker)
    response = post_move(client, case, "record_approach", {"channel": "duif", "approached_on": "gisteren"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Herstel het volgende" in page
    assert 'aria-invalid="true"' in page
    assert not case.approaches.exists()


def test_service_refusal_is_shown_on_the_form(client, world, make_case, today):
    case = make_case(State.SIGNAL)
    client.force_login(world.corporation_worker)
    response = post_move(client, case, "refer", {"referred_on": today.isoformat()})
    assert response.status_code == 400
    assert "Leg eerst een actieve benadering van de huurder vast" in response.content.decode()
    case.refresh_from_db()
    assert case.state == State.SIGNAL


def test_move_of_another_party_is_forbidden(client, world, make_case, today):
    case = make_case(State.REFERRED)
    client.force_login(world.corporation_worker)
    response = post_move(client, case, "send_feedback", {"sent_on": today.isoformat()})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Niet toegestaan" in page and "mag dit niet" in page  # the reason, in Dutch, in the site's layout
    assert "Forbidden" not in page


def test_move_on_a_case_not_ones_own_is_not_found(client, world, make_case, today):
    case = make_case(State.SIGNAL)
    client.force_login(world.other_corporation_worker)
    assert post_move(client, case, "record_approach", {"channel": "letter"}).status_code == 404


def test_unknown_move_is_not_found(client, world, make_case):
    case = make_case(State.SIGNAL)
    client.force_login(world.corporation_worker)
    assert client.post(f"/dossiers/{case.pk}/establish_signal/").status_code == 404


def _new_signal(client, world, today, **changes):
    data = {
        "contract_number": "N-9",
        "tenant_name": "Nel Nieuw",
        "street": "Singel",
        "house_number": "3",
        "postcode": "3312AB",
        "town": "Dordrecht",
        "municipality": world.dordrecht.pk,
        "monthly_rent": "650,00",
        "arrears": "1.300,00",
        "established_on": today.isoformat(),
        **changes,
    }
    return client.post("/signalen/nieuw/", data)


def test_new_signal_page_records_tenancy_and_signal(client, world, today):
    client.force_login(world.corporation_worker)
    response = _new_signal(client, world, today, contract_number="N-1", postcode="3312 ab")
    assert response.status_code == 302
    case = world.corporation.corporation_cases.get()
    assert (case.tenancy.postcode, case.arrears_amount, case.state) == ("3312AB", Decimal("1300.00"), State.SIGNAL)


def test_new_signal_below_threshold_keeps_nothing(client, world, today):
    client.force_login(world.corporation_worker)
    response = _new_signal(client, world, today, contract_number="N-2", arrears="100,00")
    assert response.status_code == 400
    assert "ten minste 1 maand huur zijn (€\u00a0650,00)" in response.content.decode()
    assert not world.corporation.tenancies.exists()


def test_new_signal_page_closed_to_a_team(client, world):
    client.force_login(world.team_worker)
    assert client.get("/signalen/nieuw/").status_code == 403


def test_refer_resident_page_closed_to_a_corporation(client, world):
    client.force_login(world.corporation_worker)
    assert client.get("/aanmelden/").status_code == 403


def test_services_read_neither_the_summary_for_the_corporation_nor_the_internal_notes(client, world, make_case):
    # The summary is the team's note for the corporation: its writer, its addressee and nobody else.
    case = make_case(State.CARE_TRAJECTORY)
    give_consent(world.team_worker, case)
    services.request_involvement(world.team_worker, case, organisation=world.social_service)
    client.force_login(world.social_service_worker)
    page = client.get(f"/dossiers/{case.pk}/").content.decode()
    assert "Huurder werkt mee." not in page
    assert "Vertrouwelijk" not in page


def test_safe_home_follows_the_status_not_the_analysis(client, world, today):
    from tests.factories import TenancyFactory

    household = TenancyFactory(corporation=None, contract_number="", municipality=world.dordrecht)
    case = services.refer_from_safe_home(world.safe_home_worker, household, referred_on=today)
    services.record_analysis(
        world.team_worker, case, tenant_reached=True, problems={}, summary_for_corporation="Alleen voor de corporatie."
    )
    services.send_feedback(world.team_worker, case, sent_on=today)
    client.force_login(world.safe_home_worker)
    page = client.get(f"/dossiers/{case.pk}/").content.decode()
    assert "Analyse teruggekoppeld" in page
    assert "Alleen voor de corporatie." not in page


def test_queue_counts_and_pages(client, world, make_case):
    for days in (50, 45, 10):
        make_case(State.SIGNAL, established_days_ago=days)
    client.force_login(world.corporation_worker)
    response = client.get("/?deadline=overdue")
    assert response.context["counts"] == {"total": 2, "open": 2, "overdue": 2, "due_soon": 0}
    partial = client.get("/", headers={"HX-Request": "true"}).content.decode()
    assert '<div id="queue">' in partial and "<html" not in partial  # htmx swaps only the table


def test_queue_query_count_does_not_grow_with_the_page(client, world, make_case, django_assert_max_num_queries):
    for _ in range(12):
        make_case(State.SIGNAL)
    client.force_login(world.corporation_worker)
    with django_assert_max_num_queries(30) as few:
        client.get("/")
    for _ in range(12):
        make_case(State.SIGNAL)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/")


def test_form_labels_follow_the_language_of_each_request(client, world):
    from django.utils import translation

    from woonzeker.cases.forms import QueueFilterForm

    with translation.override("en"):
        assert str(QueueFilterForm(user=world.team_worker)["q"].label) == "Search"
    with translation.override("nl"):
        assert str(QueueFilterForm(user=world.team_worker)["q"].label) == "Zoeken"


def test_case_numbers_are_shown_without_thousands_separator(client, world, make_case):
    """Amounts read 1.234,56 in Dutch; a case number is a name, not an amount: "Dossier 1312", not "1.312"."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence('cases_case', 'id'), 1311)")
        else:
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = 'cases_case'")
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('cases_case', 1311)")
    case = make_case(State.SIGNAL)
    assert case.pk == 1312
    client.force_login(world.corporation_worker)
    assert "Dossier 1312" in client.get("/").content.decode()
    page = client.get(f"/dossiers/{case.pk}/").content.decode()
    assert "Dossier 1312" in page and "1.312" not in page


def test_a_second_signal_for_a_household_links_to_its_open_case(client, world, make_case, today):
    case = make_case(State.REFERRED)
    client.force_login(world.corporation_worker)
    response = _new_signal(client, world, today, contract_number=case.tenancy.contract_number)
    page = response.content.decode()
    assert response.status_code == 400
    assert f"Voor dit huishouden loopt al een dossier: dossier {case.pk}." in page
    assert f'href="/dossiers/{case.pk}/"' in page
    assert case.tenancy.cases.count() == 1


def test_a_second_signal_does_not_name_an_open_case_the_corporation_may_not_see(client, world, today):
    # Veilig Thuis referred this tenant of the corporation; until the team feeds back, the corporation sees nothing.
    tenancy = TenancyFactory(corporation=world.corporation, municipality=world.dordrecht, contract_number="VT-1")
    referred = services.refer_from_safe_home(world.safe_home_worker, tenancy, referred_on=today)
    client.force_login(world.corporation_worker)
    response = _new_signal(client, world, today, contract_number="VT-1")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Voor dit huishouden loopt al een dossier." in page
    assert f"/dossiers/{referred.pk}/" not in page and f"dossier {referred.pk}" not in page
    assert tenancy.cases.count() == 1


def test_a_new_signal_for_a_postcode_no_team_covers_is_refused_on_the_postcode(client, world, today):
    client.force_login(world.corporation_worker)
    response = _new_signal(client, world, today, postcode="3350 AB")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Geen sociaal team werkt in postcode 3350 AB in Dordrecht" in page
    assert 'href="#id_postcode"' in page  # the summary links to the field
    assert not world.corporation.tenancies.exists()  # nothing kept: the household neither
