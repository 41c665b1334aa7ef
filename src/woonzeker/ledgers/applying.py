"""The ledger contract's rules, applied to a whole staged snapshot in a few SQL statements.

Each function mirrors a rule written as a plain Python function elsewhere,
named in its docstring; ``tests/ledgers/test_rules_match.py`` checks that the
set-based version and the plain rule agree. All of them run inside the
import's transaction: those that take ``source`` once per chunk of the file, from ``staging.CHUNK``, as
it arrives (``importing``); the rules after the whole file is staged and ``staging.index`` ran.
"""

# ruff: noqa: S608 -- only table names and constants of this module are formatted into the SQL;
# every value from a file or a user is passed as a query parameter.

from django.db import connection, transaction
from django.utils import timezone

from woonzeker.cases.constants import OPEN_STATES, State
from woonzeker.cases.models import Case, CaseEvent, CurrentRentCheck
from woonzeker.ledgers import staging
from woonzeker.ledgers.models import TenancySnapshot
from woonzeker.ledgers.staging import NEW_SIGNALS, RESOLVED_SIGNALS, is_postgresql
from woonzeker.ledgers.staging import TABLE as STAGING
from woonzeker.organisations.models import Municipality
from woonzeker.tenancies.models import Tenancy

TENANCY = Tenancy._meta.db_table
MUNICIPALITY = Municipality._meta.db_table
SNAPSHOT = TenancySnapshot._meta.db_table
CASE = Case._meta.db_table
EVENT = CaseEvent._meta.db_table
RENT_CHECK = CurrentRentCheck._meta.db_table
OPEN = ", ".join(f"'{state}'" for state in OPEN_STATES)


def _staged_tenancy(source):
    """The staged row and its tenancy, joined on the corporation's own reference."""
    return (
        f"{source} s JOIN {TENANCY} t ON t.corporation_id = %(corporation)s "
        f"AND t.contract_number = s.contract_number AND NOT (t.contract_number = '')"
    )


STAGED_TENANCY = _staged_tenancy(STAGING)
# A case of the corporation whose tenancy is in the staged file.
CASE_IN_FILE = (
    f"{CASE} c JOIN {TENANCY} t ON t.id = c.tenancy_id AND t.corporation_id = %(corporation)s "
    f"JOIN {STAGING} s ON s.contract_number = t.contract_number"
)


def _json(sql_text):
    return f"CAST({sql_text} AS jsonb)" if is_postgresql() else sql_text


def _differs(left, right):
    return f"{left} IS DISTINCT FROM {right}" if is_postgresql() else f"{left} IS NOT {right}"


