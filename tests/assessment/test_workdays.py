from datetime import date

import pytest

from assessment.workdays import WorkdayCalendarError, add_working_days, is_working_day


def test_deadline_across_the_national_day_holiday():
    # Confirmed Tue 2026-09-29. Working days after it: Wed 09-30 (1); 10-01…10-07 are holidays
    # (the 2026 holiday is 10-01…10-07); Thu 10-08 (2), Fri 10-09 (3), and
    # Sat 10-10 is an adjusted working day (4); Mon 10-12 (5).
    assert not is_working_day(date(2026, 10, 1))
    assert is_working_day(date(2026, 10, 10))
    assert add_working_days(date(2026, 9, 29), 5) == date(2026, 10, 12)


def test_an_ordinary_week():
    # Fri 2026-11-20 + 3 working days: Mon 23, Tue 24, Wed 25
    assert add_working_days(date(2026, 11, 20), 3) == date(2026, 11, 25)


def test_a_year_the_calendar_does_not_know_is_an_error_not_a_guess():
    with pytest.raises(WorkdayCalendarError):
        add_working_days(date(2099, 12, 1), 3)
