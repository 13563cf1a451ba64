"""Checklists as spreadsheets: one row per item, the same columns for export and import.

Columns: 部分 (section), 检查项 (item), 评分标准 (guidance), 分值 (max points), 可不适用 (N/A
allowed), 单项否决 (veto), 扣分规则 (rules: "fault:points" separated by ;, ；, new lines
or a 、 after the points).
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from assessment.services.year_end import own_unit_values_message
from core.exports import spreadsheet
from core.forms import control_character_error
from units.matching import UnitResolver

COLUMNS = {
    "section": ("部分", "section"),
    "text": ("检查项", "item"),
    "guidance": ("评分标准", "guidance"),
    "max_points": ("分值", "max points", "max_points"),
    "allows_na": ("可不适用", "n/a allowed", "allows_na"),
    "is_veto": ("单项否决", "veto"),
    "rules": ("扣分规则", "deduction rules", "rules"),
}
REQUIRED = ("section", "text", "max_points")
HEADERS = ["部分", "检查项", "评分标准", "分值", "可不适用", "单项否决", "扣分规则"]
YES = {"是", "yes", "y", "1", "true", "√"}
NO = {"", "否", "no", "n", "0", "false"}
# between rules: ; ；, a new line, or 、 ， , after a rule's points ("逾期发布：2、未经审核：3",
# "栏目空白：2，链接错误：1"; a 、 or ， inside a fault, "未经审核、审批发布：3", is the
# fault's own)
RULE_SPLIT = re.compile(r"[;；\n]+|(?<=\d)\s*[、，,]")


MAX_POINTS = Decimal("9999.99")  # what the points columns hold


def _points(text):
    """A number ≥ 0 with at most 2 decimals that the database can hold, else None."""
    try:
        value = Decimal(text)
        if not value.is_finite() or not Decimal(0) <= value <= MAX_POINTS:
            return None
        rounded = value.quantize(Decimal("0.01"))
        return rounded if value == rounded else None
    except (InvalidOperation, ValueError):
        return None


def _has_more_than_two_decimals(text):
    """`90.123456`: a number, but one the points columns cannot hold exactly."""
    try:
        value = Decimal(text)
        return value.is_finite() and value != value.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):  # not a number, or too many digits to quantize
        return False


def _flag(text, errors, label):
    lowered = text.strip().lower()
    if lowered in YES:
        return True
    if lowered not in NO:
        errors.append(
            _("%(column)s: “%(value)s” is not 是 or 否.") % {"column": label, "value": text}
        )
    return False


def _rules(text, errors):
    rules = []
    for part in filter(None, (p.strip() for p in RULE_SPLIT.split(text))):
        fault, sep, points = part.rpartition(":")
        if not sep:
            fault, sep, points = part.rpartition("：")
        value = _points(points.strip()) if sep else None
        if len(fault.strip()) > 200:
            errors.append(_("Deduction rule “%(rule)s…” is too long.") % {"rule": part[:20]})
            continue
        if not fault.strip() or not value:
            errors.append(
                _("Deduction rule “%(rule)s” is not written as fault:points.") % {"rule": part}
            )
            continue
        if any(fault.strip() == known for known, _points_ in rules):
            errors.append(
                _("Deduction rule “%(fault)s” is written twice.") % {"fault": fault.strip()}
            )
            continue
        rules.append((fault.strip(), value))
    return rules


@dataclass
class ChecklistRow:
    row_number: int
    section: str
    item: dict  # as build_checklist takes it (max_points as text for the session)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # how a cell was read


@dataclass
class ChecklistImport:
    rows: list
    file_errors: list

    @property
    def error_count(self):
        return len(self.file_errors) + sum(bool(row.errors) for row in self.rows)

    @property
    def is_clean(self):
        return self.error_count == 0 and bool(self.rows)

    @property
    def sections(self):
        """[(section title, [item dict, …])] in the file's order, as build_checklist takes."""
        sections = {}
        for row in self.rows:
            sections.setdefault(row.section, []).append(row.item)
        return list(sections.items())


