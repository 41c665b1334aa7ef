"""Retries: an API write sent twice with the same Idempotency-Key is done once, and each retry is answered as a
new read: for the reader as they may read the case now, audited, and with nothing of the answer stored."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import client_for, give_consent
from woonzeker.api.idempotency import forget_old_keys
from woonzeker.api.models import ApiToken, IdempotentRequest, Scope
from woonzeker.audit.models import AuditEntry
from woonzeker.cases import services
from woonzeker.cases.constants import State
from woonzeker.cases.models import Case, CaseEvent
from woonzeker.ledgers.models import LedgerImport
from woonzeker.ledgers.parsing import REQUIRED_COLUMNS

pytestmark = pytest.mark.django_db

LEDGER_HEADER = ";".join(REQUIRED_COLUMNS)  # the contract's columns, in its order


def new_signal(world, today, contract="R-1"):
    return {
        "contract_number": contract,
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


def test_a_retried_signal_creates_one_case_and_gets_the_same_answer(world, today):
    api = client_for(world.corporation_worker)
    first = api.post("/api/v1/cases/signals/", new_signal(world, today), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    retry = api.post("/api/v1/cases/signals/", new_signal(world, today), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == retry.status_code == 201
    # The case has not changed since: the same answer, byte for byte (on PostgreSQL too).
    assert retry.content == first.content
    assert retry["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1
    # The retry is a read of the case, audited as one.
    case_id = first.json()["id"]
    assert AuditEntry.objects.filter(action="read", what=f"API case {case_id} (replayed answer)").count() == 1
    assert AuditEntry.objects.get(action="read").case_ids == [case_id]
    # Without a key the same request is simply a second request, refused by the covenant's own rule.
    again = api.post("/api/v1/cases/signals/", new_signal(world, today), format="json")
    assert again.status_code == 400
    assert Case.objects.count() == 1


def test_a_retried_move_is_made_once(world, make_case, today):
    case = make_case(State.SIGNAL)
    api = client_for(world.corporation_worker)
    body = {"channel": "letter", "approached_on": today.isoformat(), "reached": "yes"}
    url = f"/api/v1/cases/{case.pk}/moves/record_approach/"
    responses = [api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="move-1") for _ in range(3)]
    assert {r.status_code for r in responses} == {200}
    assert case.approaches.count() == 1
    assert CaseEvent.objects.filter(case=case, action="record_approach").count() == 1


def test_the_same_key_for_a_different_request_is_refused(world, today):
    api = client_for(world.corporation_worker)
    api.post("/api/v1/cases/signals/", new_signal(world, today), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    other = api.post(
        "/api/v1/cases/signals/", new_signal(world, today, "R-2"), format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert other.status_code == 422
    assert other["Content-Type"] == "application/problem+json"
    assert "different request" in other.json()["detail"]
    assert Case.objects.count() == 1


def test_keys_are_per_client_and_a_failed_request_is_not_remembered(world, today):
    mine = client_for(world.corporation_worker)
    theirs = client_for(world.other_corporation_worker)
    bad = {**new_signal(world, today), "arrears": "veel"}
    assert mine.post("/api/v1/cases/signals/", bad, format="json", HTTP_IDEMPOTENCY_KEY="k-3").status_code == 400
    assert not IdempotentRequest.objects.exists()
    good = mine.post("/api/v1/cases/signals/", new_signal(world, today), format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert good.status_code == 201
    # Another organisation's client with the same key is a different request altogether.
    response = theirs.post(
        "/api/v1/cases/signals/", new_signal(world, today, "X-1"), format="json", HTTP_IDEMPOTENCY_KEY="k-3"
    )
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Case.objects.count() == 2


def test_a_retried_ledger_upload_is_imported_once(world, tmp_path, settings, today):
    settings.MEDIA_ROOT = tmp_path
    path = tmp_path / "ledger.csv"
    path.write_text(f"{LEDGER_HEADER}\n{today.isoformat()};L-1;Huurder;Voorstraat;1;3311AB;Dordrecht;650;700\n")
    api = client_for(world.corporation_worker)
    responses = []
    for _ in range(2):
        with path.open("rb") as handle:
            responses.append(
                api.post("/api/v1/ledgers/", {"file": handle}, format="multipart", HTTP_IDEMPOTENCY_KEY="ledger-1")
            )
    assert [r.status_code for r in responses] == [202, 202]
    assert responses[1]["Location"] == responses[0]["Location"]  # the same import's status URL
    # The same report (as JSON: PostgreSQL keeps the report's timings as jsonb, in its own key order), read
    # again and audited as a read of the report, as on its page.
    assert responses[1].json() == responses[0].json()
    assert responses[1]["Idempotent-Replayed"] == "true"
    assert LedgerImport.objects.count() == 1
    record = LedgerImport.objects.get()
    assert AuditEntry.objects.filter(action="read", what=f"API ledger import {record.pk} report (replayed answer)")


def stored_idempotency_rows():
    """Every column of every kept idempotent request, as the database holds it (what a copy of it shows)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {IdempotentRequest._meta.db_table}")
        return repr(cursor.fetchall())


