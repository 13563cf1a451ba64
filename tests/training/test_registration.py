import pytest
from django.urls import reverse

from training.models import Attendee, Training
from training.services import TrainingError, register_attendee, remove_attendee


def register(training, unit, actor, name="张三", phone="13800001111"):
    return register_attendee(training, unit=unit, name=name, phone=phone, actor=actor)


def test_organizer_registers_people_of_any_unit(training, personas, unit_a, unit_b):
    register(training, unit_a, personas["organizer"])
    register(training, unit_b, personas["organizer"], phone="13800002222")
    assert training.attendees.count() == 2


def test_liaison_registers_its_own_unit_up_to_its_seats(training, personas, unit_a):
    liaison = personas["liaison_a"]
    register(training, unit_a, liaison, name="甲一", phone="13800000001")
    register(training, unit_a, liaison, name="甲二", phone="13800000002")
    with pytest.raises(TrainingError) as refused:
        register(training, unit_a, liaison, name="甲三", phone="13800000003")
    assert refused.value.code == "no_seats"
    assert refused.value.message == "甲街道 应派 2 人，已报名 2 人。"


def test_liaison_cannot_register_another_unit(training, personas, unit_b):
    with pytest.raises(TrainingError) as refused:
        register(training, unit_b, personas["liaison_a"])
    assert refused.value.code == "other_unit"
    assert training.attendees.count() == 0


@pytest.mark.parametrize("status", [Training.Status.PLANNED, Training.Status.CLOSED])
def test_liaison_registers_only_while_registration_is_open(training, personas, unit_a, status):
    training.status = status
    training.save()
    with pytest.raises(TrainingError) as refused:
        register(training, unit_a, personas["liaison_a"])
    assert refused.value.code == "not_open"


def test_nobody_registers_for_a_cancelled_training(training, personas, unit_a):
    training.status = Training.Status.CANCELLED
    training.save()
    with pytest.raises(TrainingError) as refused:
        register(training, unit_a, personas["organizer"])
    assert refused.value.code == "closed"


def test_the_same_person_cannot_be_registered_twice(training, personas, unit_a, unit_b):
    register(training, unit_a, personas["organizer"])
    with pytest.raises(TrainingError) as refused:
        register(training, unit_b, personas["organizer"])
    assert refused.value.code == "duplicate"


def test_over_capacity_is_refused_with_a_clear_message(training, personas, unit_a, unit_b):
    training.capacity = 1
    training.save()
    register(training, unit_a, personas["organizer"])
    with pytest.raises(TrainingError) as refused:
        register(training, unit_b, personas["organizer"], phone="13900000000")
    assert refused.value.message == "培训名额已满：1 个名额已报 1 个。"


def test_attendee_with_attendance_marks_cannot_be_removed(training, personas, unit_a):
    from training.services import mark_attendance

    attendee = register(training, unit_a, personas["organizer"])
    mark_attendance(
        training, training.days()[0], {attendee.pk: "present"}, actor=attendee.registered_by
    )
    with pytest.raises(TrainingError):
        remove_attendee(attendee, actor=personas["organizer"])


def test_add_form_registers_and_reports_refusals_at_the_form(client_for, training, unit_a):
    client = client_for("liaison_a")
    url = reverse("training:attendee_add", args=[training.pk])
    data = {"unit": unit_a.pk, "name": "甲一", "phone": "138 0000 0001", "duty": "officer"}
    assert client.post(url, data).status_code == 302
    assert Attendee.objects.get(name="甲一").phone == "13800000001"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "已报名" in str(response.context["form"].non_field_errors())


@pytest.mark.parametrize(
    "name, phone",
    [
        ("李  娜", "１３８００１３８０００"),  # full-width digits from a Chinese input method
        ("李娜", "138-0013-8000"),
        ("李 娜", "+86 138 0013 8000"),
    ],
)
def test_the_form_reads_a_name_and_phone_as_the_import_does(
    client_for, training, unit_a, name, phone
):
    """The import took these; the form refused them (a tester typed them in)."""
    response = client_for("liaison_a").post(
        reverse("training:attendee_add", args=[training.pk]),
        {"unit": unit_a.pk, "name": name, "phone": phone, "duty": "officer"},
    )
    assert response.status_code == 302
    assert list(Attendee.objects.values_list("name", "phone")) == [("李娜", "13800138000")]


def test_add_form_refuses_a_bad_phone_in_chinese(client_for, training, unit_a):
    response = client_for("organizer").post(
        reverse("training:attendee_add", args=[training.pk]),
        {"unit": unit_a.pk, "name": "甲一", "phone": "1234", "duty": "officer"},
    )
    assert "请输入 11 位手机号码" in response.context["form"].errors["phone"][0]


def test_liaison_form_offers_only_its_own_unit(client_for, training, unit_a, unit_b):
    response = client_for("liaison_a").post(
        reverse("training:attendee_add", args=[training.pk]),
        {"unit": unit_b.pk, "name": "乙一", "phone": "13800000009", "duty": "officer"},
    )
    assert "unit" in response.context["form"].errors
    assert not Attendee.objects.exists()


def test_an_ended_training_offers_no_changes_and_a_change_says_why(
    client_for, training, unit_a, personas
):
    """A tester's liaison was offered 登记/导入/编辑/删除 on an ended training, and each was
    refused with a message about registering."""
    attendee = register_attendee(
        training, unit=unit_a, name="甲一", phone="13800000001", actor=personas["organizer"]
    )
    training.status = training.Status.FINISHED
    training.save()
    page = client_for("liaison_a").get(reverse("training:detail", args=[training.pk]))
    html = page.content.decode()
    assert reverse("training:attendee_add", args=[training.pk]) not in html
    assert reverse("training:attendee_edit", args=[training.pk, attendee.pk]) not in html
    with pytest.raises(TrainingError) as refused:
        remove_attendee(Attendee.objects.get(pk=attendee.pk), actor=personas["organizer"])
    assert refused.value.message == "该培训已结束，报名信息不能再修改或删除。"
