"""Backup and restore drill: back up, lose the database, restore, and find every count and the audit chain intact."""

import json
from pathlib import Path

from tests.faults.conftest import IN_ARREARS, counts, ledger
from tests.faults.processes import manage


def test_backup_wipe_restore_gives_back_every_record_and_the_audit_chain(database, tmp_path):
    media = {"MEDIA_ROOT": str(tmp_path / "media")}
    corporation = database.world["corporation_code"]
    manage(
        database.url,
        "import_ledger",
        str(ledger(tmp_path / "l.csv", "DRILL", 3)),
        "--corporation",
        corporation,
        env=media,
    )
    before = counts(database.url)
    assert before["cases"] == IN_ARREARS and before["audit"] > 0

    made = manage(database.url, "backup", "--directory", str(tmp_path / "backups"))
    backup = Path(made.stdout.split("Backup written: ")[1].splitlines()[0])
    manifest = json.loads(Path(f"{backup}.json").read_text())
    assert manifest["tables"]["cases_case"] == IN_ARREARS

    database.wipe()
    refused = manage(database.url, "restore", str(backup), check=False)
    assert refused.returncode != 0 and "--yes" in refused.stderr  # never by accident

    restored = manage(database.url, "restore", str(backup), "--yes")
    assert "every table's row count matches the backup and the audit chain holds" in restored.stdout
    assert counts(database.url) == before
    assert manage(database.url, "verify_audit", check=False).returncode == 0

    # The database works on after the restore: the next month's ledger imports as usual.
    after = manage(
        database.url,
        "import_ledger",
        str(ledger(tmp_path / "m.csv", "DRILL", 4)),
        "--corporation",
        corporation,
        env=media,
    )
    assert after.returncode == 0


def test_a_restore_that_does_not_match_its_manifest_says_so(database, tmp_path):
    made = manage(database.url, "backup", "--directory", str(tmp_path / "backups"))
    backup = Path(made.stdout.split("Backup written: ")[1].splitlines()[0])
    manifest_path = Path(f"{backup}.json")
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["cases_case"] += 1  # as if a case went missing between backup and restore
    manifest_path.write_text(json.dumps(manifest))
    result = manage(database.url, "restore", str(backup), "--yes", check=False)
    assert result.returncode != 0
    assert "not as backed up" in result.stderr and "cases_case" in result.stderr


def test_a_backup_without_its_manifest_is_not_restored(database, tmp_path):
    made = manage(database.url, "backup", "--directory", str(tmp_path / "backups"))
    backup = Path(made.stdout.split("Backup written: ")[1].splitlines()[0])
    Path(f"{backup}.json").unlink()
    before = counts(database.url)
    result = manage(database.url, "restore", str(backup), "--yes", check=False)
    assert result.returncode != 0 and "not a complete backup" in result.stderr
    assert counts(database.url) == before
