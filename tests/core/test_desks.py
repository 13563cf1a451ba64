"""Each role's desk on the home page: the work waiting for the user, worked out by hand."""

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import Rectification, SpotCheck
from config.desks import desks_for, inspector_desk, liaison_desk, organizer_desk
from tests.assessment.conftest import make_checklist
from tests.conftest import make_user
from tests.training.conftest import make_training
from training.models import AttendanceMark, Attendee, Training, WalkIn
from units.roles import Role
from workdays.counting import working_days_left

# Friday 2026-09-18, 10:00 Shanghai: the desks' "now" in this file.
NOW = timezone.make_aware(datetime(2026, 9, 18, 10))


@pytest.mark.parametrize(
    "today, deadline, expected",
    [
        (date(2026, 11, 23), date(2026, 11, 27), 4),  # Mon → Fri: Tue, Wed, Thu, Fri
        (date(2026, 11, 27), date(2026, 11, 27), 0),  # due today
        (date(2026, 11, 30), date(2026, 11, 27), -1),  # Fri passed, Mon is one working day on
        # Wed 30 Sep → Fri 9 Oct: 1–7 Oct are the National Day holiday, so Thu 8 and Fri 9
        (date(2026, 9, 30), date(2026, 10, 9), 2),
        # Fri 9 Oct → Mon 12 Oct: Sat 10 Oct is an adjusted working day, so Sat 10 and Mon 12
        (date(2026, 10, 9), date(2026, 10, 12), 2),
    ],
)
def test_working_days_left_counts_chinese_working_days(
    today, deadline, expected, working_day_calendar
):
    assert working_days_left(today, deadline) == expected


def _attendee(training, unit, name):
    return Attendee.objects.create(
        training=training,
        unit=unit,
        name=name,
        phone="13800000000",
        registered_by=training.created_by,
    )


def _check(unit, status, inspectors, day=date(2026, 9, 10)):
    checklist = make_checklist(inspectors[0], name=f"表{unit.pk}{status}{day}")
    check = SpotCheck.objects.create(unit=unit, checklist=checklist, date=day, status=status)
    check.inspectors.set(inspectors)
    return check


def _rectification(check, deadline, status=Rectification.Status.OPEN, requirement="补齐台账"):
    return Rectification.objects.create(
        spot_check=check,
        requirement=requirement,
        working_days=5,
        raised_on=check.date,
        deadline=deadline,
        status=status,
        created_by=check.inspectors.first(),
    )


def test_liaison_desk_lists_open_trainings_its_unit_must_attend_and_its_rectifications(
    personas, unit_a, unit_b
):
    organizer = personas["organizer"]
    # open, on Mon 28 Sep, both units must send 2 people; unit A has registered one
    open_training = make_training(created_by=organizer, start=date(2026, 9, 28))
    _attendee(open_training, unit_a, "张三")
    _attendee(open_training, unit_b, "李四")
    _attendee(open_training, unit_b, "王五")
    # not listed: planned (not yet open), already started, and one requiring only unit B
    make_training(created_by=organizer, start=date(2026, 9, 29), status=Training.Status.PLANNED)
    make_training(created_by=organizer, start=date(2026, 9, 1))
    other = make_training(created_by=organizer, start=date(2026, 9, 30), scope="units")
    other.required_units.set([unit_b])
    from training.services import sync_requirements

    sync_requirements(other)
    check = _check(unit_a, SpotCheck.Status.CONFIRMED, [personas["inspector"]])
    # due Wed 30 Sep: Mon 21 … Wed 30 are 8 working days after Fri 18 Sep
    due = _rectification(check, date(2026, 9, 30), requirement="补齐台账")
    _rectification(check, date(2026, 9, 1), status=Rectification.Status.VERIFIED)
    _rectification(_check(unit_b, SpotCheck.Status.CONFIRMED, [personas["inspector"]]), NOW.date())

    desk = liaison_desk(personas["liaison_a"], NOW)

    assert [(r.training, r.seats, r.registered, r.seats_left) for r in desk["trainings"]] == [
        (open_training, 2, 1, 1)
    ]
    assert [(r.pk, r.days_left) for r in desk["rectifications"]] == [(due.pk, 8)]
    assert desk["result"] is None


