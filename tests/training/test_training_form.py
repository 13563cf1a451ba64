import pytest
from django.urls import reverse

from training.models import Training


def training_data(**fields):
    """A new training's form as the organizer posts it: one day, every unit, 1 seat each."""
    return {
        "title": "培训",
        "starts_at": "2026-03-02T09:00",
        "ends_at": "2026-03-02T17:00",
        "venue": "会议室",
        "status": Training.Status.OPEN,
        "scope": Training.Scope.ALL,
        "seats_per_unit": 1,
        **fields,
    }


@pytest.mark.parametrize(
    "starts, ends",
    [("0001-01-01T00:00", "0001-01-01T08:00"), ("9999-12-31T23:00", "9999-12-31T23:59")],
)
def test_a_training_outside_1900_to_2100_is_refused_at_its_field(client_for, starts, ends):
    response = client_for("organizer").post(
        reverse("training:create"),
        training_data(starts_at=starts, ends_at=ends),
    )
    assert response.status_code == 200
    assert "请输入 1900 至 2100 年之间的日期。" in response.context["form"].errors["starts_at"]
    assert not Training.objects.exists()


def test_a_unit_id_no_database_holds_is_an_error_at_its_field(client_for):
    response = client_for("organizer").post(
        reverse("training:create"),
        # an id SQLite cannot even bind: refused before it reaches a query, on every engine
        training_data(scope=Training.Scope.UNITS, required_units=str(10**20)),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["required_units"]
    assert errors[0].startswith("“100000000000000000000”不是一个有效的值")
    assert not Training.objects.exists()


@pytest.mark.parametrize("field", ["batch", "capacity", "seats_per_unit"])
def test_a_number_no_database_column_holds_is_refused_at_its_field(client_for, field):
    data = training_data(**{field: str(10**20)})
    response = client_for("organizer").post(reverse("training:create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Training.objects.exists()


def test_new_dates_may_not_leave_out_a_day_whose_attendance_is_taken(personas, unit_a):
    """Found by trying to break the system: moving a held training by a day left its 12 marks
    on a day it no longer had — not shown, not counted, and the day listed as not taken."""
    from datetime import date

    from tests.training.conftest import make_training
    from training.forms import TrainingForm
    from training.services import mark_attendance, register_attendee

    organizer = personas["organizer"]
    training = make_training(created_by=organizer, start=date(2026, 3, 12), days=2)
    person = register_attendee(
        training, unit=unit_a, name="甲一", phone="13800000001", actor=organizer
    )
    mark_attendance(training, date(2026, 3, 12), {person.pk: "present"}, actor=organizer)

    def form(starts, ends):
        data = {
            "title": training.title,
            "kind": training.kind_id,
            "starts_at": starts,
            "ends_at": ends,
            "venue": training.venue,
            "status": training.status,
            "scope": training.scope,
            "seats_per_unit": training.seats_per_unit,
        }
        return TrainingForm(data=data, instance=training)

    moved = form("2026-03-13 09:00", "2026-03-13 17:00")
    assert not moved.is_valid()
    assert moved.errors["starts_at"] == [
        "2026年3月12日已登记出勤，新的培训时间不包括这些日期；请保留这些日期，或先更正出勤记录。"
    ]
    shortened = form("2026-03-12 09:00", "2026-03-12 17:00")  # the marked day stays
    assert shortened.is_valid(), shortened.errors


def test_a_description_has_a_limit_though_its_column_has_none(client_for):
    data = training_data(description="说" * 10_001)
    response = client_for("organizer").post(reverse("training:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["description"] == ["最多 10000 个字（现有 10001 个）。"]
    assert not Training.objects.exists()
    data["description"] = "说" * 10_000
    response = client_for("organizer").post(reverse("training:create"), data)
    assert "description" not in response.context["form"].errors  # (the kind is missing here)


def test_a_capacity_above_what_a_training_can_take_is_refused_at_its_field(client_for):
    """10,001 saved, though registration stops at MAX_ATTENDEES (10,000)."""
    data = training_data(capacity="10001")
    response = client_for("organizer").post(reverse("training:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["capacity"] == ["确保该值小于或等于10000。"]
    assert not Training.objects.exists()


def test_a_form_opened_before_someone_elses_save_does_not_silently_undo_it(personas):
    """Trial 9: the organizer corrected the venue; the admin, on a form opened before, raised
    the capacity and saved: the venue went back to the old one, and nobody was told."""
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone

    from tests.training.conftest import make_training

    start = timezone.localdate() + timedelta(days=3)
    training = make_training(created_by=personas["organizer"], start=start, capacity=60)
    url = reverse("training:update", args=[training.pk])
    organizer, admin = Client(), Client()
    organizer.force_login(personas["organizer"])
    admin.force_login(personas["admin"])

    def posted(form_page, **changes):
        form = form_page.context["form"]
        starts = timezone.localtime(training.starts_at)
        ends = timezone.localtime(training.ends_at)
        return {
            "title": training.title,
            "kind": training.kind_id,
            "starts_at": f"{starts:%Y-%m-%dT%H:%M}",
            "ends_at": f"{ends:%Y-%m-%dT%H:%M}",
            "venue": training.venue,
            "status": training.status,
            "capacity": 60,
            "scope": training.scope,
            "seats_per_unit": training.seats_per_unit,
            "lecturers-TOTAL_FORMS": 0,
            "lecturers-INITIAL_FORMS": 0,
            "edition": form["edition"].value(),
            **changes,
        }

    organizers_form, admins_form = organizer.get(url), admin.get(url)
    assert organizer.post(url, posted(organizers_form, venue="二楼报告厅")).status_code == 302
    refused = admin.post(url, posted(admins_form, capacity=80))
    assert refused.status_code == 200
    message = refused.context["form"].non_field_errors()[0]
    assert "在您打开本表单之后" in message and "地点为“二楼报告厅”" in message
    training.refresh_from_db()
    assert (training.venue, training.capacity) == ("二楼报告厅", 60)
    # read, and saved again on purpose: the form now stands for the newest edition
    again = admin.post(url, posted(refused, capacity=80, venue="二楼报告厅"))
    assert again.status_code == 302
    training.refresh_from_db()
    assert (training.venue, training.capacity) == ("二楼报告厅", 80)


def test_who_had_to_attend_an_ended_training_can_no_longer_change(client_for, personas):
    """Trial 9: seats 1 → 5 on a training held in March dropped every unit's training score
    from 100 to 20, and the units could not register anyone for an ended training."""
    from tests.training.conftest import make_training

    training = make_training(created_by=personas["organizer"], seats_per_unit=1)
    url = reverse("training:update", args=[training.pk])
    client = client_for("organizer")
    form = client.get(url).context["form"]
    data = {
        name: form[name].value()
        for name in ("title", "kind", "venue", "status", "scope", "seats_per_unit", "edition")
    }
    data |= {
        "starts_at": form["starts_at"].value(),
        "ends_at": form["ends_at"].value(),
        "lecturers-TOTAL_FORMS": 0,
        "lecturers-INITIAL_FORMS": 0,
    }
    for change in ({"seats_per_unit": 5}, {"scope": Training.Scope.UNITS, "required_units": []}):
        refused = client.post(url, data | change)
        assert refused.status_code == 200
        field = next(iter(change))
        assert refused.context["form"].errors[field] == [
            "培训已结束或已记录出勤，应参训单位和每单位人数不能再修改（各单位的培训得分按此计算"
            "出勤）。"
        ]
    training.refresh_from_db()
    assert (training.seats_per_unit, training.scope) == (1, Training.Scope.ALL)
    # the rest of an ended training may still be corrected
    assert client.post(url, data | {"venue": "二楼报告厅"}).status_code == 302


def test_moving_the_end_of_a_marked_training_into_the_future_does_not_unlock_its_seats(
    client_for, personas, unit_a
):
    """Trial 10: the end moved to December (the marked day still inside), seats 1 → 3 was
    saved, the end moved back: every unit's training score fell from 100 to 88.89."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.training.conftest import make_training
    from training.services import mark_attendance, register_attendee

    training = make_training(created_by=personas["organizer"], seats_per_unit=1)
    person = register_attendee(
        training, unit=unit_a, name="张三", phone="13800001111", actor=personas["organizer"]
    )
    mark_attendance(
        training, training.days()[0], {person.pk: "present"}, actor=personas["organizer"]
    )
    url = reverse("training:update", args=[training.pk])
    client = client_for("organizer")
    form = client.get(url).context["form"]
    later = timezone.localtime(timezone.now() + timedelta(days=20))
    data = {
        name: form[name].value()
        for name in ("title", "kind", "venue", "status", "scope", "seats_per_unit", "edition")
    } | {
        "starts_at": form["starts_at"].value(),
        "ends_at": f"{later:%Y-%m-%dT%H:%M}",
        "lecturers-TOTAL_FORMS": 0,
        "lecturers-INITIAL_FORMS": 0,
    }
    assert client.post(url, data).status_code == 302  # the end moved: allowed
    form = client.get(url).context["form"]
    refused = client.post(url, data | {"seats_per_unit": 3, "edition": form["edition"].value()})
    assert "seats_per_unit" in refused.context["form"].errors
    training.refresh_from_db()
    assert training.seats_per_unit == 1


def test_the_same_new_training_sent_twice_is_created_once(client_for):
    """Trial 9: two tabs (or a resubmitted form) created the training twice; each copy was a
    requirement of its own for every unit."""
    from training.models import TrainingKind

    data = training_data(
        kind=TrainingKind.objects.get_or_create(name="培训班")[0].pk,
        **{"lecturers-TOTAL_FORMS": 0, "lecturers-INITIAL_FORMS": 0},
    )
    client = client_for("organizer")
    assert client.post(reverse("training:create"), data).status_code == 302
    again = client.post(reverse("training:create"), data)
    assert again.status_code == 200
    assert "可能重复提交" in again.context["form"].errors["title"][0]
    assert Training.objects.count() == 1
