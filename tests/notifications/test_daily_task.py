"""The daily run is a task the worker runs every day at DAILY_RUN_AT on the Amsterdam clock, summer and winter
(issue #16, item 2)."""

import os
import subprocess
import sys
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from woonzeker.cases.constants import State
from woonzeker.notifications.models import Kind, Notification
from woonzeker.notifications.tasks import next_daily_run, run_daily_task, schedule_daily, waiting_daily_runs

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = ZoneInfo("UTC")
ROOT = Path(__file__).parents[2]


@pytest.fixture(autouse=True)
def run_at_a_quarter_past_six(settings):
    settings.DAILY_RUN_AT = time(6, 15)


def at(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def test_before_the_run_time_the_next_run_is_today():
    assert next_daily_run(at(2026, 12, 1, 5, 0)) == at(2026, 12, 1, 6, 15)


def test_after_the_run_time_the_next_run_is_tomorrow():
    assert next_daily_run(at(2026, 12, 1, 14, 0)) == at(2026, 12, 2, 6, 15)
    assert next_daily_run(at(2026, 12, 31, 23, 59)) == at(2027, 1, 1, 6, 15)


def test_a_run_that_starts_at_its_time_queues_the_next_for_tomorrow():
    assert next_daily_run(at(2026, 12, 1, 6, 15)) == at(2026, 12, 2, 6, 15)


def test_the_next_run_is_an_aware_datetime_on_the_local_clock_whatever_zone_now_is_in():
    run = next_daily_run(datetime(2026, 12, 1, 4, 0, tzinfo=UTC))  # 05:00 in Amsterdam
    assert timezone.is_aware(run)
    assert run == at(2026, 12, 1, 6, 15)
    assert run.astimezone(AMSTERDAM).time() == time(6, 15)


def test_into_summer_time_the_run_stays_at_a_quarter_past_six_23_hours_later():
    # Summer time starts on the last Sunday of March: 29 March 2026, 02:00 becomes 03:00.
    saturday_run = at(2026, 3, 28, 6, 15)
    sunday_run = next_daily_run(saturday_run)
    assert sunday_run == datetime(2026, 3, 29, 4, 15, tzinfo=UTC)  # 06:15 CEST (UTC+2)
    assert sunday_run.astimezone(AMSTERDAM).time() == time(6, 15)
    assert sunday_run - saturday_run == timedelta(hours=23)
    assert next_daily_run(sunday_run) - sunday_run == timedelta(hours=24)


def test_out_of_summer_time_the_run_stays_at_a_quarter_past_six_25_hours_later():
    # Summer time ends on the last Sunday of October: 25 October 2026, 03:00 becomes 02:00 again.
    saturday_run = at(2026, 10, 24, 6, 15)
    sunday_run = next_daily_run(saturday_run)
    assert sunday_run == datetime(2026, 10, 25, 5, 15, tzinfo=UTC)  # 06:15 CET (UTC+1)
    assert sunday_run.astimezone(AMSTERDAM).time() == time(6, 15)
    assert sunday_run - saturday_run == timedelta(hours=25)


def test_a_run_time_the_clock_skips_falls_an_hour_later_and_one_it_passes_twice_is_run_once(settings):
    settings.DAILY_RUN_AT = time(2, 30)
    spring = next_daily_run(at(2026, 3, 28, 12, 0))
    assert spring == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST: 02:30 did not exist that night
    assert timezone.localtime(spring).time() == time(3, 30)
    autumn = next_daily_run(at(2026, 10, 24, 12, 0))
    assert autumn == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first 02:30 (CEST, UTC+2)
    # Not again at the second 02:30 (CET, an hour later), nor at its 02:15 (before 02:30 on the clock, but
    # after the run): the next run is the next day's.
    second_quarter_past_two = datetime(2026, 10, 25, 1, 15, tzinfo=UTC).astimezone(AMSTERDAM)  # fold=1
    assert next_daily_run(autumn) == next_daily_run(second_quarter_past_two) == at(2026, 10, 26, 2, 30)


@pytest.mark.django_db
def test_scheduling_twice_queues_one_run_at_the_next_run_time():
    assert schedule_daily() is True
    assert schedule_daily() is False  # one waiting run is enough
    [waiting] = waiting_daily_runs()
    assert waiting.run_after == next_daily_run()
    assert timezone.localtime(waiting.run_after).time() == time(6, 15)


@pytest.mark.django_db
def test_schedule_tasks_queues_the_chainer_and_the_daily_run_once(capsys):
    from django_tasks_db.models import DBTaskResult

    call_command("schedule_tasks")
    first = capsys.readouterr().out
    assert "The audit chainer is queued." in first
    run = timezone.localtime(next_daily_run())
    assert f"The daily run is queued for {run:%Y-%m-%d} 06:15 ({run:%Z})." in first
    call_command("schedule_tasks")
    again = capsys.readouterr().out
    assert "The audit chainer was already queued." in again
    assert f"The daily run was already queued, for {run:%Y-%m-%d} 06:15" in again
    waiting = DBTaskResult.objects.filter(status="READY")
    assert sorted(result.task_path.rsplit(".", 1)[1] for result in waiting) == ["run_daily_task", "seal_trail_task"]


@pytest.mark.django_db
def test_seal_audit_schedule_still_queues_the_chainer(capsys):
    call_command("seal_audit", "--schedule")
    assert "The audit chainer is queued." in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection between tasks
def test_the_worker_does_the_daily_run_at_its_time_and_queues_the_next_for_the_following_day(
    settings, make_case, world, today
):
    from django_tasks_db.models import DBTaskResult

    settings.DAILY_RUN_AT = time(0, 0)  # whenever the test runs, today's run time has passed
    case = make_case(State.SIGNAL, established_days_ago=43)  # the referral was due yesterday
    assert schedule_daily() is True
    [first] = waiting_daily_runs()
    assert first.run_after == datetime.combine(today + timedelta(days=1), time(0, 0), tzinfo=AMSTERDAM)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert not Notification.objects.filter(kind=Kind.DEADLINE_PASSED).exists()  # not yet its time

    waiting_daily_runs().update(run_after=timezone.now())  # the clock reaches the run time
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    told = Notification.objects.get(kind=Kind.DEADLINE_PASSED, case=case, user=world.corporation_worker)
    assert told.message.startswith(f"De termijn voor de melding van dossier {case.pk} is op ")
    first.refresh_from_db()
    assert first.status == "SUCCESSFUL"
    assert first.return_value["notified"] >= 1
    [following] = waiting_daily_runs()
    assert following.pk != first.pk
    assert following.run_after == datetime.combine(timezone.localdate() + timedelta(days=1), time(0, 0), AMSTERDAM)
    assert DBTaskResult.objects.filter(task_path=run_daily_task.module_path).count() == 2


@pytest.mark.django_db
def test_a_failed_daily_run_still_queues_the_next(monkeypatch):
    from woonzeker.notifications import tasks

    def database_away(today=None):
        raise RuntimeError("the database is away")

    monkeypatch.setattr(tasks, "run_daily", database_away)
    with pytest.raises(RuntimeError):
        run_daily_task.call()
    [waiting] = waiting_daily_runs()
    assert waiting.run_after == next_daily_run()


def _daily_run_at(value, tmp_path):
    """The settings as a process starting with ``DAILY_RUN_AT=value`` (None: unset) reads them."""
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "DAILY_RUN_AT"}}
    environment.update({"PYTHONPATH": str(ROOT / "src"), "WOONZEKER_VAR_DIR": str(tmp_path)})
    if value is not None:
        environment["DAILY_RUN_AT"] = value
    code = "from woonzeker.conf import settings as s; print(s.DAILY_RUN_AT)"
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize("value", ["25:00", "6.15", "06:15:00", "quarter past six", ""])
def test_a_bad_daily_run_at_stops_the_start_and_says_what_it_should_be(value, tmp_path):
    result = _daily_run_at(value, tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DAILY_RUN_AT must be a time of day as HH:MM on the 24-hour clock" in result.stderr
    assert f"it is {value!r}." in result.stderr


def test_daily_run_at_is_read_from_the_environment_and_a_quarter_past_six_by_default(tmp_path):
    assert _daily_run_at("7:05", tmp_path).stdout.strip() == "07:05:00"
    assert _daily_run_at(" 23:59 ", tmp_path).stdout.strip() == "23:59:00"
    assert _daily_run_at(None, tmp_path).stdout.strip() == "06:15:00"


@pytest.mark.django_db
def test_a_daily_run_the_database_left_halfway_still_leaves_the_next_queued(monkeypatch):
    """The database away for a moment fails the run, and whatever the task would do after it: the next run is
    queued before the run starts (so too when the worker is stopped halfway, and nothing after it runs at all)."""
    from django.db import OperationalError

    from woonzeker.notifications import tasks

    queued = tasks.waiting_daily_runs

    def database_away(today=None):
        def away():
            raise OperationalError("the database is away")

        monkeypatch.setattr(tasks, "waiting_daily_runs", away)  # from here on, until it is back
        raise OperationalError("the database is away")

    monkeypatch.setattr(tasks, "run_daily", database_away)
    with pytest.raises(OperationalError):
        run_daily_task.call()
    [waiting] = queued()
    assert waiting.run_after == next_daily_run()