def parse_checklist(table):
    """Every row of a table read with `COLUMNS` checked, as a ChecklistImport."""
    if not table.rows:
        return ChecklistImport([], [_("The file has a header but no rows.")])
    rows, section_above = [], ""
    for row_number, value in table.rows:
        messages, notes = [], []
        if not value.get("section") and section_above and value.get("text"):
            # 部分 merged over its items, saved as CSV: the items under the first keep it
            value = {**value, "section": section_above}
            notes.append(
                _("The section is empty: taken from the row above (%(section)s).")
                % {"section": section_above}
            )
        section_above = value.get("section", "")
        if not value.get("section"):
            messages.append(_("The section is empty."))
        if not value.get("text"):
            messages.append(_("The item is empty."))
        for column, limit in (("section", 100), ("text", 300)):
            if len(value.get(column, "")) > limit:
                messages.append(
                    _("“%(value)s…” is longer than %(limit)d characters.")
                    % {"value": value[column][:20], "limit": limit}
                )
        for column in ("section", "text"):
            problem = control_character_error(value.get(column, ""))
            if problem:
                messages.append(problem)
        points = _points(value.get("max_points", ""))
        if points is None and _has_more_than_two_decimals(value.get("max_points", "")):
            messages.append(
                _("Max points “%(value)s” has more than 2 decimals; at most 2 are allowed.")
                % {"value": value["max_points"]}
            )
        elif points is None:
            messages.append(
                _("Max points “%(value)s” is not a number ≥ 0 with at most 2 decimals.")
                % {"value": value.get("max_points", "")}
            )
        item = {
            "text": value.get("text", ""),
            "guidance": value.get("guidance", ""),
            "max_points": points,
            "allows_na": _flag(value.get("allows_na", ""), messages, "可不适用"),
            "is_veto": _flag(value.get("is_veto", ""), messages, "单项否决"),
            "rules": _rules(value.get("rules", ""), messages),
        }
        warnings = [
            _(
                "Each occurrence of “%(fault)s” deducts %(each)s points, more than the item's "
                "max points (%(max)s)."
            )
            % {"fault": fault, "each": each, "max": points}
            for fault, each in item["rules"]
            if points is not None and each > points
        ]
        rows.append(
            ChecklistRow(row_number, value.get("section", ""), item, messages, warnings, notes)
        )
    return ChecklistImport(rows, [])


TEMPLATE_ROWS = [
    ["制度建设", "保密审查制度健全", "有制度文件得满分", Decimal(10), "否", "否", ""],
    ["发布流程", "信息发布及时", "", Decimal(20), "否", "否", "逾期发布:2；未经审核发布:5"],
    ["保密审查", "未发生泄密事件", "", Decimal(10), "否", "是", ""],
]


def checklist_template():
    """An empty checklist in the accepted shape, with example rows to overwrite."""
    return _checklist_workbook(TEMPLATE_ROWS)


def _checklist_workbook(rows):
    return spreadsheet("xlsx", HEADERS, rows, title="检查表", widths=(18, 40, 50, 8, 10, 10, 40))


def export_checklist(checklist):
    rows = []
    for section in checklist.sections.prefetch_related("items__rules"):
        for item in section.items.all():
            rules = "；".join(f"{r.fault}:{r.points_per_occurrence}" for r in item.rules.all())
            rows.append(
                [
                    section.title,
                    item.text,
                    item.guidance,
                    item.max_points,
                    "是" if item.allows_na else "否",
                    "是" if item.is_veto else "否",
                    rules,
                ]
            )
    return _checklist_workbook(rows)


INDICATOR_REQUIRED = ("unit",)


def indicator_columns(indicators):
    """The columns of the indicator grid: 单位, one per indicator (its name), optional 来源."""
    aliases = {"unit": ("单位", "单位名称", "unit"), "source": ("来源", "数据来源", "source")}
    aliases.update({f"indicator:{i.pk}": (i.name,) for i in indicators})
    return aliases


@dataclass
class IndicatorRow:
    """One row of the grid as the preview shows it: the unit it was read as, and per indicator
    what happens to the unit's value; `errors` are the reasons the file cannot be imported."""

    row_number: int
    unit_text: str
    unit_name: str = ""
    source: str = ""
    changes: list = field(default_factory=list)  # [(indicator name, old, new, what happens)]
    notes: list = field(default_factory=list)
    errors: list = field(default_factory=list)


