"""扫码签到 in the browser: the organizer opens the projector page, an attendee opens the code's
URL on a 390 px phone, signs in, and the organizer's attendance page counts one more."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import make_category, make_unit, make_user
from tests.e2e.helpers import PHONE, assert_accessible, screenshot_at_both_sizes
from tests.e2e.test_first_journey import log_in
from training.models import AttendanceMark, Training, TrainingKind
from training.services import register_attendee, sync_requirements
from units.roles import Role


def training_running_now(organizer):
    """A training whose sign-in window holds the present moment, within today's date."""
    now = timezone.localtime()
    midnight = timezone.make_aware(datetime.combine(now.date(), time.min))
    last_second = timezone.make_aware(datetime.combine(now.date(), time(23, 59, 59)))
    training = Training.objects.create(
        title="全市政府信息公开培训班",
        kind=TrainingKind.objects.create(name="培训班"),
        starts_at=max(midnight, now - timedelta(hours=1)),
        ends_at=min(last_second, now + timedelta(hours=2)),
        venue="市行政中心一楼报告厅",
        status=Training.Status.OPEN,
        created_by=organizer,
    )
    sync_requirements(training)
    return training


def test_an_attendee_scans_the_projector_code_on_a_phone_and_the_count_goes_up(
    page, browser, live_server, transactional_db
):
    towns = make_category("镇（街道）及板块")
    huayang = make_unit("华阳街道", category=towns, code="ZJ01")
    baohua = make_unit("宝华镇", category=towns, code="ZJ04")
    organizer = make_user("organizer", role=Role.ORGANIZER)
    training = training_running_now(organizer)
    for unit, name, phone in [
        (huayang, "张三", "13800001234"),
        (baohua, "李四", "13900005678"),
    ]:
        register_attendee(training, unit=unit, name=name, phone=phone, actor=organizer)

    log_in(page, "organizer")
    page.goto(f"/training/{training.pk}/attendance/")
    expect(page.get_by_test_id("live-present")).to_have_text("0")
    page.get_by_test_id("checkin-screen-link").click()
    expect(page.get_by_role("img", name="签到二维码：请用手机扫描")).to_be_visible()
    screenshot_at_both_sizes(page, "checkin-screen")
    checkin_url = page.get_by_test_id("checkin-url").get_attribute("data-checkin-url")
    assert checkin_url.startswith(live_server.url + "/training/check-in/")

    phone = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    ).new_page()
    phone.set_default_timeout(10_000)
    phone.goto(checkin_url)
    expect(phone.get_by_role("heading", level=1)).to_have_text("签到")
    assert_accessible(phone)
    assert "李四" not in phone.content() and "5678" not in phone.content()
    phone.get_by_label("姓名").fill("张三")
    phone.get_by_label("电话").fill("0000")
    phone.get_by_role("button", name="签到").click()
    expect(phone.get_by_test_id("checkin-error")).to_contain_text(
        "姓名或手机号与本培训的报名信息不符"
    )
    phone.get_by_label("电话").fill("1234")
    phone.get_by_role("button", name="签到").click()
    expect(phone.get_by_test_id("checkin-success")).to_contain_text("签到成功：张三")
    assert_accessible(phone)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the check-in page is {width} px wide on a phone"
    phone.screenshot(path=str(_screens() / "checkin-phone-390.png"), full_page=True)
    phone.get_by_role("button", name="English").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Check in")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the English check-in page is {width} px wide on a phone"
    phone.context.close()
    assert AttendanceMark.objects.get().method == "qr"

    # the projector's figures and the attendance page's live panel catch up by themselves
    expect(page.get_by_test_id("checkin-present")).to_have_text("1", timeout=15_000)
    page.goto(f"/training/{training.pk}/attendance/")
    page.get_by_text("未签到人员（按单位）").click()
    expect(page.get_by_test_id("live-missing")).to_contain_text("宝华镇：李四")
    expect(page.get_by_test_id("live-present")).to_have_text("1")
    screenshot_at_both_sizes(page, "checkin-attendance")

    # 现场报名: someone not registered leaves unit, name and phone; the organizer approves
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(checkin_url)
    phone.get_by_role("link", name="未报名？现场报名").click()
    assert_accessible(phone)
    phone.get_by_label("单位").select_option(label="宝华镇")
    phone.get_by_label("姓名").fill("王五")
    phone.get_by_label("电话").fill("13700002222")
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_test_id("walk-in-success")).to_contain_text("组织者确认")
    phone.context.close()
    page.reload()
    expect(page.get_by_test_id("walk-ins")).to_contain_text("王五（宝华镇）")
    page.get_by_role("button", name="通过并登记出勤").click()
    expect(page.get_by_text("王五已报名并登记为出勤。")).to_be_visible()
    expect(page.get_by_test_id("live-present")).to_have_text("2")
    assert page.console_errors == []

    # the projector says so when it cannot renew its code (here: the session has ended)
    page.get_by_test_id("checkin-screen-link").click()
    expect(page.get_by_test_id("checkin-present")).to_have_text("2")
    page.context.clear_cookies()
    expect(page.get_by_text("二维码未能更新")).to_be_visible(timeout=15_000)


def _screens():
    from tests.e2e.helpers import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
