"""Read an uploaded spreadsheet into the rows an importer expects, the way offices make them.

Formats: `.xlsx` (Excel, WPS, LibreOffice), `.xls` (Excel 97–2003, through xlrd), CSV in UTF-8,
UTF-8 with BOM, GBK/GB18030, and UTF-16 tab-separated text (Excel's "Unicode text").

The importer says which columns it knows (`aliases`: field → header texts) and which it needs.
The header row is the one among the first rows that names the most known columns; titles and
stamp rows above it, blank rows, rows with nothing in the used columns and footer rows (填表人,
审核人, 合计, 备注：…) are skipped, and `Table.notes` says so for the preview. Extra columns are
ignored and listed; a missing required column is an error naming the header row found. The
first sheet with such a header is read, so an instructions sheet in front does no harm.

Every cell is folded (full-width digits, letters and spaces become ASCII; Chinese punctuation
stays) and stripped. Reading is bounded in upload size, unzipped size, rows, columns, cells and
time, and refuses XML with a DTD, so no file can exhaust the server. Row numbers are those a
person sees in the spreadsheet, so errors can point at them.
"""

import contextlib
import csv
import io
import re
import time
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.decimals import round_score
from core.exports import FORMULA_PREFIXES

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000  # a city's units, a year's attendees: far below; a runaway file: refused
MAX_COLUMNS = 200
MAX_CELLS = 1_000_000
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024  # every part of an .xlsx, as its zip directory declares
MAX_ZIP_MEMBERS = 1_000
MAX_SECONDS = 30  # a 50,000-row file reads in 3 s on an idle server; a busy one is slower
HEADER_SCAN_ROWS = 30
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

