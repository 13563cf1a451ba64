"""The training component of DESIGN.md, with the numbers worked out by hand."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import make_unit
from tests.training.conftest import make_training
from training.models import Training
from training.scoring import training_component
from training.services import mark_attendance, register_attendee, sync_requirements
from training.stats import unit_training_components, unit_training_rows, year_summary


def test_no_required_training_means_no_component():
    assert training_component([]) is None


def test_attendance_beyond_the_seats_is_capped_at_100():
    # min(3/2, 1) × 100 = 100
    assert training_component([(3, 2)]) == Decimal("100.00")


def test_mean_over_required_trainings_rounded_half_up_once():
    # (1/3 × 100 + 2/2 × 100 + 0/1 × 100) / 3 = 133.333… / 3 = 44.444… → 44.44
    assert training_component([(1, 3), (2, 2), (0, 1)]) == Decimal("44.44")
    # (1/2 × 100 + 1/8 × 100) / 2 = (50 + 12.5) / 2 = 31.25 exactly
    assert training_component([(1, 2), (1, 8)]) == Decimal("31.25")
    # (12.5 + 0.25) / 2 = 6.375 → 6.38 (half-up; banker's rounding would give 6.38 too)
    assert training_component([(1, 8), (1, 400)]) == Decimal("6.38")
    # 1/800 × 100 = 0.125 → 0.13 (half-up; banker's rounding would give 0.12)
    assert training_component([(1, 800)]) == Decimal("0.13")


def mark(training, day, statuses, organizer):
    mark_attendance(training, day, statuses, actor=organizer)


@pytest.fixture
def year_setup(personas, unit_a, unit_b):
    organizer = personas["organizer"]
    start = timezone.localdate() - timedelta(days=40)
    return organizer, start


def register(training, unit, name, organizer, phone):
    return register_attendee(training, unit=unit, name=name, phone=phone, actor=organizer)


def test_component_per_unit_from_the_database(year_setup, unit_a, unit_b):
    organizer, start = year_setup
    # Training 1 (2 days, 2 seats each): unit A's 张三 present both days, 李四 only day 1
    # (partial: does not count); unit B's 王五 excused (does not count).
    first = make_training(created_by=organizer, days=2, start=start)
    zhang = register(first, unit_a, "张三", organizer, "13800000001")
    li = register(first, unit_a, "李四", organizer, "13800000002")
    wang = register(first, unit_b, "王五", organizer, "13800000003")
    day1, day2 = first.days()
    mark(first, day1, {zhang.pk: "present", li.pk: "present", wang.pk: "excused"}, organizer)
    mark(first, day2, {zhang.pk: "present", li.pk: "absent", wang.pk: "excused"}, organizer)
    # Training 2 (1 day, only unit B required, 1 seat): 赵六 present.
    second = make_training(
        created_by=organizer,
        start=start + timedelta(days=7),
        scope=Training.Scope.UNITS,
        seats_per_unit=1,
        batch=2,
    )
    second.required_units.set([unit_b])
    sync_requirements(second)
    zhao = register(second, unit_b, "赵六", organizer, "13800000004")
    mark(second, second.days()[0], {zhao.pk: "present"}, organizer)
    # A cancelled training and one still to come do not count.
    make_training(created_by=organizer, start=start, status=Training.Status.CANCELLED, batch=3)
    make_training(created_by=organizer, start=timezone.localdate() + timedelta(days=10), batch=4)
    unit_c = make_unit("丙镇")  # created after the trainings: required by none of them

    components = unit_training_components(timezone.localdate().year)
    # Unit A: training 1 only: min(1/2, 1) × 100 = 50.00
    # Unit B: training 1: 0/2 → 0; training 2: 1/1 → 100; mean = 50.00
    assert components == {unit_a.pk: Decimal("50.00"), unit_b.pk: Decimal("50.00")}
    assert unit_c.pk not in components

    rows = unit_training_rows(timezone.localdate().year)
    assert (rows[unit_a.pk].required, rows[unit_a.pk].full, rows[unit_a.pk].partly) == (1, 0, 1)
    assert (rows[unit_b.pk].required, rows[unit_b.pk].full, rows[unit_b.pk].missed) == (2, 1, 1)
    assert {unit_id: row.component for unit_id, row in rows.items()} == components


def test_component_query_count_does_not_grow_with_units(
    year_setup, django_assert_num_queries, unit_a
):
    organizer, start = year_setup
    training = make_training(created_by=organizer, start=start)
    person = register(training, unit_a, "张三", organizer, "13800000001")
    mark(training, training.days()[0], {person.pk: "present"}, organizer)
    year = timezone.localdate().year
    # the kept rows (training/components.py): recomputed after the writes, then read as they are
    with CaptureQueriesContext(connection) as recomputing_small:
        small = unit_training_components(year)
    with django_assert_num_queries(2):
        assert unit_training_components(year) == small
    for number in range(30):
        make_unit(f"新单位{number}")
    bigger = make_training(created_by=organizer, start=start, batch=9)
    assert bigger.requirements.count() == 32
    with CaptureQueriesContext(connection) as recomputing_large:
        large = unit_training_components(year)
    with django_assert_num_queries(2):
        assert unit_training_components(year) == large
    assert len(recomputing_small) == len(recomputing_large)
    assert len(small) == 2
    assert len(large) == 32


def test_year_summary_counts_trainings_people_and_coverage(year_setup, unit_a, unit_b):
    organizer, start = year_setup
    training = make_training(created_by=organizer, start=start, batch=1)
    one = register(training, unit_a, "张三", organizer, "13800000001")
    two = register(training, unit_a, "李四", organizer, "13800000002")
    mark(training, training.days()[0], {one.pk: "present", two.pk: "absent"}, organizer)
    summary = year_summary(timezone.localdate().year)
    # 2 units required, only unit A had someone attend: 1/2 = 50.00 %
    assert summary == {
        "trainings": 1,
        "batches": 1,
        "registered": 2,
        "person_times": 1,
        "required_units": 2,
        "covered_units": 1,
        "coverage": Decimal("50.00"),
    }


def test_the_statistics_page_counts_only_trainings_already_held(
    year_setup, unit_a, unit_b, client_for
):
    """The page says it counts trainings that have started: one still to come (requiring its
    units) was counted, training count and coverage alike."""
    from datetime import timedelta

    from django.urls import reverse

    organizer, start = year_setup
    make_training(created_by=organizer, start=start, batch=1)
    coming = timezone.localdate() + timedelta(days=3)
    if coming.year == timezone.localdate().year:  # near the year's end it falls in the next
        make_training(created_by=organizer, start=coming, batch=2)
    page = client_for("leader").get(reverse("training:statistics"))
    assert page.context["summary"]["trainings"] == 1
