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