def _execute(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _covenant_values(covenants):
    """``covenants`` (municipality id -> covenant id, threshold, referral due date) as a derived table ``lc``."""
    return " UNION ALL ".join(
        f"SELECT {int(m)} AS municipality_id, {int(c)} AS covenant_id, {threshold:f} AS threshold, "
        f"'{due.isoformat()}' AS referral_due_on"
        for m, (c, threshold, due) in covenants.items()
    )


def uncovered_rows(context, covenants, limit, source=STAGING):
    """Coverage (``organisations.routing.responsible_team``): the rows whose postcode not exactly one social
    team covers, where that matters: the row would open a signal (the rule of ``open_signals``), or it moves
    the address of a tenancy with an open case. Such a case could never be referred, so the file is refused
    (all or nothing). A tenancy without arrears may live anywhere: its history is kept.

    Returns up to ``limit`` of (row number, postcode, municipality name, opens a signal), in row order, and
    how many there are in all, of the rows in ``source``. Run before ``upsert_tenancies`` of those rows."""
    if not covenants:
        return [], 0
    open_case = f"EXISTS (SELECT 1 FROM {CASE} c WHERE c.tenancy_id = t.id AND c.state IN ({OPEN}))"
    # ``s.covered`` was decided per row while staging (``MunicipalityResolver.covered``): only the rare
    # uncovered rows are joined to their tenancy and cases.
    rows = f"""
        SELECT s.row_number, s.postcode, m.name, NOT ({open_case}) AS opens_signal
        FROM {source} s
        JOIN {MUNICIPALITY} m ON m.id = s.municipality_id
        LEFT JOIN {TENANCY} t ON t.corporation_id = %(corporation)s AND t.contract_number = s.contract_number
             AND NOT (t.contract_number = '')
        LEFT JOIN ({_covenant_values(covenants)}) lc ON lc.municipality_id = s.municipality_id
        WHERE NOT s.covered
          AND ((lc.municipality_id IS NOT NULL AND s.arrears >= s.monthly_rent * lc.threshold
                AND NOT s.payment_arrangement AND NOT ({open_case}))
               OR (t.id IS NOT NULL AND {_differs("t.postcode", "s.postcode")} AND {open_case}))
    """
    found = _fetch(f"{rows} ORDER BY s.row_number LIMIT {int(limit)}", context)
    total = len(found) if len(found) < limit else _fetch(f"SELECT COUNT(*) FROM ({rows}) u", context)[0][0]
    return found, total


#: The tenancy's details a ledger replaces, and those it keeps when the ledger leaves them empty.
REPLACED = [
    "tenant_name",
    "street",
    "house_number",
    "house_number_suffix",
    "postcode",
    "town",
    "municipality_id",
    "monthly_rent",
]
KEPT_WHEN_EMPTY_DETAILS = ["phone", "email", "bsn_hash"]


def _tenancy_updates(new, old):
    """SET assignments from the staged row ``new`` onto the stored ``old``, and the condition they change it."""
    assignments = [f"{c} = {new}.{c}" for c in REPLACED]
    assignments += [f"{c} = COALESCE(NULLIF({new}.{c}, ''), {old}.{c})" for c in KEPT_WHEN_EMPTY_DETAILS]
    # The BSN is compared by its hash: its ciphertext differs on every encryption (a random nonce), so the
    # stored one is kept while the number is the same.
    assignments.append(f"bsn = CASE WHEN {new}.bsn_hash IN ('', {old}.bsn_hash) THEN {old}.bsn ELSE {new}.bsn END")
    assignments.append(f"birth_date = COALESCE({new}.birth_date, {old}.birth_date)")
    changed = " OR ".join(_differs(f"{old}.{c}", f"{new}.{c}") for c in REPLACED + KEPT_WHEN_EMPTY_DETAILS)
    return ", ".join(assignments), changed


def probe_tenancies(context, source):
    """(known, differing): how many rows of ``source`` have their tenancy already, and how many of those
    differ from it in a detail ``upsert_tenancies`` writes. One read-only join. The household's details of
    ``record_household_changes`` are among those details: where none differs, it has nothing to write."""
    _assignments, changed = _tenancy_updates("s", "t")
    known, differing = _fetch(
        f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN {changed} THEN 1 ELSE 0 END), 0) FROM {_staged_tenancy(source)}",
        context,
    )[0]
    return known, differing


#: When the tenancy upsert inserted more rows than this, the table's statistics are refreshed before the update.
ANALYZE_AFTER_ROWS = 10_000


class TenancyChunks:
    """What ``upsert_tenancies`` keeps from one chunk of a file to the next.

    When to refresh the tenancy table's statistics: when more than ``ANALYZE_AFTER_ROWS`` were inserted since
    they were last refreshed, and at least as many as had been by then (as far as this file grew the table, it
    doubled). A handful of ``ANALYZE`` for millions of rows (each samples the whole table), and the planner
    never counts less than half of the file's rows.

    Whether to count first which of a chunk's tenancies are there and which differ (``probe``): yes for the
    first chunk and after a chunk that held known tenancies (a follow-up file); not after a chunk of new ones
    only (a first file), where the count would only confirm that none is there."""

    def __init__(self):
        self.inserted = self.analyzed_at = 0
        self.probe = True

    def due(self, inserted):
        self.inserted += inserted
        if self.inserted - self.analyzed_at > max(ANALYZE_AFTER_ROWS, self.analyzed_at):
            self.analyzed_at = self.inserted
            return True
        return False


