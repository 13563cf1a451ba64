"""Checklists as spreadsheets: one row per item, the same columns for export and import.

Columns: 部分 (section), 检查项 (item), 评分标准 (guidance), 分值 (max points), 可不适用 (N/A
allowed), 单项否决 (veto), 扣分规则 (rules: "fault:points" separated by ; or new lines).
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.exports import spreadsheet
from core.tabular import map_headers

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
RULE_SPLIT = re.compile(r"[;；\n]+")


MAX_POINTS = Decimal("9999.99")  # what the points columns hold


def _points(text):
    """A number ≥ 0 with at most 2 decimals that the database can hold, else None."""
    try:
        value = Decimal(text)
        if not value.is_finite() or not Decimal(0) <= value <= MAX_POINTS:
            return None
        return value if value == value.quantize(Decimal("0.01")) else None
    except (InvalidOperation, ValueError):
        return None


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
        rules.append((fault.strip(), value))
    return rules


def parse_checklist(sheet):
    """Return (sections, errors); sections as build_checklist takes them, errors as
    (row number, [messages])."""
    columns, header_errors = map_headers(sheet.headers, COLUMNS, REQUIRED)
    if header_errors:
        return [], [(1, header_errors)]
    if not sheet.rows:
        return [], [(1, [_("The file has a header but no rows.")])]
    sections, errors = {}, []
    for row_number, cells in sheet.rows:
        value = {name: cells[index] for name, index in columns.items()}
        messages = []
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
        points = _points(value.get("max_points", ""))
        if points is None:
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
        if messages:
            errors.append((row_number, messages))
        else:
            sections.setdefault(value["section"], []).append(item)
    return list(sections.items()), errors


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
    return spreadsheet("xlsx", HEADERS, rows, title="检查表", widths=(18, 40, 50, 8, 10, 10, 40))


def parse_indicator_grid(sheet, indicators, units):
    """Rows of 单位 / unit, one column per indicator (its name), optional 来源 / source.
    Returns (values, errors) with values as save_indicator_values takes them."""
    from training.importers import UnitResolver

    aliases = {"unit": ("单位", "unit"), "source": ("来源", "source")}
    aliases.update({f"indicator:{i.pk}": (i.name,) for i in indicators})
    columns, header_errors = map_headers(sheet.headers, aliases, required=("unit",))
    if header_errors:
        return [], [(1, header_errors)]
    given = [i for i in indicators if f"indicator:{i.pk}" in columns]
    if not given:
        return [], [(1, [_("No column names an indicator of the scheme.")])]
    resolver = UnitResolver(units)
    values, errors, seen = [], [], {}
    for row_number, cells in sheet.rows:
        messages = []
        text = cells[columns["unit"]]
        unit = resolver.find(text)
        if unit is None:
            suggestion = resolver.suggest(text) if text else None
            messages.append(
                _("Unknown unit “%(unit)s”; did you mean “%(suggestion)s”?")
                % {"unit": text, "suggestion": suggestion}
                if suggestion
                else _("Unknown unit “%(unit)s”.") % {"unit": text}
            )
        elif unit.pk in seen:
            messages.append(_("The same unit is also on row %(row)d.") % {"row": seen[unit.pk]})
        else:
            seen[unit.pk] = row_number
        source = cells[columns["source"]] if "source" in columns else ""
        if len(source) > 200:
            messages.append(_("The source is longer than 200 characters."))
        for indicator in given:
            cell = cells[columns[f"indicator:{indicator.pk}"]]
            value = _points(cell) if cell else None
            if cell and (value is None or value > 100):
                messages.append(
                    _(
                        "%(indicator)s: “%(value)s” is not a number from 0 to 100 with at most 2 "
                        "decimals."
                    )
                    % {"indicator": indicator.name, "value": cell}
                )
            elif unit is not None:
                values.append((indicator, unit, value, source))
        if messages:
            errors.append((row_number, messages))
    return values, errors
