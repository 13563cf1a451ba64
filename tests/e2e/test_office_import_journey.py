"""An organizer imports an .xls written by office software (an instructions sheet in front, a
title, a stamp row, 序号 and 备注 columns, footers) through the browser and confirms it."""

import re

from playwright.sync_api import expect

from tests.conftest import OFFICE, make_category, make_unit, make_user
from tests.e2e.test_first_journey import log_in
from tests.training.conftest import make_training
from training.models import Attendee
from units.roles import Role


def units_and_a_training(settings):
    """The units the office file names (some by another spelling) and the training it is for."""
    settings.CITY_NAME = "句容市"
    towns, departments = make_category("镇（街道）及板块"), make_category("市级部门")
    make_unit("华阳街道", category=towns, code="ZJ01")
    make_unit("经济开发区管委会", category=towns, code="ZJ12", aliases="开发区管委会")
    make_unit("市发展和改革委员会", category=departments, code="BM02", short_name="发改委")
    make_unit("市教育局", category=departments, code="BM03")
    make_unit("市民政局", category=departments, code="BM07")
    organizer = make_user("organizer", role=Role.ORGANIZER)
    return make_training(created_by=organizer, title="全市政务公开业务培训班")


def test_organizer_imports_an_xls_with_titles_and_footers(page, transactional_db, settings):
    training = units_and_a_training(settings)

    log_in(page, "organizer")
    page.goto(f"/training/{training.pk}/import/")
    page.get_by_label("文件").set_input_files(OFFICE / "attendees_instructions.xls")
    page.get_by_role("button", name="检查文件").click()
    notes = page.get_by_test_id("import-notes")
    expect(notes).to_contain_text("已读取工作表“名单”")
    expect(notes).to_contain_text("第 1–2 行位于表头（第 3 行）之上，为标题，已跳过。")
    expect(notes).to_contain_text("未使用的列：序号。")
    expect(notes).to_contain_text("第 10–11 行为表尾")
    preview = page.get_by_test_id("import-preview")
    expect(preview).to_contain_text("欧阳修")
    expect(preview).to_contain_text("“市发改委”识别为市发展和改革委员会。")
    expect(page.get_by_text("5 行可以导入。")).to_be_visible()
    assert Attendee.objects.count() == 0
    page.get_by_role("button", name="导入全部行").click()
    expect(page.get_by_text("已导入 5 名参训人员。")).to_be_visible()
    assert sorted(Attendee.objects.values_list("name", "phone")) == sorted(
        [
            ("李娜", "13812345678"),
            ("王强", "13500003333"),
            ("欧阳修", "13800001111"),
            ("张伟", "13900002222"),
            ("赵敏", "13700003333"),
        ]
    )


def test_inspector_previews_then_confirms_an_indicator_grid(page, transactional_db, settings):
    from decimal import Decimal as D

    from django.utils import timezone

    from assessment.models import Indicator, IndicatorValue, Scheme
    from core.models import Year
    from tests.e2e.helpers import assert_accessible, screenshot_at_both_sizes

    settings.CITY_NAME = "句容市"
    departments = make_category("市级部门")
    make_unit("市发展和改革委员会", category=departments, code="BM02", short_name="发改委")
    make_unit("市教育局", category=departments, code="BM03")
    make_unit("市民政局", category=departments, code="BM07", short_name="民政局")
    year, _created = Year.objects.get_or_create(year=timezone.localdate().year)
    scheme = Scheme.objects.create(year=year)
    Indicator.objects.create(scheme=scheme, name="信息公开及时率", weight=D(10))
    Indicator.objects.create(scheme=scheme, name="依申请公开按时办结率", weight=D(10))
    make_user("inspector", role=Role.INSPECTOR)

    log_in(page, "inspector")
    page.goto("/assessment/indicators/import/")
    expect(page.get_by_role("link", name="下载模板文件")).to_be_visible()
    page.get_by_label("文件").set_input_files(OFFICE / "indicators.xlsx")
    page.get_by_role("button", name="检查文件").click()

    preview = page.get_by_test_id("import-preview")
    expect(preview).to_contain_text("“市发改委”识别为市发展和改革委员会。")
    expect(preview).to_contain_text("信息公开及时率：98.50（新增）")
    expect(page.get_by_text("3 行可以导入。")).to_be_visible()
    assert IndicatorValue.objects.count() == 0  # the preview writes nothing
    assert_accessible(page)
    screenshot_at_both_sizes(page, "indicator-import-preview")

    page.get_by_role("button", name="导入全部行").click()
    expect(page.get_by_text("已保存 6 个数值。")).to_be_visible()
    assert IndicatorValue.objects.count() == 6  # 3 units × 2 indicators


def test_a_big_import_runs_in_the_background_and_its_page_tells_the_outcome(
    page, transactional_db, settings, monkeypatch
):
    """Above IMPORT_ABOVE rows the confirm hands the rows to the database worker; the job's
    page polls until the worker has registered them, then says how many."""
    from django.core.management import call_command

    from tests.e2e.helpers import assert_accessible, screenshot_at_both_sizes
    from training import tasks

    monkeypatch.setattr(tasks, "IMPORT_ABOVE", 2)  # the file's 5 rows are "many"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    training = units_and_a_training(settings)

    log_in(page, "organizer")
    page.goto(f"/training/{training.pk}/import/")
    page.get_by_label("文件").set_input_files(OFFICE / "attendees_instructions.xls")
    page.get_by_role("button", name="检查文件").click()
    page.get_by_role("button", name="导入全部行").click()

    job = page.get_by_test_id("job")
    expect(page.get_by_role("heading", name="导入“全市政务公开业务培训班”参训人员")).to_be_visible()
    expect(job).to_contain_text("排队中")
    assert Attendee.objects.count() == 0

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    expect(job.get_by_role("status")).to_have_text("已导入 5 名参训人员。")
    expect(job).to_contain_text("已完成")
    expect(job.get_by_text("任务失败")).to_be_hidden()
    assert Attendee.objects.count() == 5
    assert_accessible(page)
    screenshot_at_both_sizes(page, "import-job-done")
    job.get_by_role("link", name="继续").click()
    expect(page).to_have_url(re.compile(f"/training/{training.pk}/$"))
