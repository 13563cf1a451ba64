"""The spot-check list's filters offer only what the user may see (issue 11, item 13)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from assessment.models import SamplingRound, SpotCheck


def make_round(name, checklist, inspector, *, status=SamplingRound.Status.DRAFT):
    return SamplingRound.objects.create(
        name=name,
        year=2026,
        planned_start=date(2026, 9, 1),
        planned_end=date(2026, 9, 30),
        checklist=checklist,
        sample_size=1,
        inspectors_per_check=1,
        created_by=inspector,
        status=status,
    )


@pytest.fixture
def rounds(personas, unit_a, unit_b, checklist, inspector_b):
    inspector = personas["inspector"]
    drawn = SamplingRound.Status.DRAWN
    own = make_round("第一轮（甲）", checklist, inspector, status=drawn)
    other = make_round("第二轮（乙）", checklist, inspector, status=drawn)
    make_round("第三轮（草稿）", checklist, inspector)
    for sampling_round, unit in ((own, unit_a), (other, unit_b)):
        check = SpotCheck.objects.create(
            round=sampling_round,
            unit=unit,
            checklist=checklist,
            date=date(2026, 9, 20),
            status=SpotCheck.Status.CONFIRMED,
            percentage=D("90.00"),
        )
        check.inspectors.set([inspector, inspector_b])


def filter_form(client):
    response = client.get(reverse("assessment:spot_check_list"))
    assert response.status_code == 200
    return response.context["filter"].form


def test_a_liaison_sees_only_its_own_rounds_and_no_inspector_list(client_for, rounds):
    form = filter_form(client_for("liaison_a"))
    assert [label for _value, label in form.fields["round"].choices][1:] == ["第一轮（甲）"]
    assert "inspector" not in form.fields


def test_assessors_see_drawn_rounds_and_inspectors_by_name(client_for, rounds):
    form = filter_form(client_for("leader"))
    rounds = [label for _value, label in form.fields["round"].choices][1:]
    assert sorted(rounds) == ["第一轮（甲）", "第二轮（乙）"]  # not the undrawn draft
    labels = [label for _value, label in form.fields["inspector"].choices][1:]
    assert "检查员乙" in labels and "inspector_b" not in labels
