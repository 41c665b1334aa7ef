"""Every set-based statement of a ledger import keeps a plan linear in the file, whatever the statistics.

The import is run for real and every statement it sends is first EXPLAINed (``FORMAT JSON``, no ANALYZE:
nothing runs twice) on the import's own connection and transaction, just before it runs: with the staging
table filled as the import fills it and every table as the statements before it left it. A plan fails when
a nested loop (or a subplan run once per row) scans a table the statement grows, sequentially, on its
inner side: every row of the file would then read every row written before it, and the import would grow
with the square of the file. That is what a first import did when ``tenancies_tenancy`` had been analyzed
empty (decision 118). A test of structure, not of time.

Three states: an empty, freshly analyzed database; a corporation's first file into tables that hold many
rows of another corporation, analyzed; and a follow-up file (with the statistics as the import left them).
And one where the statistics lie: the large tables analyzed while they held only dead rows.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection

from tests.ledgers.test_importing import ledger, run
from woonzeker.ledgers import importing
from woonzeker.ledgers.models import ImportStatus

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("media"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans are PostgreSQL's planner's"),
]

#: The rows of the corporation's files, and of the other corporation already in the tables.
FILE_ROWS = 3000
OTHER_ROWS = 40_000
#: The tables an import writes to.
GROWN_BY_IMPORT = [
    "tenancies_tenancy",
    "ledgers_tenancysnapshot",
    "cases_case",
    "cases_caseevent",
    "cases_currentrentcheck",
]
#: What a statement grows: every table it inserts into, updates or deletes from (a ``WITH`` may do several).
GROWN = re.compile(
    r"(?:^|\(|\s)(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|CREATE\s+TEMP(?:ORARY)?\s+TABLE)\s+\"?(\w+)\"?", re.IGNORECASE
)
EXPLAINABLE = re.compile(r"^\s*(?:SELECT|INSERT|UPDATE|DELETE|WITH|CREATE\s+TEMP(?:ORARY)?\s+TABLE\s+\w+\s+AS)\b", re.I)


class Plans:
    """Records the plan of every statement the import runs on the default connection, before it runs."""

    def __init__(self):
        self.plans = []  # (sql, a table it grows, its plan): a statement growing two tables is here twice

    def __call__(self, execute, sql, params, many, context):
        if not many and EXPLAINABLE.match(sql):
            raw = context["cursor"].cursor  # psycopg's own cursor: the wrapper would see the EXPLAIN again
            explain = f"EXPLAIN (FORMAT JSON) {sql}"
            raw.execute(explain) if params is None else raw.execute(explain, params)
            (plan,) = raw.fetchone()[0]
            for grown in GROWN.findall(sql) or [None]:
                self.plans.append((sql, grown, plan["Plan"]))
        return execute(sql, params, many, context)

    def grown_tables(self):
        return {grown for _sql, grown, _plan in self.plans if grown}

    def quadratic(self):
        """Each statement with a sequential scan of the table it grows, rescanned for every row."""
        found = []
        for sql, grown, plan in self.plans:
            scans = list(_rescanned_scans(plan, grown)) if grown else []
            if scans:
                found.append(f"{' '.join(sql.split())[:160]} … rescans {', '.join(scans)}\n{outline(plan)}")
        return found


def outline(node, depth=0):
    """The plan as EXPLAIN's text shows it, node types and relations only."""
    relation = f" on {node['Relation Name']} {node.get('Alias', '')}" if "Relation Name" in node else ""
    role = node.get("Subplan Name") or node.get("Parent Relationship", "")
    line = f"{'  ' * depth}-> {node['Node Type']}{' ' + node.get('Join Type', '') if 'Join Type' in node else ''}"
    lines = [f"{line}{relation} ({role}, {node.get('Plan Rows')} rows)"]
    lines += [outline(child, depth + 1) for child in node.get("Plans", [])]
    return "\n".join(lines)


def _rescanned_scans(node, grown, rescanned=False):
    """The sequential scans of ``grown`` that run again for every row of an outer side: the inner side of a
    nested loop, or a subplan that is not hashed (run once per row)."""
    if rescanned and node["Node Type"] == "Seq Scan" and node.get("Relation Name") == grown:
        yield f"Seq Scan on {grown} {node.get('Alias', '')}".strip()
    for child in node.get("Plans", []):
        relationship = child.get("Parent Relationship")
        inner = node["Node Type"] == "Nested Loop" and relationship == "Inner"
        per_row = relationship == "SubPlan" and not child.get("Subplan Name", "").startswith("hashed")
        yield from _rescanned_scans(child, grown, rescanned or inner or per_row)


@pytest.fixture(autouse=True)
def chunks_of_a_thousand(monkeypatch):
    """Each file written in a few chunks (``importing.CHUNK_ROWS``), so that every chunk's statements are
    planned with the tables as the chunks before left them."""
    monkeypatch.setattr(importing, "CHUNK_ROWS", 1000)


def import_explained(world, path):
    plans = Plans()
    with connection.execute_wrapper(plans):
        record = run(world, path)
    assert record.status == ImportStatus.IMPORTED, record.report
    return plans


