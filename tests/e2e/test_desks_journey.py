"""Each role logs in and finds its work on the home page, follows an item to where it is done,
and every desk and main form passes axe-core with no serious or critical violation. Each desk
is saved as a screenshot at 1366×768 and 390×844 (test-results/screens/, git-ignored)."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessment.models import Indicator, Rectification, Scheme, SpotCheck
from assessment.services.year_end import save_indicator_values
from core.models import Year
from tests.assessment.conftest import make_checklist
from tests.conftest import make_category, make_unit, make_user
from tests.e2e.helpers import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_menu_on_one_line,
    go_to,
    screenshot_at_both_sizes,
    serious_violations,
)
from tests.e2e.test_first_journey import log_in
from tests.training.conftest import make_training
from training.models import Attendee
from units.roles import Role
from workdays.counting import add_working_days


@pytest.fixture
def city(transactional_db):
    """华阳街道 and 茅山镇 (towns), 市行政审批局 (a department); an open training next week that
    every unit must attend with 2 people; a training held two days ago with no attendance."""
    towns = make_category("镇（街道）")
    departments = make_category("市级部门")
    units = {
        "华阳街道": make_unit("华阳街道", category=towns, code="ZJ01"),
        "茅山镇": make_unit("茅山镇", category=towns, code="ZJ02"),
        "市行政审批局": make_unit("市行政审批局", category=departments, code="BM01"),
    }
    people = {
        "organizer": make_user("organizer", role=Role.ORGANIZER, first_name="培训组织者"),
        "inspector": make_user("inspector", role=Role.INSPECTOR, first_name="检查员甲"),
        "inspector_b": make_user("inspector_b", role=Role.INSPECTOR, first_name="检查员乙"),
        "leader": make_user("leader", role=Role.LEADER, first_name="王领导"),
        "liaison": make_user(
            "liaison", role=Role.LIAISON, unit=units["华阳街道"], first_name="华阳联络员"
        ),
    }
    today = timezone.localdate()
    upcoming = make_training(
        created_by=people["organizer"], start=today + timedelta(days=7), title="依申请公开业务培训"
    )
    held = make_training(
        created_by=people["organizer"], start=today - timedelta(days=2), title="政务新媒体培训"
    )
    Attendee.objects.create(
        training=held,
        unit=units["茅山镇"],
        name="张三",
        phone="13800000001",
        registered_by=people["organizer"],
    )
    return {"units": units, "people": people, "upcoming": upcoming, "held": held, "today": today}


def _check(city, unit, status, inspectors):
    checklist = make_checklist(city["people"]["inspector"], name=f"检查表{unit}{status}")
    check = SpotCheck.objects.create(
        unit=city["units"][unit], checklist=checklist, date=city["today"], status=status
    )
    check.inspectors.set([city["people"][name] for name in inspectors])
    return check


def test_liaison_desk_shows_trainings_to_register_for_and_rectifications_due(page, city):
    check = _check(city, "华阳街道", SpotCheck.Status.CONFIRMED, ["inspector_b"])
    Rectification.objects.create(
        spot_check=check,
        requirement="补齐保密审查记录",
        working_days=5,
        raised_on=city["today"],
        deadline=add_working_days(city["today"], 5).date,
        created_by=city["people"]["inspector_b"],
    )

    log_in(page, "liaison")
    trainings = page.get_by_test_id("desk-trainings")
    expect(trainings).to_contain_text("依申请公开业务培训")
    expect(trainings).to_contain_text("名额 2 人，已报名 0 人")
    expect(trainings).not_to_contain_text("政务新媒体培训")
    expect(page.get_by_test_id("desk-rectifications")).to_contain_text("还剩 5 个工作日")
    expect(page.get_by_test_id("desk-result")).to_contain_text("尚未公布考核结果")
    expect(page.get_by_test_id("main-nav")).not_to_contain_text("考核")
    assert_menu_on_one_line(page)
    assert_accessible(page)
    screenshot_at_both_sizes(page, "desk-liaison")

    page.get_by_test_id("desk-rectifications").get_by_role("link").click()
    expect(page.get_by_label("整改情况")).to_be_visible()
    assert_accessible(page)
    assert page.console_errors == []


def test_inspector_desk_shows_its_checks_those_to_confirm_and_overdue(page, city):
    _check(city, "茅山镇", SpotCheck.Status.PLANNED, ["inspector", "inspector_b"])
    _check(city, "市行政审批局", SpotCheck.Status.IN_PROGRESS, ["inspector"])
    _check(city, "华阳街道", SpotCheck.Status.SUBMITTED, ["inspector_b"])
    confirmed = _check(city, "华阳街道", SpotCheck.Status.CONFIRMED, ["inspector_b"])
    Rectification.objects.create(
        spot_check=confirmed,
        requirement="公开目录更新不及时",
        working_days=5,
        raised_on=city["today"] - timedelta(days=10),
        deadline=city["today"] - timedelta(days=3),
        created_by=city["people"]["inspector_b"],
    )

    log_in(page, "inspector")
    expect(page.get_by_test_id("desk-planned")).to_contain_text("茅山镇")
    expect(page.get_by_test_id("desk-in-progress")).to_contain_text("市行政审批局")
    expect(page.get_by_test_id("desk-to-confirm")).to_contain_text("华阳街道")
    expect(page.get_by_test_id("desk-overdue")).to_contain_text("公开目录更新不及时")
    assert_menu_on_one_line(page)
    assert_accessible(page)
    screenshot_at_both_sizes(page, "desk-inspector")

    page.get_by_test_id("desk-planned").get_by_role("link", name="茅山镇").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("茅山镇")

    go_to(page, "抽查", "双随机抽取")
    page.get_by_role("link", name="新建抽查轮次").click()
    expect(page.get_by_role("group", name="抽取范围")).to_be_visible()
    assert_accessible(page)
    screenshot_at_both_sizes(page, "form-round")
    assert page.console_errors == []


def test_organizer_desk_shows_unfilled_seats_and_days_without_attendance(page, city):
    Attendee.objects.create(
        training=city["upcoming"],
        unit=city["units"]["华阳街道"],
        name="李四",
        phone="13800000002",
        registered_by=city["people"]["organizer"],
    )

    log_in(page, "organizer")
    upcoming = page.get_by_test_id("desk-upcoming")
    expect(upcoming).to_contain_text("依申请公开业务培训")
    # 3 units × 2 seats; 华阳街道 sent one: 2 units sent nobody, 5 of 6 seats are empty
    expect(upcoming).to_contain_text("3 个须参训单位中有 2 个尚未报名")
    expect(upcoming).to_contain_text("6 个名额中有 5 个空缺")
    expect(page.get_by_test_id("desk-attendance")).to_contain_text("政务新媒体培训")
    assert_menu_on_one_line(page)
    assert_accessible(page)
    screenshot_at_both_sizes(page, "desk-organizer")

    page.get_by_test_id("desk-attendance").get_by_role("link").click()
    expect(page).to_have_url(f"{page.url.split('?')[0]}?day={city['held'].starts_at:%Y-%m-%d}")

    go_to(page, "培训", "新建培训")
    page.get_by_label("参训范围").select_option(label="指定单位")
    picker = page.locator("[data-unit-picker]")
    picker.get_by_role("button", name="全选“镇（街道）”").click()
    expect(picker.get_by_label("华阳街道")).to_be_checked()
    expect(picker.get_by_label("茅山镇")).to_be_checked()
    expect(picker.get_by_label("市行政审批局")).not_to_be_checked()
    picker.get_by_role("searchbox").fill("审批")
    expect(picker.get_by_label("茅山镇")).to_be_hidden()
    expect(picker.get_by_label("市行政审批局")).to_be_visible()
    assert_accessible(page)
    screenshot_at_both_sizes(page, "form-training")
    assert page.console_errors == []


def test_leader_desk_shows_the_years_progress_and_the_ranking(page, city):
    _check(city, "茅山镇", SpotCheck.Status.PLANNED, ["inspector"])
    leader = city["people"]["leader"]
    year, _created = Year.objects.get_or_create(year=city["today"].year)
    scheme = Scheme.objects.create(year=year)
    indicator = Indicator.objects.create(scheme=scheme, name="信息公开及时率", weight=D(30))
    save_indicator_values(
        scheme,
        [(indicator, city["units"]["华阳街道"], D("92.50"), "")],
        actor=leader,
    )

    log_in(page, "leader")
    progress = page.get_by_test_id("desk-progress")
    expect(progress).to_contain_text("0 / 1")  # no check of the year confirmed yet
    expect(progress).to_contain_text("1 项抽查计划中或检查中")
    expect(page.get_by_test_id("glance")).to_be_visible()
    assert_menu_on_one_line(page)
    assert_accessible(page)
    screenshot_at_both_sizes(page, "desk-leader")

    go_to(page, "考核", "考核排名")
    expect(page.locator("table").first).to_contain_text("华阳街道")
    assert_accessible(page)
    screenshot_at_both_sizes(page, "ranking")
    page.set_viewport_size(PHONE)  # the table scrolls in its own box, unit and final in view
    expect(page.get_by_test_id("ranking-table").locator("td.sticky-end").first).to_be_in_viewport()
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)

    go_to(page, "考核", "考核方案")
    expect(page.get_by_role("group", name="单位缺少某项时")).to_be_visible()
    assert_accessible(page)
    assert page.console_errors == []


def test_the_accessibility_audit_reports_text_too_faint_to_read(page):
    page.set_content(
        '<html lang="zh-hans"><head><title>对比度</title></head><body><main>'
        '<p style="color:#aaaaaa;background:#ffffff">浅灰色的字</p></main></body></html>'
    )
    assert [violation["id"] for violation in serious_violations(page)] == ["color-contrast"]
