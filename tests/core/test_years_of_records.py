"""A year gets its row (so the year selector offers it) with the first record saved in it: a
training or a spot check planned for a year nobody has set up yet is reachable from the
moment it exists. Publishing still freezes a year as before."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import SpotCheck
from core.models import Year
from tests.assessment.conftest import make_checklist
from tests.concurrency import postgresql_only, race, refusals
from training.models import Training, TrainingKind

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def this_year(db):
    return Year.objects.create(year=THIS_YEAR)


def training_form(title, day):
    """The new-training form filled in for a one-day training on `day` (YYYY-MM-DD)."""
    return {
        "title": title,
        "kind": TrainingKind.objects.get_or_create(name="培训班")[0].pk,
        "starts_at": f"{day}T09:00",
        "ends_at": f"{day}T17:00",
        "venue": "会议室",
        "status": Training.Status.OPEN,
        "scope": Training.Scope.ALL,
        "seats_per_unit": 1,
        "lecturers-TOTAL_FORMS": 0,
        "lecturers-INITIAL_FORMS": 0,
    }


def choose_year(client, year):
    return client.post(reverse("set_year"), {"year": year}, follow=True)


def test_a_training_in_a_year_without_a_row_is_listed_under_that_year(client_for, this_year):
    organizer = client_for("organizer")
    response = organizer.post(
        reverse("training:create"), training_form("2028年专题培训", "2028-03-01")
    )
    training = Training.objects.get()
    assert response["Location"] == training.get_absolute_url()
    assert choose_year(organizer, 2028).context["year_choices"] == [2028, THIS_YEAR]
    listed = organizer.get(reverse("training:list"))
    assert listed.context["selected_year"] == 2028
    assert [row.record for row in listed.context["table"].rows] == [training]


def test_a_spot_check_in_a_year_without_a_row_is_listed_under_that_year(
    client_for, personas, unit_a, this_year
):
    inspector = client_for("inspector")
    response = inspector.post(
        reverse("assessment:spot_check_create"),
        {
            "unit": unit_a.pk,
            "checklist": make_checklist(personas["inspector"]).pk,
            "date": "2028-05-06",
            "inspectors": [personas["inspector"].pk],
        },
    )
    check = SpotCheck.objects.get()
    assert response.status_code == 302
    assert choose_year(inspector, 2028).context["year_choices"] == [2028, THIS_YEAR]
    listed = inspector.get(reverse("assessment:spot_check_list"))
    assert [row.record for row in listed.context["table"].rows] == [check]


def test_the_migration_gives_years_saved_before_without_a_row_their_row(
    personas, unit_a, this_year
):
    """Records saved before ensure_year_open created rows: 2028's training and 2027's check."""
    from datetime import date
    from importlib import import_module

    from django.apps import apps

    from tests.training.conftest import make_training

    migration = import_module("assessment.migrations.0012_year_rows_for_existing_records")
    make_training(created_by=personas["organizer"], start=date(2028, 3, 1))
    checklist = make_checklist(personas["inspector"])
    SpotCheck.objects.create(unit=unit_a, checklist=checklist, date=date(2027, 5, 6))
    assert not Year.objects.filter(year__in=[2027, 2028]).exists()  # saved past the services
    migration.add_missing_years(apps, None)
    assert list(Year.objects.values_list("year", flat=True)) == [2028, 2027, THIS_YEAR]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_race_two_first_records_of_a_year(personas):
    """Both are saved; the second waits for the first's row and then uses it."""
    inspector = personas["inspector"]
    outcomes = race(
        lambda: make_checklist(inspector, name="甲表", year=2028),
        lambda: make_checklist(inspector, name="乙表", year=2028),
    )
    assert not refusals(outcomes)
    assert list(Year.objects.values_list("year", flat=True)) == [2028]


def test_a_training_dated_in_a_far_year_is_refused_and_makes_no_year(client_for, this_year):
    """A training dated 1950 (a typing slip) made a year row nobody could remove."""
    organizer = client_for("organizer")
    response = organizer.post(
        reverse("training:create"), training_form("旧培训", "1950-03-01"), follow=True
    )
    assert not Training.objects.exists()
    assert list(Year.objects.values_list("year", flat=True)) == [THIS_YEAR]
    text = response.content.decode()
    window = f"{THIS_YEAR - 10} 至 {THIS_YEAR + 2}"
    assert f"1950 不是系统使用的年度：请核对日期（新增的年度须在 {window} 之间）。" in text
