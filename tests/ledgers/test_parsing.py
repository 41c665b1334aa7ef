"""The rent-ledger parser: formats, every malformed input, and the all-or-nothing report."""

import io
import os
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from woonzeker.ledgers import parsing
from woonzeker.ledgers.parsing import (
    InvalidValue,
    LedgerError,
    LedgerRow,
    ParseReport,
    parse_amount,
    parse_date,
    parse_ledger,
    parse_yes_no,
    read_ledger,
    validate_ledger,
)

HEADER = [
    "peildatum",
    "contractnummer",
    "huurder_naam",
    "straat",
    "huisnummer",
    "huisnummer_toevoeging",
    "postcode",
    "woonplaats",
    "maandhuur",
    "achterstand",
    "betalingsregeling",
    "bsn",
]


def row(**values):
    """A valid data row as a dict by column; keyword arguments replace values."""
    base = {
        "peildatum": "2025-03-31",
        "contractnummer": "C-1",
        "huurder_naam": "J. de Vries",
        "straat": "Voorstraat",
        "huisnummer": "12",
        "huisnummer_toevoeging": "A",
        "postcode": "3311 GR",
        "woonplaats": "Dordrecht",
        "maandhuur": "712,50",
        "achterstand": "1.425,00",
        "betalingsregeling": "nee",
        "bsn": "",
    }
    return base | values


def csv_bytes(rows, header=HEADER, sep=";", encoding="utf-8", bom=False):
    lines = [sep.join(header)]
    lines += [sep.join(str(data.get(column, "")) for column in header) for data in rows]
    content = "\r\n".join(lines) + "\r\n"
    return ("\ufeff" if bom else "").encode(encoding) + content.encode(encoding)


def write(tmp_path, content, name="ledger.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def parse(source, filename="ledger.csv"):
    report = ParseReport()
    rows = list(parse_ledger(source, filename, report))
    return rows, report


def messages(report):
    return [error.message for error in report.errors]


def only_error(report):
    assert len(report.errors) == 1, report.errors
    return report.errors[0]


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Valid files in every accepted form.


def test_valid_csv_gives_typed_rows(tmp_path):
    path = write(tmp_path, csv_bytes([row(bsn="111222333", betalingsregeling="ja"), row(contractnummer="C-2")]))

    rows, report = parse(path)

    assert report.is_valid
    assert report.rows_read == 2
    assert report.reference_date == date(2025, 3, 31)
    assert report.unknown_columns == []
    assert rows[0] == LedgerRow(
        row_number=2,
        reference_date=date(2025, 3, 31),
        contract_number="C-1",
        tenant_name="J. de Vries",
        street="Voorstraat",
        house_number="12",
        house_number_suffix="A",
        postcode="3311GR",
        town="Dordrecht",
        municipality="",
        monthly_rent=Decimal("712.50"),
        arrears=Decimal("1425.00"),
        payment_arrangement=True,
        phone="",
        email="",
        bsn="111222333",
        birth_date=None,
    )
    assert rows[1].contract_number == "C-2"
    assert rows[1].payment_arrangement is False


@pytest.mark.parametrize("sep", [";", ","])
def test_separator_is_detected(tmp_path, sep):
    path = write(tmp_path, csv_bytes([row(maandhuur="712.50", achterstand="0")], sep=sep))

    rows, report = parse(path)

    assert report.is_valid, report.errors
    assert rows[0].monthly_rent == Decimal("712.50")
    assert rows[0].arrears == Decimal("0.00")


def test_quoted_decimal_comma_in_comma_separated_file(tmp_path):
    path = write(tmp_path, csv_bytes([row(maandhuur='"712,50"', achterstand='"1.425,00"')], sep=","))

    rows, report = parse(path)

    assert report.is_valid, report.errors
    assert (rows[0].monthly_rent, rows[0].arrears) == (Decimal("712.50"), Decimal("1425.00"))


def test_byte_order_mark_is_ignored(tmp_path):
    path = write(tmp_path, csv_bytes([row()], bom=True))

    rows, report = parse(path)

    assert report.is_valid, report.errors
    assert rows[0].reference_date == date(2025, 3, 31)


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("1234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1.234.567,80", "1234567.80"),
        ("712", "712.00"),
        ("712,5", "712.50"),
        ("€ 712,50", "712.50"),
        ("EUR712.50", "712.50"),
        ("0", "0.00"),
        ("-12,50", "-12.50"),
        ("-€ 12,50", "-12.50"),
    ],
)
def test_amount_styles(written, amount):
    assert parse_amount(written) == Decimal(amount)


