"""Refusals are audited (BIO 8.15.01: actor, action, object, result, origin, time), as are sign-ins and
sign-outs; the privacy officer finds them by their result (issue #15, item 5)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import client_for
from woonzeker.api.models import Scope
from woonzeker.audit import services as audit
from woonzeker.audit.chain import chain_pending
from woonzeker.audit.models import AuditAction, AuditEntry
from woonzeker.cases.constants import State

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def refusals():
    return list(AuditEntry.objects.exclude(result="granted").order_by("pk"))


def api_client(user):
    return client_for(user, [Scope.CASES_READ, Scope.CASES_WRITE])


# --- Reads of a case the user may not see --------------------------------------------------------


def test_a_refused_read_of_an_existing_case_is_audited_and_still_a_404(client, world, make_case):
    case = make_case(State.SIGNAL)
    client.force_login(world.team_worker)  # the case is not referred: not the team's yet
    assert client.get(f"/dossiers/{case.pk}/", REMOTE_ADDR="10.0.0.7").status_code == 404
    (entry,) = refusals()
    assert (entry.username, entry.action, entry.result, entry.what, entry.case_ids, entry.address) == (
        world.team_worker.username,
        "read",
        "refused",
        f"case {case.pk}",
        [case.pk],
        "10.0.0.7",
    )


def test_a_case_that_does_not_exist_is_a_404_and_no_refusal(client, world):
    client.force_login(world.team_worker)
    assert client.get("/dossiers/987654/").status_code == 404
    assert refusals() == []


def test_a_refused_read_through_the_api_is_audited_and_still_a_404(world, make_case):
    case = make_case(State.SIGNAL)
    response = api_client(world.other_corporation_worker).get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 404
    (entry,) = refusals()
    assert (entry.what, entry.result, entry.case_ids) == (f"API case {case.pk}", "refused", [case.pk])
    assert api_client(world.other_corporation_worker).get("/api/v1/cases/987654/").status_code == 404
    assert len(refusals()) == 1


# --- Moves -----------------------------------------------------------------------------------------


def test_a_refused_move_on_the_page_is_audited_with_its_reason(client, world, make_case):
    case = make_case(State.REFERRED)
    client.force_login(world.team_worker)  # sees the referred case, but an approach is the corporation's
    response = client.post(f"/dossiers/{case.pk}/record_approach/", {})
    assert response.status_code == 403
    (entry,) = refusals()
    assert (entry.action, entry.result, entry.what, entry.case_ids) == (
        "change",
        "refused",
        f"case {case.pk}: record_approach",
        [case.pk],
    )
    assert entry.reason  # the reason the user was given, as they were told it


def test_a_refused_move_through_the_api_is_audited(world, make_case):
    case = make_case(State.REFERRED)
    response = api_client(world.team_worker).post(f"/api/v1/cases/{case.pk}/moves/record_approach/", {})
    assert response.status_code == 403
    (entry,) = refusals()
    assert (entry.what, entry.result) == (f"API case {case.pk}: record_approach", "refused")


def test_a_move_on_a_case_one_may_not_see_is_a_refused_change(client, world, make_case):
    case = make_case(State.SIGNAL)
    client.force_login(world.other_corporation_worker)
    assert client.post(f"/dossiers/{case.pk}/record_approach/", {}).status_code == 404
    (entry,) = refusals()
    assert (entry.action, entry.what) == ("change", f"case {case.pk}: record_approach")


# --- Signing in ----------------------------------------------------------------------------------


def sign_in(client, username, password, address="192.0.2.10"):
    return client.post("/inloggen/", {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.real_second_factor
def test_a_failed_sign_in_of_an_account_is_audited(client, world):
    sign_in(client, world.corporation_worker.username, "wrong-password")
    (entry,) = refusals()
    assert (entry.user_id, entry.username, entry.action, entry.result, entry.address) == (
        world.corporation_worker.pk,
        world.corporation_worker.username,
        "sign_in",
        "failed",
        "192.0.2.10",
    )


@pytest.mark.real_second_factor
def test_a_failed_sign_in_with_an_unknown_username_keeps_only_its_start(client, world):
    """A password typed in the username field must not end up in the trail."""
    sign_in(client, "Zomer2026!Geheim", "whatever")
    (entry,) = refusals()
    assert (entry.username, entry.result, entry.reason) == ("?", "failed", "typed username: Zom… (16 characters)")
    assert not AuditEntry.objects.filter(reason__contains="Zomer2026").exists()
    assert not AuditEntry.objects.filter(what__contains="Zomer2026").exists()


@pytest.mark.real_second_factor
def test_a_lockout_is_audited(client, world):
    for _ in range(5):
        sign_in(client, world.corporation_worker.username, "wrong-password")
    locked = AuditEntry.objects.filter(result="refused", what__startswith="sign-in blocked")
    assert locked.count() == 1
    assert locked.get().user_id == world.corporation_worker.pk


@pytest.mark.real_second_factor
def test_a_wrong_second_factor_code_is_audited(client, world):
    TOTPDevice.objects.create(user=world.corporation_worker, name="app", confirmed=True)
    assert sign_in(client, world.corporation_worker.username, PASSWORD).status_code == 302
    client.post("/inloggen/code/", {"code": "000000", "next": "/"}, REMOTE_ADDR="192.0.2.10")
    (entry,) = refusals()
    assert (entry.what, entry.result, entry.user_id, entry.address) == (
        "second factor: wrong code",
        "failed",
        world.corporation_worker.pk,
        "192.0.2.10",
    )


@pytest.mark.real_second_factor
def test_signing_in_and_out_are_audited(client, world):
    assert sign_in(client, world.municipality_user.username, PASSWORD).status_code == 302
    client.post("/uitloggen/")
    entries = AuditEntry.objects.filter(user_id=world.municipality_user.pk).order_by("pk")
    assert [(e.action, e.result) for e in entries] == [("sign_in", "granted"), ("sign_out", "granted")]


# --- Exports ---------------------------------------------------------------------------------------


def test_a_refused_ddas_export_is_audited(client, world, today):
    client.force_login(world.corporation_worker)
    assert client.post("/monitoring/ddas/", {"periode": str(today.year), "reden": "x"}).status_code == 403
    (entry,) = refusals()
    assert (entry.action, entry.what, entry.result) == ("export", "DDAS export", "refused")


def test_a_refused_audit_trail_export_and_search_are_audited(client, world):
    client.force_login(world.team_coordinator)
    assert client.get("/privacy/?gebruiker=x&formaat=csv").status_code == 403
    assert client.get("/privacy/?gebruiker=x").status_code == 403
    assert client.post("/privacy/inzage/1/", {"reason": "x"}).status_code == 403
    assert [(e.action, e.what) for e in refusals()] == [
        ("export", "audit trail export"),
        ("read", "audit trail search"),
        ("export", "access request for household 1"),
    ]


# --- The privacy officer finds them ---------------------------------------------------------------


def test_the_privacy_officer_finds_the_refusals_by_their_result(client, world, make_case):
    case = make_case(State.SIGNAL)
    reader = client.__class__()
    reader.force_login(world.corporation_worker)
    reader.get(f"/dossiers/{case.pk}/")  # granted
    reader.force_login(world.other_corporation_worker)
    reader.get(f"/dossiers/{case.pk}/")  # refused
    client.force_login(world.privacy_officer)
    page = client.get("/privacy/?resultaat=refused").content.decode()
    assert world.other_corporation_worker.username in page and "Geweigerd" in page
    assert f"{world.corporation_worker.username}<" not in page
    export = client.get("/privacy/?resultaat=refused&formaat=csv").content.decode()
    assert "Geweigerd" in export and f"Dossier {case.pk}" in export
    assert world.corporation_worker.username not in export


def test_the_result_is_part_of_the_hashed_content(world):
    entry = audit.record_refusal(world.team_worker, AuditAction.READ, "case 1", cases=[1])
    chain_pending()
    with connection.cursor() as cursor:  # someone turns a refusal into a granted read
        cursor.execute("UPDATE audit_auditentry SET result = 'granted' WHERE id = %s", [entry.pk])
    assert audit.first_broken_link().pk == entry.pk


def test_entries_without_a_result_keep_their_hash(world):
    """Entries written before there was a result were all granted: their hash covers no result, as then."""
    entry = audit.record(world.team_worker, AuditAction.READ, "case 1", cases=[1])
    assert '"result"' not in entry.content()
    refused = audit.record_refusal(world.team_worker, AuditAction.READ, "case 2", cases=[2])
    assert '"result":"refused"' in refused.content()
    call_command("seal_audit")
    call_command("verify_audit")
