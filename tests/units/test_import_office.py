"""Unit import of files written by LibreOffice (tests/data/office/): a title row, a 备注
column, footers, a parent that comes later in the file, a parent by short name, blank cells
that keep what a unit has, aliases; .xlsx, .xls and GBK CSV."""

import pytest
from django.urls import reverse

from tests.conftest import import_token, make_user, office_file
from units.models import Unit
from units.roles import Role


@pytest.fixture
def admin(client, office_units):
    client.force_login(make_user(role=Role.ADMIN))
    return client


@pytest.mark.parametrize("name", ["units.xlsx", "units.xls", "units.gbk.csv"])
def test_unit_list_from_an_office_file(admin, office_units, name):
    response = admin.post(reverse("units:import"), {"file": office_file(name)})
    assert response.status_code == 302, response.context["form"].errors
    preview = admin.get(response.url)
    assert preview.context["is_clean"], preview.context["preview"]
    assert preview.context["notes"] == [
        "第 1 行位于表头（第 2 行）之上，为标题，已跳过。",
        "未使用的列：备注。",
        "第 9–10 行为表尾（签字、合计、备注等），已跳过。",
    ]
    notes = {row.row_number: row.notes for row, _category, _problems in preview.context["preview"]}
    assert notes[6] == ["更新单位“市教育局”（按编码 BM03 找到）。", "没有变化。"]
    assert (
        admin.post(reverse("units:import_confirm"), {"token": import_token(admin)}).status_code
        == 302
    )

    assert Unit.objects.count() == 5 + 4  # the five of the fixture, four new
    centre = Unit.objects.get(code="BM22")
    assert centre.parent.name == "市数据局"  # by code, from a later row
    assert Unit.objects.get(name="市教育局信息中心").parent.code == "BM03"  # by short name 教育局
    education = Unit.objects.get(code="BM03")
    assert (education.short_name, education.sort_order) == ("教育局", 103)  # blanks kept
    data_bureau = Unit.objects.get(code="BM21")
    assert data_bureau.aliases == "市大数据局、大数据局"
    assert Unit.objects.get(code="ZJ13").category.name == "镇（街道）及板块"


@pytest.mark.parametrize("name", ["units_merged.xlsx", "units_merged.xls"])
def test_a_category_merged_down_over_its_units_and_a_row_counter(admin, office_units, name):
    """类别 drawn as one cell over each category's units; 序号 counts rows, it is not the
    units' order (it was read as 排序 and renumbered existing units)."""
    response = admin.post(reverse("units:import"), {"file": office_file(name)})
    assert response.status_code == 302, response.context["form"].errors
    preview = admin.get(response.url)
    assert preview.context["is_clean"], preview.context["preview"]
    assert "未使用的列：序号。" in preview.context["notes"]
    admin.post(reverse("units:import_confirm"), {"token": import_token(admin)})
    categories = dict(
        Unit.objects.filter(code__in=["ZJ13", "ZJ14", "BM41", "BM42"]).values_list(
            "code", "category__name"
        )
    )
    assert categories == {
        "ZJ13": "镇（街道）及板块",
        "ZJ14": "镇（街道）及板块",
        "BM41": "市级部门",
        "BM42": "市级部门",
    }
    # 序号 is not their order: each new unit goes after its category's units, in file order
    order = dict(Unit.objects.values_list("code", "sort_order"))
    for category in ("镇（街道）及板块", "市级部门"):
        others = Unit.objects.filter(category__name=category).exclude(
            code__in=["ZJ13", "ZJ14", "BM41", "BM42"]
        )
        last = max([0, *others.values_list("sort_order", flat=True)])
        new = ["ZJ13", "ZJ14"] if category.startswith("镇") else ["BM41", "BM42"]
        assert [order[code] for code in new] == [last + 1, last + 2]
