"""Unit import: every bad row reported with its row number, and nothing written unless all pass."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tests.conftest import log_in, make_category, make_unit
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
    return client.post(URL, {"file": upload})


def error_rows(response):
    return dict(response.context["errors"])


GOOD_CSV = (
    "编码,名称,简称,类别,排序,联系人,联系电话\n"
    "ZJ01,华阳街道,华阳,镇（街道）及板块,1,张三,13800001111\n"
    "BM03,市教育局,教育局,市级部门,103,李四,0511-87654321\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_every_encoding_excel_writes_imports(admin, categories, encoding):
    response = post(admin, csv_upload(GOOD_CSV, encoding))
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
    response = post(admin, upload)
    assert response.status_code == 302
    unit = Unit.objects.get(code="BM10")
    assert (unit.name, unit.sort_order, unit.is_active) == ("市财政局", 110, False)


def test_reimport_updates_existing_units_by_code(admin, categories):
    towns, _ = categories
    make_unit("华阳街道（旧名）", category=towns, code="ZJ01")
    response = post(admin, csv_upload(GOOD_CSV))
    assert response.status_code == 302
    assert Unit.objects.count() == 2
    assert Unit.objects.get(code="ZJ01").name == "华阳街道"


def test_success_message_counts_created_and_updated(admin, categories):
    towns, _ = categories
    make_unit("华阳街道", category=towns, code="ZJ01")
    response = admin.post(URL, {"file": csv_upload(GOOD_CSV)}, follow=True)
    assert "导入完成：新增 1 个单位，更新 1 个。" in response.content.decode()


def test_parent_may_name_a_unit_of_the_same_file(admin, categories):
    text = "名称,类别,上级单位\n市教育局下属中心,市级部门,市教育局\n市教育局,市级部门,\n"
    assert post(admin, csv_upload(text)).status_code == 302
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
        "排序“第五”不是整数。",
        "请输入 11 位手机号码或固定电话（如 0511-87654321）。",
    ]
    assert Unit.objects.count() == 0
    page = response.content.decode()
    assert "未导入任何数据：4 行有错误" in page


def test_wrong_column_header_is_reported_on_row_one(admin, categories):
    text = "单位名,类别\n华阳街道,镇（街道）及板块\n"
    response = post(admin, csv_upload(text))
    assert error_rows(response) == {1: ["无法识别的列“单位名”。", "缺少必填列“名称”。"]}
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
        (SimpleUploadedFile("a.bin", bytes(range(256)) * 4), "文件既不是 UTF-8 或 GBK 编码的 CSV"),
    ],
)
def test_unreadable_files_get_a_clear_message_at_the_field(admin, categories, upload, message):
    response = post(admin, upload)
    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    assert Unit.objects.count() == 0


def test_template_download_is_importable(admin, categories):
    client = admin
    template = client.get(reverse("units:import_template")).content
    response = post(client, SimpleUploadedFile("t.csv", template))
    assert response.status_code == 302
    assert Unit.objects.get(code="ZJ01").contact_name == "张三"
