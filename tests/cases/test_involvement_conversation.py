"""A service's involvement as a conversation: dated notes that add up, and a closed case ends it."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from tests.factories import give_consent
from woonzeker.cases import services
from woonzeker.cases.constants import InvolvementStatus, Outcome, State
from woonzeker.cases.models import Involvement, InvolvementNote
from woonzeker.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _brought_in(world, case, service):
    give_consent(world.team_worker, case)
    involvement = services.request_involvement(
        world.team_worker, case, organisation=service, question="Kunnen jullie schuldhulp starten?"
    )
    return Involvement.objects.get(pk=involvement.pk)


def _update(worker, involvement, **kwargs):
    involvement = Involvement.objects.select_related("case").get(pk=involvement.pk)
    return services.update_involvement(worker, involvement, **kwargs)


def test_a_second_progress_note_adds_to_the_first_and_the_team_reads_both(client, make_case, world):
    case = make_case(State.CARE_TRAJECTORY)
    involvement = _brought_in(world, case, world.social_service)
    _update(world.social_service_worker, involvement, status="accepted", progress="Intake gepland op dinsdag.")
    _update(world.social_service_worker, involvement, progress="Intake gehad; budgetbeheer aangevraagd.")

    notes = list(InvolvementNote.objects.filter(involvement=involvement))
    assert [n.text for n in notes] == ["Intake gepland op dinsdag.", "Intake gehad; budgetbeheer aangevraagd."]
    assert {n.written_by for n in notes} == {world.social_service_worker}
    assert {n.organisation for n in notes} == {world.social_service}
    with pytest.raises(TypeError):
        notes[0].delete()  # append-only, like the history

    client.force_login(world.team_worker)
    page = client.get(f"/dossiers/{case.pk}/").content.decode()
    assert "Intake gepland op dinsdag." in page and "Intake gehad; budgetbeheer aangevraagd." in page
    assert page.index("Intake gepland") < page.index("Intake gehad")  # oldest first, as a conversation
    assert "Kunnen jullie schuldhulp starten?" in page  # the team's question stays with it


def test_a_service_reads_its_own_notes_and_not_another_services(client, make_case, world):
    case = make_case(State.CARE_TRAJECTORY)
    social = _brought_in(world, case, world.social_service)
    health = services.request_involvement(world.team_worker, case, organisation=world.health_service)
    _update(world.social_service_worker, social, status="accepted", progress="Schuldhulp: intake gedaan.")
    _update(world.health_service_worker, health, status="accepted", progress="GGZ: huisbezoek gepland.")

    client.force_login(world.social_service_worker)
    page = client.get(f"/dossiers/{case.pk}/").content.decode()
    assert "Schuldhulp: intake gedaan." in page and "Kunnen jullie schuldhulp starten?" in page
    assert "GGZ: huisbezoek gepland." not in page
    client.force_login(world.health_service_worker)
    page = client.get(f"/dossiers/{case.pk}/").content.decode()
    assert "GGZ: huisbezoek gepland." in page and "Schuldhulp: intake gedaan." not in page


@pytest.mark.parametrize("how", ["close_care_trajectory", "decide_no_care_trajectory"])
def test_closing_a_case_ends_running_involvements_and_tells_services_and_corporation(make_case, world, today, how):
    world.corporation_worker.email = "corporatie@example.org"
    world.corporation_worker.save()
    case = make_case(State.CARE_TRAJECTORY)
    involvement = _brought_in(world, case, world.social_service)
    _update(world.social_service_worker, involvement, status="accepted", progress="Bezig.")
    case.refresh_from_db()
    mail.outbox.clear()
    if how == "close_care_trajectory":
        services.close_care_trajectory(world.team_worker, case, outcome=Outcome.ARREARS_CLEARED, closed_on=today)
    else:  # the same rule for every move to "closed"; this one runs from feedback_sent, so no service is in
        other = make_case(State.FEEDBACK_SENT)
        services.decide_no_care_trajectory(
            world.corporation_worker, other, reason="Niet nodig.", outcome=Outcome.HELP_REFUSED, closed_on=today
        )
        told = {n.user for n in Notification.objects.filter(kind=Kind.CASE_CLOSED, case=other)}
        assert told == {world.team_worker, world.team_coordinator}  # the team; not the corporation that closed it
        return

    involvement.refresh_from_db()
    assert involvement.status == InvolvementStatus.CASE_CLOSED and involvement.finished_on == today
    assert involvement.get_status_display() == "Ended: case closed"
    event = case.events.get(action="close_care_trajectory")
    assert event.details["involvements_ended"] == [involvement.pk]  # recorded in the move's own event
    told = {n.user for n in Notification.objects.filter(kind=Kind.CASE_CLOSED, case=case)}
    assert world.social_service_worker in told and world.corporation_worker in told
    assert world.team_worker not in told  # the team closed it itself
    assert any(f"/dossiers/{case.pk}/" in m.body for m in mail.outbox if m.to == ["corporatie@example.org"])


def test_a_finished_involvement_stays_finished_when_the_case_closes(make_case, world, today):
    case = make_case(State.CARE_TRAJECTORY)
    involvement = _brought_in(world, case, world.social_service)
    _update(world.social_service_worker, involvement, status="accepted")
    _update(world.social_service_worker, involvement, status="finished")
    case.refresh_from_db()
    services.close_care_trajectory(world.team_worker, case, outcome=Outcome.ARREARS_CLEARED, closed_on=today)
    involvement.refresh_from_db()
    assert involvement.status == InvolvementStatus.FINISHED


def test_the_service_sees_its_involvement_ended_by_closing_on_the_case_page(client, make_case, world, today):
    case = make_case(State.CARE_TRAJECTORY)
    involvement = _brought_in(world, case, world.social_service)
    _update(world.social_service_worker, involvement, status="accepted", progress="Regeling loopt.")
    case.refresh_from_db()
    services.close_care_trajectory(world.team_worker, case, outcome=Outcome.ARREARS_CLEARED, closed_on=today)
    client.force_login(world.social_service_worker)
    page = client.get(f"/dossiers/{case.pk}/").content.decode()
    assert "Beëindigd: dossier gesloten" in page and "Regeling loopt." in page


@pytest.mark.django_db(transaction=True)
def test_the_progress_written_before_the_notes_becomes_the_first_note(make_case, world):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    case = make_case(State.CARE_TRAJECTORY)
    involvement = _brought_in(world, case, world.social_service)
    _update(world.social_service_worker, involvement, status="accepted")
    executor = MigrationExecutor(connection)
    executor.migrate([("cases", "0005_work_queue_indexes")])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_involvement SET progress = %s WHERE id = %s", ["Intake gedaan.", involvement.pk])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    [note] = InvolvementNote.objects.filter(involvement=involvement)
    assert note.text == "Intake gedaan."
    assert (note.written_by, note.organisation) == (world.social_service_worker, world.social_service)
    assert note.written_at == case.events.get(action="update_involvement").at


def test_an_update_with_neither_a_new_status_nor_a_note_is_refused(make_case, world):
    case = make_case(State.CARE_TRAJECTORY)
    involvement = _brought_in(world, case, world.social_service)
    _update(world.social_service_worker, involvement, status="accepted")
    events = case.events.count()
    with pytest.raises(ValidationError, match="progress note"):
        _update(world.social_service_worker, involvement, status="accepted", progress="  ")
    assert case.events.count() == events  # nothing recorded, no empty line in the history