@pytest.mark.parametrize("written", ["2025-03-31", "31-03-2025", "2025-3-31"])
def test_date_styles(tmp_path, written):
    path = write(tmp_path, csv_bytes([row(peildatum=written)]))

    rows, report = parse(path)

    assert report.is_valid, report.errors
    assert rows[0].reference_date == date(2025, 3, 31)


@pytest.mark.parametrize(
    ("written", "meaning"),
    [("ja", True), ("JA", True), ("j", True), ("yes", True), ("True", True), ("1", True)]
    + [("nee", False), ("N", False), ("no", False), ("false", False), ("0", False), ("", False)],
)
def test_payment_arrangement_values(written, meaning):
    assert parse_yes_no(written) is meaning


def test_header_is_case_insensitive_stripped_in_any_order_and_unknown_columns_are_listed(tmp_path):
    header = [" MAANDHUUR ", "Notitie", *reversed(HEADER[1:-4]), "Peildatum", "achterstand", "Extra kolom"]
    data = row(**{" MAANDHUUR ": "700", "Peildatum": "2025-03-31", "Notitie": "x"})
    path = write(tmp_path, csv_bytes([data], header=header))

    rows, report = parse(path)

    assert report.is_valid, report.errors
    assert report.unknown_columns == ["Notitie", "Extra kolom"]
    assert rows[0].monthly_rent == Decimal("700.00")
    assert rows[0].bsn == ""
    assert rows[0].payment_arrangement is False


def test_optional_columns(tmp_path):
    header = [*HEADER, "gemeente", "telefoon", "email", "geboortedatum"]
    data = row(gemeente="0505", telefoon="078 123 4567", email="jan@example.org", geboortedatum="01-02-1970")
    path = write(tmp_path, csv_bytes([data], header=header))

    rows, report = parse(path)

    assert report.is_valid, report.errors
    assert (rows[0].municipality, rows[0].phone, rows[0].email) == ("0505", "078 123 4567", "jan@example.org")
    assert rows[0].birth_date == date(1970, 2, 1)


def test_empty_lines_are_skipped_but_counted_in_row_numbers(tmp_path):
    content = csv_bytes([row(), row(contractnummer="C-2", maandhuur="nul")])
    lines = content.split(b"\r\n")
    path = write(tmp_path, b"\r\n".join([lines[0], b"", lines[1], b";;;", lines[2]]))

    rows, report = parse(path)

    assert len(rows) == 1
    assert report.rows_read == 2
    assert only_error(report).row == 5


def test_valid_xlsx(tmp_path):
    header = [*HEADER, "geboortedatum"]
    values = [datetime(2025, 3, 31), 1001, "J. de Vries", "Voorstraat", 12, None, "3311gr", "Dordrecht", 712.5]
    values += [1425, "ja", 111222333, datetime(1970, 2, 1)]
    path = write(
        tmp_path, xlsx_bytes([header, values, [], ["31-03-2025", "1002", *values[2:8], "712,50", 0]]), "l.xlsx"
    )

    rows, report = parse(path, "l.xlsx")

    assert report.is_valid, report.errors
    assert report.rows_read == 2
    first, second = rows
    assert (first.reference_date, first.contract_number, first.house_number) == (date(2025, 3, 31), "1001", "12")
    assert (first.postcode, first.monthly_rent, first.arrears) == ("3311GR", Decimal("712.50"), Decimal("1425.00"))
    assert (first.payment_arrangement, first.bsn, first.birth_date) == (True, "111222333", date(1970, 2, 1))
    assert (second.contract_number, second.monthly_rent, second.payment_arrangement) == (
        "1002",
        Decimal("712.50"),
        False,
    )


def test_xlsx_float_noise_is_tolerated_but_a_third_decimal_is_not():
    assert parse_amount(0.1 + 0.2) == Decimal("0.30")
    with pytest.raises(InvalidValue, match="more than two decimals"):
        parse_amount(712.505)


def test_xlsx_errors_name_the_spreadsheet_row(tmp_path):
    path = write(tmp_path, xlsx_bytes([HEADER, [], list(row(postcode="33110").values())]), "l.xlsx")

    _rows, report = parse(path, "l.xlsx")

    error = only_error(report)
    assert (error.row, error.column, error.value) == (3, "postcode", "33110")


