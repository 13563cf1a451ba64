"""Deadlines in Chinese working days: public holidays and adjusted working days (调休) from the
chinese-calendar library. A year the library does not know is an error, never a guess."""

from datetime import timedelta

import chinese_calendar
from django.utils.translation import gettext as _


class WorkdayCalendarError(Exception):
    pass


def is_working_day(day):
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise WorkdayCalendarError(
            _(
                "The working-day calendar does not cover %(year)d yet; update the "
                "chinese-calendar package before setting deadlines in that year."
            )
            % {"year": day.year}
        ) from None


def add_working_days(start, days):
    """The date `days` working days after `start` (the start day itself does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_left(today, deadline):
    """Working days from `today` to `deadline`: 0 when due today, the working days after today
    up to and including the deadline when it lies ahead, minus the working days since it when
    it has passed."""
    if deadline == today:
        return 0
    first, last, sign = (today, deadline, 1) if deadline > today else (deadline, today, -1)
    span = (first + timedelta(offset) for offset in range(1, (last - first).days + 1))
    return sign * sum(1 for day in span if is_working_day(day))