def upsert_tenancies(context, source=STAGING, chunks=None, rows=None, probed=None):
    """Create the tenancies the corporation has not sent before; update the details of the others (of the
    rows in ``source``; with ``chunks``, a ``TenancyChunks``, ``rows`` is how many it holds, and ``probed``
    what ``probe_tenancies`` found, if it was asked). Returns how many it created.

    Optional contact details that a later file leaves empty keep their earlier value. The BSN arrives
    encrypted and hashed (``importing._records``).

    Two statements: an ``INSERT … ON CONFLICT DO NOTHING`` of every staged row, which writes those not
    there yet and leaves the others unread but for their key in the unique index, then an ``UPDATE`` of
    the tenancies whose details differ. One ``INSERT … ON CONFLICT DO UPDATE … WHERE`` would lock (and so
    write) every tenancy in the file, changed or not. The insert asks no ``NOT EXISTS`` of the table it
    fills: planned while the corporation's tenancies looked empty, that anti join scanned every tenancy
    written so far for every row of the file (decision 118). A tenancy registered by someone else in
    between (``tenancies.services.register_tenancy``) is skipped by the insert and updated by the update,
    like the others.

    A chunk of a file (``chunks``) may first be probed (``probe_tenancies``, when ``chunks.probe``): one
    read-only join counts its rows whose tenancy is there, and those whose details differ. Then the insert
    is left out when every tenancy is there, and the update when none differs and the insert met no tenancy
    the probe had not counted (a follow-up file that changes no address: its chunks are joined to the
    tenancies once, not twice). A chunk whose every row the insert wrote needs no update either (a first
    file). ``bench/ledger_import.py`` measures what this saves.
    """
    columns = REPLACED + KEPT_WHEN_EMPTY_DETAILS + ["bsn", "birth_date"]
    chunks = chunks or TenancyChunks()
    known, differing = probed or (None, None)
    if probed:
        chunks.probe = known > 0
    inserted = 0
    if rows is None or known != rows:  # unprobed, or some tenancy of the chunk is not there yet
        # ``WHERE true``: without a WHERE, SQLite would read the ON of ON CONFLICT as a join's.
        inserted = _execute(
            f"""
            INSERT INTO {TENANCY} (corporation_id, contract_number, {", ".join(columns)})
            SELECT %(corporation)s, s.contract_number, {", ".join(f"s.{c}" for c in columns)} FROM {source} s
            WHERE true
            ON CONFLICT (corporation_id, contract_number) WHERE NOT (contract_number = '') DO NOTHING
            """,
            context,
        )
    if rows is not None and inserted < rows and known is None:
        chunks.probe = True  # the chunk held known tenancies: the next one may too
    if is_postgresql() and chunks.due(inserted):
        # The planner's statistics still describe the table before this file (its own uncommitted rows
        # included, they would be refreshed only after the commit): with "a handful of tenancies" the
        # update, snapshot and rule statements below would join millions of rows by nested loops.
        _execute(f"ANALYZE {TENANCY}", context)
    if inserted == rows:
        return inserted  # every row was new (a first file): there is no tenancy of the file's to update
    if known is not None and not differing and known + inserted == rows:
        return inserted  # no known tenancy differs, and the insert met none the probe had not counted
    assignments, changed = _tenancy_updates("s", TENANCY)
    _execute(
        f"""
        UPDATE {TENANCY} SET {assignments}
        FROM {source} s
        WHERE {TENANCY}.corporation_id = %(corporation)s AND {TENANCY}.contract_number = s.contract_number
          AND NOT ({TENANCY}.contract_number = '') AND ({changed})
        """,
        context,
    )
    return inserted


def create_tenancies_with_snapshots(context, source, rows, chunks):
    """PostgreSQL, a chunk whose tenancies are all new (a first file): create them and their snapshots in
    one statement, the snapshots from the ids the insert returns, so that no row is looked up again in the
    tenancy table (a chunk's join to millions of tenancies reads their index and pages once per row).
    Returns whether it wrote every row; when a tenancy was there after all, it undoes its work (a
    savepoint) and returns False, and the chunk is written as any other (``upsert_tenancies``,
    ``record_snapshots``). ``bench/ledger_import.py`` measures what it saves."""
    columns = REPLACED + KEPT_WHEN_EMPTY_DETAILS + ["bsn", "birth_date"]
    savepoint = transaction.savepoint()
    written = _execute(
        f"""
        WITH created AS (
            INSERT INTO {TENANCY} (corporation_id, contract_number, {", ".join(columns)})
            SELECT %(corporation)s, s.contract_number, {", ".join(f"s.{c}" for c in columns)} FROM {source} s
            ON CONFLICT (corporation_id, contract_number) WHERE NOT (contract_number = '') DO NOTHING
            RETURNING id, contract_number
        )
        INSERT INTO {SNAPSHOT} (tenancy_id, ledger_import_id, reference_date, monthly_rent, arrears,
                                payment_arrangement)
        SELECT c.id, %(ledger_import)s, %(reference_date)s, s.monthly_rent, s.arrears, s.payment_arrangement
        FROM created c JOIN {source} s ON s.contract_number = c.contract_number
        """,
        context,
    )
    if written != rows:
        transaction.savepoint_rollback(savepoint)
        chunks.probe = True
        return False
    transaction.savepoint_commit(savepoint)
    chunks.probe = False
    if chunks.due(written):
        _execute(f"ANALYZE {TENANCY}", context)  # as ``upsert_tenancies`` does
    return True


