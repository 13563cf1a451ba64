"""The one way a table leaves the system: CSV (UTF-8 with BOM, for Excel in China) or XLSX.

`spreadsheet()` is the only writer. Every cell passes `clean_cell()`: characters XML cannot hold
are dropped (they made openpyxl fail). Text a spreadsheet would read as a formula — starting
with = + - @, a tab or CR, or their full-width forms — gets a leading quote in a CSV; in an XLSX
it is written as a text cell marked the way Excel marks text typed after a quote (quotePrefix),
so it shows as it was entered and is still never run, even when the cell is edited.
"""

import csv
import datetime
import io
import re
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django_tables2.export import ExportMixin as Tables2ExportMixin
from django_tables2.export import TableExport
from tablib import Dataset

from core.http import file_response

# ＝ ＋ － ＠ are what a Chinese input method types; Excel and WPS read them as = + - @.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# XML 1.0 allows tab, LF and CR below U+0020, and no surrogates, U+FFFE or U+FFFF.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMATS = tuple(CONTENT_TYPES)


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def clean_cell(value, *, quote=True):
    """A value as it may be written to a CSV cell (`quote`) or an XLSX cell."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        value = XML_ILLEGAL.sub("", value)
        return neutralise(value) if quote else value
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
    return value


def spreadsheet(export_format, headers, rows, *, title="Sheet", widths=None):
    """The bytes of a CSV or XLSX file of `headers` and `rows`, every cell cleaned."""
    quote = export_format == "csv"
    headers = [clean_cell(value, quote=quote) for value in headers]
    rows = ([clean_cell(value, quote=quote) for value in row] for row in rows)
    if export_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows(rows)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    if export_format != "xlsx":
        raise ValueError(f"not an export format: {export_format!r}")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    # A sheet title may not hold []:*?/\ and has at most 31 characters.
    sheet.title = re.sub(r"[\[\]:*?/\\]", "", str(clean_cell(title)))[:31] or "Sheet"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        _as_text(cell)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            _as_text(cell)
            if isinstance(cell.value, Decimal):
                # shown with its places: a score of 0.80 reads 0.80, not Excel's General 0.8
                places = max(-cell.value.as_tuple().exponent, 0)
                cell.number_format = "0." + "0" * places if places else "0"
    if widths:
        from openpyxl.utils import get_column_letter

        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _as_text(cell):
    """Text that would read as a formula stays text (openpyxl makes "=…" a formula cell)."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True


def spreadsheet_response(filename, headers, rows, *, title="Sheet", widths=None):
    """A download of `spreadsheet()`, its format taken from the file name's extension."""
    export_format = filename.rsplit(".", 1)[-1]
    content = spreadsheet(export_format, headers, rows, title=title, widths=widths)
    return file_response((filename, CONTENT_TYPES[export_format], content))


class SafeTableExport(TableExport):
    """django-tables2's exporter, writing through `spreadsheet()`; only CSV and XLSX."""

    @classmethod
    def is_valid_format(cls, export_format):
        return export_format in FORMATS

    def content_type(self):
        return CONTENT_TYPES[self.format]

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = Dataset(**(dataset_kwargs or {}))
        for index, row in enumerate(table.as_values(exclude_columns=exclude_columns)):
            if index == 0:
                dataset.headers = row
            else:
                dataset.append(row)
        return dataset

    def export(self):
        title = self.dataset.title or "Sheet"
        return spreadsheet(self.format, self.dataset.headers, self.dataset, title=title)

    def response(self, filename=None):
        # django-tables2 writes the name raw; Chinese names need RFC 5987 encoding.
        return file_response(
            (filename or f"export.{self.format}", self.content_type(), self.export())
        )


class ExportMixin(Tables2ExportMixin):
    """For list views built on django-tables2: `?_export=csv` or `?_export=xlsx`."""

    export_class = SafeTableExport
    export_formats = FORMATS
    export_name = "export"
    # a list of the selected year's records: its files say which year (trial 8: 2025's and
    # 2026's trainings were both 培训-20261128-1145.csv)
    export_of_a_year = False

    def get_export_filename(self, export_format):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        name = str(self.export_name)
        if self.export_of_a_year:
            from core.years import selected_year

            name = gettext("%(year)d %(name)s") % {
                "year": selected_year(self.request),
                "name": name,
            }
        return f"{name}-{stamp}.{export_format}"

    def get_dataset_kwargs(self):
        return {"title": str(self.export_name)[:31]}
