"""CSV and XLSX downloads neutralise spreadsheet formulas."""

import io

from openpyxl import load_workbook

from woonzeker.exports import csv_response, neutralise, xlsx_response


def test_formula_cells_are_neutralised():
    assert neutralise('=HYPERLINK("http://x","klik")') == '\'=HYPERLINK("http://x","klik")'
    for dangerous in ["+1", "-1+2", "@SUM(A1)", "\tx"]:
        assert neutralise(dangerous).startswith("'")
    assert neutralise("Jan") == "Jan"
    assert neutralise(-5) == -5


def test_csv_and_xlsx_carry_no_formula():
    rows = [['=HYPERLINK("http://x")', 1]]
    assert "'=HYPERLINK" in csv_response("t", ["naam", "n"], rows).content.decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(xlsx_response("t", "t", ["naam", "n"], rows).content)).active
    assert sheet["A2"].value.startswith("'=") and sheet["A2"].data_type == "s"
