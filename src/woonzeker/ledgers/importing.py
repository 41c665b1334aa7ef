"""Importing a rent ledger: the one service the upload page, the command and the API call.

All or nothing: the file is read and checked while it streams into a staging
table inside one transaction; any problem rolls everything back and the
import is kept as *refused* with a report naming every problem by row, column
and value. The rows arrive in chunks, read by a thread of their own
(``reading.py``) while the import's thread writes the chunk before: its
tenancies and snapshots, with a few set-based statements (``applying.py``).
Once the whole file is read and found valid, the rules are applied to it, again
set-based. The original file is kept with the import either way.

From the upload page and the API an import is queued (``queue_ledger``): the file is stored and the import
recorded as *queued* in the sender's request, and the task worker runs ``import_stored`` on it
(``ledgers/tasks.py``). The command imports at once (``import_ledger``). Either way the same steps run, and
the import tells its stage and rows on its record as it goes (``progress.py``), in short transactions of
their own, so a page can show a bar while the import's own transaction is open. A worker that dies
mid-import leaves nothing of it but that progress; the import runs again from the stored file.
"""

import hashlib
import time
from collections import defaultdict
from contextlib import closing
from itertools import chain

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from woonzeker import crypto, faults
from woonzeker.accounts.authorization import check_ledger_import
from woonzeker.cases.deadlines import referral_deadline
from woonzeker.cases.models import Case
from woonzeker.covenants.selectors import covenant_for
from woonzeker.formatting import long_date
from woonzeker.ledgers import applying, progress, reading, staging
from woonzeker.ledgers.models import UNFINISHED, ImportStage, ImportStatus, LedgerImport
from woonzeker.ledgers.municipalities import MunicipalityResolver
from woonzeker.ledgers.parsing import InvalidValue, LedgerError, ParseReport, parse_ledger
from woonzeker.monitoring.tasks import refresh_after_commit
from woonzeker.notifications.services import current_rent_breach
from woonzeker.organisations.models import Municipality, Organisation
from woonzeker.organisations.postcodes import display_postcode

#: How many open cases missing from a file the report lists by name (all are counted).
MISSING_LISTED = 1000
#: Rows in a chunk: read by one thread while the chunk before is written by the other (``reading.py``). Large
#: enough that a chunk's few statements and their planning are small beside its rows; small enough that the
#: three chunks in memory at once (read, waiting, written) stay a fraction of the worker's memory.
CHUNK_ROWS = 100_000


class _Refused(Exception):
    """Raised inside the transaction to roll it back; carries the report."""

    def __init__(self, report):
        super().__init__("ledger refused")
        self.report = report


def import_ledger(actor, corporation, source, filename, channel):
    """Import one ledger file of ``corporation`` now; returns the ``LedgerImport`` (imported or refused).

    ``actor`` is the user who sends it (None for the command line). Raises
    ``MoveRefused`` when the user may not import for this corporation.
    """
    return import_stored(_receive(actor, corporation, source, filename, channel).pk)


def queue_ledger(actor, corporation, source, filename, channel):
    """Store the file, record the import as queued and queue it for the task worker; returns the record.

    Call it inside the transaction that audits the upload: the queued task is committed with the record."""
    from woonzeker.ledgers import tasks  # the task module imports this one

    record = _receive(actor, corporation, source, filename, channel)
    tasks.import_ledger_task.enqueue(record.pk)
    return record


def _receive(actor, corporation, source, filename, channel):
    check_ledger_import(actor, corporation)
    started_at = timezone.now()
    stored_name, sha256, size = _store_original(source, filename, started_at)
    return LedgerImport.objects.create(
        corporation=corporation,
        channel=channel,
        filename=filename[:255],
        original=stored_name,
        sha256=sha256,
        size=size,
        imported_by=actor,
        started_at=started_at,
        status=ImportStatus.QUEUED,
        stage=ImportStage.WAITING,
    )


