"""What an independent tester found in the unit import: the preview must name every change the
confirm makes (a rename and a disabled unit as warnings), a short name or alias may not be what
another unit is called, codes match in any case, and the list's export imports back."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import import_token, log_in, make_category, make_unit, office_file
from tests.units.test_aliases import form_data
from tests.units.test_import import URL, csv_upload, error_rows, post
from units.forms import UnitForm
from units.models import Unit
from units.roles import Role

DISABLED_WARNING = "停用后，该单位不再参加排名、抽查抽取和培训报名。"
FIELDS = ("code", "name", "short_name", "aliases", "sort_order", "is_active", "parent__code")


@pytest.fixture
def city(db):
    """Some units of the demo city, as seed_demo makes them."""
    towns, departments = make_category("镇（街道）及板块"), make_category("市级部门")
    units = [
        ("ZJ01", "华阳街道", "华阳街道", towns, 1),
        ("ZJ02", "崇明街道", "崇明街道", towns, 2),
        ("BM01", "市政府办公室", "政府办", departments, 101),
        ("BM03", "市教育局", "教育局", departments, 103),
        ("BM21", "市应急管理局", "应急局", departments, 121),
        ("BM22", "市审计局", "审计局", departments, 122),
    ]
    for code, name, short_name, category, sort_order in units:
        make_unit(name, code=code, short_name=short_name, category=category, sort_order=sort_order)


@pytest.fixture
def admin(client, city):
    return log_in(client, Role.ADMIN)


def snapshot():
    return list(Unit.objects.order_by("pk").values_list(*FIELDS))


def preview_rows(response):
    return {row.row_number: row for row, _category, _problems in response.context["preview"]}


def confirm(client):
    return client.post(reverse("units:import_confirm"), {"token": import_token(client)})


def test_disabling_a_unit_is_a_warning_in_the_preview_and_all_that_confirm_changes(admin):
    before = snapshot()
    response = post(admin, csv_upload("编码,名称,简称,类别,启用\nBM01,市政府办公室,,市级部门,否\n"))
    row = preview_rows(response)[2]
    assert row.notes == ["更新单位“市政府办公室”（按编码 BM01 找到）。"]
    assert row.warnings == ["启用：是 → 否", DISABLED_WARNING]
    page = response.content.decode()
    assert "将新增 0 个单位，更新 1 个单位。" in page
    assert "其中 1 个单位将停用。" in page
    assert 'class="table-warning"' in page

    assert confirm(admin).status_code == 302
    # exactly the one change the preview named: BM01's 启用, nothing else
    expected = [
        (*fields[:5], False, *fields[6:]) if fields[0] == "BM01" else fields for fields in before
    ]
    assert snapshot() == expected


def test_the_office_sample_lists_every_field_each_row_changes(admin):
    response = admin.post(URL, {"file": office_file("units.xlsx")})
    response = admin.get(response.url)
    assert response.context["is_clean"]
    rows = preview_rows(response)
    # row 3: BM22 市数据局政务服务中心, parent BM21 (row 4); row 4: BM21 市数据局 数据局 with
    # two aliases; row 5: a new unit under 教育局; row 6: BM03 with blanks only; row 7: new
    assert rows[3].warnings == ["将把“市审计局”改名为“市数据局政务服务中心”。"]
    assert rows[3].notes == [
        "更新单位“市审计局”（按编码 BM22 找到）。",
        "简称“审计局”保持不变，今后写作“审计局”的文件将识别为“市数据局政务服务中心”："
        "如已不合适，请填写简称列。",
        "上级单位：（空） → 市数据局",
    ]
    assert rows[4].warnings == ["将把“市应急管理局”改名为“市数据局”。"]
    assert rows[4].notes == [
        "更新单位“市应急管理局”（按编码 BM21 找到）。",
        "简称：应急局 → 数据局",
        "别名：（空） → 市大数据局、大数据局",
    ]
    # new units; one without 排序 is also told where it goes
    assert rows[5].notes[0] == rows[7].notes[0] == "新单位。"
    assert rows[6].notes == ["更新单位“市教育局”（按编码 BM03 找到）。", "没有变化。"]
    assert rows[6].warnings == []
    page = response.content.decode()
    assert "5 行可以导入。" in page
    assert "将新增 2 个单位，更新 3 个单位。" in page
    assert "其中 2 个单位将改名。" in page

    before = {fields[0]: fields for fields in snapshot()}
    assert confirm(admin).status_code == 302
    after = {fields[0]: fields for fields in snapshot()}
    assert after["BM22"] == ("BM22", "市数据局政务服务中心", "审计局", "", 122, True, "BM21")
    assert after["BM21"] == ("BM21", "市数据局", "数据局", "市大数据局、大数据局", 121, True, None)
    for code in ("ZJ01", "ZJ02", "BM01", "BM03"):
        assert after[code] == before[code]
    assert Unit.objects.count() == 6 + 2


def test_renames_and_disabled_units_are_counted_apart_in_the_summary(admin):
    text = (
        "编码,名称,类别,启用\n"
        "BM21,市数据局,市级部门,\n"
        "BM22,市审计和数据局,市级部门,是\n"
        "BM01,市政府办公室,市级部门,否\n"
        "ZJ02,崇明街道,镇（街道）及板块,是\n"
    )
    response = post(admin, csv_upload(text))
    rows = preview_rows(response)
    assert rows[2].warnings == ["将把“市应急管理局”改名为“市数据局”。"]
    assert rows[2].notes == [
        "更新单位“市应急管理局”（按编码 BM21 找到）。",
        "简称“应急局”保持不变，今后写作“应急局”的文件将识别为“市数据局”："
        "如已不合适，请填写简称列。",
    ]
    assert rows[5].notes == ["更新单位“崇明街道”（按编码 ZJ02 找到）。", "没有变化。"]
    page = response.content.decode()
    assert "将新增 0 个单位，更新 4 个单位。" in page
    assert "其中 2 个单位将改名、1 个单位将停用。" in page


def test_a_row_that_changes_nothing_says_so(admin):
    text = "编码,名称,简称,类别,排序\nBM03,市教育局,教育局,市级部门,103\n"
    response = post(admin, csv_upload(text))
    assert preview_rows(response)[2].notes == [
        "更新单位“市教育局”（按编码 BM03 找到）。",
        "没有变化。",
    ]
    assert "其中" not in response.content.decode()


@pytest.mark.parametrize(
    "text, message",
    [
        # a short name that is another unit's full name (and short name)
        ("ZJ26,己街道,华阳街道,", "“华阳街道”已被单位“华阳街道”用作名称、简称、别名或编码。"),
        # a short name that is another unit's short name
        ("ZJ26,己街道,应急局,", "“应急局”已被单位“市应急管理局”用作名称、简称、别名或编码。"),
        # an alias that is another unit's full name
        ("ZJ26,己街道,,市审计局", "“市审计局”已被单位“市审计局”用作名称、简称、别名或编码。"),
        # another unit's code, in any case and width (cells are read NFKC-normalised)
        ("ZJ26,己街道,ｂｍ０１,", "“bm01”已被单位“市政府办公室”用作名称、简称、别名或编码。"),
        # a new unit's full name that is another unit's short name (a tester's 教育局)
        ("ZJ26,应急局,,", "“应急局”已被单位“市应急管理局”用作名称、简称、别名或编码。"),
    ],
)
def test_a_short_name_or_alias_that_another_unit_is_called_is_refused(admin, text, message):
    before = snapshot()
    response = post(admin, csv_upload(f"编码,名称,简称,别名,类别\n{text},镇（街道）及板块\n"))
    assert error_rows(response) == {2: [message]}
    assert not response.context["is_clean"]
    assert confirm(admin).url == reverse("units:import_preview")  # refused
    assert snapshot() == before


def test_names_are_checked_against_the_units_as_the_file_leaves_them(admin):
    text = (
        "编码,名称,简称,类别\n"
        "ZJ26,己街道,庚街道,镇（街道）及板块\n"  # the name of row 3's new unit
        "ZJ27,庚街道,,镇（街道）及板块\n"
        "BM21,市数据局,数据局,市级部门\n"  # BM21 gives up 应急局 …
        "ZJ28,辛街道,应急局,镇（街道）及板块\n"  # … so another unit may take it
    )
    assert error_rows(post(admin, csv_upload(text))) == {
        2: ["“庚街道”已被单位“庚街道”用作名称、简称、别名或编码。"],
        3: ["“庚街道”已被单位“己街道”用作名称、简称、别名或编码。"],
    }


def test_a_unit_may_keep_its_own_names(admin):
    text = "编码,名称,简称,别名,类别\nBM21,市应急管理局,应急局,市应急管理局,市级部门\n"
    assert error_rows(post(admin, csv_upload(text))) == {}


def test_the_unit_form_refuses_a_short_name_that_another_unit_is_called(city):
    mine = Unit.objects.get(code="ZJ02")
    form = UnitForm(data=form_data(mine, short_name="华阳街道"), instance=mine)
    assert not form.is_valid()
    assert form.errors["short_name"] == ["“华阳街道”已被单位“华阳街道”用作名称、简称、别名或编码。"]
    form = UnitForm(data=form_data(mine, short_name="崇明街道"), instance=mine)
    assert form.is_valid(), form.errors
    form = UnitForm(data=form_data(mine, name="应急局"), instance=mine)
    assert form.errors["name"] == ["“应急局”已被单位“市应急管理局”用作名称、简称、别名或编码。"]


def test_a_code_matches_in_any_case_and_keeps_the_units_spelling(admin):
    response = post(admin, csv_upload("编码,名称,类别,排序\nzj02,崇明街道,镇（街道）及板块,20\n"))
    assert preview_rows(response)[2].notes == [
        "更新单位“崇明街道”（按编码 ZJ02 找到）。",
        "排序：2 → 20",
    ]
    assert confirm(admin).status_code == 302
    assert Unit.objects.get(name="崇明街道").code == "ZJ02"
    assert Unit.objects.get(name="崇明街道").sort_order == 20
    assert Unit.objects.count() == 6


def test_two_rows_with_one_code_in_two_cases_are_an_error(admin):
    text = "编码,名称,类别\nzj99,甲街道,镇（街道）及板块\nZJ99,乙街道,镇（街道）及板块\n"
    assert error_rows(post(admin, csv_upload(text))) == {3: ["编码“ZJ99”与第 2 行重复。"]}


def test_the_export_says_yes_or_no_and_imports_back_unchanged(admin):
    Unit.objects.filter(code="BM01").update(is_active=False)
    Unit.objects.filter(code="BM22").update(
        parent=Unit.objects.get(code="BM21"),
        contact_name="王五",
        contact_phone="13800001111",
        aliases="审计局机关、县审计局",
    )
    departments = Unit.objects.get(code="BM03").category
    make_unit("市档案馆", code="", short_name="档案馆", category=departments)
    before = snapshot()

    csv_text = admin.get(reverse("units:list"), {"_export": "csv"}).content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0] == "排序,编码,名称,简称,别名,类别,上级单位,启用,联络人,联系电话"
    assert "101,BM01,市政府办公室,政府办,,市级部门,,否,," in lines
    assert (
        "122,BM22,市审计局,审计局,审计局机关、县审计局,市级部门,市应急管理局,是,王五,13800001111"
        in lines
    )

    xlsx = admin.get(reverse("units:list"), {"_export": "xlsx"}).content
    sheet = load_workbook(io.BytesIO(xlsx)).worksheets[0]
    assert {row[7] for row in sheet.iter_rows(min_row=2, values_only=True)} == {"是", "否"}

    for name, content in (("units.csv", csv_text.encode("utf-8-sig")), ("units.xlsx", xlsx)):
        response = post(admin, SimpleUploadedFile(name, content))
        assert response.context["is_clean"], error_rows(response)
        assert [row.notes[-1] for row in preview_rows(response).values()] == ["没有变化。"] * 7
        assert all(row.warnings == [] for row in preview_rows(response).values())
        assert confirm(admin).status_code == 302
        assert snapshot() == before