#: The household's details whose change by a ledger is a line in an open case's history, as the move
#: ``correct_household`` writes it (``cases.services.HOUSEHOLD_FIELDS``); a ledger's empty phone or e-mail
#: keeps the stored one (``upsert_tenancies``), so it changes nothing.
HOUSEHOLD_FIELDS = ["street", "house_number", "house_number_suffix", "postcode", "town", "phone", "email"]
KEPT_WHEN_EMPTY = {"phone", "email"}


def _household_differs(name):
    """SQL: whether the staged row ``s`` changes field ``name`` of its tenancy ``t``."""
    differs = _differs("t." + name, "s." + name)
    return f"(s.{name} <> '' AND {differs})" if name in KEPT_WHEN_EMPTY else differs


def _household_change(name):
    """SQL: the JSON object of one field's change (None when unchanged). Like ``correct_household``, the
    e-mail address, shown nowhere, is named without its values."""
    differs = _household_differs(name)
    build = "jsonb_build_object" if is_postgresql() else "json_object"
    values = "" if name == "email" else f", 'from', t.{name}, 'to', s.{name}"
    return f"CASE WHEN {differs} THEN {build}('field', '{name}'{values}) END"


def record_household_changes(context, source=STAGING):
    """History: each change a ledger makes to the address or contact details of a tenancy with an open case
    is a line in that case's history (``correct_household``, by the importing user), listing every field it
    changes from what to what. One ``INSERT … SELECT``, from the corporation's open cases (its queue index)
    to their rows in the file. Run before ``upsert_tenancies``, which writes the new details."""
    candidates = " UNION ALL ".join(f"SELECT {_household_change(name)} AS c" for name in HOUSEHOLD_FIELDS)
    if is_postgresql():
        changes = f"(SELECT jsonb_agg(x.c) FROM ({candidates}) x WHERE x.c IS NOT NULL)"
        details = f"jsonb_build_object('changes', {changes}, 'ledger_import', {int(context['ledger_import'])})"
    else:
        changes = f"json((SELECT json_group_array(json(x.c)) FROM ({candidates}) x WHERE x.c IS NOT NULL))"
        details = f"json_object('changes', {changes}, 'ledger_import', {int(context['ledger_import'])})"
    changed = " OR ".join(_household_differs(name) for name in HOUSEHOLD_FIELDS)
    return _execute(
        f"""
        INSERT INTO {EVENT} (case_id, at, actor_id, organisation_id, action, from_state, to_state, details)
        SELECT c.id, %(now)s, %(actor)s, %(corporation)s, 'correct_household', c.state, c.state, {details}
        FROM {CASE} c
        JOIN {TENANCY} t ON t.id = c.tenancy_id AND t.corporation_id = %(corporation)s
             AND NOT (t.contract_number = '')
        JOIN {source} s ON s.contract_number = t.contract_number
        WHERE c.corporation_id = %(corporation)s AND c.state IN ({OPEN}) AND ({changed})
        """,
        context,
    )


def record_snapshots(context, source=STAGING):
    """History: every snapshot of every tenancy is kept (of the rows in ``source``)."""
    return _execute(
        f"""
        INSERT INTO {SNAPSHOT} (tenancy_id, ledger_import_id, reference_date, monthly_rent, arrears,
                                payment_arrangement)
        SELECT t.id, %(ledger_import)s, %(reference_date)s, s.monthly_rent, s.arrears, s.payment_arrangement
        FROM {_staged_tenancy(source)}
        """,
        context,
    )


