"""A year's schedule as the office types it from the State Council's notice, one range a line:

    2027-02-05 至 2027-02-11 春节放假
    2027-02-14 调休上班

A name with 上班 or 补班 makes the dates adjusted working days, any other name holidays (a trailing
放假 is dropped from the stored name). Parsing is pure and reports every wrong line.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from workdays.rules import HOLIDAY, WORKDAY

DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
LINE = re.compile(
    rf"^(?P<start>{DATE})(?:\s*(?:至|到|~|—|–|-)\s*(?P<end>{DATE}))?\s*(?P<name>\S.*)?$"
)
MAX_RANGE_DAYS = 31
MAX_LINES = 100


@dataclass(frozen=True)
class ScheduleLine:
    number: int
    start: date
    end: date
    kind: str
    name: str

    def dates(self):
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


def _parse_date(text):
    year, month, day = (int(part) for part in re.findall(r"\d+", text))
    return date(year, month, day)


def _kind_and_name(name):
    if "上班" in name or "补班" in name:
        return WORKDAY, name
    stripped = name.removesuffix("放假").strip()
    return HOLIDAY, stripped or name


def _parse_line(number, text, year):
    """(ScheduleLine or None, error message or None) for one non-empty line."""
    match = LINE.match(text)
    if not match or (match["name"] and match["name"][0].isdigit()):
        return None, _(
            "Write a date or a range and a name, e.g. “2027-02-05 至 2027-02-11 春节放假”."
        )
    if not match["name"]:
        return None, _("Say what the dates are, e.g. “春节放假” or “调休上班”.")
    try:
        start = _parse_date(match["start"])
        end = _parse_date(match["end"]) if match["end"] else start
    except ValueError:
        return None, _("There is no such date.")
    if end < start:
        return None, _("The range ends before it starts.")
    if start.year != year or end.year != year:
        return None, _("Every date must be in %(year)d.") % {"year": year}
    if (end - start).days >= MAX_RANGE_DAYS:
        return None, _("A range can be at most %(days)d days long.") % {"days": MAX_RANGE_DAYS}
    name = match["name"].strip()
    if len(name) > 60:
        return None, _("The name can be at most 60 characters long.")
    kind, name = _kind_and_name(name)
    line = ScheduleLine(number, start, end, kind, name)
    if kind == WORKDAY:
        weekdays = [day for day in line.dates() if day.weekday() < 5]
        if weekdays:
            return None, _(
                "%(date)s is a weekday, already a working day: an adjusted working day "
                "(调休上班) is a Saturday or a Sunday."
            ) % {"date": f"{weekdays[0]:%Y-%m-%d}"}
    return line, None


def parse_schedule(text, year):
    """([ScheduleLine], [(line number, message)]) for the schedule `text` of `year`."""
    lines, errors, claimed = [], [], {}
    raw_lines = unicodedata.normalize("NFKC", text or "").splitlines()
    if len(raw_lines) > MAX_LINES:
        return [], [
            (MAX_LINES + 1, _("A schedule has at most %(count)d lines.") % {"count": MAX_LINES})
        ]
    for number, raw in enumerate(raw_lines, start=1):
        text_line = raw.strip()
        if not text_line or text_line.startswith("#"):
            continue
        line, error = _parse_line(number, text_line, year)
        if error is None:
            overlap = next((day for day in line.dates() if day in claimed), None)
            if overlap is not None:
                error = _("%(date)s is already given by line %(other)d.") % {
                    "date": f"{overlap:%Y-%m-%d}",
                    "other": claimed[overlap],
                }
        if error is not None:
            errors.append((number, error))
            continue
        for day in line.dates():
            claimed[day] = number
        lines.append(line)
    if not lines and not errors:
        errors.append((1, _("Enter at least one holiday range.")))
    return lines, errors


def entries_of(lines):
    """[(date, kind, name)] of parsed lines, in date order."""
    return sorted((day, line.kind, line.name) for line in lines for day in line.dates())


def text_of(entries):
    """Schedule text for stored entries [(date, kind, name)]: consecutive dates of the same kind
    and name become one range, so the form opens with what is saved."""
    result, runs = [], []
    for day, kind, name in sorted(entries):
        if (
            runs
            and runs[-1][2] == kind
            and runs[-1][3] == name
            and runs[-1][1] + timedelta(1) == day
        ):
            runs[-1][1] = day
        else:
            runs.append([day, day, kind, name])
    for start, end, kind, name in runs:
        label = f"{name}放假" if kind == HOLIDAY and not name.endswith("放假") else name
        if start == end:
            result.append(f"{start:%Y-%m-%d} {label}")
        else:
            result.append(f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d} {label}")
    return "\n".join(result)
