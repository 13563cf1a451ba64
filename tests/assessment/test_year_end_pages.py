"""The year-end pages, publishing, and the lock it puts on every write path."""

import io
import re
from datetime import timedelta
from decimal import Decimal as D
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from assessment.models import (
    Adjustment,
    Indicator,
    IndicatorValue,
    PublishedResult,
    Scheme,
    SpotCheck,
)
from assessment.ranking import score
from assessment.services import AssessmentError
from assessment.services.year_end import (
    add_adjustment,
    publish_year,
    reopen_year,
    save_indicator_values,
    unfinished_work,
)
from core.models import Year
from tests.conftest import make_category, make_unit, upload_and_confirm

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def scheme(db):
    year, _created = Year.objects.get_or_create(year=THIS_YEAR)
    scheme = Scheme.objects.create(year=year, issuing_office="市政务公开办")
    Indicator.objects.create(scheme=scheme, name="信息公开及时率", weight=D(30))
    return scheme


@pytest.fixture
def valued(scheme, personas, unit_a, unit_b):
    """Only the indicator is present: the final is the indicator value (weights redistributed)."""
    indicator = scheme.indicators.get()
    save_indicator_values(
        scheme,
        [(indicator, unit_a, D("91.50"), "监测"), (indicator, unit_b, D("80.25"), "监测")],
        actor=personas["inspector"],
    )
    return scheme


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("anonymous", 302),
        ("outsider", 403),
        ("liaison_a", 403),
        ("organizer", 200),
        ("inspector", 200),
        ("leader", 200),
    ],
)
def test_ranking_access(client_for, valued, persona, expected):
    assert client_for(persona).get(reverse("assessment:ranking")).status_code == expected


