"""The assessment documents, element by element, read back from the PDF's text (pypdf)."""

import io
import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from assessment.models import Adjustment, SamplingRound
from assessment.services.rectifications import raise_rectification
from assessment.services.rounds import draw_round
from assessment.services.spot_checks import confirm_spot_check, save_scores, submit_spot_check
from assessment.services.year_end import add_adjustment, publish_year
from tests.assessment.conftest import entries_for, no_faults
from tests.assessment.test_year_end_pages import THIS_YEAR, scheme, valued  # noqa: F401


def pages_of(content):
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def today_in_chinese():
    today = timezone.localdate()
    return f"{today.year}年{today.month}月{today.day}日"


@pytest.fixture
def documented(valued):  # noqa: F811
    valued.issuing_office = "市政务公开工作领导小组办公室"
    valued.document_prefix = "市政公办"
    valued.notice_number = 7
    valued.addressees = "各镇（街道）、市各部门"
    valued.copy_to = "市委办公室、市人大常委会办公室"
    valued.save()
    return valued


def test_published_notice_has_every_part_of_an_official_document(client_for, documented, personas):
    publish_year(documented, actor=personas["leader"])
    response = client_for("leader").get(reverse("assessment:notice"))
    pages = pages_of(response.content)
    text = "".join(pages)
    first, last = pages[0], pages[-1]
    assert first.index("市政务公开工作领导小组办公室") < first.index(f"市政公办〔{THIS_YEAR}〕7号")
    assert f"关于{THIS_YEAR}年度政务公开工作考核结果的通报" in first
    assert "各镇（街道）、市各部门：" in first
    assert "特此通报。" in text
    assert f"附件：{THIS_YEAR}年度政务公开工作考核结果" in text
    # 落款 and 成文日期: the office, then the date of publication
    closing = text[text.index("特此通报。") :]
    assert closing.index("市政务公开工作领导小组办公室") < closing.index(today_in_chinese())
    # the 附件's table, then the 版记 on the last page
    assert "甲街道" in text and "91.50" in text and "优秀" in text
    assert "抄送：市委办公室、市人大常委会办公室。" in last
    assert f"{today_in_chinese()}印发" in last
    for number, page in enumerate(pages, start=1):
        assert f"— {number} —" in page
    assert "草稿" not in text
    assert "第 1 页" not in text and f"{THIS_YEAR}-" not in text


def test_draft_notice_has_a_watermark_and_no_number(client_for, documented):
    response = client_for("leader").get(reverse("assessment:notice"))
    pages = pages_of(response.content)
    assert all("草稿" in page for page in pages)
    assert "〔" not in "".join(pages)
    assert f"关于{THIS_YEAR}年度政务公开工作考核结果的通报" in pages[0]


