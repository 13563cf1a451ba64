"""The scoring page in Chromium: the live total stays in view, a blank deduction item is
unscored, an over-max entry is flagged as typed, and the saved state follows a save."""

from datetime import date

from playwright.sync_api import expect

from assessment.models import SpotCheck
from tests.assessment.conftest import make_checklist
from tests.conftest import make_category, make_unit, make_user
from tests.e2e.test_first_journey import log_in
from units.roles import Role


def test_live_total_over_max_flag_and_saved_state(page, transactional_db):
    unit = make_unit("华阳街道", category=make_category("镇（街道）"), code="ZJ01")
    inspector = make_user("inspector", role=Role.INSPECTOR, first_name="检查员甲")
    check = SpotCheck.objects.create(
        unit=unit, checklist=make_checklist(inspector), date=date(2026, 9, 20)
    )
    check.inspectors.set([inspector])
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, "inspector")
    page.goto(f"/assessment/checks/{check.pk}/score/")

    live = page.get_by_test_id("live-score")
    points = page.locator("input[data-points]")
    count = page.locator("input[data-deduction]")
    expect(page.get_by_text("每处扣 2 分")).to_be_visible()
    # nothing entered: the three scorable items are unscored (the 0-point veto item needs none)
    expect(live.locator("[data-live-unscored]")).to_have_text("3")
    expect(live.locator("[data-live-clean]")).to_be_visible()

    points.nth(0).fill("8")  # 保密审查制度, max 10
    points.nth(1).fill("20")  # 按期答复, max 20
    # the deduction item is still blank: unscored, not full marks → 28 of 40 = 70.00 %
    expect(live.locator("[data-live-percentage]")).to_have_text("70.00%")
    expect(live.locator("[data-live-unscored]")).to_have_text("1")
    expect(live.locator("[data-live-dirty]")).to_be_visible()
    count.fill("0")  # no fault found: its maximum 10 → 38 of 40 = 95.00 %
    expect(live.locator("[data-live-percentage]")).to_have_text("95.00%")
    expect(live.locator("[data-live-unscored-box]")).to_be_hidden()

    points.nth(0).fill("11")  # over the 10-point maximum: flagged at once, not counted
    expect(points.nth(0)).to_have_class("form-control form-control-sm is-invalid")
    expect(page.get_by_text("请填写 0 至 10 分。")).to_be_visible()
    expect(live.locator("[data-live-invalid]")).to_have_text("1")
    expect(live.locator("[data-live-percentage]")).to_have_text("75.00%")  # 10 + 20 of 40
    points.nth(0).fill("8")
    expect(points.nth(0)).not_to_have_class("form-control form-control-sm is-invalid")
    expect(live.locator("[data-live-invalid-box]")).to_be_hidden()

    # the live total, not the saved one, stays on screen while scrolling to the buttons
    page.get_by_role("button", name="保存", exact=True).scroll_into_view_if_needed()
    box = live.bounding_box()
    assert box is not None and 0 <= box["y"] <= 768 - box["height"]
    expect(live.locator("[data-live-percentage]")).to_be_in_viewport()
    saved = page.get_by_test_id("saved-score")
    expect(saved).to_contain_text("已保存：应得 40.00 分，实得 0.00 分")

    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("评分已保存")).to_be_visible()
    expect(saved).to_contain_text("已保存：应得 40.00 分，实得 38.00 分 · 95.00%")
    expect(saved).to_contain_text("保存于")
    expect(live.locator("[data-live-clean]")).to_be_visible()
    expect(live.locator("[data-live-dirty]")).to_be_hidden()
    expect(live.locator("[data-live-percentage]")).to_have_text("95.00%")
    check.refresh_from_db()
    assert check.status == SpotCheck.Status.IN_PROGRESS
    assert page.console_errors == []
