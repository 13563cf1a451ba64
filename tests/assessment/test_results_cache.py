"""The cached year-end results follow every kind of write to their inputs (core/derived.py).

The tests commit (transactional database): nothing is cached inside a transaction."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from assessment.models import Adjustment, Indicator, Scheme
from assessment.services.year_end import add_adjustment, save_indicator_values
from assessment.year_end import year_results
from core.models import Year
from tests.conftest import make_unit
from training.services import mark_attendance, register_attendee

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scheme(db):
    year, _created = Year.objects.get_or_create(year=timezone.localdate().year)
    scheme = Scheme.objects.create(year=year)
    Indicator.objects.create(scheme=scheme, name="及时率", weight=D(10))
    return scheme


def final(scheme, unit):
    return year_results(Scheme.objects.get(pk=scheme.pk)).results[unit.pk].final


def test_results_follow_writes_through_services_signals_and_bulk_paths(scheme, personas, unit_a):
    from tests.training.conftest import make_training

    indicator = scheme.indicators.get()
    save_indicator_values(scheme, [(indicator, unit_a, D("80"), "")], actor=personas["leader"])
    assert final(scheme, unit_a) == D("80.00")

    add_adjustment(
        scheme,
        unit=unit_a,
        kind=Adjustment.Kind.BONUS,
        points=D(2),
        reason="推广",
        actor=personas["leader"],
    )  # a model save
    assert final(scheme, unit_a) == D("82.00")

    # a training the unit missed, through sync_requirements' bulk writes: 0 for training
    training = make_training(
        created_by=personas["organizer"], start=timezone.localdate() - timedelta(days=3)
    )
    # (80 × 10 + 0 × 20) / 30 = 26.666… → 26.67, + 2 bonus = 28.67
    assert final(scheme, unit_a) == D("28.67")

    # attendance through the service: (80 × 10 + 100 × 20) / 30 = 93.33 + 2 = 95.33
    first = register_attendee(
        training, unit=unit_a, name="甲一", phone="13800000001", actor=personas["organizer"]
    )
    second = register_attendee(
        training, unit=unit_a, name="甲二", phone="13800000002", actor=personas["organizer"]
    )
    mark_attendance(
        training,
        training.days()[0],
        {first.pk: "present", second.pk: "present"},
        actor=personas["organizer"],
    )
    assert final(scheme, unit_a) == D("95.33")

    Indicator.objects.filter(pk=indicator.pk).update(weight=D(30))  # a raw update: no signal
    indicator.weight = D(30)
    indicator.save()  # … the saved model raises the version
    # (80 × 30 + 100 × 20) / 50 = 88.00 + 2 = 90.00
    assert final(scheme, unit_a) == D("90.00")

    make_unit("新单位")  # a new unit is part of the year at once
    assert len(year_results(scheme).results) == 3


def test_a_training_counts_once_it_starts_without_any_write(scheme, personas, unit_a, monkeypatch):
    from tests.training.conftest import make_training

    indicator = scheme.indicators.get()
    save_indicator_values(scheme, [(indicator, unit_a, D("80"), "")], actor=personas["leader"])
    now = timezone.now()
    make_training(
        created_by=personas["organizer"],
        start=timezone.localdate(now),
        starts_at=now + timedelta(hours=1),
        ends_at=now + timedelta(hours=3),
    )
    assert final(scheme, unit_a) == D("80.00")  # not held yet: no training component

    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=2))
    # held and missed: (80 × 10 + 0 × 20) / 30 = 26.67, with nothing written in between
    assert final(scheme, unit_a) == D("26.67")


def test_an_indicator_write_reuses_the_training_component(scheme, personas, unit_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.training.conftest import make_training
    from training.models import Requirement

    make_training(created_by=personas["organizer"], start=timezone.localdate() - timedelta(days=2))
    indicator = scheme.indicators.get()
    save_indicator_values(scheme, [(indicator, unit_a, D("80"), "")], actor=personas["leader"])
    assert final(scheme, unit_a) == D("26.67")  # (80 × 10 + 0 × 20) / 30

    save_indicator_values(scheme, [(indicator, unit_a, D("95"), "")], actor=personas["leader"])
    with CaptureQueriesContext(connection) as captured:
        # (95 × 10 + 0 × 20) / 30 = 31.666… → 31.67
        assert final(scheme, unit_a) == D("31.67")
    requirement_table = Requirement._meta.db_table
    assert not any(requirement_table in query["sql"] for query in captured.captured_queries)


def test_a_published_years_record_is_kept_until_it_is_reopened(scheme, personas, unit_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessment.models import PublishedResult
    from assessment.services.year_end import publish_year, reopen_year, unfinished_work

    last = Scheme.objects.create(
        year=Year.objects.create(year=scheme.year.year - 1), weight_training=D(0)
    )
    publish_year(last, actor=personas["leader"], acknowledged=unfinished_work(last).signature)

    def last_results():
        return year_results(Scheme.objects.select_related("year").get(pk=last.pk))

    assert last_results().published
    indicator = scheme.indicators.get()
    save_indicator_values(scheme, [(indicator, unit_a, D("80"), "")], actor=personas["leader"])
    with CaptureQueriesContext(connection) as captured:
        assert last_results().published
    # this year's writes leave last year's record alone: read from the cache, not the table
    snapshot_table = PublishedResult._meta.db_table
    assert not any(snapshot_table in query["sql"] for query in captured.captured_queries)

    reopen_year(last, actor=personas["admin"], reason="更正")
    assert not last_results().published
