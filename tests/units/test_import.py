"""Unit import: every bad row reported with its row number, and nothing written unless all pass."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tests.conftest import import_token, log_in, make_category, make_unit
from units.models import Unit
from units.roles import Role

URL = reverse("units:import")


@pytest.fixture
def categories(db):
    return make_category("镇（街道）及板块", sort_order=1), make_category("市级部门", sort_order=2)


@pytest.fixture
def admin(client, db):
    """An admin with no other units in the database, so counts below are exact."""
    return log_in(client, Role.ADMIN)


def csv_upload(text, encoding="utf-8-sig", name="units.csv"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_upload(rows, name="units.xlsx"):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def post(client, upload):
    """Upload a file; the answer is the preview page (or the upload page with its error)."""
    response = client.post(URL, {"file": upload})
    if response.status_code == 302 and response.url == reverse("units:import_preview"):
        return client.get(response.url)
    return response


def import_file(client, upload):
    """Upload a file and confirm its preview: the answer to the confirmation."""
    response = client.post(URL, {"file": upload})
    if response.status_code == 302 and response.url == reverse("units:import_preview"):
        response = client.post(reverse("units:import_confirm"), {"token": import_token(client)})
    return response


def error_rows(response):
    rows = {row.row_number: problems for row, _category, problems in response.context["preview"]}
    rows.update(dict(response.context["file_errors"]))
    return {number: problems for number, problems in rows.items() if problems}


GOOD_CSV = (
    "编码,名称,简称,类别,排序,联系人,联系电话\n"
    "ZJ01,华阳街道,华阳,镇（街道）及板块,1,张三,13800001111\n"
    "BM03,市教育局,教育局,市级部门,103,李四,0511-87654321\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_every_encoding_excel_writes_imports(admin, categories, encoding):
    response = import_file(admin, csv_upload(GOOD_CSV, encoding))
    assert response.status_code == 302
    unit = Unit.objects.get(code="BM03")
    assert (unit.name, unit.short_name, unit.category.name, unit.sort_order) == (
        "市教育局",
        "教育局",
        "市级部门",
        103,
    )
    assert unit.contact_phone == "0511-87654321"


def test_xlsx_with_english_headers_in_any_order_imports(admin, categories):
    upload = xlsx_upload(
        [
            ["category", "name", "code", "sort_order", "active"],
            ["市级部门", "市财政局", "BM10", 110, "否"],
        ]
    )
    response = import_file(admin, upload)
    assert response.status_code == 302
    unit = Unit.objects.get(code="BM10")
    assert (unit.name, unit.sort_order, unit.is_active) == ("市财政局", 110, False)


def test_reimport_updates_existing_units_by_code(admin, categories):
    towns, _ = categories
    make_unit("华阳街道（旧名）", category=towns, code="ZJ01")
    response = import_file(admin, csv_upload(GOOD_CSV))
    assert response.status_code == 302
    assert Unit.objects.count() == 2
    assert Unit.objects.get(code="ZJ01").name == "华阳街道"


def test_success_message_counts_created_and_updated(admin, categories):
    towns, _ = categories
    make_unit("华阳街道", category=towns, code="ZJ01")
    response = admin.get(import_file(admin, csv_upload(GOOD_CSV)).url)
    assert "导入完成：新增 1 个单位，更新 1 个。" in response.content.decode()


def test_parent_may_name_a_unit_of_the_same_file(admin, categories):
    text = "名称,类别,上级单位\n市教育局下属中心,市级部门,市教育局\n市教育局,市级部门,\n"
    assert import_file(admin, csv_upload(text)).status_code == 302
    assert Unit.objects.get(name="市教育局下属中心").parent.name == "市教育局"


def test_every_bad_row_is_listed_and_nothing_is_written(admin, categories):
    text = (
        "名称,类别,排序,联系电话\n"
        "华阳街道,镇（街道）及板块,1,\n"  # row 2: fine
        ",市级部门,2,\n"  # row 3: empty name
        "华阳街道,镇（街道）及板块,3,\n"  # row 4: duplicate of row 2
        "市教育局,省级部门,4,\n"  # row 5: unknown category
        "市财政局,市级部门,第五,12345\n"  # row 6: sort order and phone
    )
    response = post(admin, csv_upload(text))
    assert response.status_code == 200
    errors = error_rows(response)
    assert sorted(errors) == [3, 4, 5, 6]
    assert errors[3] == ["名称为空。"]
    assert errors[4] == ["名称“华阳街道”与第 2 行重复。"]
    assert errors[5] == ["未知类别“省级部门”；现有类别：镇（街道）及板块、市级部门。"]
    assert errors[6] == [
        "排序“第五”须为 0 至 999999999 的整数。",
        "请输入 11 位手机号码或固定电话（如 0511-87654321）。",
    ]
    assert Unit.objects.count() == 0
    page = response.content.decode()
    assert "4 行有错误。尚未保存任何数据" in page
    assert (
        admin.post(reverse("units:import_confirm"), {"token": import_token(admin)}).status_code
        == 302
    )
    assert Unit.objects.count() == 0


def test_missing_column_is_named_with_the_header_row_found(admin, categories):
    text = "单位名,类别\n华阳街道,镇（街道）及板块\n"
    response = post(admin, csv_upload(text))
    assert response.context["form"].errors["file"] == [
        "缺少必填列“名称”。找到的表头（第 1 行）为：单位名、类别。"
    ]
    assert Unit.objects.count() == 0


def test_name_taken_by_another_existing_unit_is_refused(admin, categories):
    _, departments = categories
    make_unit("市教育局", category=departments, code="BM03")
    text = "编码,名称,类别\nBM99,市教育局,市级部门\n"
    response = post(admin, csv_upload(text))
    assert error_rows(response) == {2: ["单位“市教育局”已存在，编码为 BM03。"]}


def test_parent_loop_is_refused(admin, categories):
    text = "名称,类别,上级单位\n甲,市级部门,乙\n乙,市级部门,甲\n"
    response = post(admin, csv_upload(text))
    assert sorted(error_rows(response)) == [2, 3]
    assert Unit.objects.count() == 0


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("a.csv", b""), "所提交的是空文件。"),
        (SimpleUploadedFile("a.csv", b"\n \n"), "文件为空。"),
        (
            SimpleUploadedFile("a.xlsx", b"PK\x03\x04broken"),
            "无法作为 Excel（.xlsx）工作簿读取该文件。",
        ),
        (SimpleUploadedFile("a.bin", bytes(range(256)) * 4), "文件既不是 CSV"),
    ],
)
def test_unreadable_files_get_a_clear_message_at_the_field(admin, categories, upload, message):
    response = post(admin, upload)
    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    assert Unit.objects.count() == 0


def test_template_download_reads_back_and_its_example_row_is_refused(admin, categories):
    """The template's columns are the importer's; its example row, left in, is refused at its
    row (imported it would have added a unit 示例街道)."""
    template = admin.get(reverse("units:import_template")).content
    response = post(admin, SimpleUploadedFile("t.csv", template))
    assert error_rows(response) == {2: ["这是模板中的示例行，请删除后再导入。"]}
    edited = template.decode("utf-8-sig").replace(
        "ZJ99,示例街道（请删除此行）,示例", "ZJ30,新街道,新街"
    )
    response = import_file(admin, SimpleUploadedFile("t.csv", edited.encode("utf-8-sig")))
    assert response.status_code == 302
    assert Unit.objects.get(code="ZJ30").name == "新街道"


# Issue 11, item 9: blank cells, two rows for one unit, parents in any order.


def test_blank_cells_keep_the_code_short_name_and_sort_order_of_an_existing_unit(admin, categories):
    _, departments = categories
    make_unit("市教育局", category=departments, code="BM03", short_name="教育局", sort_order=103)
    text = "编码,名称,简称,类别,排序,联系人\n,市教育局,,市级部门,,王五\n"
    assert import_file(admin, csv_upload(text)).status_code == 302
    unit = Unit.objects.get(name="市教育局")
    assert (unit.code, unit.short_name, unit.sort_order, unit.contact_name) == (
        "BM03",
        "教育局",
        103,
        "王五",
    )


def test_two_rows_that_come_to_the_same_unit_are_an_error_not_merged(admin, categories):
    _, departments = categories
    make_unit("市教育局", category=departments, code="BM03", sort_order=9)
    # row 2 finds the unit by its code, row 3 by its name
    text = "编码,名称,类别,排序\nBM03,市教育局,市级部门,1\n,市教育局,市级部门,2\n"
    response = post(admin, csv_upload(text))
    assert error_rows(response) == {
        3: ["名称“市教育局”与第 2 行重复。", "本行与第 2 行是同一个单位“市教育局”。"]
    }
    assert import_file(admin, csv_upload(text)).status_code == 302  # back to the preview
    assert Unit.objects.get(name="市教育局").sort_order == 9


def test_preview_says_when_a_unit_is_renamed(admin, categories):
    _, departments = categories
    make_unit("市教育局", category=departments, code="BM03", short_name="教育局")
    response = post(admin, csv_upload("编码,名称,简称,类别\nBM03,市教育体育局,教体局,市级部门\n"))
    row, _category, problems = response.context["preview"][0]
    assert problems == []
    assert row.warnings == ["将把“市教育局”改名为“市教育体育局”。"]
    assert row.notes == ["更新单位“市教育局”（按编码 BM03 找到）。", "简称：教育局 → 教体局"]
    assert "其中 1 个单位将改名。" in response.content.decode()


def test_preview_warns_when_a_renamed_unit_keeps_a_short_name_that_no_longer_fits(
    admin, categories
):
    _, departments = categories
    make_unit("市审计局", category=departments, code="BM21", short_name="审计局")
    response = post(admin, csv_upload("编码,名称,类别\nBM21,市数据局政务服务中心,市级部门\n"))
    row, _category, problems = response.context["preview"][0]
    assert problems == []
    assert (
        "简称“审计局”保持不变，今后写作“审计局”的文件将识别为“市数据局政务服务中心”："
        "如已不合适，请填写简称列。"
    ) in row.notes


def test_same_unit_by_code_and_by_old_name_is_an_error(admin, categories):
    _, departments = categories
    make_unit("市教育局", category=departments, code="BM03")
    text = "编码,名称,类别\nBM03,市教育体育局,市级部门\n,市教育局,市级部门\n"
    assert error_rows(post(admin, csv_upload(text))) == {
        3: ["本行与第 2 行是同一个单位“市教育局”。"]
    }


def test_parent_named_by_its_old_name_while_the_file_renames_it(admin, categories):
    _, departments = categories
    make_unit("市教育局", category=departments, code="BM03")
    text = (
        "编码,名称,类别,上级单位\n"
        "X1,市教育局下属中心,市级部门,市教育局\n"  # the parent by the name row 3 changes
        "BM03,市教育体育局,市级部门,\n"
    )
    assert import_file(admin, csv_upload(text)).status_code == 302
    assert Unit.objects.get(code="X1").parent.code == "BM03"
    assert Unit.objects.get(code="BM03").name == "市教育体育局"


@pytest.mark.parametrize("parent", ["BM03", "市教育局", "教育局", "市教育体育局"])
def test_parents_in_any_order_by_code_or_name(admin, categories, parent):
    _, departments = categories
    make_unit("市教育局", category=departments, code="BM03", short_name="教育局")
    text = (
        "编码,名称,类别,上级单位\n"
        f"X2,中心二,市级部门,X1\n"  # a parent that comes later in the file, by code
        f"X1,中心一,市级部门,{parent}\n"
        "BM03,市教育体育局,市级部门,\n"
    )
    assert import_file(admin, csv_upload(text)).status_code == 302
    assert Unit.objects.get(code="X2").parent.code == "X1"
    assert Unit.objects.get(code="X1").parent.code == "BM03"


def test_aliases_column_is_imported_and_a_blank_keeps_them(admin, categories):
    text = "名称,类别,别名\n市发展和改革委员会,市级部门,发改局，市发改委\n"
    assert import_file(admin, csv_upload(text)).status_code == 302
    assert Unit.objects.get().aliases == "发改局、市发改委"
    text = "名称,类别,别名\n市发展和改革委员会,市级部门,\n"
    assert import_file(admin, csv_upload(text)).status_code == 302
    assert Unit.objects.get().aliases == "发改局、市发改委"


def test_preview_says_what_each_row_does_and_nothing_is_written_before_confirming(
    admin, categories
):
    _, departments = categories
    make_unit("市教育局", category=departments, code="BM03", short_name="教育局")
    text = (
        "填报单位（盖章）：政务公开办\n"
        "编码,名称,类别,备注\n"
        "BM03,市教育局,市级部门,x\n"
        ",市财政局,市级部门,\n"
        "填表人：张三\n"
    )
    response = post(admin, csv_upload(text))
    page = response.content.decode()
    assert "更新单位“市教育局”（按编码 BM03 找到）。" in page
    assert "没有变化。" in page
    assert "新单位。" in page
    assert "第 1 行位于表头（第 2 行）之上，为标题，已跳过。" in page
    assert "未使用的列：备注。" in page
    assert "第 5 行为表尾（签字、合计、备注等），已跳过。" in page
    assert Unit.objects.count() == 1


def test_a_control_character_in_a_unit_name_is_an_error_at_its_row(admin, categories):
    response = post(admin, csv_upload("名称,类别\n甲\x1b街道,市级部门\n乙局,市级部门\n"))
    assert error_rows(response) == {2: ["文本含有不可见的控制字符（U+001B），请删除。"]}


def test_a_new_unit_without_a_sort_order_goes_after_its_category_and_names_lose_padding(
    admin, categories
):
    """A tester's 市融媒体中心 got 排序 0 and jumped above 市政府办公室 (101); its contact
    赵  刚 kept the spaces that line names up."""
    _, departments = categories
    make_unit("市政府办公室", category=departments, code="BM01", sort_order=101)
    make_unit("市教育局", category=departments, code="BM03", sort_order=103)
    text = (
        "名称,类别,排序,联系人,联系电话\n"
        "市融媒体中心,市级部门,,赵  刚,（0511）87250001\n"
        "市档案馆,市级部门,,钱 多,\n"
        "市信访局,市级部门,120,,\n"
    )
    page = post(admin, csv_upload(text)).content.decode()
    assert "排序 104：排在本类别各单位之后。" in page and "排序 105：排在本类别各单位之后。" in page
    assert import_file(admin, csv_upload(text)).status_code == 302
    assert list(
        Unit.objects.filter(category=departments).values_list(
            "name", "sort_order", "contact_name", "contact_phone"
        )
    ) == [
        ("市政府办公室", 101, "", ""),
        ("市教育局", 103, "", ""),
        ("市融媒体中心", 104, "赵刚", "0511-87250001"),
        ("市档案馆", 105, "钱多", ""),
        ("市信访局", 120, "", ""),
    ]
