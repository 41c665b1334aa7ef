"""Two people at once: conflicting moves on one case, and a form saved after someone else changed the case."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from woonzeker.cases import services
from woonzeker.cases.constants import Outcome, State
from woonzeker.cases.models import Case, CaseEvent

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs row locks and concurrent writers: SQLite serialises writers; the version check itself "
    "is tested on both databases below",
)


def post_move(client, case, move, data):
    return client.post(f"/dossiers/{case.pk}/{move}/", {f"{move}-{k}": v for k, v in data.items()})


def race(case, **moves):
    """Run each move in its own thread and connection, all starting at the same moment on the case as
    each read it; returns per move "done" or the message it was refused with."""
    start = threading.Barrier(len(moves))
    results = {}

    def attempt(name, move):
        seen = Case.objects.get(pk=case.pk)  # every party reads the case before anyone writes
        start.wait()
        try:
            with translation.override("nl"):
                move(seen)
            results[name] = "done"
        except services.CaseChanged as error:
            results[name] = error.messages[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=item) for item in moves.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(5))
def test_two_conflicting_moves_at_the_same_moment_exactly_one_wins(world, make_case, today, attempt):
    """A case worker refers while the coordinator withdraws the same signal: one move happens, the other is
    refused with a clear message, and the history shows only the one that happened."""
    case = make_case(State.SIGNAL, established_days_ago=20)
    services.record_approach(world.corporation_worker, case, channel="letter", approached_on=today, reached=True)

    results = race(
        case,
        refer=lambda c: services.refer(world.corporation_worker, c, referred_on=today),
        withdraw=lambda c: services.withdraw_signal(
            world.corporation_coordinator, c, outcome=Outcome.MOVED, closed_on=today
        ),
    )

    assert list(results.values()).count("done") == 1, results
    loser = next(message for message in results.values() if message != "done")
    assert "Iemand anders heeft deze zaak gewijzigd" in loser
    case.refresh_from_db()
    winner = next(name for name, result in results.items() if result == "done")
    assert case.state == (State.REFERRED if winner == "refer" else State.CLOSED)
    moves = set(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert ("refer" in moves) != ("withdraw_signal" in moves)


@pytest.mark.django_db
def test_a_form_saved_after_someone_else_moved_the_case_warns_and_saves_nothing(client, world, make_case, today):
    case = make_case(State.SIGNAL)
    client.force_login(world.corporation_worker)
    page = client.get(f"/dossiers/{case.pk}/").content.decode()
    seen_version = case.version
    assert f'name="refer-version" value="{seen_version}"' in page

    # Meanwhile a colleague records an approach: the case moves on to a new version.
    services.record_approach(world.corporation_coordinator, case, channel="phone", approached_on=today, reached=True)
    events_before = CaseEvent.objects.filter(case=case).count()

    response = post_move(
        client,
        case,
        "record_approach",
        {"channel": "letter", "approached_on": today.isoformat(), "reached": "no", "version": seen_version},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Iemand anders heeft deze zaak gewijzigd" in page
    assert CaseEvent.objects.filter(case=case).count() == events_before
    assert case.approaches.count() == 1
    # The user's input is kept, on the current version: saving again is a deliberate choice.
    case.refresh_from_db()
    assert f'name="record_approach-version" value="{case.version}"' in page
    again = post_move(
        client,
        case,
        "record_approach",
        {"channel": "letter", "approached_on": today.isoformat(), "reached": "no", "version": case.version},
    )
    assert again.status_code == 302
    assert case.approaches.count() == 2


@pytest.mark.django_db
def test_an_api_move_on_an_old_version_is_a_409_conflict(client, world, make_case, today):
    from woonzeker.api.models import ApiToken, Scope

    case = make_case(State.SIGNAL)
    _token, key = ApiToken.issue(
        user=world.corporation_worker, name="test", scopes=[Scope.CASES_WRITE, Scope.CASES_READ]
    )
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    read = client.get(f"/api/v1/cases/{case.pk}/", **headers).json()
    services.record_approach(world.corporation_coordinator, case, channel="phone", approached_on=today, reached=True)
    body = {"channel": "letter", "approached_on": today.isoformat(), "reached": "no", "version": read["version"]}
    response = client.post(
        f"/api/v1/cases/{case.pk}/moves/record_approach/", body, content_type="application/json", **headers
    )
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert case.approaches.count() == 1
    body["version"] = read["version"] + 1
    response = client.post(
        f"/api/v1/cases/{case.pk}/moves/record_approach/", body, content_type="application/json", **headers
    )
    assert response.status_code == 200
    assert response.json()["version"] == read["version"] + 2