def involved_social_service(world, make_case):
    """A trajectory with the household's consent, the social service brought in: it reads the full BSN."""
    case = make_case(State.CARE_TRAJECTORY, bsn="111222333")
    consent = give_consent(world.team_worker, case)
    services.request_involvement(world.team_worker, case, organisation=world.social_service)
    return case, consent


def test_a_replay_after_the_consent_was_withdrawn_is_not_found(world, make_case, today):
    case, consent = involved_social_service(world, make_case)
    api = client_for(world.social_service_worker)
    url = f"/api/v1/cases/{case.pk}/moves/update_involvement/"
    first = api.post(url, {"status": "accepted"}, format="json", HTTP_IDEMPOTENCY_KEY="accept-1")
    assert first.status_code == 200
    assert first.json()["bsn"] == "111222333"
    # The household withdraws its consent: the social service no longer sees the case ...
    case.refresh_from_db()
    services.withdraw_consent(world.team_worker, case, consent=consent.pk, withdrawn_on=today)
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    reads_before = AuditEntry.objects.filter(action="read", result="granted").count()
    refusals_before = AuditEntry.objects.filter(action="read", result="refused", case_ids=[case.pk]).count()
    # ... and its retry of the earlier move tells it no more than that GET does.
    replay = api.post(url, {"status": "accepted"}, format="json", HTTP_IDEMPOTENCY_KEY="accept-1")
    assert replay.status_code == 404
    assert replay["Content-Type"] == "application/problem+json"
    assert replay["Idempotent-Replayed"] == "true"
    assert b"111222333" not in replay.content and b"2333" not in replay.content
    assert case.tenancy.tenant_name.encode() not in replay.content
    assert AuditEntry.objects.filter(action="read", result="granted").count() == reads_before  # nothing was read
    # ... and the trail says the replay was refused, as a refused GET is.
    assert AuditEntry.objects.filter(action="read", result="refused", case_ids=[case.pk]).count() == refusals_before + 1
    assert CaseEvent.objects.filter(case=case, action="update_involvement").count() == 1


def test_a_replay_shows_the_case_as_it_is_now_for_its_reader(world, make_case, today):
    case, _consent = involved_social_service(world, make_case)
    api = client_for(world.social_service_worker)
    url = f"/api/v1/cases/{case.pk}/moves/update_involvement/"
    first = api.post(url, {"status": "accepted"}, format="json", HTTP_IDEMPOTENCY_KEY="accept-2")
    case.refresh_from_db()
    services.record_current_rent_check(world.team_worker, case, checked_on=today, paid=True)
    replay = api.post(url, {"status": "accepted"}, format="json", HTTP_IDEMPOTENCY_KEY="accept-2")
    assert replay.status_code == 200
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json() == api.get(f"/api/v1/cases/{case.pk}/").json()  # as a read of it now gives it
    assert replay.json()["version"] > first.json()["version"]


