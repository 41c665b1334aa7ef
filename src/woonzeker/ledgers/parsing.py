"""Reading and checking the rent-ledger files housing corporations send.

The format is the contract in ``ledger-format.md``: a CSV file (UTF-8, ``;`` or ``,``) or an XLSX workbook
whose first sheet holds one row per tenancy. This module only reads and checks; it touches no database.

How to use it (all or nothing)
------------------------------
::

    report = ParseReport()
    for row in parse_ledger(upload, upload.name, report):
        stage(row)                      # e.g. insert into a staging table, inside a transaction
    if report.is_valid:
        commit()
    else:
        roll_back()
        show(report.errors)             # every problem, by row, column and value

* ``parse_ledger`` is a generator. It reads the file while it is consumed, one row at a time, so memory does
  not grow with the file (except for the set of contract numbers already seen, needed to find duplicates).
* It yields a ``LedgerRow`` for every data row that has no problem of its own. A problem is recorded in
  ``report.errors`` as a ``LedgerError`` and that row is not yielded. Rows yielded early may still belong to
  an invalid file: a later row can repeat a contract number, differ in ``peildatum`` or be malformed.
* Problems in the file never raise. A problem with the file as a whole (empty, not UTF-8, not a readable
  workbook, required columns missing) is recorded as an error and ends the iteration. Only a caller's mistake
  raises, such as a path that does not exist.
* Only when the generator is exhausted is the report complete: ``report.finished`` is then true, and
  ``report.is_valid`` (finished and no errors) tells whether the file may be committed. A caller that stops
  early gets ``is_valid == False``.
* ``validate_ledger`` consumes the rows itself and returns the report, for checking a file without importing it.

Row numbers are those a spreadsheet shows: the header is row 1, the first data row is row 2. Column names in
errors are spelled as in the file's header.
"""

import contextlib
import csv
import functools
import os
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import chain
from typing import NamedTuple

import python_calamine
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as nl_bsn
from stdnum.nl import postcode as nl_postcode

from woonzeker import amounts
from woonzeker.crypto import mask
from woonzeker.text import normalise, refused_character, refused_character_message, visible

REQUIRED_COLUMNS = (
    "peildatum",
    "contractnummer",
    "huurder_naam",
    "straat",
    "huisnummer",
    "postcode",
    "woonplaats",
    "maandhuur",
    "achterstand",
)
OPTIONAL_COLUMNS = (
    "huisnummer_toevoeging",
    "gemeente",
    "betalingsregeling",
    "telefoon",
    "email",
    "bsn",
    "geboortedatum",
)
# Longest text a column may hold; these mirror the fields of tenancies.Tenancy and organisations.Municipality.
MAX_LENGTHS = {
    "contractnummer": 50,
    "huurder_naam": 200,
    "straat": 200,
    "huisnummer": 10,
    "huisnummer_toevoeging": 10,
    "woonplaats": 100,
    "gemeente": 100,
    "telefoon": 30,
    "email": 254,
}
MAX_ERRORS = 1000
MAX_AMOUNT = Decimal("999999.99")  # Tenancy.monthly_rent has max_digits=8, decimal_places=2
MAX_LINE_BYTES = 1_000_000  # a CSV line is read whole: a row takes well under a kilobyte
MAX_VALUE_IN_ERROR = 200  # characters of an offending value kept in an error
MAX_UNKNOWN_COLUMNS = 20  # unknown columns named in a report; the rest are counted

CENT = Decimal("0.01")
ZIP_MAGIC = b"PK\x03\x04"  # XLSX is a zip archive
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y")
YES = frozenset({"ja", "j", "yes", "true", "1"})
NO = frozenset({"nee", "n", "no", "false", "0", ""})

_HOUSE_NUMBER = re.compile(r"[0-9]+")


class LedgerFileError(Exception):
    """The file as a whole cannot be read. ``message`` is for the user; ``row`` is set where it is known."""

    def __init__(self, message, row=None):
        super().__init__(message)
        self.message = message
        self.row = row


