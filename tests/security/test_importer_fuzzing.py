"""Hypothesis throws malformed files at every importer through the pages. Each answer must be a
clear error or a clean import: never a server error (the test client re-raises those), never a
partial write.
"""

import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as ILLEGAL

from assessment.models import Checklist, ChecklistItem, Indicator, IndicatorValue, Scheme
from core.models import Year
from core.tabular import MAX_ROWS
from tests.conftest import import_token, make_category, make_unit, make_user
from training.models import Attendee
from units.models import Unit
from units.roles import Role

# Example counts come from the hypothesis profile (tests/conftest.py): "ci" by default.
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

cell_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "=cmd|'/c calc'!A1",
            "+1",
            "-2",
            "@SUM(A1)",
            "\t",
            "是",
            "否",
            "abc",
            "1e999",
            "-0",
            "NaN",
            "Infinity",
            "99999999999999999999",
            "0.001",
            "1E+30",
        ]
    ),
    st.integers(min_value=1000, max_value=20000).map(lambda n: "字" * n),  # huge, cheap to make
)


def xlsx_bytes(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding):
    text = "\n".join(",".join('"' + c.replace('"', '""') + '"' for c in row) for row in rows)
    return text.encode(encoding, errors="ignore")


def files(headers):
    """Random bytes, or a sheet under real headers with random cells, in one of the encodings
    Excel writes, or as XLSX, possibly truncated."""
    rows = st.lists(
        st.lists(cell_text, min_size=len(headers), max_size=len(headers)), max_size=6
    ).map(lambda body: [headers, *body])
    as_csv = st.tuples(rows, st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"])).map(
        lambda pair: csv_bytes(*pair)
    )
    as_xlsx = rows.map(lambda r: xlsx_bytes([[ILLEGAL.sub("", c) for c in row] for row in r]))
    truncated = st.tuples(as_xlsx, st.integers(min_value=0, max_value=4000)).map(
        lambda pair: pair[0][: pair[1]]
    )
    return st.one_of(st.binary(max_size=3000), as_csv, as_xlsx, truncated)


def upload(client, url, data, extra=None):
    return client.post(url, {"file": SimpleUploadedFile("f.bin", data), **(extra or {})})


