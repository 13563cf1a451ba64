"""扫码签到: codes, the day's window, matching name and phone, the throttle, the year lock and the
organizer's pages. The clock is fixed at 2026-10-22 (a training day, 09:00–17:00)."""

import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.models import Year
from tests.concurrency import exactly_one_wins, postgresql_only, race, refusals
from tests.training.conftest import at, make_training
from training import checkin
from training.models import AttendanceMark, Attendee, WalkIn
from training.services import (
    decide_walk_in,
    leave_walk_in,
    mark_attendance,
    register_attendee,
    self_check_in,
)

DAY = date(2026, 10, 22)


@pytest.fixture
def clock(monkeypatch):
    """timezone.now() as the test sets it; 09:00 on the training day to begin with."""

    class Clock:
        now = at(DAY, 9)

        def set(self, moment):
            self.now = moment

    fixed = Clock()
    monkeypatch.setattr(timezone, "now", lambda: fixed.now)
    return fixed


@pytest.fixture
def day_training(personas, unit_a, unit_b, clock):
    """09:00–17:00 on DAY; 张三 and 王芳 of unit A, 李四 of unit B."""
    training = make_training(created_by=personas["organizer"], start=DAY)
    organizer = personas["organizer"]
    for unit, name, phone in [
        (unit_a, "张三", "13800001234"),
        (unit_a, "王芳", "13900005678"),
        (unit_b, "李四", "13700009999"),
    ]:
        register_attendee(training, unit=unit, name=name, phone=phone, actor=organizer)
    return training


def url(training, day=DAY, now=None):
    return reverse("training:checkin", args=[checkin.projector_code(training, day, now)])


def sign_in(client, training, name, phone, *, address="10.0.0.1", code_url=None):
    return client.post(
        code_url or url(training), {"name": name, "phone": phone}, REMOTE_ADDR=address
    )


def page_text(response):
    return response.content.decode()


def mark_of(training, name):
    return AttendanceMark.objects.filter(attendee__training=training, attendee__name=name).first()


# Codes --------------------------------------------------------------------------------------


def test_a_projector_code_names_its_training_and_day(day_training, clock):
    code = checkin.read_code(checkin.projector_code(day_training, DAY))
    assert (code.training_id, code.day, code.is_poster) == (day_training.pk, DAY, False)


def test_a_projector_code_expires_three_minutes_after_it_is_replaced(day_training, clock):
    # 09:00:00 is the start of a two-minute slot (epoch seconds divisible by 120): replaced at
    # 09:02:00, accepted until 09:05:00
    token = checkin.projector_code(day_training, DAY)
    clock.set(at(DAY, 9) + timedelta(minutes=4, seconds=59))
    assert checkin.read_code(token).day == DAY
    clock.set(at(DAY, 9) + timedelta(minutes=5))
    with pytest.raises(checkin.ExpiredCode):
        checkin.read_code(token)


def test_the_poster_code_does_not_expire_with_the_projector(day_training, clock):
    token = checkin.poster_code(day_training, DAY)
    clock.set(at(DAY, 16))
    assert checkin.read_code(token).is_poster


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature changed
        lambda token: token.replace(".s", ".p", 1),  # a projector code made a poster code
        lambda token: "2" + token,  # another training's id
        lambda token: "",
        lambda token: "x" * 500,
    ],
)
def test_a_tampered_code_is_refused(day_training, clock, tamper):
    with pytest.raises(checkin.BadCode):
        checkin.read_code(tamper(checkin.projector_code(day_training, DAY)))


def test_a_code_of_another_training_signs_in_nobody_of_this_one(day_training, personas, clock):
    other = make_training(created_by=personas["organizer"], start=DAY, title="另一个培训班")
    response = sign_in(Client(), day_training, "张三", "1234", code_url=url(other))
    assert "姓名或手机号与本培训的报名信息不符" in page_text(response)
    assert mark_of(day_training, "张三") is None


