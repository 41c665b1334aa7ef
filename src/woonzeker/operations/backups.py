"""Backing up and restoring the database: pg_dump/pg_restore for PostgreSQL, the online backup API for SQLite.

Every backup gets a manifest beside it (``<file>.json``): the number of rows of every table and the last
hash of the audit trail. A restore checks the database against that manifest and the audit chain before
it reports success, so a restore that lost anything says so.
"""

import json
import os
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection

from woonzeker.audit.models import AuditEntry
from woonzeker.audit.services import first_broken_link


class BackupError(Exception):
    pass


def _postgres_command(program, database):
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    command = [program, "--host", database.get("HOST") or "127.0.0.1", "--port", str(database.get("PORT") or 5432)]
    if database.get("USER"):
        command += ["--username", database["USER"]]
    return command, env


def _run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 (our own arguments)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def inventory():
    """Rows per table of every model, and the last link of the audit chain."""
    counts = {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }
    chained = AuditEntry.objects.filter(position__isnull=False)
    last = chained.order_by("-position").values_list("hash", flat=True).first()
    return {"tables": counts, "audit_last_hash": last}


def backup(directory):
    """Write a backup of the default database into ``directory``; returns its path.

    The audit entries waiting are chained and the head sealed first, so the manifest's last hash is a
    sealed one and ``verify_audit`` holds after a restore of this backup."""
    from woonzeker.audit.seals import seal_trail

    seal_trail()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    database = settings.DATABASES["default"]
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    if connection.vendor == "postgresql":
        path = directory / f"woonzeker-{stamp}.dump"
        command, env = _postgres_command("pg_dump", database)
        _run([*command, "--format=custom", "--no-owner", "--file", str(path), database["NAME"]], env)
    elif connection.vendor == "sqlite":
        path = directory / f"woonzeker-{stamp}.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)  # consistent even while the app writes
        finally:
            target.close()
    else:
        raise BackupError(f"No backup for a {connection.vendor} database.")
    manifest = {"made_at": datetime.now().isoformat(timespec="seconds"), "vendor": connection.vendor, **inventory()}
    Path(f"{path}.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return path


def restore(path):
    """Replace the default database's contents with the backup at ``path``; returns the differences with its
    manifest (empty when everything is back) and the first broken audit link (None when the chain holds)."""
    path = Path(path)
    if not path.exists():
        raise BackupError(f"No backup at {path}.")
    if not Path(f"{path}.json").exists():
        raise BackupError(f"{path} has no manifest ({path.name}.json): not a complete backup, nothing restored.")
    database = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        if path.suffix != ".dump":
            raise BackupError(f"{path} is not a PostgreSQL backup (.dump).")
        connection.close()
        command, env = _postgres_command("pg_restore", database)
        # One transaction: a restore that fails halfway leaves the database as it was.
        _run(
            [*command, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname", database["NAME"]]
            + [str(path)],
            env,
        )
    elif connection.vendor == "sqlite":
        if path.suffix != ".sqlite3":
            raise BackupError(f"{path} is not a SQLite backup (.sqlite3).")
        connection.close()
        source = sqlite3.connect(path)
        target = sqlite3.connect(database["NAME"])
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
    else:
        raise BackupError(f"No restore for a {connection.vendor} database.")
    return check_against_manifest(path)


def check_against_manifest(path):
    expected = json.loads(Path(f"{path}.json").read_text())
    found = inventory()
    differences = {
        table: {"backup": count, "now": found["tables"].get(table)}
        for table, count in expected["tables"].items()
        if found["tables"].get(table) != count
    }
    if found["audit_last_hash"] != expected["audit_last_hash"]:
        differences["audit_last_hash"] = {"backup": expected["audit_last_hash"], "now": found["audit_last_hash"]}
    return differences, first_broken_link()