@dataclass
class IndicatorImport:
    rows: list
    values: list  # [(indicator, unit, value or None, source)] as save_indicator_values takes
    file_errors: list
    unused_indicators: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # about the file as a whole; not blocking

    @property
    def error_count(self):
        return len(self.file_errors) + sum(bool(row.errors) for row in self.rows)

    @property
    def is_clean(self):
        return self.error_count == 0 and bool(self.rows)

    @property
    def change_count(self):
        return sum(change[3] != UNCHANGED for row in self.rows for change in row.changes)


UNCHANGED = "unchanged"
SOURCE_CHANGED = "source changed"


def parse_indicator_grid(table, indicators, units, current=None, *, own_unit_id=None):
    """Check the rows of a table read with `indicator_columns(indicators)` against the scheme's
    indicators, the `units` (only active ones match) and the `current` values
    {(indicator id, unit id): (value, source)}. A blank cell removes the unit's value of that
    indicator. `values` holds only what changes (a value or its source), so confirm writes
    exactly what the preview shows. The unit `own_unit_id` (the importer's own) is refused:
    nobody enters the values their own unit is assessed on."""
    current = current or {}
    given = [i for i in indicators if f"indicator:{i.pk}" in table.columns]
    if not given:
        return IndicatorImport(
            [],
            [],
            [
                _("Row %(row)d: no column names an indicator of the scheme.")
                % {"row": table.header_row}
            ],
        )
    if not table.rows:
        return IndicatorImport([], [], [_("The file has a header but no rows.")])
    unused = [i.name for i in indicators if i not in given]
    resolver = UnitResolver(units)
    rows, values, seen, warnings = [], [], {}, []
    for row_number, cells in table.rows:
        text = cells.get("unit", "")
        row = IndicatorRow(row_number=row_number, unit_text=text, source=cells.get("source", ""))
        unit = resolver.find(text)
        if unit is None:
            row.errors.append(resolver.error(text))
        else:
            row.unit_name = unit.name
            if text != unit.name:
                row.notes.append(
                    _("“%(text)s” was read as %(unit)s.") % {"text": text, "unit": unit.name}
                )
            if unit.pk == own_unit_id:
                row.errors.append(own_unit_values_message(unit))
            if unit.pk in seen:
                row.errors.append(
                    _("The same unit is also on row %(row)d.") % {"row": seen[unit.pk]}
                )
            else:
                seen[unit.pk] = row_number
        if len(row.source) > 200:
            row.errors.append(_("The source is longer than 200 characters."))
        problem = control_character_error(row.source)
        if problem:
            row.errors.append(problem)
        for indicator in given:
            cell = cells.get(f"indicator:{indicator.pk}", "")
            number = cell.removesuffix("%").strip()  # "98.5%" is how a clerk writes 98.5
            value = _points(number) if cell else None
            if cell and (value is None or value > 100):
                row.errors.append(_indicator_value_error(indicator, cell, number))
                continue
            if unit is None:
                continue
            old, old_source = current.get((indicator.pk, unit.pk), (None, ""))
            what = _what_happens(old, value, old_source, row.source)
            row.changes.append((indicator.name, old, value, what))
            if what != UNCHANGED:
                values.append((indicator, unit, value, row.source))
        rows.append(row)
    for indicator in given:
        column = [value for indicator_, _unit, value, _source in values if indicator_ == indicator]
        if column and all(value is not None and value <= 1 for value in column) and any(column):
            # 0.95 for 95 %: a rate written as a fraction, which would be saved as 0.95 points
            warnings.append(
                _(
                    "Every value of %(indicator)s is 1 or less: if they are rates written as "
                    "fractions (0.95 for 95%%), write them as percentages (95 or 95%%)."
                )
                % {"indicator": indicator.name}
            )
    return IndicatorImport(rows, values, [], unused, warnings)


def _indicator_value_error(indicator, cell, number):
    if _has_more_than_two_decimals(number):
        message = _("%(indicator)s: “%(value)s” has more than 2 decimals; at most 2 are allowed.")
    else:
        message = _(
            "%(indicator)s: “%(value)s” is not a number from 0 to 100 with at most 2 decimals."
        )
    return message % {"indicator": indicator.name, "value": cell}


def _what_happens(old, new, old_source, new_source):
    """What saving does to one value: what save_indicator_values compares, value and source."""
    if old == new and (new is None or old_source == new_source):
        return UNCHANGED
    if new is None:
        return "removed"
    if old is None:
        return "added"
    return "changed" if old != new else SOURCE_CHANGED
