"""A year's schedule as the office types it from the State Council's notice, one range a line:

    2027-02-05 至 2027-02-11 春节放假
    2027-02-14 调休上班

or as the notice itself writes it: the year may be left out (the form is for one year), the end
of a range may give only what changes (2月15日至23日, 12月21日至12月23日), a date may carry a
note in brackets (（周一）, （农历腊月二十八）), and several single dates may share a name
(2月14日（周六）、2月28日（周六）上班). A name with 上班 or 补班 makes the dates adjusted
working days, any other name holidays (a trailing 放假 is dropped from the stored name). Parsing
is pure and reports every wrong line; a line it cannot read whole is refused, never half-read.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from workdays.rules import HOLIDAY, WORKDAY

YEAR = r"\d{4}\s*[-/.年]\s*"
MONTH = r"\d{1,2}\s*[-/.月]\s*"
DAY = r"\d{1,2}\s*日?"
NOTE = r"(?:\s*\([^()]*\))?"  # （周一）, after NFKC: (周一)
DATE = rf"(?:{YEAR})?{MONTH}{DAY}{NOTE}"
END = rf"(?:(?:{YEAR})?{MONTH})?{DAY}{NOTE}"  # 2027-02-11, 2月11日 or 11日
RANGE_MARK = r"(?:至|到|~|—|–|-)"
LINE = re.compile(rf"^(?P<start>{DATE})(?:\s*{RANGE_MARK}\s*(?P<end>{END}))?\s*(?P<name>\S.*)?$")
# a date left in what should be the name: "放假，12月30日放假", "测试放假 另加30日"
_DATE_IN_NAME = re.compile(rf"(?:{YEAR})?{MONTH}\d{{1,2}}\s*日?|\d{{1,2}}\s*日")
# several single dates with one name: 2月14日（周六）、2月28日（周六）上班
DATE_LIST = re.compile(rf"^(?P<dates>{DATE}(?:\s*[、,]\s*{DATE})+)\s*(?P<name>\S.*)?$")
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


def _parse_date(text, year, after=None):
    """The date `text` gives (its note dropped); a part it leaves out is `year`'s, or the
    range's start's (`after`)."""
    numbers = [int(part) for part in re.findall(r"\d+", re.sub(r"\([^()]*\)", "", text))]
    if len(numbers) == 3:
        return date(*numbers)
    if len(numbers) == 2:
        return date(after.year if after else year, *numbers)
    return date(after.year, after.month, numbers[0])


def _kind_and_name(name):
    if "上班" in name or "补班" in name:
        return WORKDAY, name
    stripped = name.removesuffix("放假").strip()
    return HOLIDAY, stripped or name


def _parse_line(number, text, year):
    """(ScheduleLine or None, error message or None) for one non-empty line."""
    match = LINE.match(text)
    # what follows the dates must be the name: a digit or a range mark there is a date this
    # line writes in a way not understood (2026年12月21日至12月 …), not part of a name
    if not match or (match["name"] and re.match(rf"\d|{RANGE_MARK}|、", match["name"])):
        return None, _(
            "Write a date or a range and a name, e.g. “2027-02-05 至 2027-02-11 春节放假”."
        )
    if not match["name"]:
        return None, _("Say what the dates are, e.g. “春节放假” or “调休上班”.")
    try:
        start = _parse_date(match["start"], year)
        end = _parse_date(match["end"], year, after=start) if match["end"] else start
    except ValueError:
        return None, _("There is no such date.")
    if end < start:
        return None, _("The range ends before it starts.")
    if start.year != year or end.year != year:
        return None, _("Every date must be in %(year)d.") % {"year": year}
    if (end - start).days >= MAX_RANGE_DAYS:
        return None, _("A range can be at most %(days)d days long.") % {"days": MAX_RANGE_DAYS}
    name = match["name"].strip()
    stray = _DATE_IN_NAME.search(name)
    if stray:
        return None, _(
            "“%(date)s” after the name is a date this line does not read: write each date or "
            "range on a line of its own."
        ) % {"date": stray.group()}
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
        parsed, error = [], None
        for part in _single_dates(text_line):
            line, error = _parse_line(number, part, year)
            if error is None:
                overlap = next((day for day in line.dates() if day in claimed), None)
                if overlap is not None:
                    error = _("%(date)s is already given by line %(other)d.") % {
                        "date": f"{overlap:%Y-%m-%d}",
                        "other": claimed[overlap],
                    }
            if error is not None:
                break
            parsed.append(line)
            for day in line.dates():
                claimed[day] = number
        if error is not None:
            for line in parsed:  # the line is refused whole
                for day in line.dates():
                    claimed.pop(day, None)
            errors.append((number, error))
            continue
        lines.extend(parsed)
    if not lines and not errors:
        errors.append((1, _("Enter at least one holiday range.")))
    return lines, errors


def _single_dates(text):
    """`text`, or one line a date when it lists single dates with one name."""
    match = DATE_LIST.match(text)
    if match is None or not match["name"]:
        return [text]
    dates = re.split(r"\s*[、,]\s*", match["dates"])
    return [f"{day} {match['name']}" for day in dates]


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
