"""Indicator and checklist imports of files written by LibreOffice (tests/data/office/): titles,
stamp rows, 序号 and 备注 columns, footers, units as people write them, full-width digits, an
instructions sheet in front; .xlsx, .xls and GBK CSV."""

from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessment.models import Checklist, Indicator, IndicatorValue, Scheme
from core.models import Year
from tests.conftest import make_user, office_file, upload_and_confirm
from units.roles import Role


@pytest.fixture
def inspector(client, office_units):
    client.force_login(make_user(role=Role.INSPECTOR))
    return client


@pytest.fixture
def scheme(db):
    year, _created = Year.objects.get_or_create(year=timezone.localdate().year)
    scheme, _created = Scheme.objects.get_or_create(year=year)
    Indicator.objects.create(scheme=scheme, name="信息公开及时率", weight=D(10))
    Indicator.objects.create(scheme=scheme, name="依申请公开按时办结率", weight=D(10))
    return scheme


@pytest.mark.parametrize("name", ["indicators.xlsx", "indicators.xls", "indicators.gbk.csv"])
def test_indicator_grid_from_an_office_file(inspector, scheme, name):
    preview, confirm = upload_and_confirm(
        inspector,
        reverse("assessment:indicator_import"),
        reverse("assessment:indicator_import_confirm"),
        {"file": office_file(name)},
    )
    assert preview.context["preview"].is_clean, preview.context["preview"].rows
    assert confirm["Location"] == reverse("assessment:indicators")
    values = {
        (value.unit.name, value.indicator.name): (value.value, value.source)
        for value in IndicatorValue.objects.select_related("unit", "indicator")
    }
    assert values == {
        # 市发改委 (short name with the city's 市), BM03 (code), 民政局 (short name)
        ("市发展和改革委员会", "信息公开及时率"): (D("98.50"), "平台统计"),
        ("市发展和改革委员会", "依申请公开按时办结率"): (D("100.00"), "平台统计"),
        ("市教育局", "信息公开及时率"): (D("95.00"), "平台统计"),
        ("市教育局", "依申请公开按时办结率"): (D("90.25"), "平台统计"),
        ("市民政局", "信息公开及时率"): (D("100.00"), "抽查"),  # １００ in full-width digits
        ("市民政局", "依申请公开按时办结率"): (D("88.00"), "抽查"),
    }


@pytest.mark.parametrize("name", ["indicators_percent.xlsx", "indicators_percent.xls"])
def test_rates_shown_as_percentages_are_read_as_the_clerk_sees_them(inspector, scheme, name):
    """0.985 shown as 98.50% is 98.50, not 0.99 (a tester's ranking fell from 87.89 to 60.78);
    the 平均 row under the values is no unit."""
    preview, _confirm = upload_and_confirm(
        inspector,
        reverse("assessment:indicator_import"),
        reverse("assessment:indicator_import_confirm"),
        {"file": office_file(name)},
    )
    assert preview.context["preview"].is_clean, preview.context["preview"].rows
    values = {
        (value.unit.name, value.indicator.name): value.value
        for value in IndicatorValue.objects.select_related("unit", "indicator")
    }
    assert values == {
        ("市发展和改革委员会", "信息公开及时率"): D("98.50"),
        ("市发展和改革委员会", "依申请公开按时办结率"): D("100.00"),
        ("市教育局", "信息公开及时率"): D("95.00"),
        ("市教育局", "依申请公开按时办结率"): D("90.25"),  # shown 90% (format 0%): kept exact
        ("市民政局", "信息公开及时率"): D("100.00"),
        ("市民政局", "依申请公开按时办结率"): D("88.00"),
    }


def test_indicator_import_page_says_how_the_file_was_read(inspector, scheme):
    text = "2026年度指标\n单位,信息公开及时率,备注\n发改委,101,\n填表人：赵六\n"
    response = inspector.post(
        reverse("assessment:indicator_import"),
        {"file": SimpleUploadedFile("i.csv", text.encode("gbk"))},
    )
    response = inspector.get(response.url)
    page = response.content.decode()
    assert "第 1 行位于表头（第 2 行）之上，为标题，已跳过。" in page
    assert "未使用的列：备注。" in page
    assert "第 4 行为表尾（签字、合计、备注等），已跳过。" in page
    assert "文件中没有依申请公开按时办结率的列：这些数值保持不变。" in page
    (row,) = response.context["preview"].rows
    assert row.row_number == 3
    assert row.errors == ["信息公开及时率：“101”不是 0 到 100 之间、最多两位小数的数字。"]
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize("name", ["checklist_instructions.xlsx", "checklist_instructions.xls"])
def test_checklist_from_an_office_file_with_an_instructions_sheet(inspector, name):
    preview, confirm = upload_and_confirm(
        inspector,
        reverse("assessment:checklist_import"),
        reverse("assessment:checklist_import_confirm"),
        {"name": "办公软件检查表", "year": 2026, "file": office_file(name)},
    )
    assert preview.context["preview"].is_clean, preview.context["preview"].rows
    assert confirm.status_code == 302
    checklist = Checklist.objects.get(name="办公软件检查表")
    items = [
        (
            item.section.title,
            item.text,
            item.max_points,
            item.is_veto,
            [(rule.fault, rule.points_per_occurrence) for rule in item.rules.all()],
        )
        for section in checklist.sections.all()
        for item in section.items.all()
    ]
    assert items == [
        ("制度建设", "保密审查制度健全", D(10), False, []),
        ("发布流程", "信息发布及时", D(20), False, [("逾期发布", D(2)), ("未经审核发布", D(5))]),
        ("保密审查", "未发生泄密事件", D(10), True, []),
    ]
    assert checklist.total_points() == D(40)  # 10 + 20 + 10


def test_checklist_template_download_imports(inspector):
    template = inspector.get(reverse("assessment:checklist_import_template"))
    assert template.status_code == 200
    upload_and_confirm(
        inspector,
        reverse("assessment:checklist_import"),
        reverse("assessment:checklist_import_confirm"),
        {
            "name": "模板检查表",
            "year": 2026,
            "file": SimpleUploadedFile("t.xlsx", template.content),
        },
    )
    assert Checklist.objects.get(name="模板检查表").total_points() == D(40)


def test_rates_written_as_fractions_are_warned_about(inspector, scheme):
    """0.95 for 95 % was saved as 0.95 points without a word (a tester's file)."""
    text = "单位,信息公开及时率,依申请公开按时办结率\n发改委,0.95,90\n教育局,1,88\n"
    response = inspector.post(
        reverse("assessment:indicator_import"),
        {"file": SimpleUploadedFile("指标.csv", text.encode())},
    )
    preview = inspector.get(response.url).context["preview"]
    assert preview.warnings == [
        "信息公开及时率的数值均不大于 1：如果是写成小数的比率（95% 写成了 0.95），"
        "请改写为百分数（95 或 95%）。"
    ]
