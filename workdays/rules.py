"""Where calendar days come from when no one typed them (pure: no ORM).

- chinese-calendar: the official schedules of the years it knows (holidays and 调休上班).
- holidays (China): the statutory holidays of any year by rule — fixed and lunar dates and the
  补假 a holiday on a weekend brings — but never the 调休 weekends, which only the State
  Council's notice sets. A year counted this way is provisional (暂定).
"""

import chinese_calendar
import holidays

HOLIDAY = "holiday"
WORKDAY = "workday"
ADJUSTED_WORKDAY_NAME = "调休上班"
LIBRARY_NAME = "chinese-calendar"
LIBRARY_SOURCE = f"{LIBRARY_NAME} {chinese_calendar.__version__}"


def _chinese_name(english):
    return next(
        (holiday.chinese for holiday in chinese_calendar.Holiday if holiday.value == english),
        english,
    )


def library_years():
    return sorted({day.year for day in chinese_calendar.holidays})


def library_days():
    """[(date, kind, name)] of every date chinese-calendar knows, in date order."""
    days = [(day, HOLIDAY, _chinese_name(name)) for day, name in chinese_calendar.holidays.items()]
    days += [(day, WORKDAY, ADJUSTED_WORKDAY_NAME) for day in chinese_calendar.workdays]
    return sorted(days)


def library_rows(model):
    """Unsaved `model` rows (CalendarDay, or its twin in a migration) for library_days()."""
    return [
        model(date=day, kind=kind, name=name, source=LIBRARY_SOURCE)
        for day, kind, name in library_days()
    ]


def rule_holidays(year):
    """{date: name} of the statutory holidays of `year` known by rule, in Chinese."""
    return dict(holidays.China(years=year, language="zh_CN"))
