"""The dashboard and its downloads: aggregates only, small counts hidden everywhere, for the right people."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from woonzeker.cases.constants import State
from woonzeker.monitoring.refresh import refresh_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def few_cases(make_case):
    cases = [make_case(State.SIGNAL, established_days_ago=3, tenant_name=f"Geheime Huurder {i}") for i in range(3)]
    refresh_figures()
    return cases


def test_municipality_sees_the_dashboard_without_names(client, world, few_cases):
    client.force_login(world.municipality_user)
    page = client.get("/monitoring/").content.decode()
    assert "Monitoring" in page
    assert "Geheime Huurder" not in page
    assert "Voorstraat" not in page


def test_small_counts_are_hidden_on_the_page(client, world, few_cases):
    client.force_login(world.municipality_user)
    page = client.get("/monitoring/").content.decode()
    assert "&lt;5" in page
    assert ">3<" not in page


def test_small_counts_are_hidden_in_csv_and_xlsx(client, world, few_cases):
    client.force_login(world.municipality_user)
    csv_text = client.get("/monitoring/export/funnel.csv").content.decode("utf-8-sig")
    assert "<5" in csv_text and ";3\r\n" not in csv_text
    workbook = load_workbook(io.BytesIO(client.get("/monitoring/export/funnel.xlsx").content))
    values = [cell.value for row in workbook.active.iter_rows() for cell in row]
    assert "<5" in values and 3 not in values


def test_the_threshold_is_a_covenant_setting(client, world, few_cases):
    world.covenant.small_count_threshold = 3
    world.covenant.save()
    client.force_login(world.municipality_user)
    csv_text = client.get("/monitoring/export/funnel.csv").content.decode("utf-8-sig")
    assert ";3\r\n" in csv_text


def test_coordinators_see_monitoring_case_workers_do_not(client, world):
    client.force_login(world.team_coordinator)
    assert client.get("/monitoring/").status_code == 200
    client.force_login(world.corporation_worker)
    assert client.get("/monitoring/").status_code == 403
    assert client.get("/monitoring/export/funnel.csv").status_code == 403


def test_drill_down_to_a_municipality(client, world, make_case, today):
    for _ in range(6):
        make_case(State.SIGNAL, established_days_ago=3)
    refresh_figures()
    client.force_login(world.municipality_user)
    page = client.get("/monitoring/").content.decode()
    link = f"gemeente={world.dordrecht.pk}"
    assert link in page
    year = (today - timedelta(days=3)).year
    page = client.get(f"/monitoring/?periode={year}&{link}").content.decode()
    assert "Monitoring: Dordrecht" in page
    assert f"periode={year}&amp;gemeente={world.dordrecht.pk}&amp;corporatie={world.corporation.pk}" in page


def test_unknown_export_is_not_found(client, world):
    client.force_login(world.municipality_user)
    assert client.get("/monitoring/export/names.csv").status_code == 404


def test_query_count_of_the_dashboard_is_fixed(client, world, make_case, django_assert_max_num_queries):
    for days in (13, 20, 60):
        make_case(State.REFERRED, established_days_ago=days)
    refresh_figures()
    client.force_login(world.municipality_user)
    with django_assert_max_num_queries(40) as before:
        client.get("/monitoring/")
    for days in (25, 35, 70, 100):
        make_case(State.CARE_TRAJECTORY, established_days_ago=days)
    refresh_figures()
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get("/monitoring/")


def test_council_report_is_a_dutch_pdf_with_small_counts_hidden(world, few_cases, today):
    from woonzeker.monitoring.council_report import council_report_pdf

    pdf = council_report_pdf(world.covenant, today.year, None, today, compress=False)
    assert pdf.startswith(b"%PDF")
    assert b"Huisuitzettingen voorkomen in Drechtsteden" in pdf
    assert b"Signalen huurachterstand" in pdf
    assert b"(<5)" in pdf
    assert b"Geheime Huurder" not in pdf


def test_council_report_download(client, world, few_cases, today):
    client.force_login(world.municipality_user)
    response = client.get(f"/monitoring/raadsrapportage-{today.year}.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(world.corporation_worker)
    assert client.get(f"/monitoring/raadsrapportage-{today.year}.pdf").status_code == 403


@pytest.mark.real_task_worker
@pytest.mark.django_db(transaction=True)  # refreshes are queued when a change commits; the worker reconnects
def test_changes_queue_one_refresh_and_the_dashboard_says_as_of_when(client, world, make_case):
    """Three new signals queue one refresh, not three; the task worker runs it, and the dashboard counts
    them and says when: "Cijfers per <day month year hh:mm>"."""
    from django.core.management import call_command
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from woonzeker.monitoring.models import Refresh

    for i in range(3):
        make_case(State.SIGNAL, established_days_ago=3, tenant_name=f"Huurder {i}")
    waiting = DBTaskResult.objects.filter(status="READY", task_path__endswith="refresh_figures_task")
    assert waiting.count() == 1
    assert not Refresh.objects.exists()

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    refresh = Refresh.objects.get()
    assert refresh.cases == 3
    assert waiting.count() == 0
    client.force_login(world.municipality_user)
    page = client.get("/monitoring/").content.decode()
    when = timezone.localtime(refresh.refreshed_at)
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober"]
    months += ["november", "december"]
    assert f"Cijfers per {when.day} {months[when.month - 1]} {when.year} {when:%H:%M}" in page
    assert "opnieuw berekend" in page
