"""Forms refuse what a person (or a tampered request) should not be able to send, at the field,
in Chinese, and change nothing."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from assessment.models import ItemResult, SamplingRound, SpotCheck
from assessment.services.checklists import build_checklist
from tests.assessment.conftest import SMALL_CHECKLIST, items_by_text


@pytest.fixture
def scoring(spot_check, client_for):
    client = client_for("inspector")
    url = reverse("assessment:spot_check_score", args=[spot_check.pk])
    version = client.get(url).context["form"].initial["version"]
    return client, url, version, items_by_text(spot_check.checklist)


@pytest.mark.parametrize(
    "value, message",
    [
        # one message per field: the range, as the page's live check says it
        ("11", "请填写 0 至 10 分。"),
        ("-1", "请填写 0 至 10 分。"),
        ("十分", "输入一个数字"),
        ("1.234", "小数最多 2 位。"),
    ],
)
def test_out_of_range_negative_and_non_numeric_points_are_refused(scoring, value, message):
    client, url, version, items = scoring
    item = items["保密审查制度"]
    response = client.post(url, {"version": version, f"points_{item.pk}": value})
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[f"points_{item.pk}"])
    assert not ItemResult.objects.exists()


@pytest.mark.parametrize("value", ["-3", "10000", "1.5", "abc"])
def test_bad_occurrence_counts_are_refused_with_one_message(scoring, value):
    client, url, version, items = scoring
    item = items["信息发布及时"]
    rule = item.rules.get()
    response = client.post(url, {"version": version, f"count_{item.pk}_{rule.pk}": value})
    assert response.context["form"].errors[f"count_{item.pk}_{rule.pk}"] == [
        "请填写出现次数：0 至 9999 的整数。"
    ]
    assert not ItemResult.objects.exists()


def test_a_tampered_version_is_treated_as_a_conflict_not_a_silent_overwrite(scoring, spot_check):
    client, url, version, items = scoring
    item = items["保密审查制度"]
    client.post(url, {"version": version, f"points_{item.pk}": "8"})
    response = client.post(url, {"version": version - 5, f"points_{item.pk}": "2"})
    assert response.context["conflict"] is not None
    assert ItemResult.objects.get(item=item).points == D("8")


def test_fields_for_items_of_another_checklist_are_ignored(scoring, personas, spot_check):
    client, url, version, _items = scoring
    other = build_checklist(
        name="别的表", year=2026, sections=SMALL_CHECKLIST, actor=personas["inspector"]
    )
    foreign = items_by_text(other)["保密审查制度"]
    client.post(url, {"version": version, f"points_{foreign.pk}": "10"})
    assert not ItemResult.objects.filter(item=foreign).exists()


def test_evidence_and_rectification_refuse_items_of_another_checklist(
    client_for, spot_check, personas
):
    other = build_checklist(
        name="别的表", year=2026, sections=SMALL_CHECKLIST, actor=personas["inspector"]
    )
    foreign = items_by_text(other)["保密审查制度"]
    SpotCheck.objects.filter(pk=spot_check.pk).update(status=SpotCheck.Status.CONFIRMED)
    response = client_for("inspector").post(
        reverse("assessment:rectification_create", args=[spot_check.pk]),
        {"item": foreign.pk, "requirement": "x", "working_days": 5},
    )
    assert "item" in response.context["form"].errors
    assert not spot_check.rectifications.exists()


def test_round_dates_outside_its_year_are_refused(client_for, checklist, personas, unit_a):
    response = client_for("inspector").post(
        reverse("assessment:round_create"),
        {
            "name": "跨年轮",
            "year": 2026,
            "planned_start": "2025-12-20",
            "planned_end": "2027-01-05",
            "categories": [unit_a.category_id],
            "checklist": checklist.pk,
            "sample_size": 1,
            "inspectors_per_check": 1,
            "inspector_pool": [personas["inspector"].pk],
            "exclude_recent_rounds": 0,
        },
    )
    errors = response.context["form"].errors
    assert "planned_start" in errors and "planned_end" in errors
    assert "日期必须在 2026 年内" in str(errors["planned_start"])
    assert not SamplingRound.objects.exists()


def test_a_liaison_cannot_register_into_another_unit_by_posting_its_id(
    client_for, unit_b, personas
):
    from tests.training.conftest import make_training

    training = make_training(created_by=personas["organizer"])
    response = client_for("liaison_a").post(
        reverse("training:attendee_add", args=[training.pk]),
        {"unit": unit_b.pk, "name": "冒名", "phone": "13800000009", "duty": "officer"},
    )
    assert "unit" in response.context["form"].errors
    assert not training.attendees.exists()


def test_an_adjustment_for_a_unit_that_does_not_exist_is_refused(client_for, db):
    from django.utils import timezone

    from assessment.models import Adjustment, Scheme
    from core.models import Year

    Scheme.objects.create(year=Year.objects.get_or_create(year=timezone.localdate().year)[0])
    response = client_for("leader").post(
        reverse("assessment:adjustments"),
        {"unit": 999999, "kind": "bonus", "points": "2", "reason": "x"},
    )
    assert "unit" in response.context["form"].errors
    assert not Adjustment.objects.exists()
