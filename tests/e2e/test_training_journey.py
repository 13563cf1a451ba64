import re

from openpyxl import Workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.conftest import make_category, make_unit, make_user
from tests.e2e.helpers import go_to
from tests.e2e.test_first_journey import log_in
from training.models import Attendee, TrainingKind
from units.roles import Role


def attendee_file(tmp_path):
    workbook = Workbook()
    workbook.active.append(["单位", "姓名", "职务", "手机", "角色"])
    workbook.active.append(["华阳街道", "张三", "科员", "13800000001", "信息员"])
    workbook.active.append(["ZJ04", "李四", "副镇长", "13800000002", "分管领导"])
    workbook.active.append(["宝华", "王五", "科员", "13800000003", ""])
    path = tmp_path / "参训人员.xlsx"
    workbook.save(path)
    return path


def test_organizer_creates_a_training_imports_marks_attendance_and_prints(
    page, transactional_db, tmp_path
):
    towns = make_category("镇（街道）及板块")
    make_unit("华阳街道", category=towns, code="ZJ01")
    make_unit("宝华镇", short_name="宝华", category=towns, code="ZJ04")
    TrainingKind.objects.create(name="培训班")
    make_user("organizer", role=Role.ORGANIZER)

    log_in(page, "organizer")
    go_to(page, "培训", "培训管理")
    page.get_by_role("link", name="新建培训").click()
    page.get_by_label("标题").fill("全市政府信息公开培训班")
    page.get_by_label("类型").select_option(label="培训班")
    page.get_by_label("开始时间").fill("2026年10月22日 09:00")
    page.get_by_label("结束时间").fill("2026-10-22 17:00")
    page.get_by_label("地点").fill("市行政中心一楼报告厅")
    page.get_by_label("状态").select_option(label="报名中")
    page.get_by_label("参训范围").select_option(label="全部启用单位")
    page.get_by_label("每单位应派人数").fill("2")
    page.locator("#id_lecturers-0-name").fill("知名律师")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("全市政府信息公开培训班")
    expect(page.get_by_test_id("unit-seats")).to_contain_text("华阳街道")

    page.get_by_role("link", name="导入参训人员").click()
    page.get_by_label("文件").set_input_files(attendee_file(tmp_path))
    page.get_by_role("button", name="检查文件").click()
    expect(page.get_by_test_id("import-preview")).to_contain_text("李四")
    expect(page.get_by_text("3 行可以导入。")).to_be_visible()
    assert Attendee.objects.count() == 0
    page.get_by_role("button", name="导入全部行").click()
    expect(page.get_by_text("已导入 3 名参训人员。")).to_be_visible()

    page.get_by_role("link", name="考勤", exact=True).click()
    page.get_by_role("button", name="其余人员全部出勤", exact=True).click()
    expect(page.get_by_text("的考勤已保存。")).to_be_visible()
    page.get_by_role("radio", name="请假").nth(2).check()
    page.get_by_role("button", name="保存").first.click()
    statuses = dict(Attendee.objects.values_list("name", "status"))
    assert statuses == {"张三": "attended", "李四": "attended", "王五": "excused"}

    page.get_by_role("link", name="全市政府信息公开培训班").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="签到表（PDF）").click()
    download = download_info.value
    text = PdfReader(download.path()).pages[0].extract_text()
    assert "签到表" in text and "张三" in text and "宝华镇" in text
    assert re.search(r"第 1 页 共 1 页", text)
    assert page.console_errors == []
