"""Who may open which training page; a liaison never sees another unit's attendees."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from training.models import Training
from training.services import register_attendee


@pytest.fixture
def people(training, personas, unit_a, unit_b):
    organizer = personas["organizer"]
    return {
        "a": register_attendee(
            training, unit=unit_a, name="甲一", phone="13800000001", actor=organizer
        ),
        "b": register_attendee(
            training, unit=unit_b, name="乙一", phone="13800000002", actor=organizer
        ),
    }


@pytest.mark.parametrize(
    "url_name, expected",
    [
        ("training:list", {"anonymous": 302, "outsider": 403, "liaison_a": 200, "leader": 200}),
        ("training:create", {"liaison_a": 403, "leader": 403, "inspector": 403, "organizer": 200}),
        ("training:statistics", {"liaison_a": 403, "leader": 200, "organizer": 200}),
    ],
)
def test_page_access(client_for, url_name, expected):
    for persona, status in expected.items():
        assert client_for(persona).get(reverse(url_name)).status_code == status, persona


@pytest.mark.parametrize(
    "url_name, expected",
    [
        ("training:detail", {"liaison_a": 200, "leader": 200, "outsider": 403}),
        ("training:update", {"liaison_a": 403, "organizer": 200}),
        ("training:attendance", {"liaison_a": 403, "inspector": 403, "organizer": 200}),
        ("training:sign_in_sheet", {"liaison_a": 403, "leader": 403, "organizer": 200}),
        ("training:attendance_summary", {"liaison_a": 403, "leader": 200}),
        ("training:attendee_import", {"liaison_a": 200, "organizer": 200, "leader": 200}),
    ],
)
def test_training_page_access(client_for, training, url_name, expected):
    url = reverse(url_name, args=[training.pk])
    for persona, status in expected.items():
        assert client_for(persona).get(url).status_code == status, persona


def test_liaison_does_not_see_a_planned_training(client_for, training):
    training.status = Training.Status.PLANNED
    training.save()
    assert client_for("liaison_a").get(training.get_absolute_url()).status_code == 404


def test_liaison_sees_only_its_own_units_attendees_and_seats(client_for, training, people):
    response = client_for("liaison_a").get(training.get_absolute_url())
    names = [row.record.name for row in response.context["table"].page.object_list]
    assert names == ["甲一"]
    assert [row["unit_name"] for row in response.context["unit_rows"]] == ["甲街道"]
    export = client_for("liaison_a").get(training.get_absolute_url(), {"_export": "csv"})
    assert "乙一" not in export.content.decode("utf-8-sig")


def test_phone_is_masked_for_everyone_but_organizers(client_for, training, people):
    leader_page = client_for("leader").get(training.get_absolute_url()).content.decode()
    assert "138****0001" in leader_page and "13800000001" not in leader_page
    organizer_page = client_for("organizer").get(training.get_absolute_url()).content.decode()
    assert "13800000001" in organizer_page


def test_liaison_cannot_remove_another_units_attendee(client_for, training, people):
    url = reverse("training:attendee_remove", args=[training.pk, people["b"].pk])
    assert client_for("liaison_a").post(url).status_code == 404
    assert training.attendees.count() == 2


def test_liaison_removes_its_own_attendee_while_open(client_for, training, people):
    url = reverse("training:attendee_remove", args=[training.pk, people["a"].pk])
    assert client_for("liaison_a").post(url).status_code == 302
    assert list(training.attendees.values_list("name", flat=True)) == ["乙一"]


def test_liaison_import_of_a_planned_training_is_a_404(client_for, training):
    training.status = Training.Status.PLANNED
    training.save()
    url = reverse("training:attendee_import", args=[training.pk])
    assert client_for("liaison_a").get(url).status_code == 404


def test_training_list_is_the_selected_years(client_for, training, personas):
    from datetime import date

    from tests.training.conftest import make_training

    make_training(created_by=personas["organizer"], start=date(2020, 5, 1), title="旧培训")
    response = client_for("leader").get(reverse("training:list"))
    titles = [row.record.title for row in response.context["table"].page.object_list]
    assert titles == ["全市政府信息公开培训班"]


def test_remove_buttons_only_for_those_who_may_remove(client_for, training, people):
    remove = reverse("training:attendee_remove", args=[training.pk, people["a"].pk])
    assert remove not in client_for("leader").get(training.get_absolute_url()).content.decode()
    assert remove in client_for("liaison_a").get(training.get_absolute_url()).content.decode()


def test_the_remove_form_works_with_csrf_checks_and_only_leaders_see_history(
    personas, training, people
):
    remove = reverse("training:attendee_remove", args=[training.pk, people["a"].pk])
    history = reverse("history", args=["attendee", people["a"].pk])
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["liaison_a"])
    page = client.get(training.get_absolute_url()).content.decode()
    assert history not in page
    form = re.search(
        rf'action="{re.escape(remove)}".*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.S
    )
    assert client.post(remove, {"csrfmiddlewaretoken": form.group(1)}).status_code == 302
    assert not training.attendees.filter(pk=people["a"].pk).exists()

    client.force_login(personas["leader"])
    assert reverse("history", args=["attendee", people["b"].pk]) in (
        client.get(training.get_absolute_url()).content.decode()
    )


def test_seat_rows_put_units_missing_people_first_and_stop_at_fifty(client_for, personas):
    from tests.conftest import make_unit
    from tests.training.conftest import make_training

    for number in range(60):
        make_unit(f"单位{number:02d}")
    training = make_training(created_by=personas["organizer"])
    full = training.requirements.order_by("unit__sort_order").first().unit  # 甲街道, first
    for n in range(2):
        register_attendee(
            training, unit=full, name=f"满{n}", phone=f"1390000000{n}", actor=personas["organizer"]
        )
    response = client_for("leader").get(training.get_absolute_url())
    rows = response.context["unit_rows"]
    assert len(rows) == 50 and response.context["more_unit_rows"] == 12  # 62 units required
    assert full.name not in [row["unit_name"] for row in rows]  # it misses nobody: not shown
    assert [row["unit_name"] for row in rows][:2] == ["乙局", "单位00"]  # then in unit order
