"""Time-driven reminders: the clock moves (`now=`), and each test says exactly who gets what,
once. The working-day calendar is 2026's official one: National Day holiday Oct 1–7, Sat
Oct 10 an adjusted working day."""

from datetime import date

import pytest

from assessment.services.rectifications import raise_rectification
from notifications.models import Kind, Notification
from notifications.reminders import send_reminders
from tests.assessment.conftest import CONFIRMED_ON
from tests.notifications.conftest import who_got
from tests.training.conftest import at, make_training
from training.models import AttendanceMark, Attendee, Training
from training.services import mark_attendance


def to_liaisons_of_a(kind):
    return [("liaison_a", kind), ("liaison_a2", kind)]


@pytest.fixture
def rectification(confirmed_check, personas, liaison_a2, working_day_calendar):
    # the check was confirmed on Tue 2026-09-29; 8 working days: Sep 30 (1), the holiday
    # Oct 1–7, Oct 8 (2), 9 (3), Sat 10 (4, adjusted working day), 12 (5), 13 (6), 14 (7),
    # Thu 15 (8)
    rectification = raise_rectification(
        confirmed_check,
        raised_on=CONFIRMED_ON,
        requirement="补充保密审查记录",
        working_days=8,
        actor=personas["inspector"],
    )
    assert rectification.deadline == date(2026, 10, 15)
    return rectification


def test_a_rectification_reminds_its_unit_at_3_working_days_on_the_day_and_when_overdue(
    rectification,
):
    # Thu Oct 8: working days left Oct 9, 10, 12, 13, 14, 15 = 6
    assert who_got(send_reminders(at(date(2026, 10, 8)))) == []
    # Sat Oct 10 (a working day): 12, 13, 14, 15 = 4
    assert who_got(send_reminders(at(date(2026, 10, 10)))) == []
    # Sun Oct 11: still 4 (12–15)
    assert who_got(send_reminders(at(date(2026, 10, 11)))) == []
    # Mon Oct 12: 13, 14, 15 = 3 → both liaisons of unit A, nobody else
    due_soon = send_reminders(at(date(2026, 10, 12)))
    assert who_got(due_soon) == to_liaisons_of_a(Kind.RECTIFICATION_DUE_SOON)
    assert due_soon[0].params["days"] == 3
    # a rerun the same day, or the next day (2 left), sends nothing again
    assert send_reminders(at(date(2026, 10, 12), 15)) == []
    assert send_reminders(at(date(2026, 10, 13))) == []
    # Thu Oct 15: due today
    assert who_got(send_reminders(at(date(2026, 10, 15)))) == to_liaisons_of_a(
        Kind.RECTIFICATION_DUE_TODAY
    )
    # Fri Oct 16: overdue to the unit, and the leaders' weekly digest
    overdue = send_reminders(at(date(2026, 10, 16)))
    assert who_got(overdue) == sorted(
        [*to_liaisons_of_a(Kind.RECTIFICATION_OVERDUE), ("leader", Kind.OVERDUE_DIGEST)]
    )
    assert send_reminders(at(date(2026, 10, 16), 18)) == []
    # Sat Oct 17, same ISO week: nothing; Mon Oct 19, week 43: the leaders' digest once more
    assert send_reminders(at(date(2026, 10, 17))) == []
    digest = send_reminders(at(date(2026, 10, 19)))
    assert who_got(digest) == [("leader", Kind.OVERDUE_DIGEST)]
    assert digest[0].params == {"count": 1, "units": ["甲街道"]}
    # each liaison has the whole story once: raised, due soon, due today, overdue
    assert Notification.objects.filter(recipient__username="liaison_a").count() == 4


def test_an_answered_rectification_is_not_reminded(rectification, personas):
    from assessment.services.rectifications import answer_rectification

    answer_rectification(rectification, response="已补充", actor=personas["liaison_a"])
    liaison_kinds = who_got(send_reminders(at(date(2026, 10, 12))))
    assert liaison_kinds == []


