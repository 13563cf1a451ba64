import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.training.conftest import make_training
from training.models import Attendee
from training.services import TrainingError, mark_attendance, overall_status, register_attendee


@pytest.mark.parametrize(
    "marks, days, expected",
    [
        (["present", "present"], 2, Attendee.Status.ATTENDED),
        (["present", "absent"], 2, Attendee.Status.PARTIAL),
        (["present"], 2, Attendee.Status.PARTIAL),
        (["excused", "absent"], 2, Attendee.Status.EXCUSED),
        (["absent"], 1, Attendee.Status.ABSENT),
        ([], 1, Attendee.Status.REGISTERED),
    ],
)
def test_overall_status_counts_attended_only_when_present_every_day(marks, days, expected):
    assert overall_status(marks, days) == expected


@pytest.fixture
def two_day(personas, unit_a, unit_b):
    organizer = personas["organizer"]
    training = make_training(created_by=organizer, days=2)
    people = [
        register_attendee(training, unit=unit, name=name, phone=phone, actor=organizer)
        for unit, name, phone in [
            (unit_a, "甲一", "13800000001"),
            (unit_a, "甲二", "13800000002"),
            (unit_b, "乙一", "13800000003"),
        ]
    ]
    return training, people


def test_attendance_is_taken_per_day_and_check_in_time_is_kept(two_day, personas):
    training, (one, two, three) = two_day
    organizer = personas["organizer"]
    day1, day2 = training.days()
    first_time = timezone.now() - timedelta(hours=30)
    mark_attendance(
        training, day1, {one.pk: "present", two.pk: "present"}, actor=organizer, at=first_time
    )
    mark_attendance(training, day2, {one.pk: "present", two.pk: "absent"}, actor=organizer)
    one.refresh_from_db()
    two.refresh_from_db()
    three.refresh_from_db()
    assert (one.status, one.checked_in_at) == (Attendee.Status.ATTENDED, first_time)
    assert two.status == Attendee.Status.PARTIAL
    assert three.status == Attendee.Status.REGISTERED
    # every change is in the history: registration, then two status updates for 甲一
    assert one.history.count() == 3


def test_marking_a_day_outside_the_training_is_refused(two_day, personas):
    training, (one, *_rest) = two_day
    with pytest.raises(TrainingError):
        mark_attendance(
            training,
            training.days()[-1] + timedelta(days=1),
            {one.pk: "present"},
            actor=personas["organizer"],
        )


def test_attendance_page_bulk_marks_a_unit_and_keeps_the_others(client_for, two_day):
    training, (one, _two, three) = two_day
    day1 = training.days()[0]
    url = reverse("training:attendance", args=[training.pk])
    client = client_for("organizer")
    response = client.post(
        url,
        {
            "day": f"{day1:%Y-%m-%d}",
            f"status-{three.pk}": "excused",
            "bulk": f"unit-{one.unit_id}:present",
        },
    )
    assert response.status_code == 302
    statuses = dict(Attendee.objects.values_list("name", "status"))
    # present on day 1 of 2 only: partial until day 2 is marked
    assert statuses == {"甲一": "partial", "甲二": "partial", "乙一": "excused"}
    page = client.get(url, {"day": f"{day1:%Y-%m-%d}"}).content.decode()
    assert f'name="status-{one.pk}" id="s{one.pk}-present" value="present" checked' in page


def test_attendance_page_is_for_organizers_only(client_for, two_day):
    training, _people = two_day
    url = reverse("training:attendance", args=[training.pk])
    assert client_for("liaison_a").get(url).status_code == 403


