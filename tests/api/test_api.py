"""The REST API: tokens with scopes, the same visibility and moves as the pages, problem details."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import UserFactory, client_for, give_consent, signal_body
from woonzeker.accounts.authorization import visible_cases
from woonzeker.api.models import ApiToken, Scope
from woonzeker.audit.models import AuditEntry
from woonzeker.cases.constants import State
from woonzeker.cases.models import Case

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_no_token_is_a_401_problem(client):
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Not authenticated"


def test_unknown_and_revoked_tokens_are_refused(world):
    api = client_for(world.corporation_worker)
    assert api.get("/api/v1/cases/").status_code == 200
    ApiToken.objects.update(revoked_at=timezone.now())
    assert api.get("/api/v1/cases/").status_code == 401
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Token wz_abcdef123456_guessed")
    assert stranger.get("/api/v1/cases/").status_code == 401


def test_key_is_stored_hashed_and_last_use_recorded(world):
    token, key = ApiToken.issue(user=world.corporation_worker, name="x", scopes=[Scope.CASES_READ])
    assert key not in token.key_hash and len(token.key_hash) == 64
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    api.get("/api/v1/cases/")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_without_the_scope_is_forbidden(world, make_case):
    case = make_case(State.SIGNAL)
    api = client_for(world.corporation_worker, scopes=[Scope.CASES_READ])
    response = api.post(f"/api/v1/cases/{case.pk}/moves/record_approach/", {}, format="json")
    assert response.status_code == 403
    assert "bevoegdheid" in response.json()["detail"]


def test_list_shows_the_organisations_own_cases_and_filters(world, make_case):
    own = make_case(State.SIGNAL, established_days_ago=50)
    make_case(State.SIGNAL, established_days_ago=5)
    api = client_for(world.corporation_worker)
    results = api.get("/api/v1/cases/").json()["results"]
    assert len(results) == 2
    overdue = api.get("/api/v1/cases/?deadline_state=overdue").json()["results"]
    assert [case["id"] for case in overdue] == [own.pk]
    assert client_for(world.other_corporation_worker).get("/api/v1/cases/").json()["results"] == []
    entry = AuditEntry.objects.filter(what="API case list").first()
    assert sorted(entry.case_ids) == sorted(case["id"] for case in results)


@pytest.mark.parametrize(
    "state", [State.SIGNAL, State.RESOLVED_BEFORE_REFERRAL, State.REFERRED, State.FEEDBACK_SENT, State.CARE_TRAJECTORY]
)
def test_each_listed_case_reads_as_its_serializer_describes_it(world, make_case, rf, state):
    # The list builds its rows from plain values (fast); the schema is CaseSerializer's: they must agree,
    # the next step included.
    from rest_framework.renderers import JSONRenderer

    from woonzeker.api.serializers import CaseSerializer

    case = make_case(state, established_days_ago=20)
    case.tenancy.house_number_suffix = "bis"
    case.tenancy.save()
    listed = client_for(world.corporation_worker).get("/api/v1/cases/").json()["results"]
    fresh = Case.objects.select_related("tenancy", "corporation", "social_team", "municipality", "covenant").get(
        pk=case.pk
    )
    request = rf.get("/")
    request.user = world.corporation_worker
    context = {"request": request, "today": timezone.localdate()}
    expected = json.loads(JSONRenderer().render(CaseSerializer(fresh, context=context).data))
    assert listed == [expected]
    assert list(listed[0]) == CaseSerializer.Meta.fields


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("colour=red", "colour"),
        ("state=", "state"),
        ("deadline_state=soon", "deadline_state"),
        ("established_to=31-03-2026", "established_to"),
        ("page=0", "page"),
        ("page=%D9%A1", "page"),  # an Arabic-Indic digit one: a digit, but not a page number
    ],
)
def test_every_bad_list_parameter_is_a_field_error(world, query, field):
    response = client_for(world.corporation_worker).get(f"/api/v1/cases/?{query}")
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_bad_filter_is_a_field_error(world):
    response = client_for(world.corporation_worker).get("/api/v1/cases/?state=lost&established_from=gisteren")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "state"


def test_case_of_another_organisation_is_not_found(world, make_case):
    case = make_case(State.REFERRED)
    assert client_for(world.other_team_worker).get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_detail_has_deadlines_and_the_summary_never_the_notes(world, make_case):
    case = make_case(State.FEEDBACK_SENT)
    data = client_for(world.corporation_worker).get(f"/api/v1/cases/{case.pk}/").json()
    assert [d["name"] for d in data["deadlines"]] == ["referral", "analysis"]
    assert data["feedback"] == {"tenant_reached": True, "summary_for_corporation": "Huurder werkt mee."}
    assert "Vertrouwelijk" not in str(data)


def test_moves_through_the_api_follow_the_workflow(world, make_case, today):
    case = make_case(State.SIGNAL)
    api = client_for(world.corporation_worker)
    refused = api.post(f"/api/v1/cases/{case.pk}/moves/refer/", {"referred_on": today.isoformat()}, format="json")
    assert refused.status_code == 400
    assert "actieve benadering" in refused.json()["detail"]  # Dutch unless the client asks otherwise
    approach = api.post(
        f"/api/v1/cases/{case.pk}/moves/record_approach/",
        {"channel": "phone", "approached_on": today.isoformat(), "reached": "yes"},
        format="json",
    )
    assert approach.status_code == 200
    referred = api.post(f"/api/v1/cases/{case.pk}/moves/refer/", {"referred_on": today.isoformat()}, format="json")
    assert referred.json()["state"] == "referred" and referred.json()["social_team"] == world.team.code


def test_invalid_move_body_names_the_field(world, make_case):
    case = make_case(State.SIGNAL)
    response = client_for(world.corporation_worker).post(
        f"/api/v1/cases/{case.pk}/moves/record_approach/", {"channel": "pigeon"}, format="json"
    )
    assert response.status_code == 400
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"channel", "approached_on", "reached"} <= fields


def test_a_move_of_another_party_is_forbidden(world, make_case, today):
    case = make_case(State.REFERRED)
    response = client_for(world.corporation_worker).post(
        f"/api/v1/cases/{case.pk}/moves/send_feedback/", {"sent_on": today.isoformat()}, format="json"
    )
    assert response.status_code == 403


def test_create_a_signal(world, today):
    response = client_for(world.corporation_worker).post(
        "/api/v1/cases/signals/", signal_body(world, today, contract_number="API-1"), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["state"] == "signal"


def test_a_team_cannot_create_a_signal(world):
    assert client_for(world.team_worker).post("/api/v1/cases/signals/", {}, format="json").status_code == 403


def test_send_a_ledger(world, tmp_path, settings, today):
    settings.MEDIA_ROOT = tmp_path
    path = tmp_path / "ledger.csv"
    header = "peildatum;contractnummer;huurder_naam;straat;huisnummer;postcode;woonplaats;maandhuur;achterstand"
    path.write_text(f"{header}\n{today.isoformat()};L-1;Huurder;Voorstraat;1;3311AB;Dordrecht;650;700\n")
    api = client_for(world.corporation_worker)
    with path.open("rb") as handle:
        response = api.post("/api/v1/ledgers/", {"file": handle}, format="multipart")
    # Queued: 202 Accepted and where to follow it (the test runs the queued import at once).
    assert response.status_code == 202, response.content
    assert response["Location"] == f"http://testserver/api/v1/ledgers/{response.json()['id']}/"
    status = api.get(response["Location"]).json()
    assert (status["status"], status["stage"], status["signals_opened"]) == ("imported", "done", 1)
    assert (status["rows_read"], status["rows_applied"]) == (1, 1)
    # Reading the report is audited, as on its page.
    assert AuditEntry.objects.filter(action="read", what=f"API ledger import {response.json()['id']} report").exists()


def test_a_refused_ledger_names_every_error_at_its_status_url(world, tmp_path, settings, today):
    settings.MEDIA_ROOT = tmp_path
    path = tmp_path / "ledger.csv"
    header = "peildatum;contractnummer;huurder_naam;straat;huisnummer;postcode;woonplaats;maandhuur;achterstand"
    path.write_text(f"{header}\n{today.isoformat()};L-1;Huurder;Voorstraat;1;3311AB;Dordrecht;650;veel\n")
    with path.open("rb") as handle:
        response = client_for(world.corporation_worker).post("/api/v1/ledgers/", {"file": handle}, format="multipart")
    assert response.status_code == 202
    status = client_for(world.corporation_worker).get(response["Location"]).json()
    assert status["status"] == "refused"
    assert status["errors"][0]["row"] == 2


def test_a_team_cannot_send_a_ledger(world):
    assert client_for(world.team_worker).post("/api/v1/ledgers/", {}, format="multipart").status_code == 403


def test_rate_limit_per_token(world, settings, monkeypatch):
    from django.core.cache import cache

    from woonzeker.api.permissions import TokenRateThrottle

    cache.clear()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/minute"}}
    clock = [6000.0 + 15]  # a quarter into a minute
    monkeypatch.setattr(TokenRateThrottle, "timer", lambda self: clock[0])
    api = client_for(world.corporation_worker)
    responses = [api.get("/api/v1/cases/") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert responses[-1]["Retry-After"] == "45"
    other = client_for(world.team_worker)  # another token has its own count
    assert other.get("/api/v1/cases/").status_code == 200
    clock[0] += 45  # the next minute
    assert api.get("/api/v1/cases/").status_code == 200
    cache.clear()


def test_an_unreachable_rate_limit_cache_lets_requests_through_and_says_so(world, settings, monkeypatch, caplog):
    from woonzeker.api.permissions import TokenRateThrottle

    class Unreachable:
        def add(self, *args, **kwargs):
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(TokenRateThrottle, "cache", Unreachable())
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "1/minute"}}
    api = client_for(world.corporation_worker)
    assert [api.get("/api/v1/cases/").status_code for _ in range(2)] == [200, 200]
    assert "rate-limit cache did not answer" in caplog.text


def test_issue_token_command_prints_the_key_once(world, capsys):
    call_command("issue_api_token", organisation=world.corporation.code, name="ERP", scopes="cases:read,ledger:write")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert key.startswith(f"wz_{token.prefix}_") and token.scopes == ["cases:read", "ledger:write"]
    assert token.user.organisation == world.corporation and not token.user.has_usable_password()


def test_the_committed_schema_is_the_generated_one(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated), "--lang", "en")
    assert generated.read_text() == (ROOT / "docs" / "openapi.yaml").read_text(), "run: make schema"


def test_the_documentation_is_served_without_a_cdn(client, world):
    page = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn." not in page and "unpkg" not in page


def test_a_user_account_without_token_is_not_enough(world):
    api = APIClient()
    api.force_authenticate(UserFactory(organisation=world.corporation))
    assert api.get("/api/v1/cases/").status_code == 403


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("team_worker", {"referred", "trajectory"}),
        ("social_service_worker", {"trajectory"}),
        ("health_service_worker", set()),
        ("municipality_user", set()),
    ],
)
def test_every_party_sees_through_the_api_what_it_sees_on_its_pages(world, make_case, who, sees):
    from woonzeker.cases import services

    cases = {"signal": make_case(State.SIGNAL), "referred": make_case(State.REFERRED)}
    cases["trajectory"] = make_case(State.CARE_TRAJECTORY)
    give_consent(world.team_worker, cases["trajectory"])
    services.request_involvement(world.team_worker, cases["trajectory"], organisation=world.social_service)
    ids = {case["id"] for case in client_for(getattr(world, who)).get("/api/v1/cases/").json()["results"]}
    assert ids == {cases[name].pk for name in sees}


@pytest.mark.parametrize("who", ["corporation_worker", "team_worker", "social_service_worker"])
@pytest.mark.parametrize("state", [State.SIGNAL, State.FEEDBACK_SENT, State.CARE_TRAJECTORY])
def test_a_case_in_full_reads_as_its_serializer_describes_it(world, make_case, rf, who, state):
    # The detail is built directly from the case (fast); the schema is CaseDetailSerializer's: they must agree,
    # the masked or full BSN, the deadlines and the feedback included.
    from rest_framework.renderers import JSONRenderer

    from woonzeker.api.serializers import CaseDetailSerializer
    from woonzeker.cases import services

    case = make_case(state, bsn="111222333")
    if state == State.CARE_TRAJECTORY:
        give_consent(world.team_worker, case)
        services.request_involvement(world.team_worker, case, organisation=world.social_service)
    user = getattr(world, who)
    response = client_for(user).get(f"/api/v1/cases/{case.pk}/")
    if not visible_cases(user).filter(pk=case.pk).exists():  # not this party's case (e.g. a team and a signal)
        assert response.status_code == 404
        return
    request = rf.get("/")
    request.user = user
    fresh = Case.objects.select_related("tenancy", "corporation", "social_team", "municipality", "covenant").get(
        pk=case.pk
    )
    context = {"request": request, "today": timezone.localdate()}
    expected = json.loads(JSONRenderer().render(CaseDetailSerializer(fresh, context=context).data))
    assert response.json() == expected
    assert list(expected) == CaseDetailSerializer.Meta.fields
    assert expected["bsn"] == ("111222333" if who == "social_service_worker" else "*****2333")


def test_last_use_is_kept_to_the_minute_not_written_per_request(world):
    token, key = ApiToken.issue(user=world.corporation_worker, name="x", scopes=[Scope.CASES_READ])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    api.get("/api/v1/cases/")
    token.refresh_from_db()
    first_use = token.last_used_at
    api.get("/api/v1/cases/")
    token.refresh_from_db()
    assert token.last_used_at == first_use
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - timezone.timedelta(minutes=2))
    api.get("/api/v1/cases/")
    token.refresh_from_db()
    assert token.last_used_at > first_use


def test_pages_link_to_each_other_without_a_total(world, make_case, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "PAGE_SIZE": 2}
    made = sorted(make_case(State.SIGNAL).pk for _ in range(5))
    api = client_for(world.corporation_worker)
    first = api.get("/api/v1/cases/").json()
    assert [c["id"] for c in first["results"]] == made[:2] and first["previous"] is None and "count" not in first
    second = api.get(first["next"]).json()
    assert [c["id"] for c in second["results"]] == made[2:4]
    assert second["previous"].endswith("/api/v1/cases/")
    last = api.get(second["next"]).json()
    assert [c["id"] for c in last["results"]] == made[4:] and last["next"] is None
    assert api.get("/api/v1/cases/?page=9").status_code == 404
    assert api.get("/api/v1/cases/?page=nul").status_code == 400  # not a page number: a field error
    assert api.get(f"/api/v1/cases/?page={10**30}").status_code == 404


def test_a_token_stops_working_when_its_user_moves_to_another_organisation_or_role(world, make_case):
    make_case(State.REFERRED)
    api = client_for(world.corporation_worker)
    assert api.get("/api/v1/cases/").status_code == 200
    world.corporation_worker.organisation = world.team
    world.corporation_worker.save()
    moved = api.get("/api/v1/cases/")
    assert moved.status_code == 401  # not the team's cases through the corporation's key
    world.corporation_worker.organisation = world.corporation
    world.corporation_worker.role = "coordinator"
    world.corporation_worker.save()
    assert api.get("/api/v1/cases/").status_code == 401


def test_a_signal_for_a_postcode_no_team_covers_is_a_problem_on_the_postcode(world, today):
    response = client_for(world.corporation_worker).post(
        "/api/v1/cases/signals/", signal_body(world, today, postcode="3350AB"), format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "postcode", "message": "Geen sociaal team werkt in postcode 3350 AB in Dordrecht."}
    ]
    assert not Case.objects.exists() and not world.corporation.tenancies.exists()


def test_a_second_signal_names_the_open_case_by_its_address(world, make_case, today):
    case = make_case(State.SIGNAL)
    response = client_for(world.corporation_worker).post(
        "/api/v1/cases/signals/",
        signal_body(world, today, contract_number=case.tenancy.contract_number),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == f"Voor dit huishouden loopt al een dossier: dossier {case.pk}."
    assert response.json()["open_case"] == f"http://testserver/api/v1/cases/{case.pk}/"