# Workbook cells as calamine reads them: the same values and errors openpyxl gave.


def test_xlsx_cells_are_read_as_the_workbook_holds_them(tmp_path):
    cells = row(
        peildatum=date(2025, 3, 31),  # a date cell
        contractnummer=1001,  # a contract number typed as a number
        huisnummer=12,
        postcode="3311 GR",
        maandhuur=1234.5,  # a float amount
        achterstand=0.1 + 0.2,  # float noise
        betalingsregeling=True,  # a boolean cell
        bsn=111222333,
    )
    path = write(tmp_path, xlsx_bytes([HEADER, list(cells.values())]), "l.xlsx")

    (first,), report = parse(path, "l.xlsx")

    assert report.is_valid, report.errors
    assert (first.reference_date, first.contract_number, first.house_number) == (date(2025, 3, 31), "1001", "12")
    assert (first.monthly_rent, first.arrears) == (Decimal("1234.50"), Decimal("0.30"))
    assert (first.payment_arrangement, first.bsn) == (True, "111222333")


def test_a_whole_number_cell_is_quoted_in_an_error_as_written(tmp_path):
    cells = row(huisnummer=0, maandhuur=1000000)
    path = write(tmp_path, xlsx_bytes([HEADER, list(cells.values())]), "l.xlsx")

    _rows, report = parse(path, "l.xlsx")

    assert [(error.row, error.column, error.value) for error in report.errors] == [
        (2, "huisnummer", "0"),
        (2, "maandhuur", "1000000"),
    ]
    assert report.errors[0].message.startswith("'0' is not a house number.")
    assert report.errors[1].message == "'1000000' is too large for an amount in euros."


def test_a_third_decimal_in_a_workbook_amount_is_refused(tmp_path):
    path = write(tmp_path, xlsx_bytes([HEADER, list(row(maandhuur=712.505).values())]), "l.xlsx")

    _rows, report = parse(path, "l.xlsx")

    error = only_error(report)
    assert (error.row, error.column, error.message) == (2, "maandhuur", "'712.505' has more than two decimals.")


