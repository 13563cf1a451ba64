"""A liaison finds a new rectification under the bell, opens it from the list (which marks it
read), and turns e-mail on in the settings; the pages pass axe-core and fit a phone."""

import re

import pytest
from playwright.sync_api import expect

from assessment.services.rectifications import raise_rectification
from tests.assessment.conftest import (  # noqa: F401
    CONFIRMED_ON,
    checklist,
    confirmed_check,
    inspector_b,
    spot_check,
)
from tests.e2e.helpers import (
    assert_accessible,
    assert_menu_on_one_line,
    screenshot_at_both_sizes,
)
from tests.e2e.test_first_journey import log_in
from tests.notifications.test_pages import make_notification


@pytest.fixture
def raised(transactional_db, confirmed_check, personas):  # noqa: F811
    return raise_rectification(
        confirmed_check,
        raised_on=CONFIRMED_ON,
        requirement="补充保密审查记录",
        working_days=8,
        actor=personas["inspector"],
    )


def test_a_liaison_opens_a_notification_from_the_bell(page, raised, personas):
    make_notification(personas["liaison_b"], 9, unit="乙局")  # another unit's: never shown
    log_in(page, "liaison_a")
    assert_menu_on_one_line(page)
    bell = page.locator('[data-testid="notification-bell"]:visible')
    expect(bell.get_by_test_id("unread-count")).to_have_text("1")
    bell.click()

    expect(page).to_have_url(re.compile(r"/notifications/$"))
    items = page.get_by_test_id("notification")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("甲街道：补充保密审查记录 整改期限：2026年10月15日。")
    assert_accessible(page)
    screenshot_at_both_sizes(page, "notifications-list")

    items.first.get_by_role("button", name="甲街道有一项整改要求").click()
    expect(page).to_have_url(re.compile(rf"/rectifications/{raised.pk}/$"))
    expect(page.get_by_test_id("unread-count")).to_have_count(0)

    page.goto("/notifications/settings/")
    page.get_by_label("电子邮箱").fill("liaison_a@example.gov.cn")
    page.get_by_label("通知同时发送邮件给我").check()
    assert_accessible(page)
    screenshot_at_both_sizes(page, "notifications-settings")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("通知设置已保存。")).to_be_visible()


def test_the_bell_is_visible_on_a_phone_without_opening_the_menu(page, raised):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "liaison_a")
    bell = page.locator('[data-testid="notification-bell"]:visible')
    expect(bell).to_have_count(1)
    expect(bell.get_by_test_id("unread-count")).to_have_text("1")
