"""Rectification deadlines across a year without the State Council's schedule: raised as
provisional (暂定) instead of refused, shown so, and counted again when the administrator enters
the schedule, each change kept in the rectification's history."""

from datetime import date, datetime
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessment.models import Rectification, SpotCheck
from assessment.services.deadlines import recompute_deadlines
from assessment.services.rectifications import raise_rectification
from assessment.services.spot_checks import confirm_spot_check, save_scores, submit_spot_check
from tests.assessment.conftest import entries_for, no_faults
from workdays.schedule import parse_schedule
from workdays.services import load_library_calendar, save_year_schedule

SCHEDULE_2027 = """
2027-01-01 元旦放假
2027-02-05 至 2027-02-11 春节放假
2027-02-14 调休上班
2027-09-26 调休上班
2027-10-01 至 2027-10-07 国庆节放假
2027-10-09 调休上班
"""


@pytest.fixture
def confirm_on(spot_check, personas, working_day_calendar):
    """The check, confirmed on `day`, the day `raise_for` raises its rectifications."""

    def confirm(day):
        inspector = personas["inspector"]
        entries = entries_for(
            spot_check.checklist,
            {
                "保密审查制度": {"points": D("5")},
                "信息发布及时": no_faults(spot_check.checklist),
                "按期答复": {"points": D("20")},
            },
        )
        save_scores(spot_check, version=0, entries=entries, summary="", actor=inspector)
        submit_spot_check(spot_check, actor=inspector)
        confirm_spot_check(spot_check, actor=personas["leader"])
        SpotCheck.objects.filter(pk=spot_check.pk).update(
            confirmed_at=timezone.make_aware(datetime(day.year, day.month, day.day, 10))
        )
        spot_check.refresh_from_db()
        return spot_check

    return confirm


def raise_for(check, days, personas):
    return raise_rectification(
        check,
        raised_on=timezone.localdate(check.confirmed_at),
        requirement="补齐审查记录",
        working_days=days,
        actor=personas["inspector"],
    )


def enter_2027(actor):
    lines, errors = parse_schedule(SCHEDULE_2027, 2027)
    assert errors == []
    return save_year_schedule(2027, lines, source="国办发明电〔2026〕7号", actor=actor)


def test_a_rectification_reaching_into_2027_is_raised_with_a_provisional_deadline(
    confirm_on, personas
):
    # The December outage: confirmed Tue 2026-12-29, 5 working days. Wed 12-30 (1),
    # Thu 12-31 (2); Fri 2027-01-01 元旦 by rule; weekend; Mon 01-04 (3), Tue (4), Wed 01-06 (5).
    rectification = raise_for(confirm_on(date(2026, 12, 29)), 5, personas)
    assert (rectification.deadline, rectification.deadline_provisional) == (date(2027, 1, 6), True)


def test_a_2026_deadline_is_official(confirm_on, personas):
    # Fri 2026-02-13 + 3: Sat 02-14 调休上班 (1); 02-15…02-23 春节; Tue 02-24 (2), Wed 02-25 (3).
    rectification = raise_for(confirm_on(date(2026, 2, 13)), 3, personas)
    assert (rectification.deadline, rectification.deadline_provisional) == (
        date(2026, 2, 25),
        False,
    )


def test_entering_the_2027_schedule_recounts_the_spring_festival_deadline(confirm_on, personas):
    check = confirm_on(date(2027, 2, 4))
    # Provisional, by rule: 02-05 除夕, 02-06…08 春节, 02-09/10 补假 → Thu 02-11 (1), Fri 02-12 (2)
    rectification = raise_for(check, 2, personas)
    assert (rectification.deadline, rectification.deadline_provisional) == (date(2027, 2, 12), True)

    enter_2027(personas["admin"])

    # Official: 02-05…02-11 off → Fri 02-12 (1), Sat 02-13 off, Sun 02-14 调休上班 (2)
    rectification.refresh_from_db()
    assert (rectification.deadline, rectification.deadline_provisional) == (
        date(2027, 2, 14),
        False,
    )
    latest, before = rectification.history.all()[:2]
    assert (before.deadline, before.deadline_provisional) == (date(2027, 2, 12), True)
    assert latest.deadline == date(2027, 2, 14)
    assert latest.history_user == personas["admin"]
    assert "2027-02-12 → 2027-02-14" in latest.history_change_reason


def test_entering_the_schedule_recounts_the_national_day_deadline(confirm_on, personas):
    check = confirm_on(date(2027, 9, 30))
    # By rule: Fri 10-01…Sun 10-03, 补假 Mon 10-04/Tue 10-05 → Wed 10-06 (1), Thu (2), Fri 10-08 (3)
    rectification = raise_for(check, 3, personas)
    assert rectification.deadline == date(2027, 10, 8)
    enter_2027(personas["admin"])
    # Official: 10-01…10-07 off → Fri 10-08 (1), Sat 10-09 调休上班 (2), Mon 10-11 (3)
    rectification.refresh_from_db()
    assert (rectification.deadline, rectification.deadline_provisional) == (
        date(2027, 10, 11),
        False,
    )


def test_a_deadline_the_schedule_does_not_move_stops_being_provisional(confirm_on, personas):
    # Tue 2026-12-29 + 5 = Wed 2027-01-06 by rule and by the official schedule alike
    rectification = raise_for(confirm_on(date(2026, 12, 29)), 5, personas)
    enter_2027(personas["admin"])
    rectification.refresh_from_db()
    assert (rectification.deadline, rectification.deadline_provisional) == (date(2027, 1, 6), False)
    assert rectification.history.count() == 2


def test_saving_the_same_schedule_again_changes_nothing(confirm_on, personas):
    rectification = raise_for(confirm_on(date(2027, 2, 4)), 2, personas)
    enter_2027(personas["admin"])
    assert enter_2027(personas["admin"]) == 0
    assert rectification.history.count() == 2
    assert recompute_deadlines(2027) == []


def test_the_deadline_is_shown_as_provisional(confirm_on, personas, client_for):
    rectification = raise_for(confirm_on(date(2027, 2, 4)), 2, personas)
    url = reverse("assessment:rectification_detail", args=[rectification.pk])
    page = client_for("inspector").get(url).content.decode()
    assert "暂定" in page
    listing = client_for("inspector").get(reverse("assessment:rectification_list")).content.decode()
    assert 'data-testid="provisional"' in listing
    assert rectification.deadline_text == "2027年2月12日（暂定）"
    enter_2027(personas["admin"])
    page = client_for("inspector").get(url).content.decode()
    assert 'data-testid="provisional"' not in page


def test_the_library_command_is_idempotent_and_leaves_the_office_schedule_alone(
    personas, working_day_calendar
):
    assert load_library_calendar() == ({}, [])  # the data migration filled every known year
    out = StringIO()
    call_command("load_workday_calendar", stdout=out)
    assert "already holds every year" in out.getvalue()
    lines, _errors = parse_schedule("2026-10-01 至 2026-10-08 国庆节放假", 2026)
    save_year_schedule(2026, lines, source="本办更正", actor=personas["admin"])
    changed, kept = load_library_calendar()
    assert (changed, kept) == ({}, [2026])
    assert Rectification.objects.count() == 0
