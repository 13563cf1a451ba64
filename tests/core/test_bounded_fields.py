"""BoundedFieldsMixin: ids no database holds are a field error (not a 400), and names and titles
refuse invisible control characters with a message at the field."""

import pytest
from django.urls import reverse

from assessment.models import Checklist, SpotCheck
from tests.assessment.conftest import make_checklist
from units.models import Unit

HUGE = str(10**20)


def test_a_huge_inspector_id_on_a_new_spot_check_is_a_field_error(client_for, personas, unit_a):
    checklist = make_checklist(personas["inspector"])
    response = client_for("inspector").post(
        reverse("assessment:spot_check_create"),
        {"unit": unit_a.pk, "checklist": checklist.pk, "date": "2026-09-20", "inspectors": HUGE},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["inspectors"] == [f"“{HUGE}”不是一个有效的值"]
    assert not SpotCheck.objects.exists()


@pytest.mark.parametrize("field", ["unit", "checklist"])
def test_a_huge_id_in_a_single_choice_is_a_field_error(client_for, personas, unit_a, field):
    checklist = make_checklist(personas["inspector"])
    data = {
        "unit": unit_a.pk,
        "checklist": checklist.pk,
        "date": "2026-09-20",
        "inspectors": personas["inspector"].pk,
    }
    data[field] = HUGE
    response = client_for("inspector").post(reverse("assessment:spot_check_create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not SpotCheck.objects.exists()


CONTROLS = ["\x00", "\x07", "\t", "\n", "\x1b", "\x7f", "\u202e", "\u2066", "\u2069"]
MESSAGE = "文本含有不可见的控制字符"


@pytest.mark.parametrize("character", CONTROLS)
def test_a_checklist_name_with_a_control_character_is_refused(client_for, character):
    response = client_for("inspector").post(
        reverse("assessment:checklist_create"),
        {"name": f"检查{character}表", "year": 2026, "description": ""},
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["name"]
    assert error.startswith(MESSAGE) or (character == "\x00" and error == "不允许使用空字符。")
    assert not Checklist.objects.exists()


def test_a_unit_name_with_a_bidi_override_is_refused(client_for):
    response = client_for("admin").post(
        reverse("units:create"),
        {"name": "甲\u202e局", "category": Unit.objects.first().category_id},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"][0] == (
        "文本含有不可见的控制字符（U+202E），请删除。"
    )


def test_a_multi_line_text_keeps_its_line_breaks_and_tabs_but_not_other_controls(client_for):
    client = client_for("inspector")
    response = client.post(
        reverse("assessment:checklist_create"),
        {"name": "检查表", "year": 2026, "description": "第一行\r\n\t第二行"},
    )
    assert response.status_code == 302
    assert Checklist.objects.get().description == "第一行\r\n\t第二行"
    response = client.post(
        reverse("assessment:checklist_create"),
        {"name": "检查表二", "year": 2026, "description": "第一行\x0b第二行"},
    )
    assert response.context["form"].errors["description"][0].startswith(MESSAGE)


@pytest.mark.parametrize(
    "points, message",
    [
        ("12345678", "请输入小于 10000 的数。"),  # points are 6 digits, 2 of them decimals
        ("1.234", "小数最多 2 位。"),
        ("12.34567", "小数最多 2 位。"),
    ],
)
def test_the_adjustment_points_errors_are_whole_chinese_sentences(
    client_for, unit_a, points, message
):
    from django.utils import timezone

    from assessment.models import Adjustment, Scheme
    from core.models import Year

    year, _created = Year.objects.get_or_create(year=timezone.localdate().year)
    Scheme.objects.create(year=year)
    response = client_for("leader").post(
        reverse("assessment:adjustments"),
        {"unit": unit_a.pk, "kind": "bonus", "points": points, "reason": "推广经验"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["points"] == [message]
    assert not Adjustment.objects.exists()
