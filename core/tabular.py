"""Read an uploaded CSV or XLSX file into plain rows of text, with clear errors.

CSV may be UTF-8, UTF-8 with BOM or GBK/GB18030 (what Excel in China writes). Rows keep the
row number a person sees in a spreadsheet (the header is row 1), so errors can point at them.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000  # a city's units, a year's attendees: far below; a runaway file: refused
XLSX_MAGIC = b"PK\x03\x04"


class TabularFileError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def read_uploaded_table(uploaded_file):
    if uploaded_file.size is not None and uploaded_file.size > MAX_UPLOAD_BYTES:
        raise TabularFileError(
            _("The file is larger than %(limit)d MB.") % {"limit": MAX_UPLOAD_BYTES // 2**20}
        )
    data = uploaded_file.read()
    return read_table_bytes(data)


def read_table_bytes(data):
    if not data.strip():
        raise TabularFileError(_("The file is empty."))
    raw_rows = _xlsx_rows(data) if data.startswith(XLSX_MAGIC) else _csv_rows(data)
    return _to_sheet(raw_rows)


def _not_a_table():
    return TabularFileError(
        _("The file is neither a CSV in UTF-8 or GBK encoding nor an Excel (.xlsx) workbook.")
    )


def _decode(data):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _not_a_table()


def _csv_rows(data):
    if b"\x00" in data:
        raise _not_a_table()
    text = _decode(data)
    try:
        return _limited(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        message = _("The CSV file is malformed: %(error)s") % {"error": error}
        raise TabularFileError(message) from None


XLSX_ERRORS = (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError)


def _xlsx_rows(data):
    from openpyxl import load_workbook

    workbook = None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        return _limited([_cell_text(value) for value in row] for row in rows)
    except XLSX_ERRORS:
        message = _("The file could not be read as an Excel (.xlsx) workbook.")
        raise TabularFileError(message) from None
    finally:
        if workbook is not None:
            workbook.close()


def _limited(rows):
    """The rows, refusing a file longer than MAX_ROWS before reading all of it."""
    kept = []
    for row in rows:
        kept.append(row)
        if len(kept) > MAX_ROWS + 1:
            raise TabularFileError(
                _("The file has more than %(limit)d rows; split it into smaller files.")
                % {"limit": MAX_ROWS}
            )
    return kept


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return str(Decimal(repr(value)))
    return str(value)


def _to_sheet(raw_rows):
    numbered = [
        (number, [cell.strip() for cell in row])
        for number, row in enumerate(raw_rows, start=1)
        if any(cell.strip() for cell in row)
    ]
    if not numbered:
        raise TabularFileError(_("The file is empty."))
    headers = numbered[0][1]
    width = len(headers)
    rows = [(number, (cells + [""] * width)[:width]) for number, cells in numbered[1:]]
    return Sheet(headers=headers, rows=rows)


def normalise_header(text):
    return "".join(text.split()).strip("*＊").lower()


def map_headers(headers, aliases, required):
    """Map each column to a field name.

    `aliases` maps a field to the header texts that mean it (Chinese and English). Returns
    `(columns, errors)`: `columns` maps field → column index.
    """
    lookup = {normalise_header(alias): name for name, texts in aliases.items() for alias in texts}
    columns, errors = {}, []
    for index, header in enumerate(headers):
        name = lookup.get(normalise_header(header))
        if name is None:
            errors.append(_("Unknown column “%(header)s”.") % {"header": header})
        elif name in columns:
            errors.append(_("Column “%(header)s” appears twice.") % {"header": header})
        else:
            columns[name] = index
    for name in required:
        if name not in columns:
            errors.append(
                _("The required column “%(header)s” is missing.") % {"header": aliases[name][0]}
            )
    return columns, errors