def test_inspector_desk_lists_its_checks_those_to_confirm_answers_and_overdue(
    personas, unit_a, unit_b
):
    me, other = personas["inspector"], make_user("inspector_c", role=Role.INSPECTOR)
    planned = _check(unit_a, SpotCheck.Status.PLANNED, [me, other])
    in_progress = _check(unit_b, SpotCheck.Status.IN_PROGRESS, [me])
    _check(unit_b, SpotCheck.Status.PLANNED, [other])  # not mine
    to_confirm = _check(unit_a, SpotCheck.Status.SUBMITTED, [other], day=date(2026, 9, 11))
    _check(unit_b, SpotCheck.Status.SUBMITTED, [me, other])  # I scored it: someone else confirms
    confirmed = _check(unit_b, SpotCheck.Status.CONFIRMED, [other], day=date(2026, 9, 1))
    answered = _rectification(confirmed, date(2026, 9, 30), status=Rectification.Status.ANSWERED)
    overdue = _rectification(confirmed, date(2026, 9, 17))  # Thursday, yesterday
    _rectification(confirmed, date(2026, 9, 18))  # due today: not overdue yet

    desk = inspector_desk(me, NOW)

    assert desk["planned"] == [planned]
    assert desk["in_progress"] == [in_progress]
    assert desk["to_confirm"] == [to_confirm]
    assert desk["answers"] == [answered]
    assert desk["overdue"] == [overdue]


def test_organizer_desk_counts_unregistered_units_empty_seats_and_days_without_attendance(
    personas, unit_a, unit_b
):
    organizer = personas["organizer"]
    upcoming = make_training(created_by=organizer, start=date(2026, 9, 25))
    _attendee(upcoming, unit_a, "张三")
    _attendee(upcoming, unit_a, "李四")
    _attendee(upcoming, unit_a, "赵六")  # a third person of A fills none of B's seats
    make_training(
        created_by=organizer, start=date(2026, 9, 26), status=Training.Status.CANCELLED
    )  # cancelled: not listed
    # three days, Tue 15 – Thu 17 Sep: attendance taken on the 15th only
    held = make_training(created_by=organizer, start=date(2026, 9, 15), days=3)
    person = _attendee(held, unit_a, "王五")
    AttendanceMark.objects.create(
        attendee=person, day=date(2026, 9, 15), status="present", marked_by=organizer
    )
    make_training(created_by=organizer, start=date(2026, 9, 14))  # nobody registered: no list

    desk = organizer_desk(2026, NOW)

    assert desk["upcoming"] == [upcoming]
    # units A and B required, B has registered nobody; seats 2 + 2, A fills 2 of its own → 2 empty
    assert desk["upcoming"][0].figures == {"units": 2, "missing": 1, "seats": 4, "empty": 2}
    assert desk["attendance_due"] == [(held, date(2026, 9, 16)), (held, date(2026, 9, 17))]


def test_organizer_desk_shows_trainings_today_with_sign_ins_and_walk_ins_waiting(
    personas, unit_a, unit_b
):
    organizer = personas["organizer"]
    # Thu 17 – Sat 19 Sep: today (Fri 18) is its second day
    running = make_training(created_by=organizer, start=date(2026, 9, 17), days=3)
    present, absent_today, _pending = (
        _attendee(running, unit_a, "张三"),
        _attendee(running, unit_a, "李四"),
        _attendee(running, unit_b, "王五"),
    )
    for person, day, status in [
        (present, date(2026, 9, 18), "present"),
        (absent_today, date(2026, 9, 17), "present"),  # yesterday: not today's sign-in
        (absent_today, date(2026, 9, 18), "absent"),
    ]:
        AttendanceMark.objects.create(attendee=person, day=day, status=status, marked_by=organizer)
    for name, status in [("赵六", "pending"), ("钱七", "pending"), ("孙八", "rejected")]:
        WalkIn.objects.create(
            training=running,
            day=date(2026, 9, 18),
            unit=unit_b,
            name=name,
            phone="13900000000",
            arrived_at=NOW,
            status=status,
        )
    make_training(created_by=organizer, start=date(2026, 9, 17))  # ended yesterday
    make_training(created_by=organizer, start=date(2026, 9, 18), status=Training.Status.CANCELLED)

    desk = organizer_desk(2026, NOW)

    assert desk["today"] == [running]
    assert desk["today"][0].today == {
        "day": date(2026, 9, 18),
        "registered": 3,
        "present": 1,
        "walk_ins": 2,
    }


def test_each_role_gets_only_its_own_desk(personas):
    assert set(desks_for(personas["liaison_a"], 2026, NOW)) == {"liaison"}
    assert set(desks_for(personas["inspector"], 2026, NOW)) == {"inspector"}
    assert set(desks_for(personas["organizer"], 2026, NOW)) == {"organizer"}
    assert desks_for(personas["leader"], 2026, NOW) == {}
    assert desks_for(personas["outsider"], 2026, NOW) == {}


@pytest.mark.parametrize(
    "persona, testid",
    [
        ("liaison_a", "desk-liaison"),
        ("inspector", "desk-inspector"),
        ("organizer", "desk-organizer"),
        ("leader", "desk-leader"),
    ],
)
def test_home_page_shows_the_desk_of_the_role(client_for, persona, testid):
    page = client_for(persona).get(reverse("home")).content.decode()
    desks = {"desk-liaison", "desk-inspector", "desk-organizer", "desk-leader"}
    assert {desk for desk in desks if f'data-testid="{desk}"' in page} == {testid}
