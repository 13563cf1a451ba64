"""A form posted twice (a double click past the browser's guard, a retry) records one row: an
identical rectification of a check still awaiting the unit, or an identical adjustment of the
same scheme and unit, is refused under a row lock, so two requests at once are safe too."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import Adjustment, Rectification, Scheme
from assessment.services.rectifications import answer_rectification, raise_rectification
from assessment.services.year_end import add_adjustment
from core.models import Year
from tests.concurrency import exactly_one_wins, postgresql_only, race


@pytest.fixture
def scheme(db):
    year, _created = Year.objects.get_or_create(year=timezone.localdate().year)
    return Scheme.objects.create(year=year)


def test_a_rectification_posted_twice_is_raised_once(confirmed_check, personas, client_for):
    item = confirmed_check.checklist.sections.first().items.first()
    url = reverse("assessment:rectification_create", args=[confirmed_check.pk])
    data = {"item": item.pk, "requirement": "补齐审查记录", "working_days": 10}
    inspector = client_for("inspector")
    assert inspector.post(url, data).status_code == 302
    response = inspector.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "本次检查已提出相同的整改，正等待单位整改。"
    ]
    assert Rectification.objects.count() == 1
    # another requirement, or other working days, is another rectification
    assert inspector.post(url, {**data, "working_days": 5}).status_code == 302
    assert inspector.post(url, {**data, "requirement": "补齐会议记录"}).status_code == 302
    assert Rectification.objects.count() == 3


def test_the_same_requirement_again_once_the_unit_has_answered_is_raised(confirmed_check, personas):
    first = raise_rectification(
        confirmed_check, requirement="补齐审查记录", working_days=5, actor=personas["inspector"]
    )
    answer_rectification(first, response="已补齐", actor=personas["liaison_a"])
    raise_rectification(
        confirmed_check, requirement="补齐审查记录", working_days=5, actor=personas["inspector"]
    )
    assert Rectification.objects.count() == 2


def test_an_adjustment_posted_twice_is_recorded_once(scheme, unit_a, unit_b, client_for):
    url = reverse("assessment:adjustments")
    data = {"unit": unit_a.pk, "kind": "bonus", "points": "2", "reason": "经验做法被省级推广"}
    inspector = client_for("inspector")
    assert inspector.post(url, data).status_code == 302
    response = inspector.post(url, {**data, "points": "2.00"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["该单位已记录相同的加减分。"]
    assert list(Adjustment.objects.values_list("unit", "points")) == [(unit_a.pk, D("2.00"))]
    # the same bonus of another unit, or other points, is another adjustment
    assert inspector.post(url, {**data, "unit": unit_b.pk}).status_code == 302
    assert inspector.post(url, {**data, "points": "1"}).status_code == 302
    assert Adjustment.objects.count() == 3


# --- races on PostgreSQL ---------------------------------------------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_race_two_identical_rectifications(confirmed_check, personas):
    def raise_one():
        return raise_rectification(
            type(confirmed_check).objects.get(pk=confirmed_check.pk),
            requirement="补齐审查记录",
            working_days=5,
            actor=personas["inspector"],
        )

    exactly_one_wins(race(raise_one, raise_one), "duplicate")
    assert Rectification.objects.count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_race_two_identical_adjustments(scheme, unit_a, personas):
    def add_one():
        return add_adjustment(
            Scheme.objects.get(pk=scheme.pk),
            unit=unit_a,
            kind=Adjustment.Kind.BONUS,
            points=D("2"),
            reason="经验做法被省级推广",
            actor=personas["inspector"],
        )

    exactly_one_wins(race(add_one, add_one), "duplicate")
    assert Adjustment.objects.count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_adjustments_of_two_units_do_not_wait_for_each_other(scheme, personas, unit_a, unit_b):
    """The double-submit check locks the unit's row, not the scheme's: a bonus for 甲街道 held
    open does not hold up one for 乙局 (issue 12: unrelated writes never wait)."""
    import threading

    from django.db import connection, transaction

    entered = threading.Event()
    release = threading.Event()

    def hold_one_open():
        try:
            with transaction.atomic():
                add_adjustment(
                    scheme,
                    unit=unit_a,
                    kind=Adjustment.Kind.BONUS,
                    points=D("1"),
                    reason="甲",
                    actor=personas["leader"],
                )
                entered.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_one_open)
    holder.start()
    assert entered.wait(10)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        add_adjustment(
            scheme,
            unit=unit_b,
            kind=Adjustment.Kind.BONUS,
            points=D("1"),
            reason="乙",
            actor=personas["leader"],
        )
    finally:
        release.set()
        holder.join()
    assert Adjustment.objects.count() == 2
