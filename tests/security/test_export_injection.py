"""Every export the system offers, walked from the URL resolver, over data whose every text
column is hostile: formulas (ASCII and full-width) and characters XML cannot hold. Each file
must open, and no cell may start a formula or hold such a character."""

import csv
import io
import itertools

from django.apps import apps
from django.db import models
from django.urls import reverse
from openpyxl import load_workbook

from core.exports import FORMULA_PREFIXES, XML_ILLEGAL
from tests.security.test_permission_matrix import MATRIX, url_names, world  # noqa: F401

HOSTILE = [
    '=HYPERLINK("http://evil.example","点我")',
    "=1+2",
    "+SUM(A1)",
    "-2+3",
    "@SUM(A1)",
    "\tcmd",
    "\rcmd",
    "＝1+2",
    "＋1",
    "－1",
    "＠SUM(A1)",
    "\x0b=1+2",
    "王\x0b五\x1b",
]
APPS = {"units", "training", "assessment", "core"}
EXPORT_TYPES = ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def make_every_text_column_hostile():
    values = itertools.cycle(HOSTILE)
    for model in apps.get_models():
        if model._meta.app_label not in APPS or model.__name__.startswith("Historical"):
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
            and not f.choices
            and not isinstance(f, models.FileField)
        ]
        for row in model._default_manager.all():
            changes = {}
            for field in fields:
                value = next(values) + (f"{row.pk}" if field.unique else "")
                changes[field.attname] = value[: field.max_length]
            if changes:
                model._default_manager.filter(pk=row.pk).update(**changes)


def cells(response):
    content = b"".join(response) if response.streaming else response.content
    if response["Content-Type"].startswith("text/csv"):
        return [c for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for c in row]
    sheets = load_workbook(io.BytesIO(content)).worksheets
    found = []
    for sheet in sheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula cell {cell.coordinate}: {cell.value}"
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                    # an XLSX keeps the text as entered, as a text cell marked like text
                    # typed after a quote: never run, even when edited (trial 8)
                    assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
                    found.append("'" + cell.value)  # counted as the CSV's quoted text
                else:
                    found.append(cell.value)
    return found


def test_every_export_neutralises_hostile_text_in_every_column(client_for, world):  # noqa: F811
    make_every_text_column_hostile()
    client = client_for("admin")
    exports = {}
    for name in url_names():
        key = MATRIX[name][0]
        url = reverse(name, kwargs=world[key] if key else None)
        response = client.get(url)
        if response["Content-Type"].startswith(EXPORT_TYPES):
            exports[(name, None)] = cells(response)
        elif not response.streaming and b"_export=" in response.content:  # CSV and XLSX links
            for export_format in ("csv", "xlsx"):
                response = client.get(url, {"_export": export_format})
                assert response["Content-Type"].startswith(EXPORT_TYPES), url
                exports[(name, export_format)] = cells(response)
    assert {
        ("units:list", "csv"),
        ("units:list", "xlsx"),
        ("units:import_template", None),
        ("training:list", "xlsx"),
        ("training:attendee_import_template", None),
        ("assessment:indicator_export", None),
        ("assessment:ranking", "xlsx"),
        ("assessment:checklist_export", None),
        ("assessment:round_detail", "csv"),
        ("assessment:spot_check_list", "xlsx"),
        ("assessment:rectification_list", "csv"),
    } <= set(exports)
    hostile_seen = 0
    for (name, export_format), values in exports.items():
        for value in values:
            if not isinstance(value, str):
                continue
            where = f"{name} {export_format}: {value!r}"
            assert not value.startswith(FORMULA_PREFIXES), where
            assert not XML_ILLEGAL.search(value), where
            hostile_seen += value.startswith("'")
    assert hostile_seen > 20  # the walk met the hostile data, not only headers
