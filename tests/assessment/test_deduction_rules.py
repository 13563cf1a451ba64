"""One fault is one deduction rule of an item: a second rule for it would count it twice."""

from decimal import Decimal as D

import pytest
from django.db import IntegrityError
from django.urls import reverse

from assessment.models import ChecklistItem, DeductionRule
from tests.assessment.conftest import items_by_text


def item_data(checklist, rules):
    data = {
        "section": checklist.sections.first().pk,
        "text": "新检查项",
        "guidance": "",
        "max_points": "10",
        "sort_order": "5",
        "rules-TOTAL_FORMS": str(len(rules)),
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
    }
    for number, (fault, points) in enumerate(rules):
        data[f"rules-{number}-fault"] = fault
        data[f"rules-{number}-points_per_occurrence"] = points
    return data


def test_the_same_fault_twice_in_one_item_is_a_field_error(client_for, checklist):
    before = ChecklistItem.objects.count()
    response = client_for("inspector").post(
        reverse("assessment:item_add", args=[checklist.pk]),
        item_data(checklist, [("逾期发布", "2"), ("逾期发布", "3")]),
    )
    assert response.status_code == 200
    rules = response.context["rules"]
    assert rules.forms[0].errors == {}
    assert rules.forms[1].errors["fault"] == ["“逾期发布”已是本检查项的第 1 条规则。"]
    assert ChecklistItem.objects.count() == before


def test_different_faults_are_saved(client_for, checklist):
    response = client_for("inspector").post(
        reverse("assessment:item_add", args=[checklist.pk]),
        item_data(checklist, [("逾期发布", "2"), ("未经审核", "3")]),
    )
    assert response.status_code == 302
    item = ChecklistItem.objects.get(text="新检查项")
    assert [(r.fault, r.points_per_occurrence) for r in item.rules.all()] == [
        ("逾期发布", D("2.00")),
        ("未经审核", D("3.00")),
    ]


def test_the_database_refuses_a_second_rule_for_a_fault(checklist):
    item = items_by_text(checklist)["信息发布及时"]  # has 发布不及时
    with pytest.raises(IntegrityError):
        DeductionRule.objects.create(item=item, fault="发布不及时", points_per_occurrence=D(1))