def test_the_expired_code_page_says_to_scan_again(day_training, clock):
    code_url = url(day_training)
    clock.set(
        at(
            DAY,
            9,
        )
        + timedelta(minutes=6)
    )
    response = sign_in(Client(), day_training, "张三", "1234", code_url=code_url)
    assert response.status_code == 200
    assert "二维码已过期" in page_text(response)
    assert mark_of(day_training, "张三") is None


def test_a_poster_code_of_another_day_is_refused_with_its_day(personas, unit_a, clock):
    training = make_training(
        created_by=personas["organizer"], start=DAY - timedelta(days=1), days=2
    )
    register_attendee(
        training, unit=unit_a, name="张三", phone="13800001234", actor=personas["organizer"]
    )
    yesterday = reverse(
        "training:checkin", args=[checkin.poster_code(training, DAY - timedelta(1))]
    )
    response = sign_in(Client(), training, "张三", "1234", code_url=yesterday)
    assert "此二维码是2026年10月21日的" in page_text(response)
    assert mark_of(training, "张三") is None


def test_a_code_that_cannot_be_used_now_says_so_when_opened(day_training, personas, clock):
    # another day's poster: the reason at once, and no form to fill in for nothing
    other_day = reverse("training:checkin", args=[checkin.poster_code(day_training, DAY)])
    clock.set(at(DAY + timedelta(days=1), 9))
    for page in (other_day, other_day + "walk-in/"):
        response = Client().get(page)
        assert "不是今天的" in page_text(response)
        assert 'name="phone"' not in page_text(response)
    # before the window opens the same: it says when
    clock.set(at(DAY, 7))
    response = Client().get(url(day_training))
    assert "签到尚未开始" in page_text(response) and 'name="phone"' not in page_text(response)


# Signing in ---------------------------------------------------------------------------------


def test_an_attendee_signs_in_with_name_and_last_four_digits_at_the_real_time(day_training, clock):
    clock.set(at(DAY, 9) + timedelta(minutes=2, seconds=30))
    response = sign_in(Client(), day_training, " 张 三 ", "1234")
    assert response.status_code == 200
    assert "签到成功：张三，09:02。" in page_text(response)
    mark = mark_of(day_training, "张三")
    assert (mark.status, mark.method, mark.marked_by) == ("present", "qr", None)
    assert mark.checked_in_at == at(DAY, 9) + timedelta(minutes=2, seconds=30)
    # a one-day training: present on its only day is attended
    assert Attendee.objects.get(name="张三").status == Attendee.Status.ATTENDED


def test_the_whole_number_in_full_width_digits_signs_in_too(day_training, clock):
    sign_in(Client(), day_training, "王芳", "１３９ ０００ ０５６７８")
    assert mark_of(day_training, "王芳").status == "present"


def test_signing_in_twice_says_when_the_first_was(day_training, clock):
    clock.set(at(DAY, 9) + timedelta(minutes=2))
    sign_in(Client(), day_training, "张三", "1234")
    clock.set(at(DAY, 9) + timedelta(minutes=3))
    response = sign_in(Client(), day_training, "张三", "1234")
    assert "您今天已于09:02签到。" in page_text(response)
    assert mark_of(day_training, "张三").checked_in_at == at(DAY, 9) + timedelta(minutes=2)


def test_an_organizers_absent_mark_is_replaced_when_the_attendee_arrives(
    day_training, personas, clock
):
    zhang = Attendee.objects.get(name="张三")
    mark_attendance(day_training, DAY, {zhang.pk: "absent"}, actor=personas["organizer"])
    sign_in(Client(), day_training, "张三", "1234")
    assert mark_of(day_training, "张三").status == "present"