def test_attendance_page_query_count_does_not_grow_with_attendees(
    client_for, two_day, django_assert_max_num_queries, unit_a, personas
):
    training, _people = two_day
    client = client_for("organizer")
    url = reverse("training:attendance", args=[training.pk])
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    training.capacity = None
    for number in range(20):
        Attendee.objects.create(
            training=training,
            unit=unit_a,
            name=f"人{number}",
            phone=f"1390000{number:04d}",
            registered_by=personas["organizer"],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_attendance_of_a_day_that_has_not_come_is_refused(personas, unit_a):
    organizer = personas["organizer"]
    training = make_training(
        created_by=organizer, start=timezone.localdate() - timedelta(days=1), days=3
    )
    person = register_attendee(
        training, unit=unit_a, name="甲一", phone="13800000001", actor=organizer
    )
    tomorrow = training.days()[-1]
    with pytest.raises(TrainingError) as refused:
        mark_attendance(training, tomorrow, {person.pk: "present"}, actor=organizer)
    assert refused.value.code == "future_day"
    person.refresh_from_db()
    assert (person.status, person.checked_in_at, person.marks.count()) == (
        Attendee.Status.REGISTERED,
        None,
        0,
    )


def test_a_check_in_is_timed_only_when_taken_on_its_day(personas, unit_a):
    organizer = personas["organizer"]
    training = make_training(
        created_by=organizer, start=timezone.localdate() - timedelta(days=1), days=2
    )
    person = register_attendee(
        training, unit=unit_a, name="甲一", phone="13800000001", actor=organizer
    )
    yesterday, today = training.days()
    mark_attendance(training, yesterday, {person.pk: "present"}, actor=organizer)
    assert person.marks.get(day=yesterday).checked_in_at is None  # marked afterwards: unknown
    mark_attendance(training, today, {person.pk: "present"}, actor=organizer)
    assert timezone.localdate(person.marks.get(day=today).checked_in_at) == today


def test_the_attendance_page_of_a_future_day_says_so_and_offers_no_save(
    client_for, personas, unit_a
):
    training = make_training(
        created_by=personas["organizer"], start=timezone.localdate() + timedelta(days=3)
    )
    url = reverse("training:attendance", args=[training.pk])
    client = client_for("organizer")
    page = client.get(url).content.decode()
    assert 'data-testid="future-day"' in page
    assert 'name="bulk"' not in page
    response = client.post(url, {"bulk": "all:present"}, follow=True)
    assert "不能提前登记" in response.content.decode()


@pytest.mark.parametrize("day", ["2026-02-30", "2026-13-01", "9999-99-99", "昨天"])
def test_attendance_page_shows_the_first_day_for_an_impossible_day(client_for, two_day, day):
    training, _people = two_day
    url = reverse("training:attendance", args=[training.pk])
    response = client_for("organizer").get(url, {"day": day})
    assert response.status_code == 200
    assert response.context["day"] == training.days()[0]


def live_panel_text(client, training):
    """The live panel's words as a reader sees them: the tags and their attributes dropped."""
    content = client.get(reverse("training:attendance", args=[training.pk])).content.decode()
    panel = content.split("data-attendance-live", 1)[1].split("</section>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", "", panel.split(">", 1)[1]))


def test_the_live_panel_says_everyone_is_in_only_when_nobody_is_left(client_for, personas, unit_a):
    organizer = personas["organizer"]
    training = make_training(created_by=organizer, start=timezone.localdate())
    one, two = (
        register_attendee(training, unit=unit_a, name=name, phone=phone, actor=organizer)
        for name, phone in [("张三", "13800001234"), ("李四", "13900005678")]
    )
    client = client_for("organizer")
    text = live_panel_text(client, training)
    assert "已签到：0 / 2" in text
    assert "甲街道：张三、李四" in text
    assert "全部已签到或请假。" not in text

    today = timezone.localdate()
    mark_attendance(training, today, {one.pk: "present", two.pk: "excused"}, actor=organizer)
    text = live_panel_text(client, training)
    assert "已签到：1 / 2" in text
    assert "甲街道" not in text
    assert "全部已签到或请假。" in text


@pytest.fixture
def crowded(personas, unit_a, unit_b):
    """One day, 甲街道 sending 230 people and 乙局 one, registered in bulk."""
    organizer = personas["organizer"]
    training = make_training(created_by=organizer, capacity=None, seats_per_unit=300)
    Attendee.objects.bulk_create(
        [
            Attendee(
                training=training,
                unit=unit_a,
                name=f"甲{number:03d}",
                phone=f"1380000{number:04d}",
                registered_by=organizer,
            )
            for number in range(230)
        ]
        + [
            Attendee(
                training=training,
                unit=unit_b,
                name="乙一",
                phone="13900000001",
                registered_by=organizer,
            )
        ]
    )
    return training


