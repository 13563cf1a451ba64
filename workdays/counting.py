"""Working days: the one place that counts them (rectification deadlines, reminders, reply limits).

A year whose official schedule is in the office's calendar (CalendarDay rows) is counted by it.
A year without one is counted from weekends plus the statutory holidays known by rule
(`workdays.rules.rule_holidays`), and every result that touches it is provisional (暂定) until an
administrator enters the State Council's schedule.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _

from workdays import rules
from workdays.models import CalendarDay

MAX_WORKING_DAYS = 1000  # about four years: beyond that a deadline is a typing error


class WorkdayCalendarError(Exception):
    pass


@dataclass(frozen=True)
class Deadline:
    date: date
    provisional: bool


@dataclass
class YearDays:
    """The days of one year that are not what their weekday says."""

    year: int
    official: bool
    holidays: dict = field(default_factory=dict)  # date → name
    workdays: dict = field(default_factory=dict)  # date → name (调休上班 on a weekend)

    @classmethod
    def from_entries(cls, year, entries, *, official=True):
        """`entries`: iterable of (date, kind, name)."""
        days = cls(year=year, official=official)
        for day, kind, name in entries:
            target = days.workdays if kind == rules.WORKDAY else days.holidays
            target[day] = name
        return days

    def is_working_day(self, day):
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def name_of(self, day):
        return self.workdays.get(day) or self.holidays.get(day, "")


class WorkingCalendar:
    """The calendar over the years one computation touches, read once per year per instance.
    Build one per request or task (never kept across them), and pass it to add_working_days
    when many deadlines are counted together."""

    def __init__(self):
        self._years = {}

    def year(self, year):
        if year not in self._years:
            rows = CalendarDay.objects.in_year(year).values_list("date", "kind", "name")
            rows = list(rows)
            if rows:
                self._years[year] = YearDays.from_entries(year, rows)
            else:
                by_rule = (
                    (day, rules.HOLIDAY, name) for day, name in rules.rule_holidays(year).items()
                )
                self._years[year] = YearDays.from_entries(year, by_rule, official=False)
        return self._years[year]

    def is_working_day(self, day):
        return self.year(day.year).is_working_day(day)

    def is_official(self, year):
        return self.year(year).official


def add_working_days(start, days, *, calendar=None):
    """The Deadline `days` working days after `start` (the start day itself does not count),
    provisional when any counted day lies in a year without an official schedule."""
    if days > MAX_WORKING_DAYS:
        raise WorkdayCalendarError(
            _("A deadline can be at most %(days)d working days away.") % {"days": MAX_WORKING_DAYS}
        )
    calendar = calendar or WorkingCalendar()
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if calendar.is_working_day(current):
            remaining -= 1
    first_counted = start + timedelta(days=1)
    years = range(first_counted.year, max(current, first_counted).year + 1)
    provisional = any(not calendar.is_official(year) for year in years)
    return Deadline(current, provisional)


def working_days_left(today, deadline, *, calendar=None):
    """Working days from `today` to `deadline`: 0 when due today, the working days after today
    up to and including the deadline when it lies ahead, minus the working days since it when
    it has passed."""
    if deadline == today:
        return 0
    calendar = calendar or WorkingCalendar()
    first, last, sign = (today, deadline, 1) if deadline > today else (deadline, today, -1)
    span = (first + timedelta(offset) for offset in range(1, (last - first).days + 1))
    return sign * sum(1 for day in span if calendar.is_working_day(day))
