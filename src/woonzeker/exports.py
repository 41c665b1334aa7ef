"""CSV and XLSX downloads of tables, safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@`` or a tab or carriage return
would be run as a formula by Excel or LibreOffice (CSV injection): such text
gets a leading apostrophe. Numbers stay numbers.
"""

import csv
import io
import re

from django.http import HttpResponse
from openpyxl import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_response(filename, headers, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([neutralise(str(h)) for h in headers])
    for row in rows:
        writer.writerow([neutralise(v if isinstance(v, int | float) else str(v)) for v in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def sheet_title(title):
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\ (a name may hold them)."""
    return re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip()[:31] or "Export"


def xlsx_response(filename, title, headers, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(title)
    sheet.append([neutralise(str(h)) for h in headers])
    for row in rows:
        sheet.append([neutralise(v if isinstance(v, int | float) else str(v)) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