def test_a_big_attendance_list_is_shown_200_people_a_page(client_for, crowded):
    client = client_for("organizer")
    url = reverse("training:attendance", args=[crowded.pk])
    first = client.get(url).content.decode()
    assert first.count('type="radio" name="status-') == 200 * 4  # 3 statuses and "not marked"
    assert "第 1 页，共 2 页" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('type="radio" name="status-') == 31 * 4
    marking = second.split('name="day"', 1)[1]  # below the live panel's names
    assert "甲229" in marking and "乙一" in marking and "甲000" not in marking


def test_saving_a_later_page_marks_its_people_and_comes_back_to_it(client_for, crowded):
    client = client_for("organizer")
    day = crowded.days()[0]
    url = reverse("training:attendance", args=[crowded.pk])
    last = Attendee.objects.get(name="乙一")
    response = client.post(
        f"{url}?day={day:%Y-%m-%d}&page=2",
        {"day": f"{day:%Y-%m-%d}", f"status-{last.pk}": "present"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{url}?day={day:%Y-%m-%d}&page=2"
    assert Attendee.objects.get(pk=last.pk).status == Attendee.Status.ATTENDED
    assert not Attendee.objects.exclude(pk=last.pk).filter(status=Attendee.Status.ATTENDED)


def test_everyone_present_marks_the_people_of_every_page(client_for, crowded):
    day = crowded.days()[0]
    response = client_for("organizer").post(
        reverse("training:attendance", args=[crowded.pk]),
        {"day": f"{day:%Y-%m-%d}", "bulk": "all:present"},
    )
    assert response.status_code == 302
    assert Attendee.objects.filter(status=Attendee.Status.ATTENDED).count() == 231


def test_the_attendance_search_finds_a_person_or_a_unit(client_for, crowded):
    client = client_for("organizer")
    url = reverse("training:attendance", args=[crowded.pk])
    found = client.get(url, {"q": " 甲12 "}).content.decode()
    # 甲120…甲129 (甲012 is 甲0 then 12)
    assert found.count('type="radio" name="status-') == 10 * 4
    assert 'value="甲12"' in found
    by_unit = client.get(url, {"q": "乙局"}).content.decode()
    assert by_unit.count('type="radio" name="status-') == 4 and "乙一" in by_unit
    # a NUL (PostgreSQL refuses it in a query) or another control character is dropped
    assert 'value="甲12"' in client.get(url, {"q": "甲\x0012"}).content.decode()
    nobody = client.get(url, {"q": "无此人"}).content.decode()
    assert "没有符合搜索条件的人员。" in nobody


def test_the_live_panel_names_30_people_a_unit_and_counts_the_rest(client_for, crowded):
    client = client_for("organizer")
    text = live_panel_text(client, crowded)
    assert "甲街道：甲000、" in text and "甲029" in text and "甲030" not in text
    assert "另有 200 人" in text
    state = client.get(reverse("training:attendance_live", args=[crowded.pk])).json()
    assert [(group["unit"], len(group["names"]), group["more"]) for group in state["missing"]] == [
        ("甲街道", 30, 200),
        ("乙局", 1, 0),
    ]


def test_everyone_present_keeps_the_marks_recorded_and_a_search_narrows_it(client_for, crowded):
    """A tester searched 华阳, pressed 全部出勤 and all 560 people were marked present, the
    five recorded 缺席 on page 2 included."""
    day = crowded.days()[0]
    url = reverse("training:attendance", args=[crowded.pk])
    client = client_for("organizer")
    absent = Attendee.objects.get(name="甲007")
    client.post(url, {"day": f"{day:%Y-%m-%d}", f"status-{absent.pk}": "absent"})
    client.post(f"{url}?q=乙局", {"day": f"{day:%Y-%m-%d}", "bulk": "all:present"})
    assert list(
        Attendee.objects.filter(status=Attendee.Status.ATTENDED).values_list("name", flat=True)
    ) == ["乙一"]
    client.post(url, {"day": f"{day:%Y-%m-%d}", "bulk": "all:present"})
    statuses = dict(Attendee.objects.values_list("name", "status"))
    assert statuses["甲007"] == Attendee.Status.ABSENT
    assert sum(status == Attendee.Status.ATTENDED for status in statuses.values()) == 230
