"""The attendee preview tells what confirm would refuse (the training's status, a published
year) before anyone presses a button, and warns only about seats a unit actually has."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from core.models import Year
from tests.training.conftest import make_training
from tests.training.test_import import confirm, gbk_csv, preview_rows, upload
from training.models import Attendee, Training

ONE_OF_UNIT_A = "单位,姓名,手机\n甲街道,甲一,13800000001\n"


def preview_page(client, training):
    return client.get(reverse("training:attendee_import_preview", args=[training.pk]))


@pytest.mark.parametrize(
    "persona, status, message",
    [
        ("liaison_a", Training.Status.CLOSED, "该培训当前不在报名期。"),
        ("liaison_a", Training.Status.FINISHED, "该培训已结束，不能再登记人员。"),
        ("liaison_a", Training.Status.CANCELLED, "该培训已取消，不能再登记人员。"),
        ("organizer", Training.Status.CANCELLED, "该培训已取消，不能再登记人员。"),
    ],
)
def test_the_preview_gives_the_reason_confirm_would_refuse_and_no_import_button(
    client_for, training, unit_a, persona, status, message
):
    client = client_for(persona)
    upload(client, training, gbk_csv(ONE_OF_UNIT_A))
    Training.objects.filter(pk=training.pk).update(status=status)

    page = preview_page(client, training)
    assert page.context["preview"].file_errors == [message]
    assert "导入全部行" not in page.content.decode()

    response = confirm(client, training)
    # confirm gives the same reason
    assert [str(m) for m in get_messages(response.wsgi_request)] == [f"未导入任何数据：{message}"]
    assert Attendee.objects.count() == 0


def test_the_preview_on_a_published_year_says_so_for_the_organizer(client_for, training, unit_a):
    client = client_for("organizer")
    upload(client, training, gbk_csv(ONE_OF_UNIT_A))
    Year.objects.update_or_create(year=training.year, defaults={"locked_at": timezone.now()})

    page = preview_page(client, training)
    (error,) = page.context["preview"].file_errors
    assert error.startswith(f"{training.year} 年度考核结果已发布，数据为只读。")
    assert "导入全部行" not in page.content.decode()


def test_an_organizer_importing_into_an_open_training_still_gets_the_button(
    client_for, training, unit_a
):
    client = client_for("organizer")
    upload(client, training, gbk_csv(ONE_OF_UNIT_A))
    assert "导入全部行" in preview_page(client, training).content.decode()


def test_no_seat_warning_when_the_training_requires_no_unit(client_for, personas, unit_a):
    training = make_training(created_by=personas["organizer"], scope=Training.Scope.NONE)
    client = client_for("organizer")
    upload(client, training, gbk_csv(ONE_OF_UNIT_A + "甲街道,甲二,13800000002\n"))
    preview = preview_rows(client, training)
    assert [(row.errors, row.warnings) for row in preview.rows] == [([], []), ([], [])]
    confirm(client, training)
    assert Attendee.objects.count() == 2


def test_a_required_unit_over_its_seats_is_still_warned(client_for, training, unit_a):
    # 甲街道 has 2 seats; the file brings 3 people
    client = client_for("organizer")
    text = ONE_OF_UNIT_A + "甲街道,甲二,13800000002\n甲街道,甲三,13800000003\n"
    upload(client, training, gbk_csv(text))
    preview = preview_rows(client, training)
    assert [row.warnings for row in preview.rows] == [
        [],
        [],
        ["甲街道 将有 3 人报名，超过应派人数 2。"],
    ]


def test_a_big_preview_lists_every_row_with_a_problem_but_only_200_good_rows(
    client_for, personas, unit_a, unit_b
):
    # 250 people of 甲街道 (rows 2–251; no seats to warn about), then an unknown unit (row 252)
    training = make_training(created_by=personas["organizer"], scope=Training.Scope.NONE)
    client = client_for("organizer")
    people = "".join(f"甲街道,人{n},138{n:08d}\n" for n in range(250))
    upload(client, training, gbk_csv("单位,姓名,手机\n" + people + "丙镇,丙一,13900000001\n"))
    page = preview_page(client, training)
    # 250 good rows: the first 200 are listed, 50 left out; the bad row is listed
    listed = [row.row_number for row in page.context["rows"]]
    assert listed == [*range(2, 202), 252]
    assert page.context["unlisted"] == 50
    assert "另有 50 行没有问题，未逐行列出。" in page.content.decode()


def test_a_clean_big_preview_says_the_rows_left_out_can_be_imported(client_for, personas, unit_a):
    training = make_training(created_by=personas["organizer"], scope=Training.Scope.NONE)
    client = client_for("organizer")
    people = "".join(f"甲街道,人{n},138{n:08d}\n" for n in range(201))
    upload(client, training, gbk_csv("单位,姓名,手机\n" + people))
    page = preview_page(client, training)
    assert len(page.context["rows"]) == 200
    assert "另有 1 行可以导入，未逐行列出。" in page.content.decode()
    confirm(client, training)
    assert Attendee.objects.count() == 201


def test_units_read_from_another_spelling_do_not_count_as_problems_of_a_big_preview(
    client_for, personas, unit_a
):
    # 201 people of 甲街道 written by its code: a note on each row, not a warning
    training = make_training(created_by=personas["organizer"], scope=Training.Scope.NONE)
    client = client_for("organizer")
    people = "".join(f"{unit_a.code},人{n},138{n:08d}\n" for n in range(201))
    upload(client, training, gbk_csv("单位,姓名,手机\n" + people))
    page = preview_page(client, training)
    assert len(page.context["rows"]) == 200
    first = page.context["rows"][0]
    assert (first.warnings, first.notes) == ([], [f"“{unit_a.code}”识别为甲街道。"])
    assert "另有 1 行可以导入，未逐行列出。" in page.content.decode()


def test_the_role_written_as_qita_with_the_other_ta_is_other(client_for, training, unit_a):
    client = client_for("organizer")
    upload(client, training, gbk_csv("单位,姓名,手机,角色\n甲街道,甲一,13800000001,其它\n"))
    (row,) = preview_rows(client, training).rows
    assert (row.errors, row.duty) == ([], Attendee.Duty.OTHER)
