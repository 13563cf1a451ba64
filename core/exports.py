"""One way to export a table: CSV (UTF-8 with BOM, for Excel in China) or XLSX.

Every text cell that a spreadsheet would read as a formula is neutralised with a leading quote.
"""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django_tables2.export import ExportMixin as Tables2ExportMixin
from django_tables2.export import TableExport
from tablib import Dataset

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeTableExport(TableExport):
    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = Dataset(**(dataset_kwargs or {}))
        for index, row in enumerate(table.as_values(exclude_columns=exclude_columns)):
            row = [neutralise(value) for value in row]
            if index == 0:
                dataset.headers = row
            else:
                dataset.append(row)
        return dataset

    def export(self):
        if self.format == self.CSV:
            return ("\ufeff" + self.dataset.export("csv")).encode("utf-8")
        return self.dataset.export(self.format)

    def response(self, filename=None):
        # django-tables2 writes the name raw; Chinese names need RFC 5987 encoding.
        response = HttpResponse(self.export(), content_type=self.content_type())
        if filename is not None:
            response["Content-Disposition"] = content_disposition_header(True, filename)
        return response


class ExportMixin(Tables2ExportMixin):
    """For list views built on django-tables2: `?_export=csv` or `?_export=xlsx`."""

    export_class = SafeTableExport
    export_formats = (TableExport.CSV, TableExport.XLSX)
    export_name = "export"

    def get_export_filename(self, export_format):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return f"{self.export_name}-{stamp}.{export_format}"

    def get_dataset_kwargs(self):
        return {"title": str(self.export_name)[:31]}