def _with_cached_formula(content, cell, formula, cached):
    """The workbook with ``cell`` of the first sheet replaced by a formula and the value Excel saved for it."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for part in source.infolist():
            data = source.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(
                    rf'<c r="{cell}"[^>]*>.*?</c>'.encode(),
                    f'<c r="{cell}"><f>{formula}</f><v>{cached}</v></c>'.encode(),
                    data,
                )
                assert count == 1
            archive.writestr(part, data)
    return target.getvalue()


def test_a_formula_cell_is_read_as_its_cached_value(tmp_path):
    content = _with_cached_formula(xlsx_bytes([HEADER, list(row(maandhuur=1).values())]), "I2", "500+212.5", "712.5")
    path = write(tmp_path, content, "l.xlsx")

    (first,), report = parse(path, "l.xlsx")

    assert report.is_valid, report.errors
    assert first.monthly_rent == Decimal("712.50")


def test_an_error_cell_reads_as_empty(tmp_path):
    path = write(tmp_path, xlsx_bytes([HEADER, list(row(maandhuur="#N/A").values())]), "l.xlsx")

    _rows, report = parse(path, "l.xlsx")

    error = only_error(report)
    assert (error.row, error.column, error.message) == (2, "maandhuur", "This field is required.")


def test_xlsx_gap_rows_and_a_table_away_from_a1_keep_the_spreadsheet_numbers(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    rows = [
        HEADER,
        list(row(contractnummer="C-1").values()),
        [],
        [],
        list(row(contractnummer="C-2", postcode="33110").values()),
    ]
    for number, values in enumerate(rows, start=3):  # the table starts at C3
        for column, value in enumerate(values, start=3):
            sheet.cell(row=number, column=column, value=value)
    sheet.cell(row=12, column=40, value="   ")  # a stray cell of spaces, far below and to the right
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = write(tmp_path, buffer.getvalue(), "l.xlsx")

    rows, report = parse(path, "l.xlsx")

    assert [ledger_row.row_number for ledger_row in rows] == [4]
    assert report.rows_read == 2
    error = only_error(report)
    assert (error.row, error.column, error.value) == (7, "postcode", "33110")
    assert [len(cells) for cells in read_ledger(path, "l.xlsx")][:3] == [40, 40, 40]  # column A is position 0


def test_the_first_worksheet_is_read_when_a_chart_sheet_comes_first(tmp_path):
    workbook = openpyxl.Workbook()
    for values in (HEADER, list(row().values())):
        workbook.active.append(values)
    workbook.create_chartsheet("Grafiek", 0)
    buffer = io.BytesIO()
    workbook.save(buffer)

    rows, report = parse(write(tmp_path, buffer.getvalue(), "l.xlsx"), "l.xlsx")

    assert report.is_valid, report.errors
    assert len(rows) == 1


def test_a_workbook_that_unpacks_to_more_than_a_full_sheet_is_not_opened(tmp_path, monkeypatch):
    monkeypatch.setattr(parsing, "XLSX_MAX_UNPACKED_BYTES", 1024**2)  # the bound, scaled down to a test's size
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", os.urandom(1024**2 + 1))  # random: it does not compress
    _rows, report = parse(write(tmp_path, buffer.getvalue(), "ledger.xlsx"), "ledger.xlsx")

    assert messages(report) == ["The workbook unpacks to 1 MB, far more than a ledger can hold; it is not read."]


def test_a_workbook_part_that_shrank_a_thousandfold_is_not_opened(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 8 * 1024**2)  # 8 MB of one byte: a few kB packed
    _rows, report = parse(write(tmp_path, buffer.getvalue(), "ledger.xlsx"), "ledger.xlsx")

    assert messages(report) == ["The workbook unpacks to 8 MB, far more than a ledger can hold; it is not read."]


@pytest.mark.parametrize("part", ["mimetype", "xl/workbook.bin"])
def test_an_opendocument_or_binary_workbook_is_not_read_as_xlsx(tmp_path, part):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(part, "application/vnd.oasis.opendocument.spreadsheet")
    _rows, report = parse(write(tmp_path, buffer.getvalue(), "ledger.xlsx"), "ledger.xlsx")

    assert messages(report) == ["The file is not a readable Excel workbook (.xlsx)."]


def test_a_file_object_is_read_and_left_open():
    upload = io.BytesIO(csv_bytes([row()]))

    rows, report = parse(upload)

    assert report.is_valid
    assert len(rows) == 1
    assert not upload.closed


def test_read_ledger_yields_raw_rows_including_empty_ones(tmp_path):
    path = write(tmp_path, b"a;b\r\n\r\n1;2\r\n")

    assert list(read_ledger(path, "x.csv")) == [["a", "b"], [], ["1", "2"]]


# Malformed files: a clear error, never an exception.


def test_empty_file(tmp_path):
    _rows, report = parse(write(tmp_path, b""))

    assert messages(report) == ["The file is empty."]
    assert report.finished
    assert not report.is_valid


def test_file_of_empty_lines(tmp_path):
    _rows, report = parse(write(tmp_path, b"\r\n \r\n;;\r\n"))

    assert messages(report) == ["The file is empty."]


def test_header_only(tmp_path):
    _rows, report = parse(write(tmp_path, csv_bytes([])))

    assert messages(report) == ["The file has no data rows."]


def test_missing_columns_are_one_error_naming_each(tmp_path):
    header = [column for column in HEADER if column not in ("straat", "achterstand", "bsn")]
    _rows, report = parse(write(tmp_path, csv_bytes([row()], header=header)))

    error = only_error(report)
    assert error.row == 1
    assert error.message == "Required columns are missing: straat, achterstand."
    assert report.rows_read == 0


def test_tab_separated_file_misses_columns(tmp_path):
    _rows, report = parse(write(tmp_path, csv_bytes([row()], sep="\t")))

    message = only_error(report).message
    assert message.startswith("Required columns are missing: peildatum, contractnummer, huurder_naam")
    assert "Separate the columns with ';' or ','." in message


def test_a_column_twice(tmp_path):
    _rows, report = parse(write(tmp_path, csv_bytes([row()], header=[*HEADER, "Postcode"])))

    error = only_error(report)
    assert (error.row, error.column) == (1, "Postcode")
    assert error.message == "The column 'Postcode' appears more than once."


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("postcode", "3311", "'3311' is not a Dutch postcode (e.g. 3311 GR)."),
        ("postcode", "3311 SS", "'3311 SS' is not a Dutch postcode (e.g. 3311 GR)."),
        ("maandhuur", "-712,50", "The monthly rent must be more than zero."),
        ("maandhuur", "0,00", "The monthly rent must be more than zero."),
        ("achterstand", "-1", "The arrears cannot be negative."),
        ("maandhuur", "zeven", "'zeven' is not an amount. Write amounts like 1234,56 or 1234.56."),
        ("achterstand", "12,3456", "'12,3456' is not an amount. Write amounts like 1234,56 or 1234.56."),
        ("achterstand", "12,345", "'12,345' is ambiguous: write amounts without a thousands separator, e.g. 1234,00."),
        ("achterstand", "1.234", "'1.234' is ambiguous: write amounts without a thousands separator, e.g. 1234,00."),
        ("maandhuur", "1,234.56", "'1,234.56' is not an amount. Write amounts like 1234,56 or 1234.56."),
        ("maandhuur", "1000000", "'1000000' is too large for an amount in euros."),
        ("peildatum", "31/03/2025", "'31/03/2025' is not a date. Write dates like 2025-03-31 or 31-03-2025."),
        ("peildatum", "2025-02-30", "'2025-02-30' is not a date. Write dates like 2025-03-31 or 31-03-2025."),
        ("betalingsregeling", "misschien", "'misschien' is not 'ja' or 'nee'."),
        ("huisnummer", "12A", "'12A' is not a house number. Put additions such as A or bis in huisnummer_toevoeging."),
        ("huurder_naam", "", "This field is required."),
        ("huisnummer_toevoeging", "bis-bis-bis", "This value is longer than 10 characters."),
    ],
)
def test_invalid_value(tmp_path, column, value, message):
    rows, report = parse(write(tmp_path, csv_bytes([row(**{column: value})])))

    assert rows == []
    error = only_error(report)
    assert (error.row, error.column, error.value, error.message) == (2, column, value, message)


def test_a_refused_bsn_is_named_masked(tmp_path):
    _rows, report = parse(write(tmp_path, csv_bytes([row(bsn="123456789")])))

    error = only_error(report)
    assert (error.column, error.value) == ("bsn", "*****6789")  # one digit from a real number: personal data
    assert error.message == "'*****6789' is not a valid BSN (eleven-test)."


def test_invalid_optional_values(tmp_path):
    header = [*HEADER, "email", "geboortedatum"]
    data = row(email="jan@", geboortedatum="1970-13-01")
    _rows, report = parse(write(tmp_path, csv_bytes([data], header=header)))

    assert messages(report) == [
        "'jan@' is not an e-mail address.",
        "'1970-13-01' is not a date. Write dates like 2025-03-31 or 31-03-2025.",
    ]


def test_arrears_zero_is_fine(tmp_path):
    rows, report = parse(write(tmp_path, csv_bytes([row(achterstand="0,00")])))

    assert report.is_valid
    assert rows[0].arrears == Decimal("0.00")


def test_more_values_than_columns(tmp_path):
    """An unquoted decimal comma in a comma-separated file shifts the row."""
    content = csv_bytes([row(maandhuur="712,50", achterstand="0", bsn="111222333")], sep=",")

    rows, report = parse(write(tmp_path, content))

    assert rows == []
    assert "This row has more values than the header has columns." in messages(report)


def test_duplicate_contract_number_names_both_rows(tmp_path):
    content = csv_bytes([row(), row(contractnummer="C-2"), row(straat="Wijnstraat")])

    rows, report = parse(write(tmp_path, content))

    assert [r.contract_number for r in rows] == ["C-1", "C-2"]
    error = only_error(report)
    assert (error.row, error.column, error.value) == (4, "contractnummer", "C-1")
    assert error.message == "Contract number 'C-1' appears in row 2 and in row 4."


def test_two_dates_in_one_file_is_an_error_on_the_first_row_that_differs(tmp_path):
    content = csv_bytes(
        [
            row(),
            row(contractnummer="C-2", peildatum="30-04-2025"),
            row(contractnummer="C-3", peildatum="2025-04-30"),
            row(contractnummer="C-4", peildatum="31-03-2025"),
        ]
    )

    rows, report = parse(write(tmp_path, content))

    assert [r.contract_number for r in rows] == ["C-1", "C-4"]
    assert report.reference_date == date(2025, 3, 31)
    error = only_error(report)
    assert (error.row, error.column, error.value) == (3, "peildatum", "30-04-2025")
    assert error.message == "This file's peildatum is 2025-03-31; this row has 2025-04-30. A file holds one peildatum."


def test_all_errors_are_collected(tmp_path):
    content = csv_bytes(
        [
            row(postcode="x", maandhuur="-1"),
            row(contractnummer="C-2", bsn="123"),
            row(contractnummer="C-3"),
            row(contractnummer="C-4", achterstand=""),
        ]
    )

    rows, report = parse(write(tmp_path, content))

    assert [r.contract_number for r in rows] == ["C-3"]
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "postcode"),
        (2, "maandhuur"),
        (3, "bsn"),
        (5, "achterstand"),
    ]


def test_errors_are_capped_with_a_final_note(tmp_path):
    content = csv_bytes([row(contractnummer=f"C-{n}", postcode="x") for n in range(10)])
    report = ParseReport(max_errors=3)

    rows = list(parse_ledger(write(tmp_path, content), "ledger.csv", report))

    assert rows == []
    assert report.rows_read == 10
    assert len(report.errors) == 4
    assert report.errors[-1] == LedgerError(row=None, column="", value="", message="7 more errors were omitted.")
    assert report.omitted_errors == 7


def test_long_values_are_shortened_in_errors(tmp_path):
    _rows, report = parse(write(tmp_path, csv_bytes([row(postcode="9" * 500)])))

    assert only_error(report).value == "9" * 200 + "…"


def test_csv_not_utf8(tmp_path):
    content = csv_bytes([row(), row(contractnummer="C-2", huurder_naam="R. Hélène")], encoding="latin-1")

    _rows, report = parse(write(tmp_path, content))

    error = only_error(report)
    assert error.row == 3
    assert error.message == "Row 3 is not UTF-8 text. Save the file as CSV UTF-8."
    assert not report.is_valid


def test_utf16_csv(tmp_path):
    _rows, report = parse(write(tmp_path, csv_bytes([row()], encoding="utf-16")))

    assert only_error(report).message == "Row 1 is not UTF-8 text. Save the file as CSV UTF-8."


def test_cell_too_large_for_csv(tmp_path):
    content = csv_bytes([row()]) + b'2025-03-31;"' + b"x" * 200_000 + b'"\r\n'

    _rows, report = parse(write(tmp_path, content))

    assert messages(report) == ["Row 3 could not be read as CSV."]


def test_line_too_long(tmp_path, monkeypatch):
    monkeypatch.setattr(parsing, "MAX_LINE_BYTES", 1000)
    content = csv_bytes([row(), row(contractnummer="C-2", huurder_naam="x" * 2000)])

    rows, report = parse(write(tmp_path, content))

    assert len(rows) == 1
    assert messages(report) == ["Row 3 is too long."]


def test_zero_byte_xlsx(tmp_path):
    _rows, report = parse(write(tmp_path, b"", "ledger.xlsx"), "ledger.xlsx")

    assert messages(report) == ["The file is empty."]


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04 this is no zip archive", b"not a workbook at all"],
    ids=["bad-zip", "not-zip"],
)
def test_corrupt_xlsx(tmp_path, content):
    _rows, report = parse(write(tmp_path, content, "ledger.xlsx"), "ledger.xlsx")

    assert messages(report) == ["The file is not a readable Excel workbook (.xlsx)."]


def test_truncated_xlsx(tmp_path):
    content = xlsx_bytes([HEADER, list(row().values())])

    _rows, report = parse(write(tmp_path, content[: len(content) // 2], "ledger.xlsx"), "ledger.xlsx")

    assert messages(report) == ["The file is not a readable Excel workbook (.xlsx)."]


def test_xlsx_with_only_a_header(tmp_path):
    _rows, report = parse(write(tmp_path, xlsx_bytes([HEADER]), "ledger.xlsx"), "ledger.xlsx")

    assert messages(report) == ["The file has no data rows."]


def test_old_xls_workbook(tmp_path):
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)

    _rows, report = parse(write(tmp_path, content, "ledger.xls"), "ledger.xls")

    assert messages(report) == ["This is an old Excel workbook (.xls). Save it as .xlsx or as CSV UTF-8."]


@given(st.binary(max_size=300))
def test_no_bytes_make_the_parser_raise(content):
    for filename in ("ledger.csv", "ledger.xlsx"):
        for data in (content, b"PK\x03\x04" + content):
            report = validate_ledger(io.BytesIO(data), filename)
            assert report.finished


# Streaming and the all-or-nothing contract.


def test_rows_are_yielded_before_later_content_is_read():
    content = csv_bytes([row(), row(contractnummer="C-2")]) + b"\xff\xfe not UTF-8 \r\n"
    report = ParseReport()

    rows = parse_ledger(io.BytesIO(content), "ledger.csv", report)
    first = next(rows)

    assert first.contract_number == "C-1"
    assert report.errors == []
    assert not report.finished
    assert not report.is_valid
    assert [r.contract_number for r in rows] == ["C-2"]
    assert messages(report) == ["Row 4 is not UTF-8 text. Save the file as CSV UTF-8."]
    assert report.finished


def test_nothing_is_read_before_iteration_starts():
    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("read too early")

    rows = parse_ledger(Unreadable(), "ledger.csv", ParseReport())

    with pytest.raises(AssertionError, match="read too early"):
        next(rows)


def test_a_caller_that_stops_early_has_no_valid_report(tmp_path):
    report = ParseReport()
    rows = parse_ledger(write(tmp_path, csv_bytes([row(), row(contractnummer="C-2")])), "ledger.csv", report)

    next(rows)
    rows.close()

    assert report.errors == []
    assert not report.is_valid


def test_validate_ledger_returns_the_finished_report(tmp_path):
    report = validate_ledger(
        write(tmp_path, csv_bytes([row(), row(contractnummer="C-2", postcode="0000 AA")])), "ledger.csv"
    )

    assert report.finished
    assert report.rows_read == 2
    assert [(e.row, e.column) for e in report.errors] == [(3, "postcode")]


# Properties of the value parsers.

AMOUNTS = st.decimals(min_value="-999999.99", max_value="999999.99", places=2, allow_nan=False, allow_infinity=False)


def dutch(amount):
    """1234.56 as 1.234,56."""
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


@given(AMOUNTS)
def test_amounts_round_trip(amount):
    assert parse_amount(f"{amount:.2f}") == amount
    assert parse_amount(f"{amount:.2f}".replace(".", ",")) == amount
    assert parse_amount(dutch(amount)) == amount


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_dates_round_trip(day):
    assert parse_date(day.strftime("%Y-%m-%d")) == day
    assert parse_date(day.strftime("%d-%m-%Y")) == day
    assert parse_date(datetime(day.year, day.month, day.day, 13, 30)) == day


@given(st.text(max_size=20))
def test_any_text_is_an_amount_or_invalid(text):
    try:
        amount = parse_amount(text)
    except InvalidValue as exc:
        assert exc.message
    else:
        assert amount == amount.quantize(Decimal("0.01"))


@given(st.text(max_size=20))
def test_any_text_is_a_date_or_invalid(text):
    try:
        parse_date(text)
    except InvalidValue as exc:
        assert exc.message


# The fast reader of valid text rows: it only skips work, never decides differently.

# Per column: values that are fine, and values that are wrong or unusual in every way the checked path knows.
FINE = {
    "peildatum": ["2025-03-31", "31-03-2025", " 2025-3-1 "],
    "contractnummer": ["C-1", " C-3", "C" * 50, "Ç-1", "C\u00a0é"],
    "huurder_naam": ["J. de Vries", "Yılmaz", "e\u0301", "x" * 200],
    "straat": ["Voorstraat", "s" * 200],
    "huisnummer": ["12", "012", " 7 "],
    "postcode": ["3311 GR", "3311gr"],
    "woonplaats": ["Dordrecht", "w" * 100],
    "maandhuur": ["712,50", "€ 712.5", "1.425,00", "999999,99"],
    "achterstand": ["0", "0,00", "1.425,00", "999999,99"],
    "huisnummer_toevoeging": ["", "A", "bis"],
    "gemeente": ["", "Dordrecht", "0505"],
    "betalingsregeling": ["", "ja", "NEE", "1"],
    "telefoon": ["", "078-1234567"],
    "email": ["", "jan@example.nl"],
    "bsn": ["", "111222333", "111 222 333", "11122233"],
    "geboortedatum": ["", "1970-01-31", "31-01-1970"],
}
WRONG = {
    "peildatum": ["", "2025-02-30", "0001-01-01", "31/03/2025", "2025-04-01"],
    "contractnummer": ["", "C" * 51, "C\u202e1", "C\u20281"],
    "huurder_naam": ["", "x" * 201, "a\tb", "a\u2028b", "\x00"],
    "straat": ["", "s" * 201],
    "huisnummer": ["0", "12A", "", "1" * 11, "٣"],
    "postcode": ["3311", "3311 SS", ""],
    "woonplaats": ["", "w" * 101],
    "maandhuur": ["0,00", "-1", "1000000", "1.234", "zeven", ""],
    "achterstand": ["-0,01", "1000000,00", "12,345", ""],
    "huisnummer_toevoeging": ["bis-bis-bis", "a\x1b"],
    "gemeente": ["g" * 101],
    "betalingsregeling": ["misschien"],
    "telefoon": ["t" * 31],
    "email": ["jan@", "e" * 255],
    "bsn": ["123456789", "000000000", "１１１２２２３３３", "1112223330"],
    "geboortedatum": ["1970-13-01", "1800-01-01"],
}
ALL_COLUMNS = [*parsing.REQUIRED_COLUMNS, *parsing.OPTIONAL_COLUMNS]


def checked(number, cells, columns, width):
    """The checked path's LedgerRow for one row on its own, or its errors."""
    report = ParseReport()
    result = parsing._check_row(parsing._Row(number, cells, columns, width, report), {}, set(), report)
    return result, report.errors


