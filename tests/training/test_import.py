"""Attendee import from real GBK CSV and XLSX files: preview, then all rows or none."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.models import Year
from tests.conftest import import_token, make_unit
from tests.training.conftest import make_training
from training.models import Attendee
from training.services import register_attendee


def gbk_csv(text):
    return SimpleUploadedFile("名单.csv", text.encode("gbk"), content_type="text/csv")


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("名单.xlsx", buffer.getvalue())


def upload(client, training, file):
    return client.post(reverse("training:attendee_import", args=[training.pk]), {"file": file})


def preview_rows(client, training):
    response = client.get(reverse("training:attendee_import_preview", args=[training.pk]))
    return response.context["preview"]


def confirm(client, training):
    return client.post(
        reverse("training:attendee_import_confirm", args=[training.pk]),
        {"token": import_token(client)},
    )


THREE_OF_UNIT_A = (
    "单位,姓名,手机\n甲街道,甲一,13800000001\n甲街道,甲二,13800000002\n甲街道,甲三,13800000003\n"
)


@pytest.fixture
def organizer(client_for):
    return client_for("organizer")


def test_gbk_csv_previews_then_imports_on_confirm(organizer, training, unit_a, unit_b):
    unit_a.short_name = "甲街"
    unit_a.save()
    text = (
        "姓名,单位,手机,职务,角色\n"
        "张三,甲街道,13800000001,科员,信息员\n"
        "李四,甲街,13800000002,副主任,分管领导\n"  # short name
        "王五,TB01,0511-87654321,,\n"  # code, landline, default role
    )
    response = upload(organizer, training, gbk_csv(text))
    assert response.status_code == 302
    preview = preview_rows(organizer, training)
    assert preview.is_clean
    assert [row.unit_name for row in preview.rows] == ["甲街道", "甲街道", "乙局"]
    assert Attendee.objects.count() == 0  # nothing written before confirming

    assert confirm(organizer, training).status_code == 302
    people = {a.name: (a.unit.name, a.duty, a.phone) for a in Attendee.objects.all()}
    assert people == {
        "张三": ("甲街道", "officer", "13800000001"),
        "李四": ("甲街道", "leader", "13800000002"),
        "王五": ("乙局", "officer", "0511-87654321"),
    }
    # every imported registration has its history record
    assert Attendee.history.count() == 3


def test_xlsx_with_english_headers_imports(organizer, training, unit_b):
    file = xlsx([["unit", "name", "phone", "role"], ["乙局", "Li Lei", 13800000005, "other"]])
    upload(organizer, training, file)
    confirm(organizer, training)
    assert Attendee.objects.get().duty == "other"


def test_every_bad_row_is_listed_with_its_reason_and_nothing_can_be_confirmed(
    organizer, training, unit_a, personas
):
    register_attendee(
        training, unit=unit_a, name="老周", phone="13800000009", actor=personas["organizer"]
    )
    text = (
        "单位,姓名,手机\n"
        "甲街道,张三,13800000001\n"  # row 2: fine
        "甲街到,李四,13800000002\n"  # row 3: typo in the unit
        "甲街道,,13800000003\n"  # row 4: empty name
        "甲街道,王五,12345\n"  # row 5: bad phone
        "甲街道,张三,13800000001\n"  # row 6: same as row 2
        "甲街道,老周,13800000009\n"  # row 7: already registered: skipped, no error
    )
    upload(organizer, training, gbk_csv(text))
    preview = preview_rows(organizer, training)
    errors = {row.row_number: row.errors for row in preview.rows if row.errors}
    assert errors == {
        3: ["未知单位“甲街到”，您是否要找“甲街道”？"],
        4: ["姓名为空。"],
        5: ["请输入 11 位手机号码或固定电话（如 0511-87654321）。"],
        6: ["与第 2 行是同一人。"],
    }
    assert preview.rows[-1].skip and preview.rows[-1].notes == ["已报名，跳过。"]
    assert not preview.is_clean
    response = confirm(organizer, training)
    assert response.status_code == 302
    assert Attendee.objects.count() == 1  # only 老周, registered before


def test_over_seats_is_an_error_for_a_liaison(client_for, training, unit_a):
    liaison = client_for("liaison_a")
    text = THREE_OF_UNIT_A
    upload(liaison, training, gbk_csv(text))
    preview = preview_rows(liaison, training)
    assert [bool(row.errors) for row in preview.rows] == [False, False, True]
    confirm(liaison, training)
    assert Attendee.objects.count() == 0


def test_a_person_already_registered_or_repeated_takes_no_second_seat(
    client_for, training, unit_a, personas
):
    # unit A has 2 seats; 甲一 is registered already; the file repeats 甲一 and has 甲二 twice
    register_attendee(
        training, unit=unit_a, name="甲一", phone="13800000001", actor=personas["organizer"]
    )
    liaison = client_for("liaison_a")
    text = (
        "单位,姓名,手机\n"
        "甲街道,甲一,13800000001\n"
        "甲街道,甲二,13800000002\n"
        "甲街道,甲二,13800000002\n"
    )
    upload(liaison, training, gbk_csv(text))
    preview = preview_rows(liaison, training)
    # 甲一 is skipped and the second 甲二 refused: 甲一 + 甲二 fill the 2 seats, nobody is over
    assert [(row.skip, row.errors) for row in preview.rows] == [
        (True, []),
        (False, []),
        (False, ["与第 3 行是同一人。"]),
    ]


def test_liaison_import_cannot_register_another_unit(client_for, training, unit_b):
    liaison = client_for("liaison_a")
    upload(liaison, training, gbk_csv("单位,姓名,手机\n乙局,乙一,13800000001\n"))
    preview = preview_rows(liaison, training)
    assert preview.rows[0].errors
    confirm(liaison, training)
    assert Attendee.objects.count() == 0


def test_over_seats_is_only_a_warning_for_an_organizer(organizer, training, unit_a):
    text = THREE_OF_UNIT_A
    upload(organizer, training, gbk_csv(text))
    preview = preview_rows(organizer, training)
    assert preview.is_clean
    assert preview.rows[2].warnings
    confirm(organizer, training)
    assert Attendee.objects.count() == 3


def test_a_registration_made_between_preview_and_confirm_stops_the_whole_import(
    organizer, training, unit_a, personas
):
    upload(
        organizer,
        training,
        gbk_csv("单位,姓名,手机\n甲街道,甲一,13800000001\n甲街道,甲二,13800000002\n"),
    )
    register_attendee(
        training, unit=unit_a, name="甲二", phone="13800000002", actor=personas["organizer"]
    )
    response = confirm(organizer, training)
    assert response.status_code == 302
    assert list(Attendee.objects.values_list("name", flat=True)) == ["甲二"]


def test_capacity_is_checked_for_the_whole_file(organizer, training, unit_a, unit_b):
    training.capacity = 1
    training.save()
    upload(
        organizer,
        training,
        gbk_csv("单位,姓名,手机\n甲街道,甲一,13800000001\n乙局,乙一,13800000002\n"),
    )
    preview = preview_rows(organizer, training)
    assert preview.file_errors
    assert not preview.is_clean


def test_a_file_without_the_known_columns_is_refused_naming_them(organizer, training):
    response = upload(organizer, training, gbk_csv("部门,名字\n甲街道,张三\n"))
    assert response.context["form"].errors["file"] == [
        "未找到表头行：表格需要“单位”、“姓名”、“手机”列。第一行为：部门、名字。"
    ]


def test_garbage_file_gets_a_message_at_the_field(organizer, training):
    response = upload(organizer, training, SimpleUploadedFile("x.xlsx", b"PK\x03\x04garbage"))
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_the_templates_example_row_is_refused_and_the_template_filled_in_imports(
    organizer, training
):
    """A clerk who left the example row in registered a 张三 of 华阳街道 (a tester's file)."""
    make_unit("华阳街道")
    template = organizer.get(reverse("training:attendee_import_template", args=[training.pk]))
    workbook = load_workbook(io.BytesIO(template.content))
    assert [cell.value for cell in workbook.active[1]] == [
        "单位",
        "姓名",
        "职务",
        "手机",
        "角色",
        "备注",
    ]
    upload(organizer, training, SimpleUploadedFile("t.xlsx", template.content))
    preview = preview_rows(organizer, training)
    assert [(row.row_number, row.errors) for row in preview.rows] == [
        (2, ["这是模板中的示例行，请删除后再导入。"])
    ]
    person = ["华阳街道", "李娜", "科员", "13812345678", "信息员", "住宿"]
    for cell, value in zip(workbook.active[2], person, strict=True):
        cell.value = value
    filled = io.BytesIO()
    workbook.save(filled)
    upload(organizer, training, SimpleUploadedFile("t.xlsx", filled.getvalue()))
    assert preview_rows(organizer, training).is_clean
    assert confirm(organizer, training).status_code == 302
    assert list(Attendee.objects.values_list("name", "note")) == [("李娜", "住宿")]


def test_a_note_longer_than_the_field_is_an_error_at_its_row(organizer, training, unit_a):
    text = f"单位,姓名,手机,备注\n甲街道,甲一,13800000001,{'长' * 201}\n"
    upload(organizer, training, SimpleUploadedFile("名单.csv", text.encode("utf-8")))
    assert preview_rows(organizer, training).rows[0].errors == ["备注超过 200 个字符。"]


def test_import_queries_do_not_grow_with_rows_or_units(organizer, personas):
    """Parsing, checking and writing with history: the same queries for 4 rows as for 16."""

    def queries(number_of_units):
        units = [make_unit() for _ in range(number_of_units)]
        training = make_training(created_by=personas["organizer"])
        # as after the first write in the year (which creates its row, a one-off)
        Year.objects.get_or_create(year=training.year)
        rows = [["单位", "姓名", "手机"]] + [
            [unit.name, f"{unit.name}学员{n}", f"139{unit.pk:04d}{n:04d}"]
            for unit in units
            for n in range(2)
        ]
        with CaptureQueriesContext(connection) as captured:
            upload(organizer, training, xlsx(rows))
            assert confirm(organizer, training).status_code == 302
        assert Attendee.objects.filter(training=training).count() == 2 * number_of_units
        assert Attendee.history.filter(training_id=training.pk).count() == 2 * number_of_units
        return len(captured.captured_queries)

    assert queries(2) == queries(8)


def test_a_name_with_a_bidi_override_is_an_error_at_its_row(organizer, training, unit_a):
    text = "单位,姓名,手机\n甲街道,甲\u202e一,13800000001\n甲街道,甲二,13800000002\n"
    upload(organizer, training, SimpleUploadedFile("名单.csv", text.encode("utf-8")))
    preview = preview_rows(organizer, training)
    assert [row.errors for row in preview.rows] == [
        ["文本含有不可见的控制字符（U+202E），请删除。"],
        [],
    ]
    assert not preview.is_clean


def test_the_headers_clerks_write_on_sign_up_sheets_are_recognised(organizer, training, unit_a):
    text = "序号,工作单位,学员姓名,职位,手机号码,备注\n1,甲街道,甲一,科员,13800000001,\n"
    upload(organizer, training, gbk_csv(text))
    preview = preview_rows(organizer, training)
    assert preview.is_clean
    row = preview.rows[0]
    assert (row.unit_name, row.name, row.position, row.phone) == (
        "甲街道",
        "甲一",
        "科员",
        "13800000001",
    )


def test_a_unit_disabled_between_preview_and_confirm_stops_the_whole_import(
    organizer, training, unit_a, unit_b
):
    upload(organizer, training, gbk_csv(THREE_OF_UNIT_A))
    assert preview_rows(organizer, training).is_clean
    unit_a.is_active = False
    unit_a.save()
    response = confirm(organizer, training)
    assert response.status_code == 302
    assert not Attendee.objects.exists()
    shown = [str(m) for m in organizer.get(response.url).context["messages"]]
    assert "甲街道 在检查文件后已被停用；请重新上传文件。" in shown[0]


def test_a_training_takes_at_most_max_attendees_people(
    organizer, training, unit_a, unit_b, personas, monkeypatch
):
    """An attacker imported 50,000 people into one training: its attendance sheet became a
    65 MB page. The preview says so, and the services refuse it whatever the caller."""
    from training import services
    from training.services import TrainingError

    monkeypatch.setattr(services, "MAX_ATTENDEES", 2)
    upload(organizer, training, gbk_csv(THREE_OF_UNIT_A))
    preview = preview_rows(organizer, training)
    assert preview.file_errors == [
        "一期培训最多可登记 2 人；现有 0 人，本次将增加 3 人。请分批次举办。"
    ]
    assert not preview.is_clean
    register_attendee(
        training, unit=unit_b, name="乙一", phone="13900000001", actor=personas["organizer"]
    )
    register_attendee(
        training, unit=unit_b, name="乙二", phone="13900000002", actor=personas["organizer"]
    )
    with pytest.raises(TrainingError) as refused:
        register_attendee(
            training, unit=unit_b, name="乙三", phone="13900000003", actor=personas["organizer"]
        )
    assert refused.value.code == "too_many"
    assert Attendee.objects.count() == 2


def test_a_list_sent_again_with_one_more_person_imports_that_person(
    organizer, training, unit_a, unit_b, personas
):
    """Units resend their whole list when it changes: the people registered already (same
    unit, name and phone) are skipped, not 36 errors; registered for another unit is one."""
    register_attendee(
        training, unit=unit_a, name="甲一", phone="13800000001", actor=personas["organizer"]
    )
    register_attendee(
        training, unit=unit_b, name="乙一", phone="13900000001", actor=personas["organizer"]
    )
    upload(
        organizer,
        training,
        gbk_csv(
            "单位,姓名,手机\n甲街道,甲一,13800000001\n甲街道,甲二,13800000002\n"
            "甲街道,乙一,13900000001\n"
        ),
    )
    preview = preview_rows(organizer, training)
    assert [(row.row_number, row.skip, row.errors, row.notes) for row in preview.rows] == [
        (2, True, [], ["已报名，跳过。"]),
        (3, False, [], []),
        (4, False, ["已报名本次培训。"], []),
    ]
    upload(
        organizer,
        training,
        gbk_csv("单位,姓名,手机\n甲街道,甲一,13800000001\n甲街道,甲二,13800000002\n"),
    )
    page = organizer.get(reverse("training:attendee_import_preview", args=[training.pk]))
    assert "1 行可以导入。 文件中 1 人已报名，将跳过。" in page.content.decode()
    assert confirm(organizer, training).status_code == 302
    assert sorted(training.attendees.values_list("name", flat=True)) == ["乙一", "甲一", "甲二"]
    upload(organizer, training, gbk_csv("单位,姓名,手机\n甲街道,甲一,13800000001\n"))
    assert preview_rows(organizer, training).file_errors == [
        "文件中的人员均已报名，没有可导入的内容。"
    ]


def test_ditto_in_the_unit_column_is_the_unit_of_the_row_above(organizer, training, unit_a):
    training.seats_per_unit = 9
    training.save()
    upload(
        organizer,
        training,
        gbk_csv(
            "单位,姓名,手机\n甲街道,甲一,13800000001\n同上,甲二,13800000002\n〃,甲三,13800000003\n"
            "同 上,甲四,13800000004\n〃〃,甲五,13800000005\n同上。,甲六,13800000006\n"
        ),
    )
    preview = preview_rows(organizer, training)
    assert preview.is_clean
    assert [(row.unit_name, row.notes) for row in preview.rows] == [
        ("甲街道", []),
        ("甲街道", ["“同上”：即上一行的单位（甲街道）。"]),
        ("甲街道", ["“〃”：即上一行的单位（甲街道）。"]),
        ("甲街道", ["“同 上”：即上一行的单位（甲街道）。"]),
        ("甲街道", ["“〃〃”：即上一行的单位（甲街道）。"]),
        ("甲街道", ["“同上。”：即上一行的单位（甲街道）。"]),
    ]


def test_the_role_under_a_header_clerks_use_is_read_and_shown(organizer, training, unit_a):
    upload(
        organizer,
        training,
        gbk_csv(
            "单位,姓名,手机,人员类别\n甲街道,甲一,13800000001,分管领导\n甲街道,甲二,13800000002,\n"
        ),
    )
    preview = preview_rows(organizer, training)
    assert [(row.duty, row.notes) for row in preview.rows] == [
        (Attendee.Duty.LEADER, []),
        (Attendee.Duty.OFFICER, ["未填角色，按信息员登记。"]),
    ]
    page = organizer.get(reverse("training:attendee_import_preview", args=[training.pk]))
    assert ">分管领导</td>" in page.content.decode()


def test_a_liaisons_own_list_needs_no_unit_column(client_for, training, unit_a):
    """A unit's form, stamped with its name above the table, lists only its own people."""
    liaison = client_for("liaison_a")
    text = "填报单位（盖章）：甲街道\n序号,姓名,手机,职务\n1,甲一,13800000001,科员\n"
    upload(liaison, training, gbk_csv(text))
    preview = preview_rows(liaison, training)
    assert preview.is_clean
    assert [(row.unit_name, row.name) for row in preview.rows] == [("甲街道", "甲一")]
    assert "文件没有“单位”列：所有人员均登记为甲街道的人员。" in preview.notes
    organizer = client_for("organizer")
    response = upload(organizer, training, gbk_csv(text))
    assert "缺少必填列“单位”" in response.context["form"].errors["file"][0]


def test_a_person_sent_again_with_another_phone_is_warned_about(
    organizer, training, unit_a, personas
):
    """A corrected phone in a list sent again registered the same 李娜 twice, unseen."""
    register_attendee(
        training, unit=unit_a, name="李娜", phone="13800000001", actor=personas["organizer"]
    )
    upload(organizer, training, gbk_csv("单位,姓名,手机\n甲街道,李娜,13900000009\n"))
    (row,) = preview_rows(organizer, training).rows
    assert row.warnings == [
        "甲街道已登记李娜，手机号为 13800000001：如是同一人，请修改原登记信息。"
    ]


def test_a_liaisons_rows_of_another_unit_say_nothing_of_that_units_registrations(
    client_for, training, personas, unit_b
):
    """Trial 9: refused rows of other units still got 将有 N 人报名，超过应派人数: a liaison
    read how many each unit had registered. Nor may a registered person's phone show."""
    for number, name in enumerate(("乙一", "乙二")):
        register_attendee(
            training,
            unit=unit_b,
            name=name,
            phone=f"1390000000{number}",
            actor=personas["organizer"],
        )
    liaison = client_for("liaison_a")
    upload(
        liaison,
        training,
        gbk_csv("单位,姓名,手机\n乙局,乙三,13800000001\n乙局,乙一,13800000002\n"),
    )
    rows = preview_rows(liaison, training).rows
    for row in rows:
        assert row.errors == ["您只能登记本单位人员。"]
        assert row.warnings == [] and row.notes == []