def test_a_vetoed_unit_reads_veto_instead_of_its_score(client_for, documented, personas, unit_b):
    add_adjustment(
        documented,
        unit=unit_b,
        kind=Adjustment.Kind.VETO,
        points=None,
        reason="发生泄密事件",
        actor=personas["leader"],
    )
    client = client_for("leader")
    text = "".join(pages_of(client.get(reverse("assessment:notice")).content))
    assert "乙局" in text and "一票否决" in text and "80.25" not in text
    assert "乙局因一票否决事项评定为不合格等次。" in text

    page = client.get(reverse("assessment:ranking")).content.decode()
    row = page[page.index(">乙局<") :]
    row = row[: row.index("</tr>")]
    # 80.25 stays in its indicator's column; the final is 一票否决
    assert '<span class="badge text-bg-danger">一票否决</span>' in row
    assert row.count("80.25") == 1
    chart = page[page.index("<svg") : page.index("</svg>")]
    assert "一票否决" in chart and "80.25" not in chart

    breakdown = client.get(reverse("assessment:breakdown", args=[unit_b.pk])).content.decode()
    summary = breakdown[breakdown.index('data-testid="summary"') :]
    assert "一票否决" in summary[: summary.index("</p>")]
    assert "80.25" not in summary[: summary.index("</p>")]

    exported = client.get(reverse("assessment:ranking") + "?_export=xlsx").content
    sheet = load_workbook(io.BytesIO(exported)).active
    header = [cell.value for cell in sheet[1]]
    rows = {row[header.index("单位")]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    # the final reads 一票否决; the computed value stays in its own column
    assert rows["乙局"][header.index("最终得分")] == "一票否决"
    assert D(str(rows["乙局"][header.index("计算得分")])) == D("80.25")
    assert D(str(rows["甲街道"][header.index("最终得分")])) == D("91.50")


def scored(spot_check, admin, inspector, finding):
    entries = entries_for(
        spot_check.checklist,
        {
            "保密审查制度": {"points": D("6"), "finding": finding},
            "信息发布及时": no_faults(spot_check.checklist),
            "按期答复": {"points": D("20")},
        },
    )
    save_scores(
        spot_check, version=spot_check.version, entries=entries, summary="", actor=inspector
    )
    submit_spot_check(spot_check, actor=inspector)
    confirm_spot_check(spot_check, actor=admin)
    return spot_check


def test_feedback_report_has_the_office_signature_lines_and_no_points_on_a_veto_item(
    client_for,
    spot_check,
    personas,
    scheme,  # noqa: F811
):
    scored(spot_check, personas["admin"], personas["inspector"], "制度未及时修订")
    response = client_for("leader").get(reverse("assessment:feedback", args=[spot_check.pk]))
    text = "".join(pages_of(response.content))
    assert "市政务公开办" in text  # the year's issuing office
    assert "被检查单位" in text and "甲街道" in text and "2026年9月20日" in text
    assert "检查组成员（签名）：" in text and "被检查单位负责人（签名）：" in text
    # the veto item: 否决项 / 未触发, never "0.00 / 0"
    veto_row = text[text.index("发生泄密事件") : text.index("合计")]
    assert "否决项" in veto_row and "未触发" in veto_row and "0.00" not in veto_row
    # 6 + 10 + 20 = 36 of 40 → 90.00, always 2 places
    assert "实得 36.00 分" in text and "90.00%" in text
    assert "2026-09-20" not in text


def test_feedback_report_with_a_finding_longer_than_a_page(client_for, spot_check, personas):
    """Regression (issue 11 item 8): a table row taller than a page raised LayoutError → 500."""
    finding = "栏目内容长期未更新，" * 120  # 1,200 characters
    scored(spot_check, personas["admin"], personas["inspector"], "栏目内容长期未更新")
    # stored before notes were limited to 1,000 characters: the sheet still prints it whole
    spot_check.results.filter(finding="栏目内容长期未更新").update(finding=finding)
    response = client_for("leader").get(reverse("assessment:feedback", args=[spot_check.pk]))
    assert response.status_code == 200
    pages = pages_of(response.content)
    assert len(pages) >= 2
    text = "".join(pages).replace("\n", "")
    # a page break may fall inside a phrase: the page number and the repeated header between
    text = re.sub(r"第 \d+ 页 共 \d+ 页 ?检查项 分值 得分 检查发现", "", text)
    assert text.count("栏目内容长期未更新") == 120


def test_rectification_notice(client_for, spot_check, personas, scheme):  # noqa: F811
    scored(spot_check, personas["admin"], personas["inspector"], "制度未及时修订")
    item = spot_check.checklist.sections.first().items.first()
    rectification = raise_rectification(
        spot_check,
        requirement="修订保密审查制度并报送备案",
        working_days=10,
        actor=personas["inspector"],
        item=item,
    )
    url = reverse("assessment:rectification_notice", args=[rectification.pk])
    response = client_for("liaison_a").get(url)
    text = "".join(pages_of(response.content))
    deadline = rectification.deadline
    for expected in [
        "市政务公开办",
        "政务公开工作整改通知书",
        "甲街道：",
        "保密审查制度",
        "查制度文件",  # the item's guidance, as the basis
        "修订保密审查制度并报送备案",
        f"10个工作日内，即{deadline.year}年{deadline.month}月{deadline.day}日前完成",
        "提交整改情况说明及佐证材料",
        "签收人（签名）：",
        today_in_chinese(),
    ]:
        assert expected in text.replace("\n", ""), expected
    assert client_for("liaison_b").get(url).status_code == 404
    # a deadline counted without the year's holidays is marked so, as on the pages (a tester's
    # notice stated one as final)
    rectification.deadline_provisional = True
    rectification.save()
    text = "".join(pages_of(client_for("liaison_a").get(url).content)).replace("\n", "")
    assert f"即{deadline.year}年{deadline.month}月{deadline.day}日（暂定）前完成" in text


def test_round_notice_has_the_publicity_period_and_phone_and_no_seed(
    client_for,
    personas,
    unit_a,
    checklist,
    scheme,  # noqa: F811
):
    scheme.supervision_phone = "0832-1234567"
    scheme.publicity_days = 5
    scheme.save()
    sampling_round = SamplingRound.objects.create(
        name="第一轮抽查",
        year=THIS_YEAR,
        planned_start=date.today(),
        planned_end=date.today(),
        checklist=checklist,
        sample_size=1,
        inspectors_per_check=1,
        created_by=personas["inspector"],
    )
    sampling_round.categories.set([unit_a.category])
    sampling_round.inspector_pool.set([personas["inspector"]])
    draw_round(sampling_round, actor=personas["inspector"], seed="public")
    response = client_for("leader").get(
        reverse("assessment:round_notice", args=[sampling_round.pk])
    )
    text = "".join(pages_of(response.content)).replace("\n", "")
    assert "“双随机”抽查结果公示" in text and "第一轮抽查" in text and "甲街道" in text
    assert f"公示期：{today_in_chinese()}至" in text and "（5个工作日）" in text
    assert "监督电话：0832-1234567。" in text
    assert "市政务公开办" in text
    for developer_text in ["随机种子", "public", "算法", "verify_round", "manage.py"]:
        assert developer_text not in text


def test_the_round_page_keeps_the_seed_for_inspectors(client_for, personas, unit_a, checklist):
    sampling_round = SamplingRound.objects.create(
        name="第二轮抽查",
        year=THIS_YEAR,
        planned_start=date.today(),
        planned_end=date.today(),
        checklist=checklist,
        sample_size=1,
        inspectors_per_check=1,
        created_by=personas["inspector"],
    )
    sampling_round.categories.set([unit_a.category])
    sampling_round.inspector_pool.set([personas["inspector"]])
    draw_round(sampling_round, actor=personas["inspector"], seed="audit-me")
    url = reverse("assessment:round_detail", args=[sampling_round.pk])
    assert "audit-me" in client_for("inspector").get(url).content.decode()
    page = client_for("leader").get(url).content.decode()
    assert "audit-me" not in page and "verify_round" not in page


def test_the_notice_counts_the_trainings_held_by_its_publication(
    client_for, documented, personas, monkeypatch
):
    """On 07-01 one training was held (03-02) and one is still to come (09-01): the draft
    reports one; published on 07-01, the record keeps reporting one after 09-01."""
    from datetime import datetime

    from tests.training.conftest import make_training

    organizer = personas["organizer"]
    make_training(created_by=organizer, start=date(THIS_YEAR, 3, 2), batch=1)
    make_training(created_by=organizer, start=date(THIS_YEAR, 9, 1), batch=2)
    july = timezone.make_aware(datetime(THIS_YEAR, 7, 1, 12))
    monkeypatch.setattr(timezone, "now", lambda: july)

    def summary():
        # logged in anew at each moment: a session does not last two months
        notice = client_for("leader").get(reverse("assessment:notice"))
        return "".join(pages_of(notice.content)).replace("\n", "")

    assert f"{THIS_YEAR}年，全市共举办政务公开培训1次（1个批次）" in summary()
    from assessment.services.year_end import unfinished_work

    acknowledged = unfinished_work(documented).signature  # the training still to come
    publish_year(documented, actor=personas["leader"], acknowledged=acknowledged)
    september = timezone.make_aware(datetime(THIS_YEAR, 9, 2, 12))
    monkeypatch.setattr(timezone, "now", lambda: september)
    assert f"{THIS_YEAR}年，全市共举办政务公开培训1次（1个批次）" in summary()


def test_feedback_report_of_an_unscored_check_states_no_total_and_is_a_draft(
    client_for, spot_check
):
    """Trial 8: a planned check's sheet printed 实得 0.00 分，得分率 0.00% — a 0 % that a unit
    forwarded or filed would take for its result."""
    response = client_for("leader").get(reverse("assessment:feedback", args=[spot_check.pk]))
    text = "".join(pages_of(response.content))
    # three items with points (the veto item has none to give): none scored yet
    assert "合计：尚有 3 项未评分，待全部评分后计算合计。" in text
    assert "实得" not in text and "0.00%" not in text
    assert "状态" in text and "计划中" in text
    assert "草稿" in text  # the watermark


def test_feedback_report_of_a_partly_scored_check_gives_no_partial_total(
    client_for, spot_check, personas
):
    entries = entries_for(spot_check.checklist, {"按期答复": {"points": D("20")}})
    save_scores(
        spot_check,
        version=spot_check.version,
        entries=entries,
        summary="",
        actor=personas["inspector"],
    )
    response = client_for("leader").get(reverse("assessment:feedback", args=[spot_check.pk]))
    text = "".join(pages_of(response.content))
    assert "尚有 2 项未评分" in text and "实得" not in text
    assert "检查中" in text and "草稿" in text


def test_a_year_without_trainings_or_checks_is_told_in_words(client_for, documented):
    """Trial 8: a published notice read 覆盖应参训单位0个中的0个 and 平均得分率-%."""
    notice = client_for("leader").get(reverse("assessment:notice"))
    text = "".join(pages_of(notice.content)).replace("\n", "")
    assert f"{THIS_YEAR}年，全市未举办政务公开培训。本年度未完成抽查。未提出整改要求。" in text
    assert "-%" not in text and "0个中的0个" not in text
    # the two units of the fixture were assessed
    assert "共有2个单位参加考核，现将结果通报如下。" in text