@pytest.mark.parametrize(
    "name, phone",
    [("张三", "4321"), ("赵六", "1234"), ("张三", "13800001235")],
    ids=["wrong digits", "nobody of that name", "wrong whole number"],
)
def test_a_mismatch_never_says_which_part_was_wrong(day_training, clock, name, phone):
    response = sign_in(Client(), day_training, name, phone)
    text = page_text(response)
    assert "姓名或手机号与本培训的报名信息不符。请核对，或请签到处工作人员为您手工签到。" in text
    assert AttendanceMark.objects.count() == 0


def test_two_attendees_of_one_name_are_told_apart_by_the_phone(
    day_training, unit_b, personas, clock
):
    register_attendee(
        day_training, unit=unit_b, name="张三", phone="13600005555", actor=personas["organizer"]
    )
    sign_in(Client(), day_training, "张三", "5555")
    marks = AttendanceMark.objects.filter(attendee__name="张三")
    assert [mark.attendee.phone for mark in marks] == ["13600005555"]


def test_two_attendees_of_one_name_and_last_digits_are_asked_for_the_whole_number(
    day_training, unit_b, personas, clock
):
    register_attendee(
        day_training, unit=unit_b, name="张三", phone="13600001234", actor=personas["organizer"]
    )
    response = sign_in(Client(), day_training, "张三", "1234")
    assert "请输入完整的手机号码签到。" in page_text(response)
    sign_in(Client(), day_training, "张三", "13600001234")
    assert [m.attendee.phone for m in AttendanceMark.objects.all()] == ["13600001234"]


@pytest.mark.parametrize("phone", ["123", "12345", "abc", "1" * 16])
def test_a_phone_of_the_wrong_shape_is_refused_at_the_field(day_training, clock, phone):
    response = sign_in(Client(), day_training, "张三", phone)
    assert "请输入手机号后4位，或完整号码。" in page_text(response)
    assert AttendanceMark.objects.count() == 0


# The day's window: from 30 minutes before the start to the end, both included ---------------


@pytest.mark.parametrize(
    "moment, signed_in",
    [
        (at(DAY, 8) + timedelta(minutes=30), True),
        (at(DAY, 8) + timedelta(minutes=29, seconds=59), False),
        (at(DAY, 17), True),
        (at(DAY, 17) + timedelta(seconds=1), False),
    ],
    ids=["08:30:00", "08:29:59", "17:00:00", "17:00:01"],
)
def test_the_window_edges(day_training, clock, moment, signed_in):
    clock.set(moment)
    response = sign_in(Client(), day_training, "张三", "1234")
    assert (mark_of(day_training, "张三") is not None) == signed_in
    if not signed_in:
        assert "08:30" in page_text(response) and "17:00" in page_text(response)


def test_each_day_of_a_multi_day_training_has_its_own_window(personas, unit_a, clock):
    training = make_training(
        created_by=personas["organizer"], start=DAY - timedelta(days=1), days=3
    )
    opens, closes = checkin.day_window(training, DAY)
    assert (opens, closes) == (at(DAY, 8) + timedelta(minutes=30), at(DAY, 17))


def test_an_afternoon_start_and_a_noon_end_give_each_day_its_own_hours(personas, unit_a, clock):
    """报到 at 14:00, classes until 12:00 the next day: every day was 14:00–12:00, and the last
    day's sign-in opened at 13:30, after the class had ended (a tester's training)."""
    training = make_training(created_by=personas["organizer"], start=DAY, days=2)
    training.starts_at = at(DAY, 14)
    training.ends_at = at(DAY + timedelta(days=1), 12)
    training.save()
    last = DAY + timedelta(days=1)
    first_opens, first_closes = checkin.day_window(training, DAY)
    assert first_opens == at(DAY, 13) + timedelta(minutes=30)
    assert first_closes.date() == DAY and first_closes.hour == 23
    assert checkin.day_window(training, last) == (at(last, 0), at(last, 12))
    register_attendee(
        training, unit=unit_a, name="张三", phone="13800001234", actor=personas["organizer"]
    )
    client = Client()
    client.force_login(personas["organizer"])
    pdf = client.get(reverse("training:sign_in_sheet", args=[training.pk]))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages]
    assert "时间：14:00 起" in pages[0] and "时间：至 12:00" in pages[-1]


