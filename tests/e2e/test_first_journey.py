import re

from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user
from units.roles import Role


def log_in(page, username, password=PASSWORD):
    page.goto("/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_leader_logs_in_sees_chinese_home_switches_to_english_and_logs_out(page, transactional_db):
    make_user("leader", role=Role.LEADER, first_name="王领导")

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    log_in(page, "leader", "wrong-password")
    expect(page.get_by_role("alert")).to_have_text("用户名或密码不正确，请重新输入（区分大小写）。")

    log_in(page, "leader")
    expect(page.get_by_role("heading", level=1)).to_have_text("欢迎，王领导")
    expect(page.get_by_test_id("roles")).to_have_text("领导")
    page.get_by_test_id("main-nav").get_by_role("button", name="单位", exact=True).click()
    expect(page.get_by_role("link", name="单位管理", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="导入单位")).to_have_count(0)

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, 王领导")
    expect(page.get_by_test_id("roles")).to_have_text("Leader")

    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    assert page.console_errors == []


def test_the_year_selector_waits_for_enter_when_used_from_the_keyboard(page, transactional_db):
    """One arrow key switched the working year (a tester's keyboard journey; WCAG 3.2.2)."""
    from core.models import Year

    for year in (2025, 2026):
        Year.objects.get_or_create(year=year)
    make_user("leader", role=Role.LEADER)
    log_in(page, "leader")
    select = page.locator("#year-select")
    expect(select).to_have_value("2026")
    page.evaluate("window.stillThisPage = true")
    select.focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)
    expect(select).to_have_value("2025")  # browsed to, not yet chosen: the page stays
    assert page.evaluate("window.stillThisPage === true")
    expect(page.get_by_role("button", name="切换")).to_be_visible()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#year-select")).to_have_value("2025")
    assert page.evaluate("window.stillThisPage === undefined")
    expect(page.get_by_role("button", name="切换")).to_be_hidden()
