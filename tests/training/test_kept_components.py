"""The kept training components (training/components.py) always equal a computation from
scratch: after any sequence of writes, after a rollback, and when time alone changes them."""

import threading
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.concurrency import postgresql_only, race
from tests.conftest import make_unit
from tests.training.conftest import at, make_training
from training.components import current_components
from training.models import Attendee, Training, UnitTrainingComponent
from training.services import (
    TrainingError,
    mark_attendance,
    register_attendee,
    remove_attendee,
    sync_requirements,
    update_attendee,
)
from training.stats import components_from_scratch, unit_training_components


class Rollback(Exception):
    pass


def kept_equals_scratch(year):
    kept = unit_training_components(year)
    assert kept == components_from_scratch(year, timezone.now())
    return kept


@pytest.fixture
def world(personas, unit_a, unit_b):
    organizer = personas["organizer"]
    unit_c = make_unit("丙镇")
    start = timezone.localdate() - timedelta(days=20)
    trainings = [
        make_training(created_by=organizer, days=2, start=start, batch=1),
        make_training(created_by=organizer, start=start + timedelta(days=3), batch=2),
        make_training(
            created_by=organizer, start=start + timedelta(days=5), seats_per_unit=1, batch=3
        ),
    ]
    units = [unit_a, unit_b, unit_c]
    # some attendance already, so that the components differ from unit to unit
    phone = iter(range(13900000000, 13900000100))
    for training, unit, present in [(0, 0, 2), (1, 1, 1), (2, 2, 1), (1, 0, 2)]:
        people = [
            register_attendee(
                trainings[training],
                unit=units[unit],
                name=f"已到{n}",
                phone=str(next(phone)),
                actor=organizer,
            )
            for n in range(present)
        ]
        for day in trainings[training].days():
            mark_attendance(
                trainings[training],
                day,
                {person.pk: "present" for person in people},
                actor=organizer,
            )
    return organizer, units, trainings


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            ["register", "mark", "unmark", "remove", "move", "seats", "cancel", "reopen", "date"]
        ),
        st.integers(0, 2),  # training
        st.integers(0, 2),  # unit
        st.integers(0, 30),  # which attendee, seats, or days
    ),
    max_size=12,
)


def apply(operation, organizer, units, trainings):
    kind, t, u, n = operation
    training = Training.objects.get(pk=trainings[t].pk)
    attendees = list(training.attendees.order_by("pk"))
    attendee = attendees[n % len(attendees)] if attendees else None
    try:
        if kind == "register":
            register_attendee(
                training, unit=units[u], name=f"学员{n}", phone=f"138{n:08d}", actor=organizer
            )
        elif kind in ("mark", "unmark") and attendee:
            day = training.days()[n % len(training.days())]
            status = "" if kind == "unmark" else ("present", "absent")[n % 2]
            mark_attendance(training, day, {attendee.pk: status}, actor=organizer)
        elif kind == "remove" and attendee:
            remove_attendee(attendee, actor=organizer)
        elif kind == "move" and attendee:
            update_attendee(
                attendee,
                unit=units[u],
                name=attendee.name,
                phone=attendee.phone,
                actor=organizer,
            )
        elif kind == "seats":
            training.seats_per_unit = 1 + n % 3
            training.save()
            sync_requirements(training)
        elif kind == "cancel":
            training.status = Training.Status.CANCELLED
            training.save()
        elif kind == "reopen":
            training.status = Training.Status.OPEN
            training.save()
        elif kind == "date":
            # into the future (not held any more) or back into the past
            day = timezone.localdate() + timedelta(days=(n % 5) - 2)
            length = training.ends_at - training.starts_at
            training.starts_at = at(day, 9)
            training.ends_at = training.starts_at + length
            training.save()
    except TrainingError:
        pass  # a refused write changes nothing


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS, read_between=st.booleans())
def test_kept_components_equal_scratch_after_any_writes(world, operations, read_between):
    organizer, units, trainings = world
    year = timezone.localdate().year
    with pytest.raises(Rollback), transaction.atomic():
        for operation in operations:
            apply(operation, organizer, units, trainings)
            if read_between:
                kept_equals_scratch(year)
        kept_equals_scratch(year)
        raise Rollback  # each example starts from the same world