class InvalidValue(ValueError):
    """A cell's value cannot be read as what its column holds; ``message`` is for the user.

    ``shown`` replaces the value in the error where the value itself must not be kept (a BSN).
    """

    def __init__(self, message, shown=None):
        super().__init__(message)
        self.message = message
        self.shown = shown


@dataclass(frozen=True, slots=True)
class LedgerError:
    """One problem in a file: ``row`` as a spreadsheet numbers it (None for the file as a whole)."""

    row: int | None
    column: str
    value: str
    message: str

    def __post_init__(self):
        # The value is shown and stored as the report: invisible characters written out (NUL cannot be stored).
        if isinstance(self.value, str) and not self.value.isprintable():
            object.__setattr__(self, "value", visible(self.value))


class LedgerRow(NamedTuple):
    """One valid data row of a ledger file (a named tuple: made and read cheaply, millions of times)."""

    row_number: int  # as a spreadsheet numbers it
    reference_date: date
    contract_number: str
    tenant_name: str
    street: str
    house_number: str
    house_number_suffix: str
    postcode: str  # 1234AB
    town: str
    municipality: str  # as in the file (name or CBS code), '' when not given
    monthly_rent: Decimal
    arrears: Decimal
    payment_arrangement: bool
    phone: str
    email: str
    bsn: str  # nine digits, '' when not given
    birth_date: date | None


@dataclass
class ParseReport:
    """What ``parse_ledger`` found; complete only once ``finished`` is true."""

    errors: list[LedgerError] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)  # the first MAX_UNKNOWN_COLUMNS
    unknown_columns_omitted: int = 0  # the unknown columns beyond those
    rows_read: int = 0  # data rows, not counting the header and empty rows
    reference_date: date | None = None
    omitted_errors: int = 0
    finished: bool = False
    max_errors: int = MAX_ERRORS

    @property
    def is_valid(self):
        return self.finished and not self.errors

    def add_error(self, error):
        """Record ``error``; beyond ``max_errors`` only count it."""
        if len(self.errors) < self.max_errors:
            self.errors.append(error)
        else:
            self.omitted_errors += 1

    def add_unknown_column(self, name):
        """Name ``name`` as a column ignored; beyond ``MAX_UNKNOWN_COLUMNS`` only count it (a file with hundreds
        of thousands of them would otherwise make a report of megabytes). A name that is a valid BSN (a file
        without a header: its first row is read as one) is named masked, a long one shortened."""
        if len(self.unknown_columns) >= MAX_UNKNOWN_COLUMNS:
            self.unknown_columns_omitted += 1
        elif nl_bsn.is_valid(name):
            self.unknown_columns.append(mask(name))
        else:
            self.unknown_columns.append(name if len(name) <= MAX_VALUE_IN_ERROR else name[:MAX_VALUE_IN_ERROR] + "…")

    def finish(self):
        if self.omitted_errors:
            message = ngettext(
                "%(count)d more error was omitted.", "%(count)d more errors were omitted.", self.omitted_errors
            ) % {"count": self.omitted_errors}
            self.errors.append(LedgerError(row=None, column="", value="", message=message))
        self.finished = True


# Reading: rows of raw cell values.


def read_ledger(source, filename):
    """Yield the rows of a ledger file one at a time, as sequences of raw cell values.

    ``source`` is a path or a binary, seekable file object (which is left open); ``filename`` is the name the
    sender gave the file. The format is detected from the content: XLSX (a zip archive) or else CSV. Every row
    of the sheet is yielded, empty ones included, so ``enumerate(rows, start=1)`` gives spreadsheet row numbers.
    CSV cells are strings; XLSX cells are whatever the workbook holds (str, int, float, date, datetime, bool; '' when
    empty).
    Raises ``LedgerFileError`` when the file cannot be read.
    """
    with _open(source) as fileobj:
        start = fileobj.tell()
        head = fileobj.read(4)
        fileobj.seek(start)
        if not head:
            raise LedgerFileError(_("The file is empty."))
        if head == ZIP_MAGIC:
            yield from _xlsx_rows(fileobj)
        elif head == OLE_MAGIC:
            raise LedgerFileError(_("This is an old Excel workbook (.xls). Save it as .xlsx or as CSV UTF-8."))
        elif filename.lower().endswith((".xlsx", ".xlsm")):
            raise LedgerFileError(_("The file is not a readable Excel workbook (.xlsx)."))
        else:
            yield from _csv_rows(fileobj)


