import io
from decimal import Decimal as D

from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from assessment.models import Indicator, Scheme
from assessment.services.year_end import save_indicator_values
from core.models import Year
from tests.conftest import make_category, make_unit, make_user
from tests.e2e.helpers import go_to
from tests.e2e.test_first_journey import log_in
from units.roles import Role


def test_leader_reads_the_ranking_drills_in_exports_publishes_and_sees_the_year_locked(
    page, transactional_db
):
    towns = make_category("镇（街道）及板块")
    first = make_unit("华阳街道", category=towns, code="ZJ01")
    second = make_unit("宝华镇", category=towns, code="ZJ04")
    leader = make_user("leader", role=Role.LEADER, first_name="王领导")
    year, _created = Year.objects.get_or_create(year=timezone.localdate().year)
    scheme = Scheme.objects.create(year=year)
    indicator = Indicator.objects.create(scheme=scheme, name="信息公开及时率", weight=D(30))
    save_indicator_values(
        scheme,
        [(indicator, first, D("92.50"), ""), (indicator, second, D("78.00"), "")],
        actor=leader,
    )

    log_in(page, "leader")
    go_to(page, "考核", "考核排名")
    expect(page.get_by_test_id("year-status")).to_contain_text("草稿")
    table = page.locator("table").first
    expect(table).to_contain_text("华阳街道")
    expect(table).to_contain_text("92.50")

    page.get_by_role("link", name="华阳街道").first.click()
    expect(page.get_by_test_id("summary")).to_contain_text("92.50")
    expect(page.get_by_test_id("arithmetic")).to_contain_text("92.50")
    page.go_back()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出 XLSX").click()
    sheet = load_workbook(io.BytesIO(download_info.value.path().read_bytes())).active
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "华阳街道",
        "宝华镇",
    ]

    page.get_by_test_id("year-status").get_by_role("link", name="发布").click()
    # the pre-publish checklist: both units have a result and nothing else is open
    expect(page.get_by_test_id("unfinished")).to_contain_text("没有未完成的工作")
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_test_id("year-status")).to_contain_text("只读")
    year.refresh_from_db()
    assert year.locked_at is not None

    go_to(page, "考核", "考核方案")
    page.get_by_role("link", name="指标数值").click()
    expect(page.get_by_test_id("indicator-grid").locator("input").first).to_be_disabled()
    assert page.console_errors == []
