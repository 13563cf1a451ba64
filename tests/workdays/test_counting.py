"""Deadlines worked out by hand on the printed calendar. 2026 is official (filled from
chinese-calendar by the data migration); 2027 has no official schedule yet, so it is counted
from weekends plus the statutory holidays known by rule and marked provisional."""

from datetime import date

import pytest

from workdays.counting import (
    Deadline,
    WorkdayCalendarError,
    WorkingCalendar,
    add_working_days,
)
from workdays.models import CalendarDay

pytestmark = pytest.mark.usefixtures("working_day_calendar")


def test_2026_comes_from_the_library():
    national_day = CalendarDay.objects.get(date=date(2026, 10, 1))
    assert (national_day.kind, national_day.name) == ("holiday", "国庆节")
    assert national_day.source == "chinese-calendar 1.11.0"
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).kind == "workday"


def test_deadline_across_the_2026_national_day_holiday():
    # Start Tue 2026-09-29. Wed 09-30 (1); 10-01…10-07 holiday; Thu 10-08 (2), Fri 10-09 (3),
    # Sat 10-10 is an adjusted working day (4); Sun 10-11 off; Mon 10-12 (5).
    assert add_working_days(date(2026, 9, 29), 5) == Deadline(date(2026, 10, 12), False)


def test_deadline_across_the_2026_spring_festival():
    # Start Fri 2026-02-13. Sat 02-14 is an adjusted working day (1); 02-15…02-23 holiday;
    # Tue 02-24 (2), Wed 02-25 (3).
    assert add_working_days(date(2026, 2, 13), 3) == Deadline(date(2026, 2, 25), False)


def test_an_ordinary_week():
    # Fri 2026-11-20 + 3 working days: Mon 23, Tue 24, Wed 25
    assert add_working_days(date(2026, 11, 20), 3) == Deadline(date(2026, 11, 25), False)


def test_a_deadline_reaching_into_2027_is_provisional_not_an_error():
    # Start Tue 2026-12-29. Wed 12-30 (1), Thu 12-31 (2); Fri 2027-01-01 元旦 (by rule);
    # weekend 01-02/03; Mon 01-04 (3), Tue 01-05 (4), Wed 01-06 (5).
    assert add_working_days(date(2026, 12, 29), 5) == Deadline(date(2027, 1, 6), True)


def test_2027_spring_festival_by_rule():
    # By rule 2027: 除夕 Fri 02-05, 春节 Sat 02-06…Mon 02-08, 补假 Tue 02-09 and Wed 02-10
    # (for the two weekend days). Start Thu 02-04: Thu 02-11 (1), Fri 02-12 (2), Mon 02-15 (3).
    assert add_working_days(date(2027, 2, 4), 3) == Deadline(date(2027, 2, 15), True)


def test_2027_national_day_by_rule():
    # By rule 2027: Fri 10-01…Sun 10-03, 补假 Mon 10-04 and Tue 10-05. Start Thu 09-30:
    # Wed 10-06 (1), Thu 10-07 (2), Fri 10-08 (3).
    assert add_working_days(date(2027, 9, 30), 3) == Deadline(date(2027, 10, 8), True)


def test_one_calendar_reads_each_year_once(django_assert_num_queries):
    calendar = WorkingCalendar()
    with django_assert_num_queries(2):  # 2026 and 2027
        add_working_days(date(2026, 12, 29), 5, calendar=calendar)
        add_working_days(date(2026, 12, 1), 30, calendar=calendar)


def test_an_absurd_number_of_days_is_refused():
    with pytest.raises(WorkdayCalendarError):
        add_working_days(date(2026, 12, 1), 5000)


def test_the_data_migration_fills_every_year_the_library_knows():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("workdays.migrations.0001_working_day_calendar")
    CalendarDay.objects.all().delete()
    migration.fill_known_years(apps, None)
    migration.fill_known_years(apps, None)  # and again: nothing doubles
    assert CalendarDay.objects.count() == 771  # chinese-calendar 1.11.0: 621 holidays, 150 调休
    assert CalendarDay.objects.in_year(2004).exists()