def test_a_rolled_back_write_leaves_the_kept_value(world):
    organizer, units, trainings = world
    year = timezone.localdate().year
    person = register_attendee(
        trainings[1], unit=units[2], name="张三", phone="13800000001", actor=organizer
    )
    before = kept_equals_scratch(year)
    with pytest.raises(Rollback), transaction.atomic():
        mark_attendance(
            trainings[1], trainings[1].days()[0], {person.pk: "present"}, actor=organizer
        )
        assert kept_equals_scratch(year) != before  # the transaction sees its own write
        raise Rollback
    assert not UnitTrainingComponent.objects.filter(stale=True).exists()
    assert kept_equals_scratch(year) == before


def test_a_training_that_starts_counts_without_any_write(world):
    organizer, units, _trainings = world
    year = timezone.localdate().year
    soon = timezone.now() + timedelta(hours=1)
    make_training(created_by=organizer, start=timezone.localdate() + timedelta(days=1), batch=4)
    Training.objects.filter(batch=4).update(starts_at=soon, ends_at=soon + timedelta(hours=2))
    before = kept_equals_scratch(year)
    later = timezone.now() + timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        after = current_components(year)
        assert after == components_from_scratch(year, later)
    # 甲街道: full at two trainings of three, (100 + 100 + 0) / 3; then a fourth, missed
    assert before[units[0].pk] == Decimal("66.67")
    assert after[units[0].pk] == Decimal("50.00")


def test_the_command_finds_and_repairs_a_wrong_row(world, capsys):
    organizer, units, trainings = world
    year = timezone.localdate().year
    person = register_attendee(
        trainings[0], unit=units[1], name="李四", phone="13800000002", actor=organizer
    )
    mark_attendance(trainings[0], trainings[0].days()[0], {person.pk: "present"}, actor=organizer)
    kept_equals_scratch(year)
    call_command("training_components")
    assert "agree" in capsys.readouterr().out
    # a write behind the writers' back (no signal) leaves a kept value wrong
    Attendee.objects.filter(pk=person.pk).update(status=Attendee.Status.ATTENDED)
    with pytest.raises(CommandError, match="1 kept training components differ"):
        call_command("training_components")
    call_command("training_components", "--repair")
    assert "1 rows marked stale" in capsys.readouterr().out
    kept_equals_scratch(year)
    call_command("training_components")
    assert "agree" in capsys.readouterr().out


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_writes_to_different_units_never_wait_on_each_other(world):
    """An attendance mark for 乙局 holds its transaction open; a mark for 丙镇 meanwhile,
    with a lock timeout of 2 s, commits; the reader sees each only once committed."""
    organizer, units, trainings = world
    year = timezone.localdate().year
    training = trainings[1]
    day = training.days()[0]
    people = {
        unit.pk: register_attendee(
            training, unit=unit, name=f"并发{n}", phone=f"1370000000{n}", actor=organizer
        )
        for n, unit in enumerate(units[1:])
    }
    first, second = (people[unit.pk].pk for unit in units[1:])
    before = kept_equals_scratch(year)
    held, release = threading.Event(), threading.Event()

    def slow_writer():
        with transaction.atomic():
            mark_attendance(training, day, {first: "present"}, actor=organizer)
            held.set()
            release.wait(10)
        return "committed"

    def other_writer():
        held.wait(10)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                mark_attendance(training, day, {second: "present"}, actor=organizer)
            reader = unit_training_components(year)  # the slow writer is not committed yet
        finally:
            release.set()
        return reader

    slow, reader = race(slow_writer, other_writer)
    assert slow == "committed"
    assert not isinstance(reader, Exception), reader
    assert reader[units[2].pk] != before[units[2].pk]  # 丙镇's own mark, committed
    assert reader[units[1].pk] == before[units[1].pk]  # 乙局's mark was not committed yet
    after = kept_equals_scratch(year)
    assert after[units[1].pk] != before[units[1].pk]