def test_a_day_starting_just_after_midnight_opens_at_midnight_not_the_day_before(personas, clock):
    training = make_training(created_by=personas["organizer"], start=DAY, days=2)
    training.starts_at = at(DAY, 0) + timedelta(minutes=15)
    training.ends_at = at(DAY + timedelta(days=1), 23) + timedelta(minutes=30)
    training.save()
    for day in (DAY, DAY + timedelta(days=1)):
        opens, closes = checkin.day_window(training, day)
        assert (opens, closes) == (at(day, 0), at(day, 23) + timedelta(minutes=30))


# The throttle -------------------------------------------------------------------------------


def test_five_mismatches_for_one_name_stop_that_name_for_a_while(day_training, clock):
    # someone guessing 张三's four digits: 5 tries, then that name waits (from any address)
    for attempt in range(checkin.NAME_FAILURES):
        response = sign_in(
            Client(), day_training, "张三", f"000{attempt}", address=f"10.0.3.{attempt}"
        )
        assert response.status_code == 200
    refused = sign_in(Client(), day_training, "张 三", "1234", address="10.0.4.1")
    assert refused.status_code == 429
    assert "不匹配的尝试次数过多" in page_text(refused)
    assert mark_of(day_training, "张三") is None
    # everyone else signs in from the same hall, and 张三 does in the next window
    assert sign_in(Client(), day_training, "王芳", "5678").status_code == 200
    assert mark_of(day_training, "王芳") is not None
    clock.set(clock.now + timedelta(seconds=checkin.THROTTLE_SECONDS))
    sign_in(Client(), day_training, "张三", "1234", code_url=url(day_training))
    assert mark_of(day_training, "张三") is not None


def test_a_hall_behind_one_address_is_stopped_only_after_many_mismatches(day_training, clock):
    # typos of many people behind the venue's Wi-Fi: each name once, all from one address
    for number in range(checkin.ADDRESS_FAILURES - 1):
        assert sign_in(Client(), day_training, f"来宾{number}", "0000").status_code == 200
    assert sign_in(Client(), day_training, "王芳", "5678").status_code == 200
    assert mark_of(day_training, "王芳") is not None
    # one device trying name after name is stopped at the address's limit
    sign_in(Client(), day_training, "来宾最后", "0000")
    refused = sign_in(Client(), day_training, "张三", "1234")
    assert refused.status_code == 429
    assert mark_of(day_training, "张三") is None
    # another address is not held up
    assert sign_in(Client(), day_training, "张三", "1234", address="10.0.0.2").status_code == 200


def test_mismatches_at_one_training_never_hold_up_another(
    day_training, personas, unit_a, clock, monkeypatch
):
    monkeypatch.setattr(checkin, "ADDRESS_FAILURES", 2)
    other = make_training(created_by=personas["organizer"], start=DAY, title="另一个培训")
    for number in range(2):
        sign_in(Client(), other, f"来宾{number}", "0000")
    assert sign_in(Client(), other, "张三", "1234").status_code == 429
    assert sign_in(Client(), day_training, "张三", "1234").status_code == 200
    assert mark_of(day_training, "张三") is not None


def test_successful_sign_ins_from_one_wifi_never_count(day_training, clock):
    for _attempt in range(checkin.NAME_FAILURES + 2):
        sign_in(Client(), day_training, "张三", "1234")  # "already signed in" is no guess
    assert sign_in(Client(), day_training, "王芳", "5678").status_code == 200
    assert mark_of(day_training, "王芳") is not None


