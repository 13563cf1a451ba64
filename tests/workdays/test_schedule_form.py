"""The admin enters a year's schedule as ranges, sees it before saving, and a wrong line is
refused with a message naming it, nothing saved."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from workdays.models import CalendarDay
from workdays.schedule import entries_of, parse_schedule, text_of

SCHEDULE_2027 = """
2027-01-01 元旦放假
2027-02-05 至 2027-02-11 春节放假
2027-02-14 调休上班
２０２７年10月1日～2027年10月7日 国庆节放假
2027/9/26 调休上班
2027.10.9 调休上班
"""


def test_ranges_are_parsed_into_holidays_and_adjusted_working_days():
    lines, errors = parse_schedule(SCHEDULE_2027, 2027)
    assert errors == []
    spring = lines[1]
    assert (spring.number, spring.start, spring.end, spring.kind, spring.name) == (
        3,
        date(2027, 2, 5),
        date(2027, 2, 11),
        "holiday",
        "春节",
    )
    assert (lines[2].start, lines[2].kind, lines[2].name) == (
        date(2027, 2, 14),
        "workday",
        "调休上班",
    )
    # full-width digits and 年月日 dates are read too
    assert (lines[3].start, lines[3].end) == (date(2027, 10, 1), date(2027, 10, 7))
    assert sum(len(line.dates()) for line in lines) == 1 + 7 + 1 + 7 + 1 + 1


@pytest.mark.parametrize(
    "text, line, message",
    [
        (
            "2027-02-05 至 2027-02-11 春节放假\n2027-02-10 至 2027-02-12 春节",
            2,
            "2027-02-10 is already given by line 1.",
        ),
        ("2027-02-30 春节", 1, "There is no such date."),
        ("春节 2027-02-05", 1, "Write a date or a range and a name"),
        ("2027-02-05", 1, "Say what the dates are"),
        ("2027-02-11 至 2027-02-05 春节", 1, "The range ends before it starts."),
        ("2026-12-31 至 2027-01-01 元旦", 1, "Every date must be in 2027."),
        ("\n\n2027-02-15 调休上班", 3, "2027-02-15 is a weekday"),
        ("2027-01-01 至 2027-03-01 寒假", 1, "at most 31 days"),
        ("", 1, "Enter at least one holiday range."),
    ],
)
def test_wrong_lines_are_refused_with_their_line_number(text, line, message):
    with translation.override("en"):
        _lines, errors = parse_schedule(text, 2027)
    assert [number for number, _message in errors] == [line]
    assert message in errors[0][1]


@pytest.mark.parametrize(
    "text, dates, kind, name",
    [
        (
            "2026年12月21日至12月23日 测试放假",
            ["2026-12-21", "2026-12-22", "2026-12-23"],
            "holiday",
            "测试",
        ),
        (
            "2026年12月21日（周一）至23日（周三）测试放假",
            ["2026-12-21", "2026-12-22", "2026-12-23"],
            "holiday",
            "测试",
        ),
        (
            "12月21日至23日冬至放假",
            ["2026-12-21", "2026-12-22", "2026-12-23"],
            "holiday",
            "冬至",
        ),
        (
            "2月15日（农历腊月二十八）至23日（农历正月初七）春节放假",
            [f"2026-02-{d}" for d in range(15, 24)],
            "holiday",
            "春节",
        ),
        ("1月4日（周日）上班", ["2026-01-04"], "workday", "上班"),
        ("2月14日（周六）、2月28日（周六）上班", ["2026-02-14", "2026-02-28"], "workday", "上班"),
    ],
)
def test_the_notices_own_ways_of_writing_dates_are_read(text, dates, kind, name):
    """As the State Council's notice writes them: no year, an end giving only what changes,
    weekdays and lunar dates in brackets, several days with one name."""
    lines, errors = parse_schedule(text, 2026)
    assert errors == []
    assert [f"{day:%Y-%m-%d}" for line in lines for day in line.dates()] == dates
    assert {(line.kind, line.name) for line in lines} == {(kind, name)}


@pytest.mark.parametrize(
    "text",
    [
        "2026年12月21日至12月 测试放假",  # an end it cannot read: never half-read as 12-21 alone
        "2026-12-21 至 测试放假",
        "2026-12-21、测试放假",
        "2月14日、2月30日上班",  # one wrong date refuses the whole line
        "12月21日（周一）至23日（周三）放假，12月30日（周三）放假",  # a second date in the name
        "2026年12月21日至23日测试放假 另加12月30日",
        "12月21日至23日放假，24日上班",
    ],
)
def test_a_line_read_only_in_part_is_refused_whole(text):
    lines, errors = parse_schedule(text, 2026)
    assert lines == [] and [number for number, _message in errors] == [1]


def test_the_saved_schedule_reads_back_as_ranges():
    lines, _errors = parse_schedule(SCHEDULE_2027, 2027)
    text = text_of(entries_of(lines))
    assert "2027-02-05 至 2027-02-11 春节放假" in text.splitlines()
    assert "2027-02-14 调休上班" in text.splitlines()
    assert entries_of(parse_schedule(text, 2027)[0]) == entries_of(lines)


@pytest.fixture
def admin(client_for, working_day_calendar):
    return client_for("admin")


def test_the_year_page_shows_a_provisional_year_as_such(admin):
    response = admin.get(reverse("workdays:year", args=[2027]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "2027 年国务院放假安排尚未录入" in page
    # 2027-02-09 is a 补假 by rule: a holiday cell
    assert 'data-day="2027-02-09" data-kind="holiday"' in page


def test_preview_saves_nothing_then_save_writes_the_year(admin, personas):
    url = reverse("workdays:edit", args=[2027])
    data = {"source": "国办发明电〔2026〕7号", "schedule": SCHEDULE_2027}
    response = admin.post(url, {**data, "preview": ""})
    assert response.status_code == 200
    assert 'data-testid="preview"' in response.content.decode()
    assert 'data-day="2027-02-14" data-kind="workday"' in response.content.decode()
    assert not CalendarDay.objects.in_year(2027).exists()

    response = admin.post(url, {**data, "save": ""})
    assert response.status_code == 302
    assert CalendarDay.objects.in_year(2027).count() == 18
    day = CalendarDay.objects.get(date=date(2027, 2, 14))
    assert (day.kind, day.source, day.updated_by) == (
        "workday",
        "国办发明电〔2026〕7号",
        personas["admin"],
    )
    assert day.history.first().history_user == personas["admin"]
    page = admin.get(reverse("workdays:year", args=[2027])).content.decode()
    assert "国办发明电〔2026〕7号" in page
    assert "最近变更" in page


def test_an_overlapping_schedule_is_refused_at_its_line_and_nothing_is_saved(admin):
    url = reverse("workdays:edit", args=[2027])
    schedule = (
        "2027-02-05 至 2027-02-11 春节放假\n2027-02-14 调休上班\n2027-02-11 至 2027-02-12 春节"
    )
    response = admin.post(url, {"source": "通知", "schedule": schedule, "save": ""})
    assert response.status_code == 200
    assert "第 3 行：2027-02-11 已在第 1 行中，日期范围不能重叠。" in response.content.decode()
    assert not CalendarDay.objects.in_year(2027).exists()


def test_a_malformed_line_is_refused_in_chinese(admin):
    url = reverse("workdays:edit", args=[2027])
    response = admin.post(
        url,
        {"source": "通知", "schedule": "2027-02-05 春节\n2027-13-01 春节", "save": ""},
    )
    assert response.status_code == 200
    assert "第 2 行：没有这个日期。" in response.content.decode()
    assert not CalendarDay.objects.in_year(2027).exists()


@pytest.mark.parametrize("year", [1999, 2101])
def test_a_year_out_of_range_is_not_found(admin, year):
    assert admin.get(reverse("workdays:year", args=[year])).status_code == 404


def test_the_form_opens_with_the_saved_schedule_and_its_source(admin):
    response = admin.get(reverse("workdays:edit", args=[2026]))
    form = response.context["form"]
    assert "2026-10-01 至 2026-10-07 国庆节放假" in form.initial["schedule"].splitlines()
    assert "2026-10-10 调休上班" in form.initial["schedule"].splitlines()
    # saving it as it is changes nothing; a correction must name its notice (the service says so)
    assert form.initial["source"].startswith("chinese-calendar")


def test_a_schedule_leaving_the_year_hardly_a_working_day_is_refused(admin_user):
    """Trial 9: twelve month-long holidays (each within the 31-day limit) left 2026 without
    a working day; every rectification deadline moved into 2027."""
    from workdays.models import CalendarDay
    from workdays.schedule import parse_schedule
    from workdays.services import CalendarError, save_year_schedule

    ends = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    text = "\n".join(
        f"2027-{month:02d}-01 至 2027-{month:02d}-{last} 放假{month}"
        for month, last in enumerate(ends, start=1)
    )
    lines, errors = parse_schedule(text, 2027)
    assert errors == []
    with pytest.raises(CalendarError) as refused:
        save_year_schedule(2027, lines, source="测试通知", actor=admin_user)
    assert refused.value.code == "implausible"
    assert "2027 年只有 0 个工作日" in refused.value.message
    assert not CalendarDay.objects.in_year(2027).exists()
    # an ordinary notice: the Spring Festival week
    lines, errors = parse_schedule("2027-02-06 至 2027-02-12 春节", 2027)
    assert save_year_schedule(2027, lines, source="国办发明电", actor=admin_user) > 0


def test_the_calendar_names_its_months_in_the_pages_language(client_for):
    """Trial 7: the English calendar read "Month 1" … "Month 12"."""
    url = reverse("workdays:year", args=[2026])
    client = client_for("admin")
    assert (
        '<caption class="caption-top fw-bold text-body">一月</caption>'
        in client.get(url).content.decode()
    )
    client.cookies["django_language"] = "en"
    assert ">January</caption>" in client.get(url).content.decode()
