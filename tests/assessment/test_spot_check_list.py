"""The spot-check list shows who inspects each check (tester's finding: always "—")."""

from datetime import date

import pytest
from django.urls import reverse

from assessment.models import SpotCheck


def inspectors_column(client):
    response = client.get(reverse("assessment:spot_check_list"), {"year": 2026})
    assert response.status_code == 200
    return {
        row.record.unit.name: row.get_cell("inspector_names")
        for row in response.context["table"].rows
    }


@pytest.mark.parametrize("persona", ["leader", "inspector"])
def test_the_list_names_each_checks_inspectors(client_for, persona, spot_check):
    # `spot_check` (甲街道) has two: "inspector" (no full name: the username) and 检查员乙
    names = inspectors_column(client_for(persona))["甲街道"]
    assert sorted(names.split("、")) == ["inspector", "检查员乙"]


def test_a_liaison_sees_the_inspectors_of_its_confirmed_check(client_for, confirmed_check):
    names = inspectors_column(client_for("liaison_a"))["甲街道"]
    assert sorted(names.split("、")) == ["inspector", "检查员乙"]


def test_a_check_without_inspectors_shows_a_dash(client_for, unit_b, checklist):
    SpotCheck.objects.create(unit=unit_b, checklist=checklist, date=date(2026, 9, 21))
    assert inspectors_column(client_for("leader")) == {"乙局": "—"}
