"""Health endpoints: up, and ready (database reachable, migrations applied)."""

import pytest
from django.db import connection


def test_healthz_needs_no_database(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.django_db
def test_readyz_when_the_database_answers_and_is_migrated(client):
    response = client.get("/readyz")
    assert (response.status_code, response.json()["status"]) == (200, "ready")


@pytest.mark.django_db
def test_readyz_reports_unapplied_migrations(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: ["pending"])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "1 migrations not applied" in response.json()["reason"]


@pytest.mark.django_db
def test_readyz_reports_an_unreachable_database(client, monkeypatch):
    from django.db import OperationalError

    def broken(*args, **kwargs):
        raise OperationalError("gone")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/readyz")
    assert (response.status_code, response.json()["reason"]) == (503, "database: OperationalError")