def check_foreign_keys(context):
    """Check now, on PostgreSQL, the foreign keys of the rows written so far that wait for the commit (Django
    makes them ``DEFERRABLE INITIALLY DEFERRED``; they are checked, and the rows they name locked, once per
    key per row). Called after each chunk, so that the checks of one chunk run while the next is read
    (``reading``), not all of them at the commit; they go on waiting for the commit afterwards."""
    if not is_postgresql():
        return
    names = [
        connection.ops.quote_name(name)
        for (name,) in _fetch(
            """
            SELECT conname FROM pg_constraint
            WHERE contype = 'f' AND condeferrable AND condeferred
              AND conrelid = ANY (ARRAY[%(tenancy)s, %(snapshot)s, %(event)s]::regclass[])
            """,
            {"tenancy": TENANCY, "snapshot": SNAPSHOT, "event": EVENT},
        )
    ]
    if names:
        _execute(f"SET CONSTRAINTS {', '.join(names)} IMMEDIATE", context)
        _execute(f"SET CONSTRAINTS {', '.join(names)} DEFERRED", context)


def _events(context, case_ids_sql, action, from_state, to_state, details_sql):
    """One CaseEvent per case that ``case_ids_sql`` selects (as ``case_id``), by the importing user."""
    return _execute(
        f"""
        INSERT INTO {EVENT} (case_id, at, actor_id, organisation_id, action, from_state, to_state, details)
        SELECT x.case_id, %(now)s, %(actor)s, %(corporation)s, '{action}', '{from_state}', '{to_state}',
               {_json(details_sql)}
        FROM ({case_ids_sql}) x
        """,
        context,
    )


def resolve_signals(context):
    """Resolved before referral: an open signal not yet referred ends when the arrears reach 0
    (``arrears_paid``) or a payment arrangement runs (``payment_arrangement``). Partial payment
    keeps it open."""
    # Decided first, in a table of its own (``staging.derive``): the update then reads no case but by its key.
    staging.derive(
        RESOLVED_SIGNALS,
        [("case_id", "bigint", "integer"), ("resolution", "text", "text")],
        f"""
        SELECT c.id, CASE WHEN s.arrears = 0 THEN 'arrears_paid' ELSE 'payment_arrangement' END
        FROM {CASE_IN_FILE}
        WHERE c.state = '{State.SIGNAL}' AND (s.arrears = 0 OR s.payment_arrangement)
        """,
        context,
    )
    import_id = int(context["ledger_import"])
    _events(
        context,
        f"SELECT case_id, resolution FROM {RESOLVED_SIGNALS}",
        "resolve_before_referral",
        State.SIGNAL,
        State.RESOLVED_BEFORE_REFERRAL,
        f"""'{{"resolution": "' || x.resolution || '", "ledger_import": {import_id}}}'""",
    )
    return _execute(
        f"""
        UPDATE {CASE} SET state = '{State.RESOLVED_BEFORE_REFERRAL}', resolution = r.resolution,
               resolved_on = %(reference_date)s, version = {CASE}.version + 1, updated_at = %(now)s
        FROM {RESOLVED_SIGNALS} r
        WHERE {CASE}.id = r.case_id
        """,
        context,
    )