def test_mismatches_from_many_addresses_stop_the_training(day_training, clock, monkeypatch):
    monkeypatch.setattr(checkin, "TRAINING_FAILURES", 3)
    for number in range(3):
        sign_in(Client(), day_training, f"来宾{number}", "0000", address=f"10.0.1.{number}")
    response = sign_in(Client(), day_training, "张三", "1234", address="10.0.2.1")
    assert response.status_code == 429
    assert mark_of(day_training, "张三") is None


# Year lock, privacy, CSRF -------------------------------------------------------------------


def test_a_published_year_takes_no_check_in(day_training, clock):
    Year.objects.update_or_create(year=2026, defaults={"locked_at": timezone.now()})
    response = sign_in(Client(), day_training, "张三", "1234")
    assert "本培训的签到已关闭：所属年度的结果已发布。" in page_text(response)
    assert AttendanceMark.objects.count() == 0


def test_the_public_page_shows_no_attendee(day_training, clock):
    client = Client()
    pages = [
        client.get(url(day_training)),
        sign_in(client, day_training, "赵六", "1234"),
        sign_in(client, day_training, "张三", "1234"),
    ]
    for response in pages:
        text = page_text(response)
        for secret in ["王芳", "李四", "5678", "9999", "13800001234", "甲街道", "乙局"]:
            assert secret not in text


def test_the_public_page_is_a_form_with_csrf(day_training, clock):
    client = Client(enforce_csrf_checks=True)
    page = client.get(url(day_training))
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page_text(page)
    refused = client.post(url(day_training), {"name": "张三", "phone": "1234"})
    assert refused.status_code == 403
    assert mark_of(day_training, "张三") is None


# The organizer's pages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, expected", [("anonymous", 302), ("liaison_a", 403), ("inspector", 403)]
)
@pytest.mark.parametrize("name", ["checkin_screen", "checkin_code", "checkin_poster"])
def test_only_organizers_see_the_codes(client_for, day_training, persona, expected, name):
    response = client_for(persona).get(reverse(f"training:{name}", args=[day_training.pk]))
    assert response.status_code == expected


def test_the_projector_page_shows_the_current_code_and_the_count(client_for, day_training, clock):
    sign_in(Client(), day_training, "张三", "1234")
    response = client_for("organizer").get(
        reverse("training:checkin_screen", args=[day_training.pk]), {"day": "2026-10-22"}
    )
    text = page_text(response)
    assert f'data-checkin-url="http://testserver{url(day_training)}"' in text
    assert "data-checkin-present>1</span>" in text


def test_the_code_changes_with_the_slot(client_for, day_training, clock):
    client = client_for("organizer")
    code_url = reverse("training:checkin_code", args=[day_training.pk])
    first = client.get(code_url, {"day": "2026-10-22"}).json()
    clock.set(clock.now + timedelta(seconds=checkin.ROTATE_SECONDS))
    second = client.get(code_url, {"day": "2026-10-22"}).json()
    assert first["url"] != second["url"]
    assert second["image"].startswith("data:image/svg+xml")
    assert (second["present"], second["registered"], second["refresh_in"]) == (0, 3, 120)


def test_the_live_figures_list_who_is_missing_by_unit(client_for, day_training, personas, clock):
    sign_in(Client(), day_training, "张三", "1234")
    li = Attendee.objects.get(name="李四")
    mark_attendance(day_training, DAY, {li.pk: "excused"}, actor=personas["organizer"])
    response = client_for("organizer").get(
        reverse("training:attendance_live", args=[day_training.pk]), {"day": "2026-10-22"}
    )
    assert response.json() == {
        "registered": 3,
        "present": 1,
        "excused": 1,
        "missing": [{"unit": "甲街道", "names": ["王芳"], "more": 0}],
    }


def test_the_poster_embeds_its_font_and_says_how_long_it_works(client_for, day_training, clock):
    response = client_for("organizer").get(
        reverse("training:checkin_poster", args=[day_training.pk]), {"day": "2026-10-22"}
    )
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert "全市政府信息公开培训班" in text and "扫码签到" in text
    assert "本二维码仅在2026年10月22日08:30至17:00有效" in text.replace(" ", "").replace("\n", "")
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert any("/FontFile2" in font.get_object()["/FontDescriptor"] for font in _descendants(fonts))


