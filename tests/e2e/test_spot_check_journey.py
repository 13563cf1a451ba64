from decimal import Decimal as D

from playwright.sync_api import expect

from assessment.models import Rectification, SpotCheck
from tests.assessment.conftest import make_checklist
from tests.conftest import make_category, make_unit, make_user
from tests.e2e.helpers import go_to
from tests.e2e.test_first_journey import log_in
from units.roles import Role


def test_inspector_draws_scores_confirms_and_the_liaison_answers(page, transactional_db):
    zone = make_category("开发区")
    unit = make_unit("经济开发区管委会", category=zone, code="ZJ12")
    inspector = make_user("inspector", role=Role.INSPECTOR, first_name="检查员甲")
    make_user("inspector_b", role=Role.INSPECTOR, first_name="检查员乙")
    make_user("liaison", role=Role.LIAISON, unit=unit, first_name="开发区联络员")
    make_user("leader", role=Role.LEADER, first_name="王领导")
    make_checklist(inspector, name="政务公开工作检查表")

    log_in(page, "inspector")
    go_to(page, "抽查", "双随机抽取")
    page.get_by_role("link", name="新建抽查轮次").click()
    page.get_by_label("名称").fill("第一轮不定期抽查")
    page.get_by_label("计划开始").fill("2026/09/14")
    page.get_by_label("计划结束").fill("2026-09-25")
    page.get_by_role("checkbox", name="开发区").check()
    page.locator("#id_checklist").select_option(label="政务公开工作检查表 v1")
    page.get_by_label("抽取单位数").fill("1")
    page.get_by_label("检查员甲").check()
    page.get_by_label("检查员乙").check()
    page.get_by_role("button", name="保存").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="抽取").click()
    expect(page.get_by_test_id("drawn")).to_contain_text("经济开发区管委会")
    expect(page.get_by_test_id("draw-facts")).to_contain_text("verify_round")

    page.get_by_role("link", name="经济开发区管委会").click()
    page.get_by_role("link", name="评分", exact=True).click()
    page.locator("input[data-points]").nth(0).fill("8")  # 保密审查制度, max 10
    page.locator("input[data-deduction]").fill("2")  # 发布不及时 ×2 → 10 − 4 = 6
    page.locator("input[data-points]").nth(1).fill("20")  # 按期答复, max 20
    # live, before saving: 8 + 6 + 20 = 34 of 40 → 85.00 %
    expect(page.locator("[data-live-percentage]")).to_have_text("85.00%")
    page.get_by_role("button", name="保存并提交").click()
    expect(page.get_by_test_id("status")).to_have_text("已提交")
    # who scored a check cannot confirm it: 复核 is a leader's (or another inspector's)
    expect(page.get_by_role("button", name="确认", exact=True)).to_have_count(0)
    check_url = page.url
    switch_user(page, "leader")
    page.goto(check_url)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="确认", exact=True).click()
    expect(page.get_by_test_id("status")).to_have_text("已确认")
    expect(page.get_by_test_id("score")).to_contain_text("85.00%")
    assert SpotCheck.objects.get().percentage == D("85.00")

    switch_user(page, "inspector")
    page.goto(check_url)

    page.get_by_role("link", name="提出整改").click()
    page.get_by_label("整改要求").fill("补齐 9 月保密审查记录")
    page.get_by_label("整改期限（工作日）").fill("10")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已提出整改")).to_be_visible()

    switch_user(page, "liaison")
    expect(page.get_by_test_id("desk-rectifications")).to_contain_text("补齐 9 月保密审查记录")
    page.get_by_test_id("desk-rectifications").get_by_role("link").click()
    page.get_by_label("整改情况").fill("已补齐并建立月度自查制度")
    page.get_by_role("button", name="提交反馈").click()
    expect(page.get_by_test_id("status")).to_have_text("已反馈，待核验")
    assert Rectification.objects.get().status == Rectification.Status.ANSWERED
    assert page.console_errors == []


def switch_user(page, username):
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="退出登录").click()
    log_in(page, username)
