"""Correcting a registration: organizers any, a liaison its own unit while registration is open;
duplicates, seats and the year lock as for adding; every change kept in the history."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.models import Year
from core.years import YearLocked
from training.models import Attendee, Training
from training.services import TrainingError, register_attendee, update_attendee


@pytest.fixture
def zhang(training, personas, unit_a):
    return register_attendee(
        training, unit=unit_a, name="张三", phone="13800001111", actor=personas["liaison_a"]
    )


def edit(attendee, actor, **changes):
    fields = {
        "unit": attendee.unit,
        "name": attendee.name,
        "phone": attendee.phone,
        "position": attendee.position,
        "duty": attendee.duty,
        "note": attendee.note,
    }
    return update_attendee(attendee, actor=actor, **(fields | changes))


def test_liaison_corrects_its_own_attendee_and_the_history_keeps_both(zhang, personas):
    with translation.override("zh-hans"):  # the reason is written in the user's language
        edit(zhang, personas["liaison_a"], name="张珊", phone="13900002222", position="科员")
    zhang.refresh_from_db()
    assert (zhang.name, zhang.phone, zhang.position) == ("张珊", "13900002222", "科员")
    latest, first = zhang.history.all()[:2]
    assert (first.name, latest.name) == ("张三", "张珊")
    assert latest.history_user == personas["liaison_a"]
    assert latest.history_change_reason == "更正报名信息"


def test_organizer_may_move_an_attendee_to_another_unit_beyond_its_seats(
    zhang, training, personas, unit_b
):
    for number in (1, 2):
        register_attendee(
            training,
            unit=unit_b,
            name=f"乙{number}",
            phone=f"1380000000{number}",
            actor=personas["organizer"],
        )
    edit(zhang, personas["organizer"], unit=unit_b)  # unit B's 2 seats are taken: organizers may
    assert Attendee.objects.get(pk=zhang.pk).unit == unit_b


@pytest.mark.parametrize("status", [Training.Status.PLANNED, Training.Status.CLOSED])
def test_liaison_edits_only_while_registration_is_open(zhang, training, personas, status):
    Training.objects.filter(pk=training.pk).update(status=status)
    with pytest.raises(TrainingError) as refused:
        edit(zhang, personas["liaison_a"], name="张珊")
    assert refused.value.code == "not_open"
    assert Attendee.objects.get(pk=zhang.pk).name == "张三"


def test_liaison_cannot_move_an_attendee_to_another_unit(zhang, personas, unit_b):
    with pytest.raises(TrainingError) as refused:
        edit(zhang, personas["liaison_a"], unit=unit_b)
    assert refused.value.code == "other_unit"


def test_liaison_cannot_edit_another_units_attendee(training, personas, unit_b):
    other = register_attendee(
        training, unit=unit_b, name="李四", phone="13800003333", actor=personas["organizer"]
    )
    with pytest.raises(TrainingError) as refused:
        edit(other, personas["liaison_a"], name="李斯")
    assert refused.value.code == "other_unit"


def test_an_edit_that_duplicates_another_registration_is_refused(zhang, training, personas, unit_a):
    register_attendee(
        training, unit=unit_a, name="王五", phone="13800004444", actor=personas["organizer"]
    )
    with pytest.raises(TrainingError) as refused:
        edit(zhang, personas["organizer"], name="王五", phone="13800004444")
    assert refused.value.code == "duplicate"
    # keeping one's own name and phone is no duplicate
    edit(zhang, personas["organizer"], note="已核对")


def test_a_published_year_refuses_edits(zhang, training, personas):
    Year.objects.update_or_create(year=training.year, defaults={"locked_at": timezone.now()})
    with pytest.raises(YearLocked) as refused:
        edit(zhang, personas["organizer"], name="张珊")
    assert refused.value.code == "year_locked"


def form_data(attendee, **changes):
    data = {
        "unit": attendee.unit_id,
        "name": attendee.name,
        "phone": attendee.phone,
        "position": "",
        "duty": attendee.duty,
        "note": "",
    }
    return data | changes


def test_the_edit_page_saves_and_shows_errors_in_place(zhang, training, client_for, unit_b):
    client = client_for("liaison_a")
    url = reverse("training:attendee_edit", args=[training.pk, zhang.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert list(page.context["form"].fields["unit"].queryset) == [zhang.unit]
    response = client.post(url, form_data(zhang, unit=unit_b.pk))  # not a unit it may choose
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    response = client.post(url, form_data(zhang, phone="138 0000 9999"))
    assert response.status_code == 302
    assert Attendee.objects.get(pk=zhang.pk).phone == "13800009999"
    listing = client.get(training.get_absolute_url()).content.decode()
    assert url in listing  # the attendee table links to the edit page


@pytest.mark.parametrize(
    "persona, expected", [("liaison_b", 404), ("inspector", 403), ("organizer", 200)]
)
def test_edit_page_access(zhang, training, client_for, persona, expected):
    url = reverse("training:attendee_edit", args=[training.pk, zhang.pk])
    assert client_for(persona).get(url).status_code == expected
    assert client_for(persona).post(url, form_data(zhang, name="改名")).status_code in (
        expected,
        302,
    )
    assert Attendee.objects.get(pk=zhang.pk).name == ("改名" if expected == 200 else "张三")


def test_once_marked_a_liaison_cannot_put_another_person_in_the_attendees_place(zhang, personas):
    """Trial 9: after 考勤甲 signed in, the liaison renamed the registration 替身丙 with
    another phone: the sign-in, and the certificate, went to someone who never came."""
    from training.models import AttendanceMark

    AttendanceMark.objects.create(
        attendee=zhang, day=timezone.localtime(zhang.training.starts_at).date(), status="present"
    )
    for change in ({"name": "替身丙"}, {"phone": "13900001234"}):
        with pytest.raises(TrainingError) as refused:
            edit(zhang, personas["liaison_a"], **change)
        assert refused.value.code == "has_marks"
    zhang.refresh_from_db()
    assert (zhang.name, zhang.phone) == ("张三", "13800001111")
    # what does not say who came may still be corrected, and the organizer corrects a typo
    assert edit(zhang, personas["liaison_a"], position="科员").position == "科员"
    assert edit(zhang, personas["organizer"], name="张叁").name == "张叁"
