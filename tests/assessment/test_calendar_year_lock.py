"""Re-entering a year's schedule: saving what is saved changes nothing (and says so), the form
opens with the saved source, and a change that would move a deadline of a published year's
rectifications is refused, nothing saved."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.services.rectifications import raise_rectification
from core.models import Year
from tests.assessment.conftest import CONFIRMED_ON
from workdays import rules
from workdays.models import CalendarDay

EDIT_2026 = reverse("workdays:edit", args=[2026])


@pytest.fixture
def admin(client_for, working_day_calendar):
    return client_for("admin")


def saved_form(admin):
    return admin.get(EDIT_2026).context["form"].initial


def test_the_form_opens_with_the_saved_schedule_and_its_source(admin):
    initial = saved_form(admin)
    assert initial["source"] == rules.LIBRARY_SOURCE
    assert "2026-10-10 调休上班" in initial["schedule"].splitlines()


def test_saving_the_saved_schedule_changes_nothing_and_says_0(admin):
    rows_before = CalendarDay.history.count()
    response = admin.post(EDIT_2026, {**saved_form(admin), "save": ""}, follow=True)
    assert "2026 年放假安排已保存，变更 0 天。" in response.content.decode()
    assert CalendarDay.history.count() == rows_before  # not one row written


def test_the_same_days_from_the_offices_notice_take_its_name_but_change_no_day(admin):
    data = {**saved_form(admin), "source": "国办发明电〔2025〕7号", "save": ""}
    response = admin.post(EDIT_2026, data, follow=True)
    assert "变更 0 天" in response.content.decode()
    assert set(CalendarDay.objects.in_year(2026).values_list("source", flat=True)) == {
        "国办发明电〔2025〕7号"
    }


def test_a_correction_kept_under_the_librarys_name_is_refused(admin):
    initial = saved_form(admin)
    schedule = initial["schedule"].replace("\n2026-10-10 调休上班", "")
    assert "2026-10-10" not in schedule
    response = admin.post(EDIT_2026, {**initial, "schedule": schedule, "save": ""})
    assert response.status_code == 200
    assert "与内置日历不同" in response.content.decode()
    assert CalendarDay.objects.filter(date=date(2026, 10, 10)).exists()


def without_october_10(admin):
    """The saved 2026 schedule without the adjusted working day Sat 10-10, from a notice."""
    schedule = saved_form(admin)["schedule"].replace("\n2026-10-10 调休上班", "")
    assert "2026-10-10" not in schedule
    return {"source": "国办发明电〔2025〕7号", "schedule": schedule, "save": ""}


def test_a_change_that_would_move_a_published_years_deadline_is_refused(
    admin, confirmed_check, personas
):
    # confirmed Tue 2026-09-29 + 5 working days: 09-30 (1), 10-08 (2), 10-09 (3),
    # Sat 10-10 调休上班 (4), Mon 10-12 (5)
    rectification = raise_rectification(
        confirmed_check,
        raised_on=CONFIRMED_ON,
        requirement="补齐记录",
        working_days=5,
        actor=personas["inspector"],
    )
    assert rectification.deadline == date(2026, 10, 12)
    Year.objects.update_or_create(year=2026, defaults={"locked_at": timezone.now()})

    response = admin.post(EDIT_2026, without_october_10(admin))
    assert response.status_code == 200
    page = response.content.decode()
    assert "会使已发布的 2026 年度考核中 1 项整改的截止日期改变" in page
    assert CalendarDay.objects.filter(date=date(2026, 10, 10)).exists()  # nothing saved
    rectification.refresh_from_db()
    assert rectification.deadline == date(2026, 10, 12)


def test_the_same_change_in_an_open_year_moves_the_deadline(admin, confirmed_check, personas):
    rectification = raise_rectification(
        confirmed_check,
        raised_on=CONFIRMED_ON,
        requirement="补齐记录",
        working_days=5,
        actor=personas["inspector"],
    )
    response = admin.post(EDIT_2026, without_october_10(admin), follow=True)
    assert "变更 1 天" in response.content.decode()
    rectification.refresh_from_db()
    # without 10-10 worked: 09-30 (1), 10-08 (2), 10-09 (3), Mon 10-12 (4), Tue 10-13 (5)
    assert rectification.deadline == date(2026, 10, 13)


def test_loading_the_library_calendar_does_not_move_a_published_years_deadline(
    confirmed_check, personas
):
    from django.core.management import CommandError, call_command

    from assessment.services.deadlines import recompute_deadlines

    rectification = raise_rectification(
        confirmed_check,
        raised_on=CONFIRMED_ON,
        requirement="补齐记录",
        working_days=5,
        actor=personas["inspector"],
    )
    # an older library without the worked Saturday 10-10: the deadline became Tue 10-13
    CalendarDay.objects.filter(date=date(2026, 10, 10)).delete()
    recompute_deadlines(2026)
    rectification.refresh_from_db()
    assert rectification.deadline == date(2026, 10, 13)
    Year.objects.update_or_create(year=2026, defaults={"locked_at": timezone.now()})

    with pytest.raises(CommandError, match="已发布的 2026 年度考核中 1 项整改"):
        call_command("load_workday_calendar")
    assert not CalendarDay.objects.filter(date=date(2026, 10, 10)).exists()  # nothing saved
    rectification.refresh_from_db()
    assert rectification.deadline == date(2026, 10, 13)
