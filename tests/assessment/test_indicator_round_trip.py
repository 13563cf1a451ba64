"""The indicator grid exported and imported back unchanged changes nothing (values nor 来源), and
values are read as clerks write them ("98.5%")."""

from decimal import Decimal as D

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import IndicatorValue
from tests.assessment.test_import_preview import (
    INDICATOR_CONFIRM,
    INDICATOR_IMPORT,
    INDICATOR_PREVIEW,
    csv,
    scheme,  # noqa: F401 (a fixture)
)
from tests.conftest import import_token

FORMULA_SOURCE = '=HYPERLINK("http://tj.example.gov.cn/2026")'


@pytest.fixture
def inspector(client_for):
    return client_for("inspector")


@pytest.fixture
def saved_values(scheme, personas, unit_a, unit_b):  # noqa: F811
    timeliness = scheme.indicators.get(name="及时率")
    completion = scheme.indicators.get(name="办结率")
    for indicator, unit, value in [
        (timeliness, unit_a, D("95.50")),
        (completion, unit_a, D("88.00")),
        (timeliness, unit_b, D("80.00")),
    ]:
        IndicatorValue.objects.create(
            indicator=indicator,
            unit=unit,
            value=value,
            source=FORMULA_SOURCE,
            entered_by=personas["leader"],
        )


def saved():
    return sorted(
        IndicatorValue.objects.values_list("indicator__name", "unit__name", "value", "source")
    )


def test_an_exported_grid_imported_back_unchanged_changes_nothing(inspector, saved_values):
    before = saved()
    history_before = IndicatorValue.history.count()
    exported = inspector.get(reverse("assessment:indicator_export")).content
    response = inspector.post(INDICATOR_IMPORT, {"file": SimpleUploadedFile("指标.xlsx", exported)})
    assert response["Location"] == INDICATOR_PREVIEW

    page = inspector.get(INDICATOR_PREVIEW)
    assert page.context["preview"].change_count == 0
    text = page.content.decode()
    assert "文件中的数值和来源与现有数据完全相同，没有需要导入的内容。" in text
    assert "导入全部行" not in text
    assert "及时率：95.50，不变" in text

    # a confirm sent anyway writes nothing
    confirm = inspector.post(INDICATOR_CONFIRM, {"token": import_token(inspector)})
    assert [str(m) for m in get_messages(confirm.wsgi_request)] == ["已保存 0 个数值。"]
    assert saved() == before  # 来源 keeps no export quote
    assert IndicatorValue.history.count() == history_before


def test_a_changed_source_alone_is_shown_and_saved(inspector, saved_values, unit_a):
    text = "单位,及时率,办结率,来源\n甲街道,95.5,88,统计年报\n"
    inspector.post(INDICATOR_IMPORT, {"file": csv(text)})
    page = inspector.get(INDICATOR_PREVIEW).content.decode()
    assert "及时率：95.50，数值不变，来源更新" in page
    assert "办结率：88.00，数值不变，来源更新" in page

    confirm = inspector.post(INDICATOR_CONFIRM, {"token": import_token(inspector)})
    assert [str(m) for m in get_messages(confirm.wsgi_request)] == ["已保存 2 个数值。"]
    assert sorted(IndicatorValue.objects.filter(unit=unit_a).values_list("value", "source")) == [
        (D("88.00"), "统计年报"),
        (D("95.50"), "统计年报"),
    ]


def test_a_percent_sign_is_the_same_number_and_three_decimals_say_so(inspector, scheme, unit_a):  # noqa: F811
    text = "单位,及时率,办结率\n甲街道,98.5%,90.123456\n乙局,９７％,\n"
    inspector.post(INDICATOR_IMPORT, {"file": csv(text, "utf-8")})
    preview = inspector.get(INDICATOR_PREVIEW).context["preview"]
    assert [row.errors for row in preview.rows] == [
        ["办结率：“90.123456”超过两位小数，最多两位小数。"],
        [],
    ]
    assert [change[:3] for change in preview.rows[0].changes] == [("及时率", None, D("98.5"))]
    assert [change[:3] for change in preview.rows[1].changes] == [
        ("及时率", None, D("97")),  # the full-width ９７％ too
        ("办结率", None, None),
    ]


def test_an_export_quote_is_dropped_only_before_formula_characters():
    from core.tabular import without_export_quote

    assert without_export_quote("'=SUM(A1)") == "=SUM(A1)"
    assert without_export_quote("'-5") == "-5"
    assert without_export_quote("'@x") == "@x"
    assert without_export_quote("'+86") == "+86"
    assert without_export_quote("'quoted'") == "'quoted'"
    assert without_export_quote("'") == "'"