# A header in any order with some optional columns left out; a row of fine cells, up to two of them made wrong,
# perhaps with cells past the header.
ROW_CASES = st.permutations(ALL_COLUMNS).flatmap(
    lambda order: st.tuples(
        st.just(order),
        st.integers(min_value=len(parsing.REQUIRED_COLUMNS), max_value=len(ALL_COLUMNS)),
        st.tuples(*(st.sampled_from(FINE[column]) for column in order)),
        st.dictionaries(st.sampled_from(order), st.sampled_from(range(6)), max_size=2),
        st.sampled_from([[], [""], [" "], ["extra"]]),
    )
)


@given(ROW_CASES)
def test_the_fast_reader_agrees_with_the_checked_path(case):
    order, kept, fine, wrong, extra = case
    header = [column for column in order if column in parsing.REQUIRED_COLUMNS or order.index(column) < kept]
    columns, width = parsing._read_header(header, 1, ParseReport())
    values = dict(zip(order, fine, strict=True))
    values |= {column: WRONG[column][pick % len(WRONG[column])] for column, pick in wrong.items()}
    cells = [values[column] for column in header] + extra
    fast = parsing._fast_reader(columns, width)(2, list(cells))
    result, errors = checked(2, list(cells), columns, width)
    if fast is not None:
        assert errors == []
        assert fast == result
        assert type(fast) is LedgerRow


