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