def first_and_follow_up(world, tmp_path, today):
    """A corporation's first file, and its follow-up a month later, where some arrears were paid, some rose,
    some tenants moved and some tenancies are new; returns the plans of each."""
    first = [(f"W{n}", "1300,00" if n % 10 == 0 else "0") for n in range(FILE_ROWS)]
    later = [(f"W{n}", "0" if n % 20 == 0 else ("1300,00" if n % 7 == 0 else "0")) for n in range(FILE_ROWS)]
    later = [(c, a, "650,00", "nee", "3312AB" if n % 50 == 0 else "3311AB") for n, (c, a) in enumerate(later)]
    later += [(f"N{n}", "1300,00") for n in range(FILE_ROWS // 10)]
    plans = import_explained(world, ledger(tmp_path, today - timedelta(days=40), first))
    follow_up = import_explained(world, ledger(tmp_path, today - timedelta(days=10), later))
    return plans, follow_up


def assert_linear(plans):
    assert plans.grown_tables() >= set(GROWN_BY_IMPORT), "the import's statements were not all seen"
    quadratic = plans.quadratic()
    assert not quadratic, "\n".join(quadratic)


def fill_with_another_corporation(world, today, analyze=True):
    """Many tenancies of another corporation, with a snapshot each and an open case (and its event) for one in
    ten, written by set-based SQL as its own imports would have, then analyzed."""
    params = {
        "corporation": world.other_corporation.pk,
        "municipality": world.dordrecht.pk,
        "covenant": world.covenant.pk,
        "rows": OTHER_ROWS,
        "day": today - timedelta(days=60),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO ledgers_ledgerimport (corporation_id, channel, filename, original, sha256, size, status,
                stage, reference_date, started_at, rows_read, rows_applied, signals_opened, signals_resolved,
                current_rent_breaches, tenancies_missing, report)
            VALUES (%(corporation)s, 'upload', 'other.csv', 'other.csv', '', 0, 'imported', 'done', %(day)s,
                now(), %(rows)s, %(rows)s, 0, 0, 0, 0, '{}')
            RETURNING id
            """,
            params,
        )
        params["ledger_import"] = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO tenancies_tenancy (corporation_id, contract_number, tenant_name, street, house_number,
                house_number_suffix, postcode, town, municipality_id, monthly_rent, phone, email, bsn, bsn_hash)
            SELECT %(corporation)s, 'W' || g, 'Huurder ' || g, 'Voorstraat', '1', '', '3311AB', 'Dordrecht',
                   %(municipality)s, 650, '', '', '', ''
            FROM generate_series(0, %(rows)s - 1) g
            """,
            params,
        )
        cursor.execute(
            """
            INSERT INTO ledgers_tenancysnapshot (tenancy_id, ledger_import_id, reference_date, monthly_rent,
                arrears, payment_arrangement)
            SELECT id, %(ledger_import)s, %(day)s, 650, 0, false FROM tenancies_tenancy
            WHERE corporation_id = %(corporation)s
            """,
            params,
        )
        cursor.execute(
            """
            INSERT INTO cases_case (covenant_id, tenancy_id, corporation_id, municipality_id, source, state,
                established_on, arrears_amount, monthly_rent, referral_due_on, ledger_import_id, resolution,
                referral_note, corporation_decision, corporation_decision_reason, decision_reason, outcome,
                version, created_at, updated_at)
            SELECT %(covenant)s, id, %(corporation)s, %(municipality)s, 'housing_corporation', 'signal', %(day)s,
                   1300, 650, %(day)s + 42, %(ledger_import)s, '', '', '', '', '', '', 1, now(), now()
            FROM tenancies_tenancy WHERE corporation_id = %(corporation)s AND id %% 10 = 0
            """,
            params,
        )
        cursor.execute(
            """
            INSERT INTO cases_caseevent (case_id, at, actor_id, organisation_id, action, from_state, to_state,
                details)
            SELECT id, now(), NULL, %(corporation)s, 'establish_signal', '', 'signal', '{}'
            FROM cases_case WHERE corporation_id = %(corporation)s
            """,
            params,
        )
        if analyze:
            cursor.execute("ANALYZE")


def test_plans_stay_linear_on_an_empty_freshly_analyzed_database(world, tmp_path, today):
    with connection.cursor() as cursor:
        # Empty to the last page (rows of earlier tests, rolled back, would still fill pages the planner counts),
        # and analyzed so, as a fresh installation's migrations (or an operator) leave its tables.
        cursor.execute(f"TRUNCATE {', '.join(GROWN_BY_IMPORT)} CASCADE")
        cursor.execute("ANALYZE")
    first, follow_up = first_and_follow_up(world, tmp_path, today)
    assert_linear(first)
    assert_linear(follow_up)


def test_plans_stay_linear_for_a_first_file_into_a_large_table(world, tmp_path, today):
    fill_with_another_corporation(world, today)
    first, follow_up = first_and_follow_up(world, tmp_path, today)
    assert_linear(first)
    assert_linear(follow_up)


def test_plans_stay_linear_when_the_statistics_were_taken_over_dead_rows(world, tmp_path, today):
    # Analyzed while their pages held only dead rows (as a refused or interrupted import leaves them), the
    # tables count as empty however many rows they hold afterwards, until they are analyzed again.
    fill_with_another_corporation(world, today)
    with connection.cursor() as cursor:
        for table in [*reversed(GROWN_BY_IMPORT), "ledgers_ledgerimport"]:
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute("ANALYZE")
    fill_with_another_corporation(world, today, analyze=False)
    first, follow_up = first_and_follow_up(world, tmp_path, today)
    assert_linear(first)
    assert_linear(follow_up)