def _descendants(fonts):
    for font in fonts.values():
        font = font.get_object()
        for descendant in font.get("/DescendantFonts", [font]):
            descendant = descendant.get_object()
            if "/FontDescriptor" in descendant:
                yield descendant


def test_the_poster_code_opens_the_sign_in_page(client_for, day_training, clock):
    """The poster's URL, as printed under the code, is today's poster code."""
    response = client_for("organizer").get(
        reverse("training:checkin_poster", args=[day_training.pk]), {"day": "2026-10-22"}
    )
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    printed = next(line for line in text.splitlines() if "/training/check-in/" in line)
    path = printed.strip().removeprefix("http://testserver")
    assert sign_in(Client(), day_training, "张三", "1234", code_url=path).status_code == 200
    assert mark_of(day_training, "张三").method == "qr"


def test_manual_marking_stays_for_those_without_phones(day_training, personas, clock):
    zhang = Attendee.objects.get(name="张三")
    mark_attendance(day_training, DAY, {zhang.pk: "present"}, actor=personas["organizer"])
    mark = mark_of(day_training, "张三")
    assert (mark.method, mark.marked_by) == ("manual", personas["organizer"])
    assert mark.checked_in_at == at(DAY, 9)  # marked on the day: timed now


def test_saving_the_attendance_page_opened_before_a_scan_keeps_the_scan(
    client_for, day_training, clock
):
    """The desk opened the page when nobody was in; 张三 scans; the desk marks 王芳 and saves."""
    organizer = client_for("organizer")
    page_url = reverse("training:attendance", args=[day_training.pk])
    page = page_text(organizer.get(page_url, {"day": "2026-10-22"}))
    zhang, wang, li = (Attendee.objects.get(name=name) for name in ["张三", "王芳", "李四"])
    assert f'name="was-{zhang.pk}" value=""' in page
    sign_in(Client(), day_training, "张三", "1234")
    organizer.post(
        page_url,
        {
            "day": "2026-10-22",
            **{f"was-{a.pk}": "" for a in (zhang, wang, li)},
            f"status-{zhang.pk}": "",
            f"status-{wang.pk}": "present",
            f"status-{li.pk}": "",
        },
    )
    assert mark_of(day_training, "张三").method == "qr"
    assert mark_of(day_training, "王芳").method == "manual"
    assert mark_of(day_training, "李四") is None
    page = page_text(organizer.get(page_url, {"day": "2026-10-22"}))
    assert page.count("扫码</span>") == 1


def test_marking_absent_someone_who_scanned_meanwhile_keeps_the_scan_and_says_so(
    client_for, day_training, clock
):
    """Trial 9: the desk, on the page opened before 张三 scanned, marked him 缺席 on purpose
    (he was not there when it looked): the scan and its time were lost."""
    organizer = client_for("organizer")
    page_url = reverse("training:attendance", args=[day_training.pk])
    zhang, wang = (Attendee.objects.get(name=name) for name in ["张三", "王芳"])
    sign_in(Client(), day_training, "张三", "1234")
    response = organizer.post(
        page_url,
        {
            "day": "2026-10-22",
            f"was-{zhang.pk}": "",
            f"status-{zhang.pk}": "absent",
            f"was-{wang.pk}": "",
            f"status-{wang.pk}": "absent",
        },
        follow=True,
    )
    assert mark_of(day_training, "张三").method == "qr"
    assert mark_of(day_training, "张三").status == "present"
    assert mark_of(day_training, "王芳").status == "absent"
    said = [str(message) for message in response.context["messages"]]
    assert "张三 在您打开本页之后于 09:00 扫码签到，已保留该签到；如有误，请再次修改。" in said
    # marked again from the page that now shows the scan: taken as meant
    organizer.post(
        page_url,
        {"day": "2026-10-22", f"was-{zhang.pk}": "present", f"status-{zhang.pk}": "absent"},
    )
    assert mark_of(day_training, "张三").status == "absent"


