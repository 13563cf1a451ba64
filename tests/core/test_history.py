"""core.history.bulk_create_with_history writes the rows simple-history itself would write."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from simple_history.utils import bulk_create_with_history as simple_history_bulk_create

from core.history import bulk_create_with_history
from tests.training.conftest import make_training
from training.models import Attendee

# differ between any two batches
NOT_COMPARED = {"history_id", "history_date", "id", "name", "phone", "created_at"}


def attendees(training, unit, actor, count, prefix):
    return [
        Attendee(
            training=training,
            unit=unit,
            name=f"{prefix}{n}",
            phone=f"1380000{n:04d}",
            position="科员",
            registered_by=actor,
        )
        for n in range(count)
    ]


def history_values(record):
    return {
        field.attname: getattr(record, field.attname)
        for field in type(record)._meta.concrete_fields
        if field.attname not in NOT_COMPARED
    }


def test_history_rows_are_those_simple_history_writes(personas, unit_a):
    organizer = personas["organizer"]
    training = make_training(created_by=organizer)
    ours = bulk_create_with_history(attendees(training, unit_a, organizer, 3, "甲"), user=organizer)
    theirs = simple_history_bulk_create(
        attendees(training, unit_a, organizer, 3, "乙"), Attendee, default_user=organizer
    )

    ours_history = list(Attendee.history.filter(id__in=[a.pk for a in ours]).order_by("id"))
    theirs_history = list(Attendee.history.filter(id__in=[a.pk for a in theirs]).order_by("id"))
    assert [record.id for record in ours_history] == [a.pk for a in ours]
    assert [history_values(r) for r in ours_history] == [history_values(r) for r in theirs_history]
    first = ours_history[0]
    assert (first.history_type, first.history_user, first.name) == ("+", organizer, "甲0")
    # the stored time reads back as an aware datetime, ordered with simple-history's own rows
    assert first.history_date <= theirs_history[0].history_date
    stored = Attendee.objects.get(pk=first.id)
    assert (first.created_at, first.phone) == (stored.created_at, stored.phone)


def test_queries_do_not_grow_with_the_number_of_records(personas, unit_a):
    organizer = personas["organizer"]
    training = make_training(created_by=organizer)

    def queries(count, prefix):
        with CaptureQueriesContext(connection) as captured:
            bulk_create_with_history(
                attendees(training, unit_a, organizer, count, prefix), user=organizer
            )
        return len(captured.captured_queries)

    assert queries(2, "少") == queries(40, "多")
    assert Attendee.history.count() == 42


def test_nothing_to_create_writes_nothing(personas):
    with CaptureQueriesContext(connection) as captured:
        assert bulk_create_with_history([], user=personas["organizer"]) == []
    assert captured.captured_queries == []