def test_the_fast_reader_reads_ordinary_rows_and_leaves_workbook_cells_to_the_checked_path():
    header = [*HEADER, "email", "geboortedatum", "telefoon"]
    columns, width = parsing._read_header(header, 1, ParseReport())
    read = parsing._fast_reader(columns, width)
    ordinary = row(bsn="111222333", email="jan@example.nl", geboortedatum="1970-01-31", telefoon="078-1234567")
    cells = [ordinary.get(column, "") for column in header]

    assert read(2, list(cells)) == checked(2, list(cells), columns, width)[0]
    assert read(2, cells[:-3]) is not None  # the optional cells at the end left out
    assert read(2, [*cells[:8], 712.5, *cells[9:]]) is None  # a workbook's number


def test_a_file_without_its_header_row_quotes_nothing_of_its_first_row(tmp_path):
    # Its first data row is read as the header: not one name of the contract, so its values (a tenant's name,
    # address, amounts, BSN) are counted, never named, and the report asks whether the header row is missing.
    data = row(bsn="123456782")
    content = ";".join(data[column] for column in HEADER).encode() + b"\r\n"

    _rows, report = parse(write(tmp_path, content))

    assert not report.is_valid
    assert report.unknown_columns == [] and report.unknown_columns_omitted == len(HEADER)
    assert "is the header row missing?" in report.errors[0].message
    for value in data.values():
        if value and len(value) > 3:
            assert value not in repr(report)


def test_unknown_columns_are_named_up_to_twenty_and_counted_beyond(tmp_path):
    long_name = "lang_" + "x" * 1000
    header = [*HEADER, long_name, *(f"extra_{n}" for n in range(25))]
    content = csv_bytes([row()], header=header)

    _rows, report = parse(write(tmp_path, content))

    assert report.is_valid
    assert report.unknown_columns == [long_name[:200] + "…", *(f"extra_{n}" for n in range(19))]
    assert report.unknown_columns_omitted == 6
