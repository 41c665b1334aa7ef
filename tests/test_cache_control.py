"""No answer to a signed-in user or an API token is kept by a browser's or a proxy's cache."""

import pytest

from tests.factories import client_for
from woonzeker.cases.constants import State

pytestmark = pytest.mark.django_db


def cache_directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize(
    "path", ["/", "/dossiers/{case}/", "/aanleveringen/", "/meldingen/", "/signalen/nieuw/", "/dossiers/999999/"]
)
def test_every_page_for_a_signed_in_user_is_not_stored(client, world, make_case, path):
    case = make_case(State.SIGNAL)
    client.force_login(world.corporation_worker)
    response = client.get(path.format(case=case.pk))
    assert response.status_code in (200, 404)
    assert {"no-store", "private"} <= cache_directives(response), path


def test_every_api_answer_to_a_token_is_not_stored(world, make_case, today):
    case = make_case(State.SIGNAL)
    api = client_for(world.corporation_worker)
    signal = {
        "contract_number": "C-9",
        "tenant_name": "J. Jansen",
        "street": "Voorstraat",
        "house_number": "12",
        "postcode": "3311AB",
        "town": "Dordrecht",
        "municipality": world.dordrecht.pk,
        "monthly_rent": "650.00",
        "arrears": "700.00",
        "established_on": today.isoformat(),
    }
    responses = [
        api.get("/api/v1/cases/"),
        api.get(f"/api/v1/cases/{case.pk}/"),
        api.get("/api/v1/cases/999999/"),
        api.post("/api/v1/cases/signals/", signal, format="json", HTTP_IDEMPOTENCY_KEY="c-1"),
        api.post("/api/v1/cases/signals/", signal, format="json", HTTP_IDEMPOTENCY_KEY="c-1"),  # a replay
        api.post("/api/v1/cases/signals/", signal, format="json"),  # refused: the tenancy has an open case
    ]
    assert [r.status_code for r in responses] == [200, 200, 404, 201, 201, 400]
    assert responses[4]["Idempotent-Replayed"] == "true"
    for response in responses:
        assert {"no-store", "private"} <= cache_directives(response), response.request["PATH_INFO"]


def test_the_sign_in_page_with_its_csrf_token_is_not_stored(client):
    response = client.get("/inloggen/")
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert {"no-store", "private"} <= cache_directives(response)
