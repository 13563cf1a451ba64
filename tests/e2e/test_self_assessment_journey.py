"""自查自评 in the browser: the liaison fills and submits its unit's self-assessment; the
inspector scores the same unit and sees both side by side."""

from datetime import timedelta
from decimal import Decimal as D

from django.utils import timezone
from playwright.sync_api import expect

from assessment.models import SelfAssessment, SpotCheck
from assessment.services.self_assessment import create_campaign
from tests.assessment.conftest import items_by_text, make_checklist
from tests.conftest import make_category, make_unit, make_user
from tests.e2e.helpers import assert_accessible, go_to, screenshot_at_both_sizes
from tests.e2e.test_first_journey import log_in
from tests.e2e.test_spot_check_journey import switch_user
from units.roles import Role


def test_liaison_submits_and_the_inspector_sees_both(page, transactional_db):
    town = make_category("镇（街道）")
    unit = make_unit("城关街道", category=town, code="ZJ01")
    inspector = make_user("inspector", role=Role.INSPECTOR, first_name="检查员甲")
    make_user("liaison", role=Role.LIAISON, unit=unit, first_name="城关联络员")
    checklist = make_checklist(inspector, name="政务公开工作检查表")
    today = timezone.localdate()
    create_campaign(
        name="2026年度自查自评",
        year=today.year,
        checklist=checklist,
        opens_on=today - timedelta(days=2),
        closes_on=today + timedelta(days=10),
        categories=[town],
        actor=inspector,
    )
    check = SpotCheck.objects.create(unit=unit, checklist=checklist, date=today)
    check.inspectors.set([inspector])

    log_in(page, "liaison")
    expect(page.get_by_test_id("desk-self-assessments")).to_contain_text("2026年度自查自评")
    page.get_by_test_id("desk-self-assessments").get_by_role("link").click()
    page.locator("input[data-points]").nth(0).fill("10")  # 保密审查制度, max 10
    page.locator("input[data-deduction]").fill("0")  # 信息发布及时: no late item → 10
    page.locator("input[data-points]").nth(1).fill("20")  # 按期答复, max 20
    item = items_by_text(checklist)["保密审查制度"]
    page.locator(f"#id_finding_{item.pk}").fill("制度已印发，见附件")
    # live, before saving: 10 + 10 + 20 = 40 of 40 → 100.00 %
    expect(page.locator("[data-live-percentage]")).to_have_text("100.00%")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("自查自评已保存。")).to_be_visible()
    assert_accessible(page)
    screenshot_at_both_sizes(page, "self-assessment-fill")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="保存并提交").click()
    expect(page.get_by_test_id("status")).to_have_text("已提交")
    expect(page.get_by_test_id("score")).to_contain_text("100.00%")
    assert_accessible(page)
    screenshot_at_both_sizes(page, "self-assessment-detail")
    assert SelfAssessment.objects.get().percentage == D("100.00")

    switch_user(page, "inspector")
    go_to(page, "抽查", "自查自评")
    page.get_by_role("link", name="2026年度自查自评").click()
    expect(page.get_by_test_id("comparison")).to_contain_text("100.00")
    assert_accessible(page)
    screenshot_at_both_sizes(page, "self-assessment-campaign")

    page.goto(f"/assessment/checks/{check.pk}/score/")
    self_cell = page.get_by_test_id(f"self-{item.pk}")
    expect(self_cell).to_contain_text("制度已印发，见附件")
    page.locator("input[data-points]").nth(0).fill("6")
    page.locator("input[data-deduction]").fill("1")
    page.locator("input[data-points]").nth(1).fill("20")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("评分已保存。")).to_be_visible()
    # 6 inspected against 10 self-assessed: highlighted and marked
    expect(self_cell).to_have_class("small table-warning")
    expect(self_cell).to_contain_text("不一致")
    assert_accessible(page)
    screenshot_at_both_sizes(page, "self-assessment-beside-scoring")
    page.goto(f"/assessment/checks/{check.pk}/")
    expect(page.get_by_test_id("self-summary")).to_contain_text("100.00%")
    screenshot_at_both_sizes(page, "self-assessment-beside-check")
    assert page.console_errors == []