# 现场报名 ------------------------------------------------------------------------------------


def walk_in_url(training):
    return reverse("training:walk_in", args=[checkin.projector_code(training, DAY)])


def leave(client, training, unit, name, phone, address="10.0.0.1"):
    return client.post(
        walk_in_url(training),
        {"unit": unit.pk, "name": name, "phone": phone},
        REMOTE_ADDR=address,
    )


def test_a_walk_in_is_approved_registered_and_present_from_when_they_came(
    client_for, day_training, unit_b, clock
):
    clock.set(at(DAY, 9) + timedelta(minutes=7))
    response = leave(Client(), day_training, unit_b, "赵 六", "139 0000 1111")
    assert "组织者确认" in page_text(response)
    walk_in = WalkIn.objects.get()
    assert (walk_in.name, walk_in.phone, walk_in.status) == ("赵六", "13900001111", "pending")
    organizer = client_for("organizer")
    page = page_text(
        organizer.get(reverse("training:attendance", args=[day_training.pk]), {"day": "2026-10-22"})
    )
    assert "赵六（乙局）" in page
    assert "本单位名额：已报1人，应派2人" in page  # 李四 of 乙局 holds one of its two seats
    clock.set(at(DAY, 10))
    organizer.post(
        reverse("training:walk_in_decide", args=[day_training.pk, walk_in.pk]),
        {"decision": "approve"},
    )
    walk_in.refresh_from_db()
    assert walk_in.status == "approved"
    mark = mark_of(day_training, "赵六")
    assert (mark.status, mark.checked_in_at) == ("present", at(DAY, 9) + timedelta(minutes=7))
    assert walk_in.attendee.unit == unit_b


def test_a_walk_in_is_refused_when_the_training_is_full(client_for, day_training, unit_b, clock):
    day_training.capacity = 3  # 张三, 王芳, 李四 hold every place
    day_training.save()
    leave(Client(), day_training, unit_b, "赵六", "13900001111")
    walk_in = WalkIn.objects.get()
    response = client_for("organizer").post(
        reverse("training:walk_in_decide", args=[day_training.pk, walk_in.pk]),
        {"decision": "approve"},
        follow=True,
    )
    assert "培训名额已满" in page_text(response)
    walk_in.refresh_from_db()
    assert walk_in.status == "pending" and not Attendee.objects.filter(name="赵六").exists()


def test_a_rejected_walk_in_registers_nobody(client_for, day_training, unit_b, clock):
    leave(Client(), day_training, unit_b, "赵六", "13900001111")
    walk_in = WalkIn.objects.get()
    client_for("organizer").post(
        reverse("training:walk_in_decide", args=[day_training.pk, walk_in.pk]),
        {"decision": "reject"},
    )
    walk_in.refresh_from_db()
    assert walk_in.status == "rejected" and not Attendee.objects.filter(name="赵六").exists()


def test_a_registered_person_is_sent_to_check_in_instead(day_training, unit_a, clock):
    response = leave(Client(), day_training, unit_a, "张三", "13800001234")
    assert "您已报名本培训" in page_text(response)
    assert not WalkIn.objects.exists()


def test_walk_ins_are_limited_per_address_without_blocking_sign_ins(day_training, unit_b, clock):
    client = Client()
    for number in range(checkin.ADDRESS_WALK_INS):
        leave(client, day_training, unit_b, f"访客{number}", f"1390000{number:04d}")
    refused = leave(client, day_training, unit_b, "赵六", "13900001111")
    assert refused.status_code == 429
    assert "现场报名次数过多" in page_text(refused)
    assert WalkIn.objects.count() == checkin.ADDRESS_WALK_INS
    # the same address still signs in
    assert sign_in(Client(), day_training, "张三", "1234").status_code == 200
    assert mark_of(day_training, "张三") is not None