def import_stored(ledger_import_id):
    """Run the import of a received file (queued, or left running by a worker that stopped); returns the
    record. An import already finished is returned as it is: running a task twice imports once."""
    record = LedgerImport.objects.select_related("corporation", "imported_by").get(pk=ledger_import_id)
    if record.status not in UNFINISHED:
        return record
    corporation, actor = record.corporation, record.imported_by
    tell = progress.Progress(record.pk)
    tell.update(status=ImportStatus.RUNNING, stage=ImportStage.READING, rows_read=0, rows_applied=0)
    if record.size > settings.LEDGER_MAX_UPLOAD_BYTES:
        return _refuse(record, _file_error(_("The file is larger than %(limit)d MB.") % {"limit": _mb()}))
    earlier = LedgerImport.objects.filter(
        corporation=corporation, sha256=record.sha256, status=ImportStatus.IMPORTED
    ).first()
    if earlier:
        return _refuse(record, _file_error(_already_imported(earlier)))
    try:
        with transaction.atomic():
            Organisation.objects.select_for_update().get(pk=corporation.pk)  # one import per corporation at a time
            if LedgerImport.objects.filter(pk=record.pk, status__in=UNFINISHED).count() == 0:
                return LedgerImport.objects.get(pk=record.pk)  # another worker finished it while we waited
            report, writer = _stage(record, actor, tell)
            if not report.is_valid:
                raise _Refused(report)
            _report_uncovered(writer, report)
            if report.errors:
                raise _Refused(report)
            clock = _Clock()
            staging.index()
            clock.lap("index")
            tell.update(stage=ImportStage.APPLYING, rows_read=report.rows_read)
            # The record is saved once, at the end of applying: an update of its row now would hold a lock
            # that the progress, told on a connection of its own, would wait for.
            record.status = ImportStatus.IMPORTED
            _apply(record, writer, report, clock)
        for case in Case.objects.filter(pk__in=record.report["current_rent_breaches"]).select_related("case_director"):
            current_rent_breach(case, f"ledger-{record.pk}")
        refresh_after_commit()  # the signals it opened and resolved move the monitoring figures
        return record
    except _Refused as refused:
        return _refuse(record, refused.report)
    finally:
        tell.close()


