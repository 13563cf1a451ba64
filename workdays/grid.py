"""A year of the calendar as twelve month grids (Monday first) for the page."""

import calendar as stdlib_calendar
from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

WEEKDAY_LABELS = [
    pgettext_lazy("weekday", "Mo"),
    pgettext_lazy("weekday", "Tu"),
    pgettext_lazy("weekday", "We"),
    pgettext_lazy("weekday", "Th"),
    pgettext_lazy("weekday", "Fr"),
    pgettext_lazy("weekday", "Sa"),
    pgettext_lazy("weekday", "Su"),
]


@dataclass(frozen=True)
class Cell:
    date: object
    in_month: bool
    working: bool
    weekend: bool
    name: str


def month_grids(year_days):
    """[(month number, [[Cell × 7] per week])] for a workdays.counting.YearDays."""
    months = []
    weeks_of = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar
    for month in range(1, 13):
        weeks = [
            [
                Cell(
                    date=day,
                    in_month=day.month == month,
                    working=year_days.is_working_day(day),
                    weekend=day.weekday() >= 5,
                    name=year_days.name_of(day) if day.year == year_days.year else "",
                )
                for day in week
            ]
            for week in weeks_of(year_days.year, month)
        ]
        months.append((month, weeks))
    return months
