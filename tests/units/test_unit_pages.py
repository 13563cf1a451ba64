import pytest
from django.urls import reverse

from tests.conftest import log_in, make_category, make_unit
from units.models import Unit
from units.roles import Role


@pytest.fixture
def leader(client, db):
    return log_in(client, Role.LEADER)


@pytest.fixture
def admin(client, db):
    return log_in(client, Role.ADMIN)


@pytest.fixture
def many_units(db):
    towns = make_category("镇（街道）", sort_order=1)
    departments = make_category("市级部门", sort_order=2)
    make_unit("华阳街道", category=towns, short_name="华阳", sort_order=1)
    make_unit("宝华镇", category=towns, sort_order=2, is_active=False)
    make_unit("市教育局", category=departments, short_name="教育局", sort_order=101)
    make_unit("市财政局", category=departments, short_name="财政局", sort_order=102)
    return towns, departments


def listed_names(response):
    return [row.record.name for row in response.context["table"].page.object_list]


def test_list_searches_name_short_name_and_code(leader, many_units):
    client = leader
    assert listed_names(client.get(reverse("units:list"), {"q": "教育"})) == ["市教育局"]
    assert listed_names(client.get(reverse("units:list"), {"q": "财政局"})) == ["市财政局"]


def test_list_filters_by_category_and_active(leader, many_units):
    towns, _ = many_units
    client = leader
    response = client.get(reverse("units:list"), {"category": towns.pk, "is_active": "true"})
    assert listed_names(response) == ["华阳街道"]
    response = client.get(reverse("units:list"), {"is_active": "false"})
    assert listed_names(response) == ["宝华镇"]


def test_list_orders_by_category_then_sort_order_and_sorts_by_any_column(leader, many_units):
    client = leader
    assert listed_names(client.get(reverse("units:list"))) == [
        "华阳街道",
        "宝华镇",
        "市教育局",
        "市财政局",
    ]
    assert listed_names(client.get(reverse("units:list"), {"sort": "-sort_order"}))[0] == "市财政局"


def test_list_pages_by_25(leader, db):
    for number in range(30):
        make_unit(f"单位{number:02d}")
    client = leader
    assert len(listed_names(client.get(reverse("units:list")))) == 25
    assert len(listed_names(client.get(reverse("units:list"), {"page": 2}))) == 5


def test_list_query_count_does_not_grow_with_units(leader, db, django_assert_max_num_queries):
    client = leader
    for number in range(3):
        make_unit(f"少量{number}", parent=None)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("units:list"))
    for number in range(40):
        make_unit(f"大量{number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("units:list"))


def test_export_csv_has_bom_chinese_headers_and_neutralised_formulas(leader, many_units):
    Unit.objects.filter(name="市教育局").update(contact_name="=HYPERLINK(1)")
    response = leader.get(reverse("units:list"), {"_export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith(
        "attachment; filename*=utf-8''%E5%8D%95%E4%BD%8D-"
    )
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert "名称" in header and "类别" in header
    assert "'=HYPERLINK(1)" in text
    assert len(text.strip().splitlines()) == 1 + 4


def test_export_xlsx_respects_the_filter(leader, many_units):
    import io

    from openpyxl import load_workbook

    towns, _ = many_units
    response = leader.get(reverse("units:list"), {"_export": "xlsx", "category": towns.pk})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["华阳街道", "宝华镇"]


def test_admin_creates_a_unit(admin, many_units):
    _, departments = many_units
    response = admin.post(
        reverse("units:create"),
        {
            "name": "市审计局",
            "short_name": "审计局",
            "code": "BM40",
            "category": departments.pk,
            "sort_order": 140,
            "is_active": "on",
            "contact_phone": "0511-87654321",
        },
    )
    unit = Unit.objects.get(name="市审计局")
    assert response.status_code == 302
    assert response["Location"] == unit.get_absolute_url()


@pytest.mark.parametrize("typed", ["bm03", "ＢＭ０３", " BM03 ", "bm 03"])
def test_a_code_another_unit_has_in_another_case_width_or_spacing_is_refused(
    admin, many_units, typed
):
    """Codes are matched in any case and width (imports find 市教育局 by bm03), so two units
    may not differ only there; ' BM03 ' gave the raw '约束 … 是无效的'."""
    _, departments = many_units
    Unit.objects.filter(name="市教育局").update(code="BM03")
    response = admin.post(
        reverse("units:create"),
        {"name": "市考试中心", "code": typed, "category": departments.pk, "sort_order": 1},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "“BM03”已被单位“市教育局”用作名称、简称、别名或编码。"
    ]
    assert not Unit.objects.filter(name="市考试中心").exists()


def test_a_new_code_is_stored_as_codes_are_written(admin, many_units):
    _, departments = many_units
    admin.post(
        reverse("units:create"),
        {"name": "市考试中心", "code": "ｂｍ 44", "category": departments.pk, "sort_order": 1},
    )
    assert Unit.objects.get(name="市考试中心").code == "BM44"


def test_unit_form_refuses_duplicate_name_and_bad_phone(admin, many_units):
    _, departments = many_units
    response = admin.post(
        reverse("units:create"),
        {
            "name": "市教育局",
            "category": departments.pk,
            "sort_order": 1,
            "contact_phone": "12345",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "name" in errors
    assert "contact_phone" in errors
    assert "请输入 11 位手机号码" in errors["contact_phone"][0]
    assert Unit.objects.filter(name="市教育局").count() == 1


def test_unit_cannot_become_the_child_of_its_own_child(admin, many_units):
    _, departments = many_units
    parent = Unit.objects.get(name="市教育局")
    child = make_unit("市教育局下属中心", category=departments, parent=parent)
    response = admin.post(
        reverse("units:update", args=[parent.pk]),
        {"name": parent.name, "category": departments.pk, "sort_order": 1, "parent": child.pk},
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    parent.refresh_from_db()
    assert parent.parent is None


def test_an_invisible_character_in_a_code_is_dropped(admin, many_units):
    _, departments = many_units
    admin.post(
        reverse("units:create"),
        {"name": "市档案馆", "code": "BM\u200b96", "category": departments.pk, "sort_order": 1},
    )
    assert Unit.objects.get(name="市档案馆").code == "BM96"