def import_units_file(client, data):
    """Upload a unit file, read its preview and confirm it. Returns whether it was clean."""
    response = upload(client, reverse("units:import"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        return False
    preview = client.get(response.url)
    assert preview.status_code == 200
    assert (
        client.post(reverse("units:import_confirm"), {"token": import_token(client)}).status_code
        == 302
    )
    return preview.context["is_clean"]


@pytest.fixture
def admin_client(client, db):
    make_category("镇（街道）及板块")
    make_category("市级部门")
    client.force_login(make_user("fuzz_admin", role=Role.ADMIN))
    return client


@FUZZ
@given(
    data=files(["编码", "名称", "简称", "类别", "排序", "上级单位", "启用", "联系人", "联系电话"])
)
def test_unit_import(admin_client, data):
    before = set(Unit.objects.values_list("name", "code"))
    if not import_units_file(admin_client, data):
        assert set(Unit.objects.values_list("name", "code")) == before


@FUZZ
@given(data=files(["单位", "姓名", "职务", "手机", "角色"]))
def test_attendee_import(admin_client, data):
    from tests.training.conftest import make_training

    if not Unit.objects.exists():
        make_unit("华阳街道")
    training = make_training(created_by=make_user(role=Role.ORGANIZER))
    before = Attendee.objects.count()
    response = upload(admin_client, reverse("training:attendee_import", args=[training.pk]), data)
    assert response.status_code in (200, 302)
    preview = admin_client.get(reverse("training:attendee_import_preview", args=[training.pk]))
    assert preview.status_code in (200, 302)
    confirm = admin_client.post(
        reverse("training:attendee_import_confirm", args=[training.pk]),
        {"token": import_token(admin_client)},
    )
    assert confirm.status_code == 302
    added = Attendee.objects.count() - before
    if preview.status_code == 200 and preview.context["preview"].is_clean:
        assert added == len(preview.context["preview"].rows)
    else:
        assert added == 0


@FUZZ
@given(data=files(["部分", "检查项", "评分标准", "分值", "可不适用", "单项否决", "扣分规则"]))
def test_checklist_import(admin_client, data):
    before = (Checklist.objects.count(), ChecklistItem.objects.count())
    response = upload(
        admin_client,
        reverse("assessment:checklist_import"),
        data,
        {"name": "模糊测试", "year": 2026},
    )
    assert response.status_code in (200, 302)
    clean = response.status_code == 302 and _preview_then_confirm(
        admin_client, response.url, reverse("assessment:checklist_import_confirm")
    )
    if not clean:
        assert (Checklist.objects.count(), ChecklistItem.objects.count()) == before


@FUZZ
@given(data=files(["单位", "及时率", "来源"]))
def test_indicator_import(admin_client, data):
    from django.utils import timezone

    year, _created = Year.objects.get_or_create(year=timezone.localdate().year)
    scheme, _created = Scheme.objects.get_or_create(year=year)
    Indicator.objects.get_or_create(scheme=scheme, name="及时率", defaults={"weight": D(10)})
    if not Unit.objects.exists():
        make_unit("华阳街道")
    before = set(IndicatorValue.objects.values_list("unit_id", "value"))
    response = upload(admin_client, reverse("assessment:indicator_import"), data)
    assert response.status_code in (200, 302)
    clean = response.status_code == 302 and _preview_then_confirm(
        admin_client, response.url, reverse("assessment:indicator_import_confirm")
    )
    if not clean:
        assert set(IndicatorValue.objects.values_list("unit_id", "value")) == before


def _preview_then_confirm(client, preview_url, confirm_url):
    """Whether the preview said the file was clean; it is confirmed either way (a file with
    errors must not be imported by posting the confirm form)."""
    preview = client.get(preview_url)
    assert preview.status_code == 200
    confirm = client.post(confirm_url, {"token": import_token(client)})
    assert confirm.status_code == 302
    return preview.context["preview"].is_clean


def test_a_file_of_100000_rows_gets_a_clear_error_and_writes_nothing(admin_client):
    rows = ["名称,类别"] + [f"单位{i},市级部门" for i in range(100_000)]
    response = upload(admin_client, reverse("units:import"), "\n".join(rows).encode())
    assert response.status_code == 200
    assert f"{MAX_ROWS}" in response.context["form"].errors["file"][0]
    assert Unit.objects.count() == 0


def test_formulas_are_imported_as_text_and_neutralised_on_export(admin_client):
    text = "名称,类别,联系人\n=HYPERLINK(1),市级部门,@SUM(A1)\n"
    assert import_units_file(admin_client, text.encode())
    unit = Unit.objects.get()
    assert (unit.name, unit.contact_name) == ("=HYPERLINK(1)", "@SUM(A1)")
    export = admin_client.get(reverse("units:list"), {"_export": "csv"})
    body = export.content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body and "'@SUM(A1)" in body


names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12)


@FUZZ
@given(
    rows=st.lists(
        st.tuples(names, st.sampled_from(["市级部门", "镇（街道）及板块", "省直"])),
        min_size=1,
        max_size=8,
    )
)
def test_unit_import_is_all_or_nothing(admin_client, rows):
    before = Unit.objects.count()
    text = "名称,类别\n" + "\n".join(f'"{n.replace(chr(34), "")}",{c}' for n, c in rows)
    if import_units_file(admin_client, text.encode("gb18030", "ignore")):
        assert Unit.objects.count() >= before  # created or updated, every row
    else:
        assert Unit.objects.count() == before


phones = st.one_of(st.from_regex(r"1[3-9]\d{9}", fullmatch=True), st.text(max_size=12))


@FUZZ
@given(rows=st.lists(st.tuples(names, phones), min_size=1, max_size=6))
def test_attendee_import_is_all_or_nothing(admin_client, rows):
    from tests.training.conftest import make_training

    unit = Unit.objects.first() or make_unit("华阳街道")
    training = make_training(created_by=make_user(role=Role.ORGANIZER))
    text = "单位,姓名,手机\n" + "\n".join(
        f'{unit.name},"{n.replace(chr(34), "")}","{p.replace(chr(34), "")}"' for n, p in rows
    )
    upload(admin_client, reverse("training:attendee_import", args=[training.pk]), text.encode())
    preview = admin_client.get(reverse("training:attendee_import_preview", args=[training.pk]))
    admin_client.post(
        reverse("training:attendee_import_confirm", args=[training.pk]),
        {"token": import_token(admin_client)},
    )
    registered = training.attendees.count()
    if preview.status_code == 200 and preview.context["preview"].is_clean:
        assert registered == len(rows)
    else:
        assert registered == 0