def open_signals(context, covenants):
    """Signal: a tenancy whose arrears are at least the covenant's threshold in months of rent
    (``cases.arrears.meets_arrears_threshold``), with no open case and no payment arrangement
    running, gets a signal established on the reference date.

    ``covenants`` maps municipality id to (covenant id, threshold in months, referral due date),
    computed beforehand for the few municipalities in the file.
    """
    if not covenants:
        return 0
    values = _covenant_values(covenants)
    due = "CAST(lc.referral_due_on AS date)" if is_postgresql() else "lc.referral_due_on"
    # Decided first, in a table of its own (``staging.derive``): the insert reads no case, so the "no open
    # case" anti join never scans the cases it is writing.
    staging.derive(
        NEW_SIGNALS,
        [
            ("covenant_id", "bigint", "integer"),
            ("tenancy_id", "bigint", "integer"),
            ("municipality_id", "bigint", "integer"),
            ("arrears", "numeric(10,2)", "decimal"),
            ("monthly_rent", "numeric(8,2)", "decimal"),
            ("referral_due_on", "date", "date"),
        ],
        f"""
        SELECT lc.covenant_id, t.id, t.municipality_id, s.arrears, s.monthly_rent, {due}
        FROM {STAGED_TENANCY}
        JOIN ({values}) lc ON lc.municipality_id = t.municipality_id
        WHERE s.arrears >= s.monthly_rent * lc.threshold AND NOT s.payment_arrangement
          AND NOT EXISTS (SELECT 1 FROM {CASE} c WHERE c.tenancy_id = t.id AND c.state IN ({OPEN}))
        """,
        context,
    )
    opened = _execute(
        f"""
        INSERT INTO {CASE} (covenant_id, tenancy_id, corporation_id, municipality_id, source, state,
                            established_on, arrears_amount, monthly_rent, referral_due_on, ledger_import_id,
                            resolution, referral_note, corporation_decision, corporation_decision_reason,
                            decision_reason, outcome, version, created_at, updated_at)
        SELECT n.covenant_id, n.tenancy_id, %(corporation)s, n.municipality_id, 'housing_corporation',
               '{State.SIGNAL}', %(reference_date)s, n.arrears, n.monthly_rent, n.referral_due_on,
               %(ledger_import)s, '', '', '', '', '', '', 1, %(now)s, %(now)s
        FROM {NEW_SIGNALS} n
        """,
        context,
    )
    _events(
        context,
        f"SELECT id AS case_id, arrears_amount FROM {CASE} WHERE ledger_import_id = %(ledger_import)s",
        "establish_signal",
        "",
        State.SIGNAL,
        f"""'{{"ledger_import": {int(context["ledger_import"])}}}'""",
    )
    return opened


def check_current_rent(context):
    """Current rent during a care trajectory (``cases.current_rent.current_rent_unpaid``): unpaid
    when the arrears on this snapshot are higher than on the tenancy's previous snapshot.

    Records a check for every trajectory case in the file that has a previous snapshot, where the
    covenant makes paying the current rent a condition; returns the case ids found unpaid.
    """
    checks = f"""
        SELECT c.id AS case_id, p.arrears AS previous_arrears, s.arrears AS arrears
        FROM {CASE_IN_FILE}
        JOIN covenants_covenant cv ON cv.id = c.covenant_id AND cv.current_rent_must_be_paid
        JOIN {SNAPSHOT} p ON p.tenancy_id = t.id AND p.reference_date = (
            SELECT MAX(p2.reference_date) FROM {SNAPSHOT} p2
            WHERE p2.tenancy_id = t.id AND p2.reference_date < %(reference_date)s)
        WHERE c.state = '{State.CARE_TRAJECTORY}'
    """
    _execute(
        f"""
        INSERT INTO {RENT_CHECK} (case_id, checked_on, paid, previous_arrears, arrears, note, recorded_by_id)
        SELECT x.case_id, %(reference_date)s, NOT (x.arrears > x.previous_arrears), x.previous_arrears,
               x.arrears, '', NULL
        FROM ({checks}) x
        """,
        context,
    )
    unpaid = f"SELECT case_id FROM ({checks}) y WHERE y.arrears > y.previous_arrears"
    _events(
        context,
        unpaid,
        "record_current_rent_check",
        State.CARE_TRAJECTORY,
        State.CARE_TRAJECTORY,
        f"""'{{"paid": false, "ledger_import": {int(context["ledger_import"])}}}'""",
    )
    return [row[0] for row in _fetch(unpaid, context)]


def open_cases_missing(context):
    """Open cases of the corporation whose tenancy is not in this file: listed, never closed silently."""
    return _fetch(
        f"""
        SELECT c.id, t.contract_number FROM {CASE} c JOIN {TENANCY} t ON t.id = c.tenancy_id
        WHERE c.corporation_id = %(corporation)s AND c.state IN ({OPEN})
          AND NOT EXISTS (SELECT 1 FROM {STAGING} s WHERE s.contract_number = t.contract_number)
        ORDER BY t.contract_number
        """,
        context,
    )


def context_for(ledger_import, actor):
    return {
        "corporation": ledger_import.corporation_id,
        "ledger_import": ledger_import.pk,
        "reference_date": ledger_import.reference_date,
        "actor": actor.pk if actor else None,
        "now": timezone.now(),
    }