def test_liaisons_do_not_decide_walk_ins(client_for, day_training, unit_a, clock):
    leave(Client(), day_training, unit_a, "赵六", "13900001111")
    walk_in = WalkIn.objects.get()
    response = client_for("liaison_a").post(
        reverse("training:walk_in_decide", args=[day_training.pk, walk_in.pk]),
        {"decision": "approve"},
    )
    assert response.status_code == 403
    assert WalkIn.objects.get().status == "pending"


def test_a_published_year_takes_no_walk_in_decision(client_for, day_training, unit_b, clock):
    leave(Client(), day_training, unit_b, "赵六", "13900001111")
    Year.objects.update_or_create(year=2026, defaults={"locked_at": timezone.now()})
    response = client_for("organizer").post(
        reverse("training:walk_in_decide", args=[day_training.pk, WalkIn.objects.get().pk]),
        {"decision": "approve"},
        follow=True,
    )
    assert "2026 年度考核结果已发布" in page_text(response)
    assert WalkIn.objects.get().status == "pending"
    assert not Attendee.objects.filter(name="赵六").exists()


def test_the_live_figures_take_the_same_queries_for_more_attendees(
    client_for, day_training, unit_a, personas, clock, django_assert_num_queries
):
    organizer = client_for("organizer")
    live = reverse("training:attendance_live", args=[day_training.pk])
    organizer.get(live)  # the session and the user's roles, read once
    with CaptureQueriesContext(connection) as first:
        organizer.get(live, {"day": "2026-10-22"})
    for number in range(20):
        register_attendee(
            day_training,
            unit=unit_a,
            name=f"学员{number}",
            phone=f"1350000{number:04d}",
            actor=personas["organizer"],
        )
    with django_assert_num_queries(len(first.captured_queries)):
        organizer.get(live, {"day": "2026-10-22"})


# Races (PostgreSQL) -------------------------------------------------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_scans_of_one_person_at_once_make_one_mark(day_training, clock):
    def scan():
        return self_check_in(day_training, DAY, name="张三", phone_digits="1234", at=clock.now)

    exactly_one_wins(race(scan, scan), code="already")
    assert AttendanceMark.objects.count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_scan_and_the_desk_at_once_leave_one_present_mark(day_training, personas, clock):
    zhang = Attendee.objects.get(name="张三")
    outcomes = race(
        lambda: self_check_in(day_training, DAY, name="张三", phone_digits="1234", at=clock.now),
        lambda: mark_attendance(
            day_training, DAY, {zhang.pk: "present"}, actor=personas["organizer"]
        ),
    )
    refusals(outcomes)
    assert list(AttendanceMark.objects.values_list("status", flat=True)) == ["present"]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_one_walk_in_approved_twice_at_once_registers_once(day_training, unit_b, personas, clock):
    walk_in = leave_walk_in(
        day_training, DAY, unit=unit_b, name="赵六", phone="13900001111", at=clock.now
    )

    def approve():
        return decide_walk_in(walk_in, approve=True, actor=personas["organizer"])

    exactly_one_wins(race(approve, approve), code="decided")
    assert Attendee.objects.filter(name="赵六").count() == 1


def test_the_projector_page_of_another_day_says_its_code_is_for_that_day(
    client_for, personas, clock
):
    training = make_training(created_by=personas["organizer"], start=DAY, days=2)
    response = client_for("organizer").get(
        reverse("training:checkin_screen", args=[training.pk]), {"day": "2026-10-23"}
    )
    assert "此二维码仅用于2026年10月23日的签到，其他日期扫码无效。" in page_text(response)
    today = client_for("organizer").get(reverse("training:checkin_screen", args=[training.pk]))
    assert 'data-testid="not-today"' not in page_text(today)