FOOTER_WORDS = (
    "填表人",
    "填报人",
    "制表人",
    "制表",
    "审核人",
    "审核",
    "负责人",
    "单位负责人",
    "分管领导",
    "联系人",
    "联系电话",
    "填表日期",
    "填报日期",
    "合计",
    "总计",
    "小计",
    "备注",
    "注:",
    "说明",
    "签字",
    "盖章",
    "平均",  # 平均, 平均值, 平均分: a row of averages under indicator values
    "检查人",  # the signature row of a checklist form: 检查人：… 复核人：…
    "复核人",
    "被检查单位",
)
# Full-width punctuation that Chinese text keeps (NFKC would turn （）：， into ASCII).
_KEEP = frozenset("（），：；！？")
_SPACES = re.compile(r"\s+")
_BRACKETED = re.compile(r"[(（][^)）]*[)）]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class TabularFileError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass
class Table:
    """The data rows of a file as `(row number, {field: text})`, and what was skipped."""

    rows: list[tuple[int, dict[str, str]]]
    header_row: int
    headers: list[str]
    columns: dict[str, int]
    notes: list[str] = field(default_factory=list)
    sheet_name: str = ""


# Cell text ------------------------------------------------------------------------------------


def fold(text):
    """NFKC for everything but the Chinese full-width punctuation, then stripped."""
    if text.isascii():
        return text.strip()
    if _KEEP.isdisjoint(text):
        return unicodedata.normalize("NFKC", text).strip()
    return "".join(c if c in _KEEP else unicodedata.normalize("NFKC", c) for c in text).strip()


def match_key(text):
    """What two spellings of the same name share: NFKC, no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def clean_name(text):
    """A person's name: `李  娜` (padded to line up with three-character names) is `李娜`."""
    if _CJK.search(text):
        return "".join(text.split())
    return _SPACES.sub(" ", text).strip()


_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
_FLOAT_INTEGER = re.compile(r"^(\d+)\.0+$")
_AREA_CODE_IN_BRACKETS = re.compile(r"^[(（](0\d{2,3})[)）](\d{7,8})$")


def clean_phone(text):
    """Digits of a phone as offices write it: `'138 1234-5678`, `13812345678.0`, `+86…`.

    A landline keeps its area-code dash (0511-87654321), and gets one for an area code in
    brackets ((0511)87654321)."""
    text = text.strip().lstrip("'‘’`")
    whole = _FLOAT_INTEGER.match(text)
    if whole:
        return whole.group(1)
    compact = "".join(text.split())
    digits = compact.replace("-", "")
    landline = _AREA_CODE_IN_BRACKETS.match(digits)
    if landline:  # (0511)87654321
        return f"{landline[1]}-{landline[2]}"
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
    if digits.isdigit() and len(digits) == 11 and digits.startswith("1"):
        return digits
    return compact


def shortened_by_excel(text):
    """`1.38123E+10`: a number Excel wrote in scientific notation; its digits are lost."""
    return bool(_SCIENTIFIC.match(text.strip()))


def without_export_quote(text):
    """`'=SUM(…)` → `=SUM(…)`: the quote core.exports puts before formula-like text, so a file
    exported by this system reads back as it was."""
    if text[:1] == "'" and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return without_export_quote(fold(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return str(Decimal(repr(value)))
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == 0:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return fold(str(value))


# Reading --------------------------------------------------------------------------------------


def read_uploaded_table(uploaded_file, aliases, required=(), *, percents=False):
    if uploaded_file.size is not None and uploaded_file.size > MAX_UPLOAD_BYTES:
        raise _too_large()
    data = uploaded_file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_large()
    return read_table_bytes(data, aliases, required, percents=percents)


def read_table_bytes(data, aliases, required=(), *, percents=False):
    """The table of the first sheet with a header row naming known columns.

    With `percents`, a number shown as a percentage in a workbook (0.954 formatted 0.00%) is
    read as the clerk sees it, 95.4%; reading the cells' formats makes the read slower, so
    only a file of rates asks for it."""
    if not data.strip():
        raise TabularFileError(_("The file is empty."))
    budget = _Budget()
    if data.startswith(XLSX_MAGIC):
        sheets, errors, kind = (
            _xlsx_sheets(data, budget, percents),
            XLSX_ERRORS,
            _("an Excel (.xlsx) workbook"),
        )
    elif data.startswith(XLS_MAGIC):
        sheets, errors, kind = (
            _xls_sheets(data, budget, percents),
            _xls_errors(),
            _("an Excel 97–2003 (.xls) workbook"),
        )
    elif _is_xml_spreadsheet(data):
        raise TabularFileError(
            _(
                "This file is an Excel 2003 XML spreadsheet, which cannot be read here: open it "
                "in Excel or WPS and save it as .xlsx, then upload that."
            )
        )
    elif _is_html(data):
        raise TabularFileError(
            _(
                "This file is a web page (HTML) with a spreadsheet's name, as some office systems "
                "export them: open it in Excel or WPS and save it as .xlsx, then upload that."
            )
        )
    else:
        sheets, errors, kind = [("", _csv_rows(data, budget), [])], (), ""
    try:
        return _pick_table(sheets, aliases, required)
    except errors:
        message = _("The file could not be read as %(kind)s; it may be damaged or protected.")
        raise TabularFileError(message % {"kind": kind}) from None


def _is_xml_spreadsheet(data):
    start = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    return start.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in start


def _is_html(data):
    start = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html", b"<table"))


def _too_large():
    return TabularFileError(
        _("The file is larger than %(limit)d MB.") % {"limit": MAX_UPLOAD_BYTES // 2**20}
    )


class _Budget:
    """Counts cells and time across every sheet read from one file."""

    def __init__(self):
        self.cells = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def rows(self, raw_rows):
        """Numbered rows of folded text, refused as soon as the file passes a limit. Empty rows
        (a border or a fill drawn far down the sheet) are left out and count for nothing but
        the time it takes to pass them."""
        filled = 0
        for number, raw in enumerate(raw_rows, start=1):
            width = len(raw)
            while width and (raw[width - 1] is None or raw[width - 1] == ""):
                width -= 1
            if not width:
                if number % 1000 == 0 and time.monotonic() > self.deadline:
                    raise TabularFileError(_("Reading the file took too long; split it up."))
                continue
            filled += 1
            if filled > MAX_ROWS + HEADER_SCAN_ROWS:
                raise TabularFileError(
                    _("The sheet has more than %(limit)d rows; split it into smaller files.")
                    % {"limit": MAX_ROWS}
                )
            if width > MAX_COLUMNS:
                raise TabularFileError(
                    _("Row %(row)d has more than %(limit)d columns.")
                    % {"row": number, "limit": MAX_COLUMNS}
                )
            self.cells += width
            if self.cells > MAX_CELLS:
                raise TabularFileError(
                    _("The file has more than %(limit)d cells; split it into smaller files.")
                    % {"limit": MAX_CELLS}
                )
            if number % 1000 == 0 and time.monotonic() > self.deadline:
                raise TabularFileError(_("Reading the file took too long; split it up."))
            yield number, [_cell_text(value) for value in raw[:width]]


def _decode(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _not_a_table() from None
    if b"\x00" in data:
        _refuse_nul(data)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _not_a_table()


def _refuse_nul(data):
    """A text file with a NUL byte in it (a damaged export) says where; anything else with NUL
    bytes is a binary file, not a table."""
    try:
        data.replace(b"\x00", b"").decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _not_a_table() from None
    row = data[: data.index(b"\x00")].count(b"\n") + 1
    raise TabularFileError(
        _("Row %(row)d contains an invalid character (a NUL byte); remove it and upload again.")
        % {"row": row}
    )


def _not_a_table():
    return TabularFileError(
        _(
            "The file is neither a CSV (UTF-8, GBK or UTF-16 text) nor an Excel workbook "
            "(.xlsx or .xls)."
        )
    )


def _csv_rows(data, budget):
    text = _decode(data)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    try:
        yield from budget.rows(reader)
    except csv.Error as error:
        if "field limit" in str(error):  # the only error csv's default dialect raises here
            message = _("Row %(row)d has a cell longer than %(limit)d characters.")
        else:
            message = _("The CSV file cannot be read from row %(row)d on.")
        limit = csv.field_size_limit()
        raise TabularFileError(message % {"row": reader.line_num, "limit": limit}) from None


XLSX_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    OSError,
    ValueError,
    TypeError,
    EOFError,
    ParseError,
)


def _xlsx_sheets(data, budget, percents=False):
    from openpyxl import load_workbook

    _check_zip(data)
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    archive = zipfile.ZipFile(io.BytesIO(data))
    try:
        for worksheet in workbook.worksheets:
            # The declared <dimension> may be A1:XFD1048576 whatever the cells are: ignore it,
            # so rows are as wide as their last cell, not padded to the declared width.
            worksheet.reset_dimensions()
            # the sheet's part in the archive: read-only openpyxl keeps it only on this
            # attribute (read, never changed); a version without it fails the corpus tests
            merged = _xlsx_merged_ranges(archive, worksheet._worksheet_path)
            if percents:  # the cells' formats are read only when asked: it is slower
                values = (
                    tuple(_as_shown(cell.value, cell.number_format) for cell in row)
                    for row in worksheet.iter_rows()
                )
            else:
                values = worksheet.iter_rows(values_only=True)
            filled = []
            yield worksheet.title, budget.rows(_filled_down(values, merged, filled)), filled
    finally:
        workbook.close()


_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _column_number(letters):
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64  # bytes: ord("A") is 65
    return number


def _xlsx_merged_ranges(archive, path):
    """[(first row, last row, first column, last column)], 1-based, of the sheet's merged
    cells. Read-only openpyxl does not give them; they are a list at the end of the sheet's
    XML, found here without parsing the rest again."""
    try:
        xml = archive.read(path.lstrip("/"))
    except KeyError:
        return []
    return [
        (int(top), int(bottom), _column_number(left), _column_number(right))
        for left, top, right, bottom in _MERGE_CELL.findall(xml)
    ]


def _filled_down(raw_rows, merged, filled):
    """The rows with a vertically merged cell's value in every row it spans, as the office
    reading the sheet sees it (单位 merged over its three attendees is the unit of all three);
    spreadsheets store it in the top row only. Only the merge's first column is filled; merges
    across columns alone (a title) stay as they are; a merge overlapping another (Excel makes
    none) is ignored. Each cell filled is added to `filled` as (row number, column index), for
    the preview to say so."""
    waiting = sorted(span for span in merged if span[1] > span[0])  # by first row
    if not waiting:
        yield from raw_rows
        return
    waiting.reverse()  # popped from the end, first rows first
    active = []  # [top, bottom, left, right, value] of the merges spanning this row
    for number, raw in enumerate(raw_rows, start=1):
        active = [span for span in active if span[1] >= number]
        while waiting and waiting[-1][0] <= number:
            top, bottom, left, right = waiting.pop()
            if top == number and not any(
                left <= other[3] and other[2] <= right for other in active
            ):
                value = raw[left - 1] if left <= len(raw) else None
                active.append([top, bottom, left, right, value])
        # a row only the merged cell reaches stays empty (a column merged to the sheet's end
        # is not a million rows)
        if not any(span[0] < number and span[4] not in (None, "") for span in active) or all(
            cell is None or cell == "" for cell in raw
        ):
            yield raw
            continue
        raw = list(raw)
        for top, _bottom, left, _right, value in active:
            if top == number or value in (None, ""):
                continue
            # the value is the merge's first column's: a merge across 单位 and 姓名 does not
            # give the unit as everyone's name
            if len(raw) < left:
                raw.extend([None] * (left - len(raw)))
            if raw[left - 1] is None or raw[left - 1] == "":
                raw[left - 1] = value
                filled.append((number, left - 1))
        yield raw


def _as_shown(value, number_format):
    """0.954 in a cell formatted as a percentage is "95.4%"; any other value as it is."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in number_format:
        # to the hundredth, as scores are kept: 0.95456 shown 95.46% is 95.46
        text = f"{round_score(Decimal(repr(value)) * 100):f}"
        return text.rstrip("0").rstrip(".") + "%"
    return value


def _check_zip(data):
    """Refuse a zip bomb (by the sizes its directory declares, which zipfile will not exceed
    when inflating) and XML with a DTD (entity expansion), before openpyxl parses anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError):
        raise TabularFileError(
            _("The file could not be read as an Excel (.xlsx) workbook.")
        ) from None
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
        raise TabularFileError(
            _("The workbook unpacks to more than %(limit)d MB; split it into smaller files.")
            % {"limit": MAX_UNZIPPED_BYTES // 2**20}
        )
    for member in members:
        if member.filename.endswith((".xml", ".rels", ".vml")) and _has_dtd(archive, member):
            raise TabularFileError(
                _("The workbook contains XML declarations that are not allowed (DTD or entities).")
            )


def _has_dtd(archive, member):
    tail = b""
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(1 << 16):
                window = tail + chunk
                if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                    return True
                tail = window[-16:]
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError):
        raise TabularFileError(
            _("The file could not be read as an Excel (.xlsx) workbook.")
        ) from None
    return False


def _xls_errors():
    import struct

    from xlrd.biffh import XLRDError
    from xlrd.compdoc import CompDocError

    return (
        XLRDError,
        CompDocError,
        struct.error,
        IndexError,
        KeyError,
        ValueError,
        TypeError,
        AssertionError,
        UnicodeDecodeError,
        OverflowError,
        EOFError,
    )


def _xls_sheets(data, budget, percents=False):
    import xlrd

    # formatting_info: the merged cells (xlrd gives them only with the cells' formats)
    book = xlrd.open_workbook(
        file_contents=data,
        on_demand=True,
        ragged_rows=True,
        formatting_info=True,
        logfile=io.StringIO(),
    )
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            merged = [
                (top + 1, bottom, left + 1, right)  # xlrd: 0-based, ends exclusive
                for top, bottom, left, right in sheet.merged_cells
            ]
            filled = []
            rows = _filled_down(_xls_values(book, sheet, percents), merged, filled)
            yield sheet.name, budget.rows(rows), filled
            book.unload_sheet(index)
    finally:
        book.release_resources()


def _xls_values(book, sheet, percents):
    import xlrd

    for row_index in range(sheet.nrows):
        values = []
        for column, (kind, value) in enumerate(
            zip(sheet.row_types(row_index), sheet.row_values(row_index), strict=True)
        ):
            if kind == xlrd.XL_CELL_DATE:
                with contextlib.suppress(ValueError, OverflowError, xlrd.xldate.XLDateError):
                    value = xlrd.xldate_as_datetime(value, book.datemode)
            elif kind == xlrd.XL_CELL_NUMBER and percents:
                xf = book.xf_list[sheet.cell_xf_index(row_index, column)]
                value = _as_shown(value, book.format_map[xf.format_key].format_str)
            elif kind == xlrd.XL_CELL_BOOLEAN:
                value = bool(value)
            elif kind in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                value = None
            values.append(value)
        yield values


# Finding the table ----------------------------------------------------------------------------


def header_key(text):
    """A header as compared with the known names: `姓名*`, `手机（必填）`, `Phone ` → its name."""
    return _BRACKETED.sub("", match_key(text)).strip("*＊:：")


def _lookup(aliases):
    return {header_key(text): name for name, texts in aliases.items() for text in texts}


def _header_fields(cells, lookup):
    return {lookup[key] for key in map(header_key, cells) if key in lookup}


@dataclass
class _Candidate:
    sheet_name: str
    numbered: list  # (row number, cells) of the non-blank rows read
    header_index: int
    fields: set
    filled: list  # (row number, column index) of the cells filled from a merged cell above


def _read_candidate(sheet_name, rows, lookup, filled):
    """Read a sheet's rows; its best header row among the first non-blank ones."""
    numbered = [(number, cells) for number, cells in rows if any(cells)]
    best_index, best = 0, set()
    for index, (_number, cells) in enumerate(numbered[:HEADER_SCAN_ROWS]):
        found = _header_fields(cells, lookup)
        if len(found) > len(best):
            best_index, best = index, found
    return _Candidate(sheet_name, numbered, best_index, best, filled)


def _pick_table(sheets, aliases, required):
    lookup = _lookup(aliases)
    skipped_sheets, fallback, chosen = [], None, None
    for sheet_name, rows, filled in sheets:
        candidate = _read_candidate(sheet_name, rows, lookup, filled)
        if candidate.fields and set(required) <= candidate.fields:
            chosen = candidate
            break
        skipped_sheets.append(sheet_name)
        if candidate.numbered and (
            fallback is None or len(candidate.fields) > len(fallback.fields)
        ):
            fallback = candidate
    if chosen is None:
        if fallback is None:
            raise TabularFileError(_("The file is empty."))
        _raise_missing(fallback, aliases, required)
    table = _table(chosen, aliases, lookup)
    if skipped_sheets:
        table.notes.insert(
            0,
            _(
                "Read the sheet “%(sheet)s”; sheets without the expected header were skipped: "
                "%(skipped)s."
            )
            % {
                "sheet": chosen.sheet_name,
                "skipped": _join(f"“{name}”" for name in skipped_sheets),
            },
        )
    return table


def _raise_missing(candidate, aliases, required):
    names = [aliases[name][0] for name in required if name not in candidate.fields]
    number, cells = candidate.numbered[candidate.header_index]
    if not candidate.fields:
        message = _(
            "No header row was found: the table needs the columns %(columns)s. The first row "
            "reads: %(cells)s."
        )
    else:
        message = _(
            "The required column %(columns)s is missing. The header row found (row %(row)d) "
            "reads: %(cells)s."
        )
    raise TabularFileError(
        message
        % {
            "columns": _join(f"“{name}”" for name in names),
            "row": number,
            "cells": _join(cell for cell in cells if cell),
        }
    )


def _table(candidate, aliases, lookup):
    header_number, headers = candidate.numbered[candidate.header_index]
    columns, ignored = {}, []
    for index, header in enumerate(headers):
        name = lookup.get(header_key(header))
        if name is None:
            if header:
                ignored.append(header)
        elif name in columns:
            raise TabularFileError(
                _("The columns “%(first)s” and “%(second)s” both mean %(meaning)s; keep one.")
                % {"first": headers[columns[name]], "second": header, "meaning": aliases[name][0]}
            )
        else:
            columns[name] = index

    body = candidate.numbered[candidate.header_index + 1 :]
    summaries = {number for number, cells in body if _is_summary(cells)}
    body = [(number, cells) for number, cells in body if number not in summaries]
    # the second row of a header written on two rows (联系方式 over 手机 and 办公电话, the
    # other headers merged down over both) names columns too: it is no data row
    second_header = []
    while body and len(_header_fields(body[0][1], lookup)) >= 2:
        second_header.append(body.pop(0)[0])
    footer = []
    while body and _is_footer(body[-1][1]):
        footer.insert(0, body.pop()[0])
    rows, unused = [], []
    for number, cells in body:
        values = {
            name: cells[index] if index < len(cells) else "" for name, index in columns.items()
        }
        if any(values.values()):
            rows.append((number, values))
        else:
            unused.append(number)

    notes = []
    above = [number for number, _cells in candidate.numbered[: candidate.header_index]]
    if above:
        notes.append(
            _("Rows %(rows)s above the header (row %(header)d) are titles and were skipped.")
            % {"rows": _ranges(above), "header": header_number}
        )
    if second_header:
        notes.append(
            _("Row %(rows)s repeats column names (a header on two rows) and was skipped.")
            % {"rows": _ranges(second_header)}
        )
    if ignored:
        notes.append(_("Columns not used: %(columns)s.") % {"columns": _join(ignored)})
    if summaries:
        notes.append(
            _("Rows %(rows)s are totals or averages and were skipped.")
            % {"rows": _ranges(sorted(summaries))}
        )
    data_rows = {number for number, _values in rows}
    for index in columns.values():
        merged_rows = [
            row for row, column in candidate.filled if column == index and row in data_rows
        ]
        if merged_rows:
            notes.append(
                _("Rows %(rows)s: “%(column)s” is taken from the merged cell above.")
                % {"rows": _ranges(merged_rows), "column": headers[index]}
            )
    if unused:
        notes.append(
            _("Rows %(rows)s have nothing in the columns used and were skipped.")
            % {"rows": _ranges(unused)}
        )
    if footer:
        notes.append(
            _("Rows %(rows)s below the table (signatures, totals, remarks) were skipped.")
            % {"rows": _ranges(footer)}
        )
    return Table(
        rows=rows,
        header_row=header_number,
        headers=headers,
        columns=columns,
        notes=notes,
        sheet_name=candidate.sheet_name,
    )


_SUMMARY = re.compile(r"(全市|全区|全县|各单位|本类别?)?(合计|小计|总计|平均值?|平均分|均值)[:：]?")


def _is_summary(cells):
    """A row of totals or averages (小计 between categories, 全市平均 under the values)."""
    first = next((cell for cell in cells if cell), "")
    return bool(_SUMMARY.fullmatch("".join(first.split())))


def _is_footer(cells):
    """填表人：…, 合计, 备注：…, or a line of text alone in the first cell."""
    filled = [cell for cell in cells if cell]
    first = "".join(filled[0].split())
    if first.startswith(FOOTER_WORDS):
        return True
    alone = len(filled) == 1 and cells[0]
    return bool(alone) and (len(first) > 20 or any(mark in first for mark in ":：。"))


def _ranges(numbers):
    """[1, 2, 3, 7] → "1–3, 7"."""
    parts, start, previous = [], None, None
    for number in numbers:
        if start is None:
            start = previous = number
        elif number == previous + 1:
            previous = number
        else:
            parts.append(_span(start, previous))
            start = previous = number
    parts.append(_span(start, previous))
    return _join(parts)


def _span(first, last):
    return str(first) if first == last else f"{first}–{last}"


def _join(items):
    return pgettext("list separator", ", ").join(items)