@pytest.mark.usefixtures("media")
def test_kept_idempotency_keys_hold_no_bsn(world, make_case, tmp_path, today):
    case, _consent = involved_social_service(world, make_case)
    api = client_for(world.social_service_worker)
    url = f"/api/v1/cases/{case.pk}/moves/update_involvement/"
    assert api.post(url, {"status": "accepted"}, format="json", HTTP_IDEMPOTENCY_KEY="bsn-1").json()["bsn"] == (
        "111222333"
    )
    # A ledger upload with a key, quoting a BSN in a refused row and holding one in a valid row.
    ledger = tmp_path / "bsn.csv"
    ledger.write_text(
        f"{LEDGER_HEADER};bsn\n"
        f"{today.isoformat()};L-1;Huurder;Voorstraat;1;3311AB;Dordrecht;650;700;123456782\n"
        f"{today.isoformat()};L-2;Huurder;Voorstraat;2;3311AB;Dordrecht;650;veel;111222333\n"
    )
    uploader = client_for(world.corporation_worker)
    with ledger.open("rb") as handle:
        refused = uploader.post("/api/v1/ledgers/", {"file": handle}, format="multipart", HTTP_IDEMPOTENCY_KEY="l-1")
    assert (refused.status_code, refused.json()["status"]) == (202, "refused")
    with ledger.open("rb") as handle:
        again = uploader.post("/api/v1/ledgers/", {"file": handle}, format="multipart", HTTP_IDEMPOTENCY_KEY="l-1")
    assert (again.status_code, again["Idempotent-Replayed"]) == (202, "true")
    assert again.json() == refused.json()
    assert IdempotentRequest.objects.count() == 2
    rows = stored_idempotency_rows()
    for bsn in ("111222333", "123456782"):
        assert bsn not in rows
        assert bsn.encode() not in refused.content


def test_an_unusable_key_is_a_field_error(world, today):
    api = client_for(world.corporation_worker)
    response = api.post(
        "/api/v1/cases/signals/", new_signal(world, today), format="json", HTTP_IDEMPOTENCY_KEY="x" * 300
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert not Case.objects.exists()


@pytest.mark.parametrize("body", [1.5, [1, 2], "text", None])
def test_a_body_that_is_not_an_object_is_a_clear_error_with_a_key_too(world, body):
    # Found by schemathesis: the key's fingerprint read such a body as an object and failed with a 500.
    api = client_for(world.corporation_worker)
    response = api.post("/api/v1/cases/signals/", body, format="json", HTTP_IDEMPOTENCY_KEY="odd-body")
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_keys_are_forgotten_after_a_day(world, today):
    api = client_for(world.corporation_worker)
    api.post("/api/v1/cases/signals/", new_signal(world, today), format="json", HTTP_IDEMPOTENCY_KEY="k-4")
    assert forget_old_keys(timezone.now()) == 0
    assert forget_old_keys(timezone.now() + timedelta(days=1, minutes=1)) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_retries_at_the_same_moment_create_one_case(world, today):
    _token, key = ApiToken.issue(user=world.corporation_worker, name="t", scopes=[Scope.CASES_WRITE])
    start = threading.Barrier(3)
    statuses = []

    def send():
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        start.wait()
        try:
            response = api.post(
                "/api/v1/cases/signals/", new_signal(world, today), format="json", HTTP_IDEMPOTENCY_KEY="same"
            )
            statuses.append((response.status_code, response.get("Idempotent-Replayed")))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(statuses) == {(201, None): 1, (201, "true"): 2}
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_answers_kept_before_the_upgrade_are_replayed_by_their_case_and_lose_their_body(world, make_case):
    # Until migration api 0004 a kept answer was its body, a full BSN in it; the migration keeps the case it
    # was about, so a retry within the day is still answered (afresh), and drops the body.
    from django.db.migrations.executor import MigrationExecutor

    case, _consent = involved_social_service(world, make_case)
    api = client_for(world.social_service_worker)
    url = f"/api/v1/cases/{case.pk}/moves/update_involvement/"
    assert api.post(url, {"status": "accepted"}, format="json", HTTP_IDEMPOTENCY_KEY="old-1").status_code == 200
    kept = IdempotentRequest.objects.get()
    IdempotentRequest.objects.create(user=kept.user, key="old-2", fingerprint="0" * 64, status_code=200)
    executor = MigrationExecutor(connection)
    executor.migrate([("api", "0003_idempotent_body_as_text")])
    table = IdempotentRequest._meta.db_table
    with connection.cursor() as cursor:
        old_body = f'{{"id": {case.pk}, "bsn": "111222333"}}'
        cursor.execute(f"UPDATE {table} SET body = %s, content_type = '' WHERE key = 'old-1'", [old_body])
        cursor.execute(f"UPDATE {table} SET body = '[]', content_type = '' WHERE key = 'old-2'")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert "111222333" not in stored_idempotency_rows()
    assert list(IdempotentRequest.objects.values_list("key", "object_id")) == [("old-1", case.pk)]
    replay = api.post(url, {"status": "accepted"}, format="json", HTTP_IDEMPOTENCY_KEY="old-1")
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json() == api.get(f"/api/v1/cases/{case.pk}/").json()
