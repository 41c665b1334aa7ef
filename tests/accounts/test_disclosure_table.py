"""docs/authorization.md's disclosure table is the code's: read from the document, held equal to ``DISCLOSURE``."""

import re
from pathlib import Path

from woonzeker.accounts.disclosure import DISCLOSURE, READERS

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = ["housing corporation", "social team", "social service", "health service", "Veilig Thuis"]


def documented_table():
    """``{record: {reader: cell}}`` and ``{record: shown on}`` from the document's disclosure table."""
    document = (ROOT / "docs" / "authorization.md").read_text(encoding="utf-8")
    section = document.split("## Cases and their parts: read (the disclosure table)\n", 1)[1].split("\n### ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in lines[0].strip("|").split(" | ")]
    assert header[1:6] == COLUMNS, header
    table, shown_on = {}, {}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        (record,) = re.findall(r"\(`(\w+)`\)$", cells[0])
        assert record not in table, f"{record} appears twice in docs/authorization.md"
        table[record] = dict(zip(READERS, cells[1:6], strict=True))
        shown_on[record] = cells[6]
    return table, shown_on


def test_the_documents_disclosure_table_is_the_code():
    table, _shown_on = documented_table()
    assert table == DISCLOSURE


def test_every_reader_of_the_table_is_a_kind_of_organisation_that_sees_cases():
    from woonzeker.accounts.authorization import CASE_PARTIES

    assert set(READERS) == set(CASE_PARTIES)