def _open(source):
    """A path is opened (and closed after reading); a file object is used as it is, and left open."""
    if isinstance(source, str | os.PathLike):
        return open(source, "rb")
    return contextlib.nullcontext(source)


#: A workbook whose parts unpack to more than this is refused before it is opened (a "zip bomb"). A sheet holds
#: at most 1,048,576 rows, which unpack to about 600 MB in a ledger's columns (50,000 rows: 28 MB); calamine
#: reads the whole sheet into memory (decision 121), so this bound is the worker's memory bound too.
XLSX_MAX_UNPACKED_BYTES = 1024**3
#: Real workbooks compress their sheets about 5 to 20 times; a part that shrank a thousandfold is a bomb.
XLSX_MAX_RATIO = 1000


def _refuse_zip_bomb(fileobj):
    start = fileobj.tell()
    try:
        with zipfile.ZipFile(fileobj) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise LedgerFileError(_("The file is not a readable Excel workbook (.xlsx).")) from exc
    finally:
        fileobj.seek(start)
    unpacked = sum(part.file_size for part in parts)
    swollen = any(part.file_size > 1024**2 and part.file_size > XLSX_MAX_RATIO * part.compress_size for part in parts)
    if unpacked > XLSX_MAX_UNPACKED_BYTES or swollen or len(parts) > 10_000:
        raise LedgerFileError(
            _("The workbook unpacks to %(size)d MB, far more than a ledger can hold; it is not read.")
            % {"size": unpacked // 1024**2}
        )
    # calamine also reads binary workbooks (.xlsb) and OpenDocument sheets (.ods), both zip archives too; the
    # format is XLSX, as it was when openpyxl read the workbooks.
    if any(part.filename in ("xl/workbook.bin", "mimetype") for part in parts):
        raise LedgerFileError(_("The file is not a readable Excel workbook (.xlsx)."))


#: Whole numbers a workbook stores as floats are read as ints below this size, as openpyxl read them (it kept
#: the integers Excel writes without a decimal point), so a value quoted in an error reads ``12``, not ``12.0``.
_WHOLE_NUMBER_LIMIT = 10**15


def _workbook_cell(value):
    if type(value) is float and value.is_integer() and -_WHOLE_NUMBER_LIMIT < value < _WHOLE_NUMBER_LIMIT:
        return int(value)
    return value


def _xlsx_rows(fileobj):
    """The first worksheet's rows as calamine reads them: from row 1 and column A, an empty cell as ''.

    calamine gives numbers as floats, date cells as ``date`` (``datetime`` with a time of day), booleans as
    bools, a formula's cached value (an error value such as ``#N/A`` as ''), and strings as they are.
    """
    _refuse_zip_bomb(fileobj)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(fileobj)
    except Exception as exc:  # a damaged workbook makes calamine raise several kinds of errors
        raise LedgerFileError(_("The file is not a readable Excel workbook (.xlsx).")) from exc
    try:
        worksheets = [
            index
            for index, sheet in enumerate(workbook.sheets_metadata)
            if sheet.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        if not worksheets:
            raise LedgerFileError(_("The file is empty."))
        try:
            sheet = workbook.get_sheet_by_index(worksheets[0])
            rows = sheet.iter_rows()
        except Exception as exc:
            raise LedgerFileError(_("The file is not a readable Excel workbook (.xlsx).")) from exc
        # iter_rows starts at row 1 but at the first column that holds a value: pad, so positions are columns.
        first_column = sheet.start[1] if sheet.start else 0
        padding = [""] * first_column
        whole = _workbook_cell
        for cells in rows:
            yield [*padding, *map(whole, cells)] if first_column else list(map(whole, cells))
    finally:
        workbook.close()


def _csv_rows(fileobj):
    lines = _utf8_lines(fileobj)
    # The separator is the one the header line uses most; leading empty lines are kept for the row numbers.
    peeked = []
    for line in lines:
        peeked.append(line)
        if line.strip():
            break
    header = peeked[-1] if peeked else ""
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.reader(chain(peeked, lines), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise LedgerFileError(
            _("Row %(row)d could not be read as CSV.") % {"row": reader.line_num}, row=reader.line_num
        ) from exc


def _utf8_lines(fileobj):
    """Decode line by line, so a wrong encoding is reported with its line (a row, unless a cell spans lines)."""
    for number, line in enumerate(iter(lambda: fileobj.readline(MAX_LINE_BYTES), b""), start=1):
        if len(line) == MAX_LINE_BYTES and not line.endswith(b"\n"):
            raise LedgerFileError(_("Row %(row)d is too long.") % {"row": number}, row=number)
        try:
            if b"\x00" in line:  # UTF-16 ("Unicode text" from Excel) decodes as UTF-8 with a NUL after each letter
                raise UnicodeDecodeError("utf-8", line, line.index(b"\x00"), line.index(b"\x00") + 1, "NUL")
            yield line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            raise LedgerFileError(
                _("Row %(row)d is not UTF-8 text. Save the file as CSV UTF-8.") % {"row": number}, row=number
            ) from None


# Values: one cell each.


def cell_text(value):
    """A cell as stripped text: '' for an empty cell, ``12`` for a whole number a workbook stores as 12.0."""
    if type(value) is str:  # every CSV cell: the fast path
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_amount(value):
    """An amount in euros as a Decimal with two decimals; may be negative. Raises InvalidValue.

    The rule is ``woonzeker.amounts.parse_amount``'s, the same as the pages' and the API's: ``1234``,
    ``1234,56``, ``1234.56``, ``1.234,56``, ``1 234,56``, an optional ``€`` or ``EUR``, a workbook's number;
    ``1.234`` and ``1,234`` are refused as ambiguous.
    """
    try:
        return amounts.parse_amount(value)
    except amounts.AmountError as error:
        raise InvalidValue(error.message) from None


#: Dates outside these years are typing errors (0001-01-01, 9999-12-31), not dates of a rent ledger.
PLAUSIBLE_YEARS = range(1900, 2101)


def _plausible(day, value):
    if day.year not in PLAUSIBLE_YEARS:
        raise InvalidValue(
            _("'%(value)s' is not a plausible date (a year from %(first)d to %(last)d is expected).")
            % {"value": value, "first": PLAUSIBLE_YEARS[0], "last": PLAUSIBLE_YEARS[-1]}
        )
    return day


def parse_date(value):
    """A date written ``YYYY-MM-DD`` or ``DD-MM-YYYY``, or a workbook's date cell. Raises InvalidValue."""
    if isinstance(value, datetime):
        return _plausible(value.date(), value)
    if isinstance(value, date):
        return _plausible(value, value)
    text = cell_text(value)
    for date_format in DATE_FORMATS:
        with contextlib.suppress(ValueError):
            return _plausible(datetime.strptime(text, date_format).date(), value)
    raise InvalidValue(_("'%(value)s' is not a date. Write dates like 2025-03-31 or 31-03-2025.") % {"value": value})


def parse_yes_no(value):
    """``ja``/``nee`` (and j/n, yes/no, true/false, 1/0, or empty for no) as a bool. Raises InvalidValue."""
    if isinstance(value, bool):
        return value
    text = cell_text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise InvalidValue(_("'%(value)s' is not 'ja' or 'nee'.") % {"value": value})


def parse_postcode(value):
    """A Dutch postcode as ``1234AB``. Raises InvalidValue."""
    try:
        return nl_postcode.validate(cell_text(value)).replace(" ", "")
    except StdnumError:
        raise InvalidValue(_("'%(value)s' is not a Dutch postcode (e.g. 3311 GR).") % {"value": value}) from None


def parse_bsn(value):
    """A citizen service number that passes the eleven-test, as nine digits. Raises InvalidValue.

    A refused number is named masked (``*****6789``): one mistyped digit away from a real BSN, it is
    personal data, and the report is kept.
    """
    try:
        return nl_bsn.validate(cell_text(value))
    except StdnumError:
        shown = mask(cell_text(value))
        raise InvalidValue(_("'%(value)s' is not a valid BSN (eleven-test).") % {"value": shown}, shown) from None


def parse_house_number(value):
    text = cell_text(value)
    if not _HOUSE_NUMBER.fullmatch(text) or int(text) == 0:
        raise InvalidValue(
            _("'%(value)s' is not a house number. Put additions such as A or bis in huisnummer_toevoeging.")
            % {"value": value}
        )
    return str(int(text))


def parse_email(value):
    text = cell_text(value)
    try:
        validate_email(text)
    except ValidationError:
        raise InvalidValue(_("'%(value)s' is not an e-mail address.") % {"value": value}) from None
    return text


def _cached_for_text(parse, size):
    """``parse`` with its results for text cells remembered.

    A ledger repeats its values: one reference date, a postcode per street,
    rents and "nee" on most rows. Problems are not remembered (an exception
    is raised again each time), so every row still gets its own error.
    """
    remember = functools.lru_cache(maxsize=size)(parse)

    def cached(value):
        return remember(value) if type(value) is str else parse(value)

    cached.__doc__ = parse.__doc__
    return cached


ROW_PARSERS = {
    "peildatum": _cached_for_text(parse_date, 64),
    "postcode": _cached_for_text(parse_postcode, 1 << 16),
    "amount": _cached_for_text(parse_amount, 1 << 16),
    "betalingsregeling": _cached_for_text(parse_yes_no, 64),
    "huisnummer": _cached_for_text(parse_house_number, 4096),
}


# Checking: the header, every row, and the file as a whole.


def parse_ledger(source, filename, report):
    """Yield a ``LedgerRow`` for each valid data row; record every problem in ``report`` (a ``ParseReport``).

    See the module's docstring for the contract: check ``report.is_valid`` once the generator is exhausted.
    """
    with contextlib.closing(read_ledger(source, filename)) as rows:
        try:
            yield from _check_rows(rows, report)
        except LedgerFileError as exc:
            # Always kept, even past max_errors: it is why the file could not be read to the end.
            report.errors.append(LedgerError(row=exc.row, column="", value="", message=exc.message))
    report.finish()


def validate_ledger(source, filename):
    """Read and check a whole file without keeping its rows; return the finished ``ParseReport``."""
    report = ParseReport()
    for _row in parse_ledger(source, filename, report):
        pass
    return report


def _check_rows(rows, report):
    columns = None
    width = 0
    contracts = {}  # contract number -> the row it first appeared in
    other_dates = set()  # peildatum values other than the file's, already reported
    for number, cells in enumerate(rows, start=1):
        if not any(cell_text(cell) for cell in cells):
            continue
        if columns is None:
            columns, width = _read_header(cells, number, report)
            if columns is None:
                return
            fast = _fast_reader(columns, width)
            continue
        report.rows_read += 1
        values = fast(number, cells)
        if values is not None and values[2] not in contracts and values[1] == (report.reference_date or values[1]):
            contracts[values[2]] = number
            report.reference_date = values[1]
            yield values
            continue
        row = _check_row(_Row(number, cells, columns, width, report), contracts, other_dates, report)
        if row is not None:
            yield row
    if columns is None:
        report.add_error(LedgerError(row=None, column="", value="", message=_("The file is empty.")))
    elif not report.rows_read:
        report.add_error(LedgerError(row=None, column="", value="", message=_("The file has no data rows.")))


def _read_header(cells, number, report):
    """Map each known column to (position, name as in the file); None when the header cannot be used."""
    columns = {}
    width = 0
    usable = True
    unknown = []
    for position, cell in enumerate(cells):
        name = cell_text(cell)
        key = name.lower()
        if not key:
            continue
        width = position + 1
        if key in columns:
            message = _("The column '%(column)s' appears more than once.") % {"column": name}
            report.add_error(LedgerError(row=number, column=name, value=name, message=message))
            usable = False
        elif key in REQUIRED_COLUMNS or key in OPTIONAL_COLUMNS:
            columns[key] = (position, name)
        else:
            unknown.append(name)
    if columns:
        for name in unknown:
            report.add_unknown_column(name)
    else:
        # Not one name of the contract: this row is data (a file without its header row), and its "names" are a
        # tenant's name, address and amounts. They are counted, never quoted.
        report.unknown_columns_omitted += len(unknown)
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        message = _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        if not columns and width > 1:
            message += " " + _("The first row has none of the contract's column names: is the header row missing?")
        if width == 1:
            message += " " + _("Separate the columns with ';' or ','.")
        report.add_error(LedgerError(row=number, column="", value="", message=message))
        usable = False
    return (columns, width) if usable else (None, 0)


class _Row:
    """One data row's cells by column, collecting its problems."""

    def __init__(self, number, cells, columns, width, report):
        self.number = number
        self.cells = cells
        self.columns = columns
        self.report = report
        self.valid = True
        extra = [cell_text(cell) for cell in cells[width:]]
        if any(extra):
            # Masked: a column without a name may hold anything, a BSN too (docs/ledger-format.md).
            value = mask(next(text for text in extra if text))
            self.error("", value, _("This row has more values than the header has columns."))

    def error(self, column, value, message):
        value = cell_text(value)
        if len(value) > MAX_VALUE_IN_ERROR:
            value = value[:MAX_VALUE_IN_ERROR] + "…"
        self.report.add_error(LedgerError(row=self.number, column=column, value=value, message=message))
        self.valid = False

    def name(self, column):
        return self.columns[column][1]

    def raw(self, column):
        position = self.columns[column][0] if column in self.columns else len(self.cells)
        return self.cells[position] if position < len(self.cells) else None

    def get(self, column, parse=None, default=""):
        """The column's value read by ``parse`` (text when None); ``default`` when empty or invalid."""
        value = self.raw(column)
        text = cell_text(value)
        if not text:
            if column in REQUIRED_COLUMNS:
                self.error(self.name(column), value, _("This field is required."))
            return default
        if column in MAX_LENGTHS and len(text) > MAX_LENGTHS[column]:
            message = _("This value is longer than %(max)d characters.") % {"max": MAX_LENGTHS[column]}
            self.error(self.name(column), value, message)
            return default
        if parse is None:
            character = refused_character(text)
            if character is not None:
                self.error(self.name(column), value, refused_character_message(character))
                return default
            return normalise(text)
        try:
            return parse(value)
        except InvalidValue as exc:
            self.error(self.name(column), value if exc.shown is None else exc.shown, exc.message)
            return default

    def amount(self, column):
        amount = self.get(column, ROW_PARSERS["amount"], default=None)
        if amount is None:
            return None
        value = self.raw(column)
        if amount > MAX_AMOUNT:
            message = _("'%(value)s' is too large for an amount in euros.") % {"value": value}
        elif column == "maandhuur" and amount <= 0:
            message = _("The monthly rent must be more than zero.")
        elif amount < 0:
            message = _("The arrears cannot be negative.")
        else:
            return amount
        self.error(self.name(column), value, message)
        return None


#: How many distinct texts a column's cache of parsed values keeps (a ledger repeats its values).
FAST_CACHE_SIZE = 1 << 16


def _fast_reader(columns, width):
    """A reader for the common case: a row of text cells (every CSV row) in which nothing is wrong.

    It returns the row's ``LedgerRow``, or None as soon as anything is unusual: an
    empty required cell, a value too long, an invisible character, a value that does not parse, a
    workbook's number or date. The row is then read again by ``_Row`` and ``_check_row``, which find and
    word every problem; so this only skips work, and for any row it returns either None or exactly the
    values ``_check_row`` would give (``tests/ledgers/test_parsing.py`` checks both readers agree).
    Parsed values are remembered per text, as ``ROW_PARSERS`` do, in plain dictionaries.
    """
    # A column the header lacks reads the cell just past the header's width, which is always ''.
    (
        p_date, p_contract, p_name, p_street, p_number, p_postcode, p_town, p_rent, p_arrears,
        p_suffix, p_municipality, p_arrangement, p_phone, p_email, p_bsn, p_birth,
    ) = (columns[name][0] if name in columns else width for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS)  # fmt: skip
    (
        most_contract, most_name, most_street, most_number, most_suffix, most_town, most_municipality,
        most_phone, most_email,
    ) = (
        MAX_LENGTHS[name] for name in (
            "contractnummer", "huurder_naam", "straat", "huisnummer", "huisnummer_toevoeging", "woonplaats",
            "gemeente", "telefoon", "email",
        )
    )  # fmt: skip
    padding = [""] * (width + 1)
    new_row = tuple.__new__  # LedgerRow from a tuple in field order, without its keyword-checking constructor
    dates, numbers, postcodes, amounts, yes_no = {}, {}, {}, {}, {}

    def parse_new(cache, parse, text):
        """``parse(text)``, remembered; raises InvalidValue (never remembered)."""
        value = parse(text)
        if len(cache) < FAST_CACHE_SIZE:
            cache[text] = value
        return value

    def plain(text):
        """Text as ``_Row.get`` keeps it, or None where it would find a problem (or look closer)."""
        return normalise(text) if text.isprintable() else None

    def read(number, cells):
        try:
            texts = [cell.strip() for cell in cells]
        except AttributeError:  # a workbook's number, date or empty cell: the checked path reads it
            return None
        if len(texts) > width:
            if any(texts[width:]):
                return None
        else:
            texts += padding[len(texts) :]
        peildatum, house_number, postcode = texts[p_date], texts[p_number], texts[p_postcode]
        rent, arrears, arrangement = texts[p_rent], texts[p_arrears], texts[p_arrangement]
        contract, name, street, town = texts[p_contract], texts[p_name], texts[p_street], texts[p_town]
        suffix, municipality, phone = texts[p_suffix], texts[p_municipality], texts[p_phone]
        email, bsn, birth = texts[p_email], texts[p_bsn], texts[p_birth]
        if not (contract and name and street and town and peildatum and house_number and postcode and rent and arrears):
            return None
        if (
            len(contract) > most_contract
            or len(name) > most_name
            or len(street) > most_street
            or len(town) > most_town
            or len(suffix) > most_suffix
            or len(municipality) > most_municipality
            or len(phone) > most_phone
            or len(house_number) > most_number
            or len(email) > most_email
        ):
            return None
        shown = contract + name + street + town + suffix + municipality + phone
        if not (shown.isascii() and shown.isprintable()):  # else each is already as _Row.get keeps it
            contract, name, street, town = plain(contract), plain(name), plain(street), plain(town)
            suffix, municipality, phone = plain(suffix), plain(municipality), plain(phone)
            if None in (contract, name, street, town, suffix, municipality, phone):
                return None
        try:
            # None of these parsers returns None: a miss in the cache is a text not parsed before.
            reference_date = dates.get(peildatum)
            if reference_date is None:
                reference_date = parse_new(dates, parse_date, peildatum)
            monthly_rent = amounts.get(rent)
            if monthly_rent is None:
                monthly_rent = parse_new(amounts, parse_amount, rent)
            amount_due = amounts.get(arrears)
            if amount_due is None:
                amount_due = parse_new(amounts, parse_amount, arrears)
            if not (0 < monthly_rent <= MAX_AMOUNT and 0 <= amount_due <= MAX_AMOUNT):
                return None
            house_number = numbers.get(house_number) or parse_new(numbers, parse_house_number, house_number)
            postcode = postcodes.get(postcode) or parse_new(postcodes, parse_postcode, postcode)
            payment_arrangement = yes_no.get(arrangement)
            if payment_arrangement is None:
                payment_arrangement = parse_new(yes_no, parse_yes_no, arrangement)
            return new_row(
                LedgerRow,
                (
                    number,
                    reference_date,
                    contract,
                    name,
                    street,
                    house_number,
                    suffix,
                    postcode,
                    town,
                    municipality,
                    monthly_rent,
                    amount_due,
                    payment_arrangement,
                    phone,
                    parse_email(email) if email else "",
                    _bsn(bsn) if bsn else "",
                    (dates.get(birth) or parse_new(dates, parse_date, birth)) if birth else None,
                ),
            )
        except InvalidValue:
            return None

    return read


def _bsn(text):
    """``parse_bsn`` of a cell's stripped text, with the eleven-test done here for the usual nine digits."""
    if len(text) == 9 and text.isascii() and text.isdigit() and text != "000000000":
        d = text.encode()  # ASCII digits: 48 to 57; the weights 9..2 and -1 add up to 43
        total = 9 * d[0] + 8 * d[1] + 7 * d[2] + 6 * d[3] + 5 * d[4] + 4 * d[5] + 3 * d[6] + 2 * d[7] - d[8] - 43 * 48
        if total % 11 == 0:
            return text
    return parse_bsn(text)


def _check_row(row, contracts, other_dates, report):
    """A LedgerRow when the row has no problem, else None; problems go to the report."""
    reference_date = row.get("peildatum", ROW_PARSERS["peildatum"], default=None)
    contract_number = row.get("contractnummer")
    values = {
        "row_number": row.number,
        "reference_date": reference_date,
        "contract_number": contract_number,
        "tenant_name": row.get("huurder_naam"),
        "street": row.get("straat"),
        "house_number": row.get("huisnummer", ROW_PARSERS["huisnummer"]),
        "house_number_suffix": row.get("huisnummer_toevoeging"),
        "postcode": row.get("postcode", ROW_PARSERS["postcode"]),
        "town": row.get("woonplaats"),
        "municipality": row.get("gemeente"),
        "monthly_rent": row.amount("maandhuur"),
        "arrears": row.amount("achterstand"),
        "payment_arrangement": row.get("betalingsregeling", ROW_PARSERS["betalingsregeling"], default=False),
        "phone": row.get("telefoon"),
        "email": row.get("email", parse_email),
        "bsn": row.get("bsn", parse_bsn),
        "birth_date": row.get("geboortedatum", parse_date, default=None),
    }
    if contract_number:
        first = contracts.setdefault(contract_number, row.number)
        if first != row.number:
            message = _("Contract number '%(value)s' appears in row %(first)d and in row %(row)d.") % {
                "value": contract_number,
                "first": first,
                "row": row.number,
            }
            row.error(row.name("contractnummer"), contract_number, message)
    if reference_date:
        if report.reference_date is None:
            report.reference_date = reference_date
        elif reference_date != report.reference_date:
            if reference_date not in other_dates:  # report the first row of every other date
                other_dates.add(reference_date)
                message = _("This file's peildatum is %(date)s; this row has %(other)s. A file holds one peildatum.")
                row.error(
                    row.name("peildatum"),
                    row.raw("peildatum"),
                    message % {"date": report.reference_date.isoformat(), "other": reference_date.isoformat()},
                )
            return None
    return LedgerRow(**values) if row.valid else None


__all__ = [
    "InvalidValue",
    "LedgerError",
    "LedgerFileError",
    "LedgerRow",
    "ParseReport",
    "cell_text",
    "parse_amount",
    "parse_bsn",
    "parse_date",
    "parse_email",
    "parse_house_number",
    "parse_ledger",
    "parse_postcode",
    "parse_yes_no",
    "read_ledger",
    "validate_ledger",
]
