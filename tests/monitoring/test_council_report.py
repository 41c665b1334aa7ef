"""The council report reads well: every label whole, one heading per section, years as years."""

import shutil
import subprocess
from collections import Counter

import pytest
from django.utils import translation

from woonzeker.cases.constants import State
from woonzeker.monitoring import figures
from woonzeker.monitoring.council_report import council_report_pdf
from woonzeker.monitoring.periods import parse_period
from woonzeker.monitoring.refresh import refresh_figures
from woonzeker.monitoring.tables import dashboard_tables

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"),
]


def pdf_text(pdf):
    """The PDF's text in the order it was written, wrapped lines joined: a label cut off would not be whole."""
    result = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def test_every_label_of_the_council_report_is_printed_whole_and_each_heading_once(world, make_case, today):
    for state in (State.SIGNAL, State.REFERRED, State.CARE_TRAJECTORY, State.CLOSED):
        make_case(state, established_days_ago=60)
    refresh_figures()
    text = pdf_text(council_report_pdf(world.covenant, today.year, None, today))
    with translation.override("nl"):
        selection = figures.Selection(world.covenant, parse_period(str(today.year), world.covenant, today))
        tables = [t for t in dashboard_tables(selection, today) if not t.key.startswith("by_")]
        labels = {str(label) for table in tables for label in [*table.headers, *(row[0] for row in table.rows)]}
        titles = [str(table.title) for table in tables]
    assert "90e percentiel dagen" in text and "lopende huur niet is betaald" in text
    missing = [label for label in labels if " ".join(label.split()) not in text]
    assert missing == []
    lines = subprocess.run(
        ["pdftotext", "-raw", "-", "-"],
        input=council_report_pdf(world.covenant, today.year, None, today),
        capture_output=True,
        check=True,
    ).stdout.decode()
    headings = Counter(line.strip() for line in lines.splitlines() if line.strip() in titles)
    assert headings == Counter(titles)  # each section's heading, once
    assert f"Drechtsteden: {today.year}" in text and f"{today.year // 1000}.{today.year % 1000:03d}" not in text


def test_the_dashboard_links_the_report_by_its_year(client, world, today):
    client.force_login(world.municipality_user)
    page = client.get("/monitoring/").content.decode()
    assert f"Raadsrapportage {today.year} (PDF)" in page