def _store_original(source, filename, started_at):
    """Keep the original file; return its storage name, SHA-256 and size, reading it in chunks."""
    if isinstance(source, str | bytes) or hasattr(source, "__fspath__"):
        with open(source, "rb") as handle:
            return _store_original(handle, filename, started_at)
    name = f"ledgers/{started_at:%Y/%m}/{started_at:%Y%m%d%H%M%S}-{get_valid_filename(filename) or 'ledger'}"
    stored_name = default_storage.save(name, File(source))
    digest = hashlib.sha256()
    size = 0
    with default_storage.open(stored_name, "rb") as stored:
        for chunk in iter(lambda: stored.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
    return stored_name, digest.hexdigest(), size


def _stage(record, actor, tell):
    """Parse the stored file into the staging table, writing each chunk's tenancies and snapshots as it
    arrives (``_ChunkWriter``); return the report (complete unless refused) and the writer (None when the file
    was refused before its rows were written)."""
    report = ParseReport()
    resolver = MunicipalityResolver()
    staging.create()
    with default_storage.open(record.original.name, "rb") as handle:
        rows = parse_ledger(handle, record.filename, report)
        first = next(rows, None)
        if first is None:
            return report, None  # no valid row: the report says why
        problem = _date_problem(record.corporation, first.reference_date)
        if problem:
            report.add_error(LedgerError(row=None, column="peildatum", value=_d(first.reference_date), message=problem))
            rows.close()  # a file-level refusal: the other rows do not matter
            return report, None
        record.reference_date = first.reference_date  # the file's, or it is refused
        writer = _ChunkWriter(applying.context_for(record, actor), _covenants(first.reference_date), report)
        records = _records(chain([first], rows), report, resolver)
        encode = staging.encoder()
        started = time.perf_counter()
        # Closed on the way out, an error included: the reading thread stops before the file closes and the
        # transaction rolls back, not whenever the exception is let go.
        with closing(reading.chunks_read_ahead(records, CHUNK_ROWS, lambda c: (c[-1][0], len(c), encode(c)))) as chunks:
            for last_row, count, encoded in chunks:
                writer.seconds["waiting_for_rows"] += time.perf_counter() - started
                writer.write(count, encoded)
                tell.update(rows_read=last_row, rows_applied=writer.snapshots)
                started = time.perf_counter()
    return report, writer


class _ChunkWriter:
    """Writes one chunk of the staged file at a time, in the import's transaction: its rows whose postcode no
    team covers are found first (``applying.uncovered_rows``, which reads the details as they were), then its
    lines in the history of open cases, its tenancies and its snapshots are written and their foreign keys
    checked, and the chunk joins the staging table of the whole file.

    Once the file has a problem (the reader found one, or an uncovered row) it will be refused: the chunks
    after it are only read, for the report, and what was written is rolled back with the rest. So a refused
    file leaves the stored data as it was, as before the rows were written a chunk at a time."""

    def __init__(self, context, covenants, report):
        self.context = context
        self.covenants = covenants
        self.report = report
        self.uncovered, self.uncovered_total = [], 0  # of the whole file: (row, postcode, municipality, opens)
        self.snapshots = 0
        self.tenancies = applying.TenancyChunks()
        self.seconds = defaultdict(float)  # per step, summed over the chunks (the report's "seconds")
        self.clock = time.perf_counter()

    def lap(self, name):
        now = time.perf_counter()
        self.seconds[name] += now - self.clock
        self.clock = now

    def write(self, rows, encoded):
        """Write one chunk of ``rows`` records, ``encoded`` by ``staging.encoder``."""
        self.clock = time.perf_counter()
        if self.report.errors:  # the reader found a problem: the file will be refused, whatever follows
            return
        staging.write_chunk(encoded)
        self.lap("stage")
        found, total = applying.uncovered_rows(
            self.context, self.covenants, self.report.max_errors - len(self.uncovered), source=staging.CHUNK
        )
        self.uncovered += found
        self.uncovered_total += total
        self.lap("coverage")
        if self.uncovered_total:  # refused once the file is read: only the count goes on
            return
        probed = applying.probe_tenancies(self.context, staging.CHUNK) if self.tenancies.probe else None
        self.lap("tenancies")
        all_new = probed is None or probed[0] == 0  # known after the probe, or expected after a chunk of new ones
        if all_new and staging.is_postgresql():
            if applying.create_tenancies_with_snapshots(self.context, staging.CHUNK, rows, self.tenancies):
                self.snapshots += rows  # no household history: a new tenancy has no case
                self.lap("tenancies_and_snapshots")
                faults.fault_point("applying")
                self._check_foreign_keys_and_keep()
                return
            self.lap("tenancies_and_snapshots")
        if probed is None or probed[1]:  # where no tenancy differs, no household's details change
            applying.record_household_changes(self.context, staging.CHUNK)  # before the upsert: it reads them
        self.lap("household_history")
        applying.upsert_tenancies(self.context, staging.CHUNK, self.tenancies, rows, probed)
        self.lap("tenancies")
        faults.fault_point("applying")
        self.snapshots += applying.record_snapshots(self.context, staging.CHUNK)
        self.lap("snapshots")
        self._check_foreign_keys_and_keep()

    def _check_foreign_keys_and_keep(self):
        applying.check_foreign_keys(self.context)
        self.lap("foreign_keys")
        staging.keep_chunk()
        self.lap("stage")


def _records(rows, report, resolver):
    """Staging tuples for the valid rows; the municipality of each row is resolved on the way (in memory),
    and its BSN encrypted and hashed, so that only ciphertext and hash reach the database."""
    encrypt, hash_bsn = crypto.encrypter(), crypto.hasher()
    resolve, covered = resolver.resolve, resolver.covered
    die_halfway = faults.armed("staging")
    for row in rows:
        (number, _date, contract, name, street, house_number, suffix, postcode, town, municipality,
         rent, arrears, arrangement, phone, email, bsn, birth_date) = row  # fmt: skip
        if die_halfway and number == 1000:
            faults.fault_point("staging")
        try:
            municipality_id = resolve(municipality, postcode)
        except InvalidValue as invalid:
            column = "gemeente" if municipality else "postcode"
            report.add_error(
                LedgerError(row=number, column=column, value=municipality or postcode, message=invalid.message)
            )
            continue
        yield (
            number, contract, name, street, house_number, suffix, postcode, town, municipality_id, rent, arrears,
            arrangement, phone, email, encrypt(bsn), hash_bsn(bsn), birth_date, covered(municipality_id, postcode),
        )  # fmt: skip


def _date_problem(corporation, reference_date):
    """Snapshots arrive in date order: a second file for a date, or a file older than the newest, is refused."""
    if reference_date > timezone.localdate():
        return _("The peildatum %(date)s lies in the future; a ledger describes the rent accounts on a past day.") % {
            "date": _d(reference_date)
        }
    imported = LedgerImport.objects.filter(corporation=corporation, status=ImportStatus.IMPORTED)
    same = imported.filter(reference_date=reference_date).first()
    if same:
        return _("A ledger for %(date)s was already imported (import %(id)s of %(when)s).") % {
            "date": _d(reference_date),
            "id": same.pk,
            "when": _d(timezone.localtime(same.started_at).date()),
        }
    later = imported.filter(reference_date__gt=reference_date).order_by("-reference_date").first()
    if later:
        return _(
            "A ledger of a later date (%(later)s) was already imported. Ledgers are applied in date order, "
            "so this one for %(date)s is refused; its arrears would otherwise count after the newer ones."
        ) % {"later": _d(later.reference_date), "date": _d(reference_date)}
    return None


def _report_uncovered(writer, report):
    """A row whose postcode no social team covers, where a case is made or an open case's address moves there,
    is an error of the row's postcode (``applying.uncovered_rows``, chunk by chunk): the file is refused, all or
    nothing."""
    found, total = writer.uncovered, writer.uncovered_total
    for row, postcode, municipality, opens_signal in found:
        values = {"postcode": display_postcode(postcode), "municipality": municipality}
        if opens_signal:
            message = _(
                "No social team covers postcode %(postcode)s in %(municipality)s, so the signal these arrears "
                "call for could never be referred. Correct the postcode, or ask the municipality which team "
                "covers it."
            )
        else:
            message = _(
                "No social team covers postcode %(postcode)s in %(municipality)s, and this tenancy has an open "
                "case. Correct the postcode, or ask the municipality which team covers it."
            )
        report.errors.append(
            LedgerError(row=row, column="postcode", value=values["postcode"], message=message % values)
        )
    if total > len(found):
        report.errors.append(
            LedgerError(
                row=None,
                column="",
                value="",
                message=ngettext(
                    "%(count)d more error was omitted.", "%(count)d more errors were omitted.", total - len(found)
                )
                % {"count": total - len(found)},
            )
        )


def _apply(record, writer, report, clock):
    """The rules, once the whole file is staged and its tenancies and snapshots are written (``_ChunkWriter``)."""
    context = writer.context
    record.rows_read = writer.snapshots
    record.signals_resolved = applying.resolve_signals(context)
    record.signals_opened = applying.open_signals(context, writer.covenants)
    breaches = applying.check_current_rent(context)
    missing = applying.open_cases_missing(context)
    clock.lap("rules")
    staging.drop()
    record.current_rent_breaches = len(breaches)
    record.tenancies_missing = len(missing)
    record.finished_at = timezone.now()
    record.stage, record.rows_applied = ImportStage.DONE, record.rows_read
    record.report = {
        **_report_base(report),
        "current_rent_breaches": breaches[:MISSING_LISTED],
        "missing": [{"case": case_id, "contract_number": contract} for case_id, contract in missing[:MISSING_LISTED]],
        # Reading and staging includes the chunks' steps, each summed over the chunks, done while reading.
        "seconds": {
            "read_and_stage": round((clock.start - record.started_at).total_seconds(), 3),
            **{name: round(seconds, 3) for name, seconds in writer.seconds.items()},
            **clock.laps,
        },
    }
    record.save()
    faults.fault_point("committing")


class _Clock:
    """Seconds per step of applying a ledger, kept in the report for operators and the benchmark."""

    def __init__(self):
        self.start = timezone.now()
        self.last = time.perf_counter()
        self.laps = {}

    def lap(self, name):
        now = time.perf_counter()
        self.laps[name] = round(now - self.last, 3)
        self.last = now


def _covenants(reference_date):
    """Municipality id -> (covenant id, threshold in months, referral due date), for signals on this date."""
    result = {}
    for municipality in Municipality.objects.all():
        try:
            covenant = covenant_for(municipality, reference_date)
        except ValidationError:
            continue  # no covenant here: the tenancy's history is kept, no signal is opened
        result[municipality.pk] = (
            covenant.pk,
            covenant.arrears_threshold_months,
            referral_deadline(reference_date, covenant),
        )
    return result


def _refuse(record, report):
    record.status, record.stage = ImportStatus.REFUSED, ImportStage.DONE
    record.reference_date = report.reference_date
    record.finished_at = timezone.now()
    record.rows_read = report.rows_read
    record.report = _report_base(report)
    record.save()
    return record


def _report_base(report):
    return {
        "rows_read": report.rows_read,
        "unknown_columns": report.unknown_columns,
        "unknown_columns_omitted": report.unknown_columns_omitted,
        "errors": [{"row": e.row, "column": e.column, "value": e.value, "message": e.message} for e in report.errors],
    }


def _file_error(message):
    report = ParseReport()
    report.add_error(LedgerError(row=None, column="", value="", message=message))
    return report


def _already_imported(earlier):
    return _("This file was already imported on %(when)s (import %(id)s, reference date %(date)s).") % {
        "when": _d(timezone.localtime(earlier.started_at).date()),
        "id": earlier.pk,
        "date": _d(earlier.reference_date),
    }


def _d(value):
    return long_date(value)


def _mb():
    return settings.LEDGER_MAX_UPLOAD_BYTES // (1024 * 1024)
