"""Attendee import of files written by LibreOffice (tests/data/office/): titles, stamp rows,
merged cells, 序号 and 备注 columns, footers, padded names, full-width digits, phones typed as
numbers, an instructions sheet in front; in .xlsx, .xls, UTF-8, GBK and UTF-16 text."""

import pytest
from django.urls import reverse

from tests.conftest import import_token, make_unit, make_user, office_file
from tests.training.conftest import make_training
from training.models import Attendee
from units.roles import Role

# The five people of the source sheet, as the preview reads them: (row, unit, name, phone)
EXPECTED = [
    (4, "市教育局", "李娜", "13812345678"),  # padded name; phone typed as a number
    (5, "市发展和改革委员会", "王强", "13500003333"),  # 市发改委; full-width digits
    (6, "市民政局", "欧阳修", "13800001111"),  # by code BM07; dashes in the phone
    (7, "华阳街道", "张伟", "13900002222"),  # 句容市华阳街道; leading apostrophe
    (8, "经济开发区管委会", "赵敏", "13700003333"),  # by the alias 开发区管委会
]
NOTES = [
    "第 1–2 行位于表头（第 3 行）之上，为标题，已跳过。",
    "未使用的列：序号。",
    "第 10–11 行为表尾（签字、合计、备注等），已跳过。",
]
SHEET_NOTE = "已读取工作表“名单”；以下工作表没有所需表头，已跳过：“填表说明”、“空白”。"


@pytest.fixture
def organizer(client, office_units):
    user = make_user(role=Role.ORGANIZER)
    client.force_login(user)
    client.user = user
    return client


@pytest.mark.parametrize(
    "name, notes",
    [
        ("attendees.xlsx", NOTES),
        ("attendees.utf8.csv", NOTES),
        ("attendees.gbk.csv", NOTES),
        ("attendees.utf16.txt", NOTES),
        ("attendees_instructions.xlsx", [SHEET_NOTE, *NOTES]),
        ("attendees_instructions.xls", [SHEET_NOTE, *NOTES]),
    ],
)
def test_an_office_file_previews_every_decision_and_imports(organizer, name, notes):
    training = make_training(created_by=organizer.user)
    response = organizer.post(
        reverse("training:attendee_import", args=[training.pk]), {"file": office_file(name)}
    )
    assert response.status_code == 302, response.context["form"].errors
    preview = organizer.get(response.url).context["preview"]
    assert [(r.row_number, r.unit_name, r.name, r.phone) for r in preview.rows] == EXPECTED
    assert preview.notes == notes
    assert [row.errors for row in preview.rows] == [[]] * 5
    assert preview.rows[1].notes == ["“市发改委”识别为市发展和改革委员会。"]
    assert preview.rows[1].warnings == []
    organizer.post(
        reverse("training:attendee_import_confirm", args=[training.pk]),
        {"token": import_token(organizer)},
    )
    assert sorted(Attendee.objects.values_list("name", flat=True)) == sorted(
        row[2] for row in EXPECTED
    )
    # 备注 is the attendee's note
    assert Attendee.objects.get(name="王强").note == "住宿"


@pytest.mark.parametrize("name", ["attendees_merged.xlsx", "attendees_merged.xls"])
def test_a_unit_merged_down_over_its_people_is_the_unit_of_each(organizer, name):
    """单位 drawn as one cell over each unit's people (rows 3–4 and 5–7 merged): every row is
    read with the unit its merged cell shows; 华阳 is found without its 街道."""
    training = make_training(created_by=organizer.user, seats_per_unit=3)
    response = organizer.post(
        reverse("training:attendee_import", args=[training.pk]), {"file": office_file(name)}
    )
    assert response.status_code == 302, response.context["form"].errors
    preview = organizer.get(response.url).context["preview"]
    assert [(r.row_number, r.unit_name, r.name) for r in preview.rows] == [
        (3, "市教育局", "李娜"),
        (4, "市教育局", "王强"),
        (5, "华阳街道", "张伟"),
        (6, "华阳街道", "赵敏"),
        (7, "华阳街道", "钱多"),
        (8, "市民政局", "孙立"),
    ]
    assert [row.errors for row in preview.rows] == [[]] * 6
    assert "第 4、6–7 行：“单位”取自上方的合并单元格。" in preview.notes


@pytest.mark.parametrize("name", ["attendees_merged.gbk.csv", "attendees_merged.utf16.txt"])
def test_a_merged_unit_saved_as_text_is_taken_from_the_row_above_and_said(organizer, name):
    """The same sheet saved by LibreOffice as CSV or Unicode text keeps each merged unit in its
    first row only: an empty unit under a filled one is that unit, and the row says so."""
    training = make_training(created_by=organizer.user, seats_per_unit=3)
    response = organizer.post(
        reverse("training:attendee_import", args=[training.pk]), {"file": office_file(name)}
    )
    assert response.status_code == 302, response.context["form"].errors
    preview = organizer.get(response.url).context["preview"]
    assert [(r.row_number, r.unit_name, r.name, r.notes) for r in preview.rows] == [
        (3, "市教育局", "李娜", []),
        (4, "市教育局", "王强", ["单位为空，沿用上一行（市教育局）。"]),
        (5, "华阳街道", "张伟", ["“华阳”识别为华阳街道。"]),
        (6, "华阳街道", "赵敏", ["“华阳”识别为华阳街道。", "单位为空，沿用上一行（华阳）。"]),
        (7, "华阳街道", "钱多", ["“华阳”识别为华阳街道。", "单位为空，沿用上一行（华阳）。"]),
        (8, "市民政局", "孙立", []),
    ]
    assert [row.errors for row in preview.rows] == [[]] * 6


@pytest.mark.parametrize("name", ["attendees_two_row_header.xlsx", "attendees_two_row_header.xls"])
def test_a_header_on_two_rows_and_official_unit_names_are_read(organizer, office_units, name):
    """联系方式 over 手机 and 办公电话: the second header row is skipped, not read as a person;
    宝华镇人民政府 is 宝华镇; a landline with its area code in brackets gets its dash."""
    make_unit("宝华镇", category=office_units["华阳街道"].category, code="ZJ04")
    training = make_training(created_by=organizer.user, seats_per_unit=3)
    response = organizer.post(
        reverse("training:attendee_import", args=[training.pk]), {"file": office_file(name)}
    )
    assert response.status_code == 302, response.context["form"].errors
    preview = organizer.get(response.url).context["preview"]
    assert [(r.row_number, r.unit_name, r.name, r.phone, r.note) for r in preview.rows] == [
        (4, "宝华镇", "周琳", "13912340001", "只参加第一天"),
        (5, "宝华镇", "吴芳", "13912340002", ""),
        (6, "市教育局", "李娜", "0511-87251234", "替换原报名人员"),
    ]
    assert [row.errors for row in preview.rows] == [[]] * 3
    assert preview.notes == [
        "第 1 行位于表头（第 2 行）之上，为标题，已跳过。",
        "第 3 行重复了列名（两行表头），已跳过。",
        "未使用的列：序号。",
        "第 8 行为表尾（签字、合计、备注等），已跳过。",
    ]