def test_ranking_rows_grades_and_export(client_for, valued, unit_a, unit_b):
    client = client_for("leader")
    table = client.get(reverse("assessment:ranking")).context["table"]
    rows = [
        (row.record["unit"], row.record["rank"], score(row.record["final"]), row.record["grade"])
        for row in table.rows
    ]
    # 甲街道 91.50 (its category has 1 unit: quota 1) → 优秀; 乙局 80.25 → 良好
    assert rows == [("甲街道", 1, D("91.50"), "优秀"), ("乙局", 2, D("80.25"), "良好")]
    export = client.get(reverse("assessment:ranking"), {"_export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [cell.value for cell in sheet[2]][2] == "甲街道"
    assert sheet.title == f"{THIS_YEAR}年度考核排名"  # the download's name, not "Sheet"
    headers = [cell.value for cell in sheet[1]]
    final = sheet.cell(row=2, column=headers.index("最终得分") + 1)
    assert (final.value, final.number_format) == (91.5, "0.00")  # Excel shows 91.50


def test_ranking_queries_do_not_grow_with_units(client_for, valued, django_assert_max_num_queries):
    client = client_for("leader")
    category = make_category("市级部门")
    for number in range(8):
        make_unit(f"十个{number}", category=category)
    with django_assert_max_num_queries(50) as ten:
        client.get(reverse("assessment:ranking"))
    for number in range(90):
        make_unit(f"一百个{number}", category=category)
    with django_assert_max_num_queries(len(ten.captured_queries)) as hundred:
        client.get(reverse("assessment:ranking"))
    assert len(hundred.captured_queries) == len(ten.captured_queries)


def test_liaison_sees_its_own_breakdown_only(client_for, valued, unit_a, unit_b):
    client = client_for("liaison_a")
    page = client.get(reverse("assessment:breakdown", args=[unit_a.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "91.50" in text and "乙局" not in text and "80.25" not in text
    assert client.get(reverse("assessment:breakdown", args=[unit_b.pk])).status_code == 404


def test_breakdown_shows_the_arithmetic(client_for, valued, unit_a, personas):
    add_adjustment(
        valued,
        unit=unit_a,
        kind=Adjustment.Kind.BONUS,
        points=D("7"),
        reason="经验推广",
        actor=personas["leader"],
    )
    page = client_for("leader").get(reverse("assessment:breakdown", args=[unit_a.pk]))
    text = page.content.decode()
    # 30 × 91.50 ÷ 30 = 91.50; bonus 7 capped at 5; final 91.50 + 5.00 − 0 = 96.50
    assert "<strong>91.50</strong>" in text
    assert "（录入 7.00，按上限 5.00 计）" in text
    assert "<strong>96.50</strong>" in text
    assert "经验推广" in text
    # people read scores, not the arithmetic of a program
    for developer_text in ("max(0", "÷", "2745.0000", "<th>#</th>"):
        assert developer_text not in text


def test_scheme_form_refuses_bands_out_of_order_and_bad_quota(client_for, scheme):
    response = client_for("leader").post(
        reverse("assessment:scheme"),
        {
            "weight_spot_checks": "50",
            "weight_training": "0",
            "bonus_cap": "5",
            "band_excellent": "80",
            "band_good": "85",
            "band_pass": "60",
            "excellent_quota": "120",
            "missing_policy": "redistribute",
            "issuing_office": "x",
            "indicators-TOTAL_FORMS": "0",
            "indicators-INITIAL_FORMS": "0",
        },
    )
    errors = response.context["form"].errors
    assert set(errors) >= {"weight_training", "band_good", "excellent_quota"}
    scheme.refresh_from_db()
    assert scheme.band_excellent == D("90")


def test_indicator_grid_refuses_bad_values_and_saves_nothing(client_for, scheme, unit_a, unit_b):
    indicator = scheme.indicators.get()
    client = client_for("inspector")
    response = client.post(
        reverse("assessment:indicators"),
        {f"value_{indicator.pk}_{unit_a.pk}": "95", f"value_{indicator.pk}_{unit_b.pk}": "101"},
    )
    assert response.status_code == 200
    assert "101 不在 0 到 100 之间。" in response.content.decode()
    assert not indicator.values.exists()
    client.post(
        reverse("assessment:indicators"),
        {f"value_{indicator.pk}_{unit_a.pk}": "95", f"source_{unit_a.pk}": "平台监测"},
    )
    assert indicator.values.get().value == D("95")


def test_indicator_grid_refuses_a_bad_source_at_its_cell(client_for, scheme, unit_a):
    indicator = scheme.indicators.get()
    response = client_for("inspector").post(
        reverse("assessment:indicators"),
        {f"value_{indicator.pk}_{unit_a.pk}": "95", f"source_{unit_a.pk}": "平台\x1b监测"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        f'class="form-control form-control-sm is-invalid" aria-label="{unit_a.name} 来源"' in page
    )
    assert not indicator.values.exists()


def grid_as_shown(client):
    """The indicator grid's fields as the page fills them in, as a browser would post them."""
    page = client.get(reverse("assessment:indicators")).content.decode()
    return dict(
        re.findall(r'<input type="(?:hidden|text)"[^>]* name="([^"]+)" value="([^"]*)"', page)
    )


def test_a_post_without_the_grid_erases_nothing(client_for, valued, unit_a):
    """An attacker's (or a broken browser's) empty POST blanked all 147 values of a year."""
    client = client_for("leader")
    assert client.post(reverse("assessment:indicators"), {}).status_code == 302
    assert client.post(reverse("assessment:indicators"), {"value_1_1": ""}).status_code in (
        200,
        302,
    )
    assert sorted(IndicatorValue.objects.values_list("value", flat=True)) == [
        D("80.25"),
        D("91.50"),
    ]


def test_a_stale_grid_does_not_undo_anothers_save_and_a_clash_saves_nothing(
    client_for, valued, unit_a, unit_b
):
    """Two editors open the grid; the leader changes 甲街道, the inspector then saves the old
    page with only 乙局 changed: 甲街道 keeps the leader's value. The inspector changing
    甲街道 too is refused, naming the value now stored, and saves nothing."""
    indicator = valued.indicators.get()
    甲, 乙 = f"value_{indicator.pk}_{unit_a.pk}", f"value_{indicator.pk}_{unit_b.pk}"
    leader, inspector = client_for("leader"), client_for("inspector")
    leaders_page, inspectors_page = grid_as_shown(leader), grid_as_shown(inspector)
    assert (leaders_page[甲], leaders_page[f"shown_{甲}"]) == ("91.50", "91.50")
    leader.post(reverse("assessment:indicators"), {**leaders_page, 甲: "11.11"})
    inspector.post(reverse("assessment:indicators"), {**inspectors_page, 乙: "70"})
    stored = dict(IndicatorValue.objects.values_list("unit__name", "value"))
    assert stored == {"甲街道": D("11.11"), "乙局": D("70.00")}
    response = inspector.post(
        reverse("assessment:indicators"), {**inspectors_page, 甲: "95", 乙: "60"}
    )
    assert (
        "甲街道的信息公开及时率在您打开本页后已被他人修改（现为 11.11）"
        in response.content.decode()
    )
    assert dict(IndicatorValue.objects.values_list("unit__name", "value")) == stored


def test_overdue_rectification_is_proposed_and_needs_a_decision(
    client_for, scheme, personas, unit_a, checklist
):
    from assessment.models import Rectification

    check = SpotCheck.objects.create(
        unit=unit_a,
        checklist=checklist,
        date=timezone.localdate() - timedelta(days=60),
        status=SpotCheck.Status.CONFIRMED,
        percentage=D("80"),
        confirmed_at=timezone.now(),
    )
    overdue = Rectification.objects.create(
        spot_check=check,
        requirement="补齐记录",
        working_days=5,
        raised_on=timezone.localdate() - timedelta(days=10),
        deadline=timezone.localdate() - timedelta(days=3),
        created_by=personas["inspector"],
    )
    client = client_for("inspector")
    page = client.get(reverse("assessment:adjustments"))
    assert list(page.context["proposals"]) == [overdue]
    # the browser accepts the points each number input proposes: a value min + k × step
    # (step 0.5 from min 0.01 refused the proposed 1 and every whole number)
    proposed = re.findall(r'<input type="number"[^>]*value="[^"]+"[^>]*>', page.content.decode())
    assert proposed
    for tag in proposed:
        attributes = dict(re.findall(r'(\w+)="([^"]*)"', tag))
        base = D(attributes.get("min", "0"))
        steps = (D(attributes["value"]) - base) / D(attributes.get("step", "1"))
        assert steps == steps.to_integral_value(), tag
    client.post(reverse("assessment:proposal_decide", args=[overdue.pk, "dismiss"]), {"reason": ""})
    assert list(client.get(reverse("assessment:adjustments")).context["proposals"]) == [overdue]
    accept = reverse("assessment:proposal_decide", args=[overdue.pk, "accept"])
    for wrong in ("1e30", "0", "abc", "1.005"):  # each said 请填写扣分分值 though one was filled
        page = client.post(accept, {"points": wrong}, follow=True)
        shown = [str(message) for message in page.context["messages"]]
        assert shown == ["请填写扣分分值：0.01 至 9999.99，最多两位小数。"], (wrong, shown)
    assert not Adjustment.objects.exists()
    client.post(accept, {"points": "2"})
    adjustment = Adjustment.objects.get()
    assert (adjustment.kind, adjustment.points, adjustment.rectification) == (
        "deduction",
        D("2.00"),
        overdue,
    )
    assert not client.get(reverse("assessment:adjustments")).context["proposals"]


def test_the_published_record_keeps_the_names_units_had_when_it_was_published(
    client_for, valued, unit_a, unit_b
):
    client = client_for("leader")
    assert client.post(reverse("assessment:publish"), {"year": THIS_YEAR}).status_code == 302
    other = make_category("新类别")
    unit_a.name, unit_a.category = "甲街道（改名后）", other
    unit_a.save()
    unit_b.category.name = "改名后的类别"
    unit_b.category.save()

    ranking = client.get(reverse("assessment:ranking"))
    rows = [(row.record["unit"], row.record["category"]) for row in ranking.context["table"].rows]
    assert rows == [("甲街道", "镇（街道）"), ("乙局", "市级部门")]
    text = ranking.content.decode()
    assert "甲街道（改名后）" not in text and "改名后的类别" not in text
    breakdown = client.get(reverse("assessment:breakdown", args=[unit_a.pk])).content.decode()
    assert "甲街道" in breakdown and "镇（街道）第 1 名" in breakdown
    assert "改名后" not in breakdown and "新类别" not in breakdown
    notice = client.get(reverse("assessment:notice"))
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(notice.content)).pages)
    assert "甲街道" in pdf_text and "改名后" not in pdf_text


def test_publishing_stores_the_record_and_reopening_needs_an_admin_with_a_reason(
    client_for, valued, personas, unit_a
):
    client = client_for("leader")
    assert client.post(reverse("assessment:publish"), {"year": THIS_YEAR}).status_code == 302
    assert PublishedResult.objects.count() == 2
    # the published ranking no longer follows the live data
    valued.indicators.get().values.filter(unit=unit_a).update(value=D("10"))
    ranking = client.get(reverse("assessment:ranking"))
    assert [score(row.record["final"]) for row in ranking.context["table"].rows] == [
        D("91.50"),
        D("80.25"),
    ]
    assert "已于" in ranking.content.decode()

    with pytest.raises(AssessmentError):
        reopen_year(valued, actor=personas["leader"], reason="数据有误")
    with pytest.raises(AssessmentError):
        reopen_year(valued, actor=personas["admin"], reason=" ")
    admin = client_for("admin")
    admin.post(
        reverse("assessment:reopen"), {"reason": "甲街道指标数据录入错误", "year": THIS_YEAR}
    )
    valued.year.refresh_from_db()
    assert valued.year.locked_at is None
    page = admin.get(reverse("assessment:ranking")).content.decode()
    assert "重新打开：甲街道指标数据录入错误" in page
    assert valued.history.first().history_user == personas["admin"]


def test_notice_pdf_has_the_title_office_units_and_grades(client_for, valued, personas):
    publish_year(valued, actor=personas["leader"])
    response = client_for("leader").get(reverse("assessment:notice"))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in [
        f"关于{THIS_YEAR}年度政务公开工作考核结果的通报",
        "市政务公开办",
        "甲街道",
        "乙局",
        "优秀",
        "良好",
        "— 1 —",
    ]:
        assert expected in text, expected


def test_indicator_grid_xlsx_round_trip_and_row_errors(client_for, valued, unit_a, unit_b):
    client = client_for("inspector")
    exported = client.get(reverse("assessment:indicator_export")).content
    sheet = load_workbook(io.BytesIO(exported)).active
    assert [c.value for c in sheet[1]] == ["单位", "信息公开及时率", "来源"]
    # change 乙局 and re-import
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "乙局":
            row[1].value = 88.5
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    _preview, confirm = upload_and_confirm(
        client,
        reverse("assessment:indicator_import"),
        reverse("assessment:indicator_import_confirm"),
        {"file": SimpleUploadedFile("i.xlsx", buffer.getvalue())},
    )
    assert confirm["Location"] == reverse("assessment:indicators")
    indicator = valued.indicators.get()
    assert indicator.values.get(unit=unit_b).value == D("88.50")

    bad = "单位,信息公开及时率\n甲街,95\n乙局,120\n丙局,90\n"
    preview, _confirm = upload_and_confirm(
        client,
        reverse("assessment:indicator_import"),
        reverse("assessment:indicator_import_confirm"),
        {"file": SimpleUploadedFile("b.csv", bad.encode())},
    )
    rows = preview.context["preview"].rows
    # 甲街 unknown (suggests 甲街道), 120 out of range, 丙局 unknown
    assert [row.row_number for row in rows if row.errors] == [2, 3, 4]
    assert "甲街道" in rows[0].errors[0]
    assert indicator.values.get(unit=unit_a).value == D("91.50")  # nothing written


@pytest.mark.parametrize(
    "column", ["rank", "-rank", "unit", "spot_checks", "-training", "final", "grade", "bonus"]
)
def test_ranking_sorts_by_any_column_even_with_missing_components(client_for, valued, column):
    response = client_for("leader").get(reverse("assessment:ranking"), {"sort": column})
    assert response.status_code == 200
    assert len(response.context["table"].rows) == 2


def test_sorting_one_request_does_not_reorder_the_next(client_for, valued):
    client = client_for("leader")
    client.get(reverse("assessment:ranking"), {"sort": "-rank"})
    table = client.get(reverse("assessment:ranking")).context["table"]
    assert [row.record["rank"] for row in table.rows] == [1, 2]


@pytest.mark.parametrize("tab", ["１", "9999999999999", "-1", "abc", ""])
def test_a_tab_that_is_not_a_category_pk_written_plainly_shows_the_overall_ranking(
    client_for, valued, unit_a, tab
):
    client = client_for("leader")
    plain = client.get(reverse("assessment:ranking"), {"tab": unit_a.category_id})
    assert plain.context["tab"] == str(unit_a.category_id)
    padded = client.get(reverse("assessment:ranking"), {"tab": f"0{unit_a.category_id}"})
    assert padded.context["tab"] == str(unit_a.category_id)  # one cache entry per category
    response = client.get(reverse("assessment:ranking"), {"tab": tab})
    assert response.status_code == 200
    assert response.context["tab"] == "overall"
    assert [row.record["unit"] for row in response.context["table"].rows] == ["甲街道", "乙局"]


def test_the_overall_tab_compares_overall_ranks_and_a_category_tab_category_ranks(
    client_for, valued, personas, unit_a, unit_b
):
    unit_c = make_unit("丙局", category=unit_b.category, code="TC01")
    indicator = valued.indicators.get()
    save_indicator_values(valued, [(indicator, unit_c, D("70"), "")], actor=personas["leader"])
    last_year = Year.objects.create(year=THIS_YEAR - 1)
    last = Scheme.objects.create(year=last_year, issuing_office="市政务公开办")
    old = Indicator.objects.create(scheme=last, name="信息公开及时率", weight=D(30))
    save_indicator_values(
        last,
        [(old, unit_b, D("95"), ""), (old, unit_c, D("90"), ""), (old, unit_a, D("85"), "")],
        actor=personas["leader"],
    )
    # last year overall 乙 1, 丙 2, 甲 3 (市级部门: 乙 1, 丙 2; 镇（街道）: 甲 1);
    # this year overall 甲 1 (91.50), 乙 2 (80.25), 丙 3 (70.00), each category's order unchanged
    client = client_for("leader")
    overall = client.get(reverse("assessment:ranking"))
    assert [
        (row.record["unit"], row.get_cell("change")) for row in overall.context["table"].rows
    ] == [("甲街道", "↑2"), ("乙局", "↓1"), ("丙局", "↓1")]
    departments = client.get(reverse("assessment:ranking"), {"tab": unit_b.category_id})
    assert [
        (row.record["unit"], row.get_cell("change")) for row in departments.context["table"].rows
    ] == [("乙局", "—"), ("丙局", "—")]


def test_a_vetoed_unit_sorts_below_every_score_and_grades_sort_by_rank_of_grade(
    client_for, valued, personas, unit_a, unit_b
):
    add_adjustment(
        valued,
        unit=unit_a,
        kind=Adjustment.Kind.VETO,
        points=D("0"),
        reason="泄密",
        actor=personas["leader"],
    )
    client = client_for("leader")

    def order(sort):
        table = client.get(reverse("assessment:ranking"), {"sort": sort}).context["table"]
        return [row.record["unit"] for row in table.rows]

    # 甲街道's computed 91.50 is above 乙局's 80.25, but it is vetoed
    assert order("-final") == ["乙局", "甲街道"]
    assert order("final") == ["甲街道", "乙局"]
    # 乙局 良好 (its category's quota is 1 but 80.25 is below 优秀), 甲街道 vetoed: 不合格
    assert order("-grade") == ["乙局", "甲街道"]
    assert order("grade") == ["甲街道", "乙局"]


def test_a_category_tabs_export_is_named_after_its_category(client_for, valued, unit_b):
    client = client_for("leader")
    export = client.get(
        reverse("assessment:ranking"), {"_export": "xlsx", "tab": unit_b.category_id}
    )
    name = f"{THIS_YEAR}年度考核排名-{unit_b.category.name}.xlsx"
    assert quote(name) in export["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [row[2].value for row in sheet.iter_rows(min_row=2)] == ["乙局"]


def test_units_tied_on_the_final_stay_in_display_order_when_sorted_from_the_top(
    client_for, scheme, personas, unit_a, unit_b
):
    """Equal finals share a rank and are shown in DESIGN.md's order (here the units' order,
    nothing else differing); sorting by final or grade from the top keeps that order, from
    the bottom it is the exact reverse."""
    unit_c = make_unit("丙局", category=unit_b.category, code="TC01")
    unit_d = make_unit("丁局", category=unit_b.category, code="TD01")
    indicator = scheme.indicators.get()
    save_indicator_values(
        scheme,
        [
            (indicator, unit, value, "监测")
            for unit, value in [
                (unit_a, D("70.00")),
                (unit_b, D("85.00")),
                (unit_c, D("85.00")),
                (unit_d, D("85.00")),
            ]
        ],
        actor=personas["inspector"],
    )
    client = client_for("leader")

    def order(sort=None):
        params = {"sort": sort} if sort else {}
        table = client.get(reverse("assessment:ranking"), params).context["table"]
        return [(row.record["unit"], row.record["rank"]) for row in table.rows]

    ranked = [("乙局", 1), ("丙局", 1), ("丁局", 1), ("甲街道", 4)]
    assert order() == ranked
    assert order("-final") == ranked
    assert order("final") == ranked[::-1]
    # 乙局, 丙局 and 丁局 are all 良好 (85.00 is below 优秀), 甲街道 合格
    assert order("-grade") == ranked
    assert order("grade") == ranked[::-1]


def test_a_long_unit_search_is_cut_before_it_is_repeated_in_every_link(client_for, valued):
    client = client_for("leader")
    response = client.get(reverse("assessment:ranking"), {"q": "甲" * 5000, "sort": "-final"})
    assert response.status_code == 302
    assert response.url.count("%E7%94%B2") == 50  # 甲, fifty times
    assert "sort=-final" in response.url
    page = client.get(response.url)
    assert page.status_code == 200 and page.context["query"] == "甲" * 50


def search_form_inputs(page):
    """(name, value) of each input of the ranking's search form."""
    html = page.content.decode()
    form = html[html.index('role="search"') : html.index("</form>", html.index('role="search"'))]
    return [
        (re.search(r'name="([^"]*)"', tag)[1], re.search(r'value="([^"]*)"', tag)[1])
        for tag in re.findall(r"<input[^>]*>", form)
    ]


def test_the_unit_search_keeps_the_sorting_the_leader_chose(client_for, valued):
    client = client_for("leader")
    page = client.get(reverse("assessment:ranking"), {"sort": "-final", "tab": "overall"})
    assert search_form_inputs(page) == [("tab", "overall"), ("sort", "-final"), ("q", "")]
    # unsorted: the form adds no sort of its own; an unknown sort is not repeated either
    for params in ({}, {"sort": "nonsense"}):
        page = client.get(reverse("assessment:ranking"), params)
        assert search_form_inputs(page) == [("tab", "overall"), ("q", "")]


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", "Excellent quota of this category: 1."),
        ("zh-hans", "本类别优秀名额：1 个。"),
    ],
)
def test_category_tab_states_its_excellent_quota_in_the_page_language(
    client_for, valued, unit_a, language, expected
):
    # 甲街道 is alone in its category: a quota of 1
    client = client_for("leader")
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    response = client.get(reverse("assessment:ranking"), {"tab": unit_a.category_id})
    assert expected in response.content.decode()


def test_a_publish_or_reopen_form_for_another_year_than_the_selected_does_nothing(
    client_for, valued, personas
):
    """The year lives in the session: a form opened for one year and sent after another tab
    selected another published that other year."""
    leader = client_for("leader")
    response = leader.post(reverse("assessment:publish"), {"year": THIS_YEAR - 1}, follow=True)
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [
        f"此表单属于 {THIS_YEAR - 1} 年度考核，但当前选择的是 {THIS_YEAR} 年度（可能在另一个"
        "标签页中切换了年度）。未做任何操作；请核对年度后重试。"
    ]
    valued.year.refresh_from_db()
    assert valued.year.locked_at is None
    for garbage in ("+2026", " 2026", "99999999999999999999", "２０２６"):  # echoed cut short
        response = leader.post(reverse("assessment:publish"), {"year": garbage}, follow=True)
        shown = [str(message) for message in response.context["messages"]]
        assert shown[0].startswith("此表单属于 ? 年度考核"), (garbage, shown)
    assert leader.post(reverse("assessment:publish"), {"year": THIS_YEAR}).status_code == 302
    admin = client_for("admin")
    admin.post(reverse("assessment:reopen"), {"reason": "核对", "year": THIS_YEAR + 1})
    valued.year.refresh_from_db()
    assert valued.year.locked_at is not None
    admin.post(reverse("assessment:reopen"), {"reason": "核对", "year": THIS_YEAR})
    valued.year.refresh_from_db()
    assert valued.year.locked_at is None


def test_the_published_result_on_the_liaisons_home_opens_that_years_breakdown(
    client_for, valued, personas, unit_a
):
    """The working year is the draft; the home page shows last year's published 85.00, and
    its link (and the notice of publication) must open last year's breakdown, not the draft."""
    last = Scheme.objects.create(
        year=Year.objects.create(year=THIS_YEAR - 1), issuing_office="市政务公开办"
    )
    old = Indicator.objects.create(scheme=last, name="信息公开及时率", weight=D(30))
    save_indicator_values(last, [(old, unit_a, D("85"), "")], actor=personas["leader"])
    publish_year(last, actor=personas["leader"], acknowledged=unfinished_work(last).signature)
    client = client_for("liaison_a")
    home = client.get(reverse("home")).content.decode()
    link = f"{reverse('assessment:breakdown', args=[unit_a.pk])}?year={THIS_YEAR - 1}"
    assert f'href="{link}"' in home
    shown = client.get(link)
    assert shown.context["scheme"] == last and shown.context["result"].final == D("85.00")
    notice = personas["liaison_a"].notifications.get(kind="results_published")
    assert notice.link == link
    # without a year, or with one that has no assessment: the year the selector is on
    for params in ({}, {"year": "1999"}, {"year": "abcd"}, {"year": "20255"}):
        page = client.get(reverse("assessment:breakdown", args=[unit_a.pk]), params)
        assert page.context["scheme"] == valued, params
        assert page.context["result"].final == D("91.50")


def test_a_unit_lacking_indicator_values_is_flagged_on_the_ranking_and_before_publishing(
    client_for, valued, personas, unit_a, unit_b
):
    """Trial 8: a new unit with training alone ranked first with 100.00, nothing said so."""
    second = Indicator.objects.create(scheme=valued, name="依申请公开按时办结率", weight=D(20))
    save_indicator_values(valued, [(second, unit_a, D("70.00"), "")], actor=personas["inspector"])
    page = client_for("leader").get(reverse("assessment:ranking")).content.decode()
    rows = {
        unit: row
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S)
        for unit in ("甲街道", "乙局")
        if unit in row
    }
    # 乙局: 80.25 on the one indicator it has, the other left out, and the page says so
    assert "缺 1 项指标数据" in rows["乙局"] and "80.25" in rows["乙局"]
    # 甲街道: (91.50 × 30 + 70.00 × 20) / 50 = 82.90, both values entered
    assert "缺" not in rows["甲街道"] and "82.90" in rows["甲街道"]
    lines = {line.kind: line for line in unfinished_work(valued).lines}
    assert lines["indicators"].count == 1
    assert lines["indicators"].examples == ("乙局（依申请公开按时办结率）",)
    publish_page = client_for("leader").get(reverse("assessment:publish")).content.decode()
    assert "1 个单位缺少指标数据" in publish_page and "乙局（依申请公开按时办结率）" in publish_page


def test_the_next_year_is_opened_from_the_scheme_page_and_takes_this_years_scheme(
    client_for, valued
):
    """Trial 6: nothing opened 2027 before a training dated 2027 existed, so its scheme
    could not be announced in December."""
    coming = THIS_YEAR + 1
    client = client_for("admin")
    page = client.get(reverse("assessment:scheme")).content.decode()
    assert f"开启 {coming} 年度" in page
    for persona in ("liaison_a", "inspector"):
        assert client_for(persona).post(reverse("assessment:open_year")).status_code == 403
    assert not Year.objects.filter(year=coming).exists()
    client = client_for("admin")
    opened = client.post(reverse("assessment:open_year"), follow=True)
    assert Year.objects.filter(year=coming).exists()
    text = opened.content.decode()
    assert f"{coming} 年度已开启，请设定其考核方案。" in text
    assert f"复制 {THIS_YEAR} 年度方案" in text  # the selected year is now the new one
    client.post(reverse("assessment:scheme"), {"copy": "1"})
    copied = Scheme.objects.get(year__year=coming)
    assert list(copied.indicators.values_list("name", "weight")) == [("信息公开及时率", D(30))]
    # once open, the button is gone and a second post opens nothing more
    assert f"开启 {coming} 年度" not in client.get(reverse("assessment:scheme")).content.decode()
    client.post(reverse("assessment:open_year"))
    assert not Year.objects.filter(year=coming + 1).exists()


def posted_form(*forms):
    """What a browser posts back for unchanged `forms` (and formsets)."""
    data = {}
    for form in forms:
        for each in [form.management_form, *form.forms] if hasattr(form, "forms") else [form]:
            for field in each:
                value = field.value()
                if value is None:
                    continue
                data[field.html_name] = value
    return data


def test_indicator_changes_are_in_the_schemes_change_history(client_for, scheme):
    """Trial 6: a new indicator, a rename and a weight 15 → 14 were a 修改 row with nothing
    in it; indicator weights decide the ranking as much as the scheme's own weights."""
    client = client_for("admin")
    page = client.get(reverse("assessment:scheme"))
    data = posted_form(page.context["form"], page.context["indicators"])
    data["indicators-0-weight"] = "14"
    data["indicators-0-name"] = "信息公开及时率（含主动公开）"
    data["indicators-1-name"] = "政策解读发布率"
    data["indicators-1-weight"] = "8"
    data["indicators-1-sort_order"] = "1"
    assert client.post(reverse("assessment:scheme"), data).status_code == 302
    assert scheme.indicators.count() == 2
    history = client.get(reverse("history", args=["scheme", scheme.pk])).content.decode()
    text = re.sub(r"<[^>]+>", " ", history)
    text = re.sub(r"\s+", " ", text)
    assert "权重：30.00 → 14.00" in text
    assert "名称：信息公开及时率 → 信息公开及时率（含主动公开）" in text
    assert "政策解读发布率" in text and "新建" in text


def test_a_form_shown_for_one_year_is_refused_after_another_tab_selected_another(
    client_for, valued, unit_a
):
    """Trial 9: a bonus typed on the 2026 adjustments page, sent after another tab switched
    the year selector to 2025, was saved into 2025."""
    last = Scheme.objects.create(year=Year.objects.create(year=THIS_YEAR - 1))
    client = client_for("leader")
    page = client.get(reverse("assessment:adjustments")).content.decode()
    assert f'name="page_year" value="{THIS_YEAR}"' in page
    client.post(reverse("set_year"), {"year": THIS_YEAR - 1, "next": "/"})  # the other tab
    response = client.post(
        reverse("assessment:adjustments"),
        {
            "page_year": str(THIS_YEAR),
            "unit": unit_a.pk,
            "kind": Adjustment.Kind.BONUS,
            "points": "1",
            "reason": "在本年度页面录入的加分",
        },
        HTTP_REFERER="http://testserver" + reverse("assessment:adjustments"),
        follow=True,
    )
    assert not Adjustment.objects.exists()
    said = [str(message) for message in response.context["messages"]]
    assert said == [
        f"此表单属于 {THIS_YEAR} 年度考核，但当前选择的是 {THIS_YEAR - 1} 年度（可能在另一个"
        "标签页中切换了年度）。未做任何操作；请核对年度后重试。"
    ]
    # sent for the year selected now, it is taken
    client.post(
        reverse("assessment:adjustments"),
        {
            "page_year": str(THIS_YEAR - 1),
            "unit": unit_a.pk,
            "kind": Adjustment.Kind.BONUS,
            "points": "1",
            "reason": "上年度的加分",
        },
    )
    assert list(Adjustment.objects.values_list("scheme", flat=True)) == [last.pk]


def test_a_reopened_year_published_again_ranks_its_own_units_as_it_named_them(
    client_for, valued, personas, unit_a, unit_b
):
    """Trial 6: after 2025 was re-opened and published again, a unit disabled in 2026 had
    fallen out of 2025, and one renamed and moved in 2026 was ranked in 2025 under its new
    name in its new category."""
    from assessment.year_end import year_results

    publish_year(valued, actor=personas["leader"], acknowledged=unfinished_work(valued).signature)
    first = {row.unit_id: (row.final, row.data["unit"]) for row in valued.results.all()}
    towns = unit_a.category
    unit_b.is_active = False
    unit_b.save()
    unit_a.name, unit_a.category = "甲街道（更名）", make_category("市级部门（新）")
    unit_a.save()
    make_unit("丙局", category=towns, code="TC01")  # created after the year
    valued.refresh_from_db()
    reopen_year(valued, actor=personas["admin"], reason="核对依申请公开数据")
    valued.refresh_from_db()
    draft = year_results(valued)
    assert sorted(draft.units) == sorted(first)  # 乙局 stays, 丙局 is not the year's
    assert draft.units[unit_a.pk].name == "甲街道"
    assert draft.units[unit_a.pk].category.name == towns.name
    page = client_for("leader").get(reverse("assessment:publish")).content.decode()
    assert "按当时参加排名的 2 个单位" in page
    assert f"通报将再次使用文号 {valued.notice_document_number}" in page
    publish_year(valued, actor=personas["leader"], acknowledged=unfinished_work(valued).signature)
    again = {row.unit_id: (row.final, row.data["unit"]) for row in valued.results.all()}
    assert again == first


def test_the_ranking_exported_after_a_search_has_the_units_found(client_for, valued):
    """Trial 8: the page showed one unit found by its name; the CSV had all of them."""
    page = client_for("leader").get(reverse("assessment:ranking"), {"q": "甲"}).content.decode()
    assert "q=%E7%94%B2&amp;_export=csv" in page
    exported = client_for("leader").get(
        reverse("assessment:ranking"), {"q": "甲", "_export": "csv"}
    )
    text = exported.content.decode("utf-8-sig")
    assert "甲街道" in text and "乙局" not in text


def test_a_list_of_a_years_records_is_exported_under_that_year(client_for, valued):
    """Trial 8: 2025's and 2026's spot checks were both 抽查记录-20261128-1145.csv."""
    response = client_for("leader").get(reverse("assessment:spot_check_list"), {"_export": "csv"})
    assert quote(f"{THIS_YEAR}年度") in response["Content-Disposition"]