def test_a_moved_deadline_is_a_new_milestone(rectification):
    send_reminders(at(date(2026, 10, 12)))
    rectification.deadline = date(2026, 10, 16)  # e.g. recounted with a corrected calendar
    rectification.save()
    # Tue Oct 13: 14, 15, 16 = 3 working days to the new deadline
    assert who_got(send_reminders(at(date(2026, 10, 13)))) == to_liaisons_of_a(
        Kind.RECTIFICATION_DUE_SOON
    )


@pytest.fixture
def open_training(personas, unit_b):
    # Fri 2026-11-20, 9:00; every active unit (甲街道, 乙局) must send 2 people
    training = make_training(created_by=personas["organizer"], start=date(2026, 11, 20))
    assert training.requirements.count() == 2
    return training


def test_registration_open_then_closing_reaches_only_units_with_empty_seats(
    open_training, personas, unit_b, liaison_a2
):
    # Tue Nov 10: 10 days before it starts, both units have registered nobody
    assert who_got(send_reminders(at(date(2026, 11, 10)))) == sorted(
        [*to_liaisons_of_a(Kind.REGISTRATION_OPEN), ("liaison_b", Kind.REGISTRATION_OPEN)]
    )
    assert send_reminders(at(date(2026, 11, 11))) == []
    # unit B fills its 2 seats
    for number in (1, 2):
        Attendee.objects.create(
            training=open_training,
            unit=unit_b,
            name=f"乙{number}",
            phone=f"1380000000{number}",
            registered_by=personas["liaison_b"],
        )
    # Tue Nov 17: registration closes (the training starts) in 3 days; only unit A lacks people
    closing = send_reminders(at(date(2026, 11, 17)))
    assert who_got(closing) == to_liaisons_of_a(Kind.REGISTRATION_CLOSING)
    assert closing[0].params["days"] == 3
    assert closing[0].params["registered"] == 0
    assert send_reminders(at(date(2026, 11, 18))) == []


def test_trainings_not_open_remind_nobody(open_training, personas):
    Training.objects.filter(pk=open_training.pk).update(status=Training.Status.PLANNED)
    assert send_reminders(at(date(2026, 11, 10))) == []
    Training.objects.filter(pk=open_training.pk).update(status=Training.Status.CLOSED)
    assert send_reminders(at(date(2026, 11, 10))) == []


def test_a_day_without_attendance_reminds_the_organizers_once(personas, unit_a):
    # Mon Nov 2 and Tue Nov 3, one attendee; attendance is taken on Monday only
    training = make_training(created_by=personas["organizer"], start=date(2026, 11, 2), days=2)
    attendee = Attendee.objects.create(
        training=training,
        unit=unit_a,
        name="张三",
        phone="13800000001",
        registered_by=personas["organizer"],
    )
    mark_attendance(
        training,
        date(2026, 11, 2),
        {attendee.pk: AttendanceMark.Status.PRESENT},
        actor=personas["organizer"],
    )
    # Tue Nov 3 at 9:00: Monday is taken, Tuesday is not over yet
    assert send_reminders(at(date(2026, 11, 3))) == []
    reminded = send_reminders(at(date(2026, 11, 4)))
    assert who_got(reminded) == [("organizer", Kind.ATTENDANCE_NOT_TAKEN)]
    assert reminded[0].params["day"] == "2026-11-03"
    assert reminded[0].link.endswith("?day=2026-11-03")
    assert send_reminders(at(date(2026, 11, 5))) == []


def test_reminders_reach_nobody_of_another_unit(rectification, personas):
    send_reminders(at(date(2026, 10, 16)))
    assert not Notification.objects.filter(recipient=personas["liaison_b"]).exists()


def test_the_command_and_the_task_run_the_same_reminders(rectification, personas):
    import io

    from django.core.management import call_command

    from notifications.tasks import send_reminders_task

    # today (the real clock) the rectification of 2026-10-15 is long overdue
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    # both liaisons of unit A (overdue), and the leaders' digest of this week
    assert out.getvalue().strip() == "3 notifications created."
    result = send_reminders_task.enqueue()
    assert result.return_value == {"created": 0}
