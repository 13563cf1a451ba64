"""A spot check from planned to confirmed, with the numbers worked out by hand."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from assessment.models import SpotCheck
from assessment.services import AssessmentError
from assessment.services.spot_checks import (
    compute_score,
    confirm_spot_check,
    save_scores,
    submit_spot_check,
    unconfirm_spot_check,
)
from assessment.stats import unit_spot_check_components
from tests.assessment.conftest import (
    entries_for,
    items_by_text,
    make_checklist,
    no_faults,
    rule_of,
)
from tests.conftest import make_unit


def score(spot_check, actor, values, summary=""):
    entries = entries_for(spot_check.checklist, values)
    return save_scores(
        spot_check, version=spot_check.version, entries=entries, summary=summary, actor=actor
    )


def test_full_flow_stores_the_hand_worked_percentage(spot_check, personas, checklist):
    inspector = personas["inspector"]
    rule = rule_of(checklist, "信息发布及时")
    score(
        spot_check,
        inspector,
        {
            "保密审查制度": {"points": D("7.5")},
            "信息发布及时": {"counts": {rule.pk: 3}},
            "按期答复": {"not_applicable": True},
        },
    )
    assert spot_check.status == SpotCheck.Status.IN_PROGRESS
    submit_spot_check(spot_check, actor=inspector)
    confirm_spot_check(spot_check, actor=personas["leader"])
    spot_check.refresh_from_db()
    # 7.5 + (10 − 3 × 2) = 11.5 of 10 + 10 (N/A item out, 0-point veto item adds 0) → 57.50
    assert (spot_check.earned, spot_check.possible, spot_check.percentage) == (
        D("11.50"),
        D("20.00"),
        D("57.50"),
    )
    assert spot_check.status == SpotCheck.Status.CONFIRMED


def test_failed_veto_item_stores_zero_and_the_flag(spot_check, personas):
    inspector = personas["inspector"]
    score(
        spot_check,
        inspector,
        {
            "保密审查制度": {"points": D("10")},
            "信息发布及时": no_faults(spot_check.checklist),
            "按期答复": {"points": D("20")},
            "发生泄密事件": {"veto_failed": True},
        },
    )
    submit_spot_check(spot_check, actor=inspector)
    spot_check.refresh_from_db()
    assert (spot_check.percentage, spot_check.vetoed) == (D("0.00"), True)


def test_submit_is_refused_while_items_are_unscored(spot_check, personas):
    score(spot_check, personas["inspector"], {"保密审查制度": {"points": D("10")}})
    with pytest.raises(AssessmentError) as refused:
        submit_spot_check(spot_check, actor=personas["inspector"])
    assert refused.value.code == "unscored"


def test_a_blank_rule_item_is_unscored_not_full_marks(spot_check, personas, checklist):
    inspector = personas["inspector"]
    values = {"保密审查制度": {"points": D("10")}, "按期答复": {"points": D("20")}}
    score(spot_check, inspector, values)
    saved = compute_score(spot_check)
    # 10 + 20 of 10 + 10 + 20 (the blank rule item is possible but earns nothing) → 75.00
    assert (saved.unscored, saved.earned, saved.possible) == (1, D("30"), D("40"))
    assert saved.percentage == D("75.00")
    with pytest.raises(AssessmentError) as refused:
        submit_spot_check(spot_check, actor=inspector)
    assert refused.value.code == "unscored"
    # an entered 0 is a score: no faults, the item's maximum 10 → 40 of 40
    score(spot_check, inspector, {**values, "信息发布及时": no_faults(checklist)})
    assert compute_score(spot_check).percentage == D("100.00")
    submit_spot_check(spot_check, actor=inspector)
    # clearing the count again makes the item unscored once more (the stored 0 is removed)
    spot_check.status = SpotCheck.Status.IN_PROGRESS
    spot_check.save()
    score(spot_check, inspector, values)
    assert compute_score(spot_check).unscored == 1


def test_only_the_checks_inspectors_may_score(spot_check, personas, checklist):
    from tests.conftest import make_user
    from units.roles import Role

    outsider = make_user("other_inspector", role=Role.INSPECTOR)
    with pytest.raises(AssessmentError):
        score(spot_check, outsider, {"保密审查制度": {"points": D("1")}})


def confirmed(spot_check, personas):
    inspector = personas["inspector"]
    score(
        spot_check,
        inspector,
        {
            "保密审查制度": {"points": D("8")},
            "信息发布及时": no_faults(spot_check.checklist),
            "按期答复": {"points": D("20")},
        },
    )
    submit_spot_check(spot_check, actor=inspector)
    return confirm_spot_check(spot_check, actor=personas["leader"])


def test_confirmed_check_is_read_only(spot_check, personas, client_for):
    confirmed(spot_check, personas)
    with pytest.raises(AssessmentError):
        score(spot_check, personas["inspector"], {"保密审查制度": {"points": D("1")}})
    url = reverse("assessment:spot_check_score", args=[spot_check.pk])
    response = client_for("inspector").get(url, follow=True)
    assert response.redirect_chain == [(spot_check.get_absolute_url(), 302)]
    assert [str(m) for m in response.context["messages"]] == ["本次检查已确认，不能再在此评分。"]


def test_unconfirming_needs_an_admin_and_a_reason_kept_in_history(spot_check, personas):
    confirmed(spot_check, personas)
    with pytest.raises(AssessmentError):
        unconfirm_spot_check(spot_check, actor=personas["inspector"], reason="录入错误")
    with pytest.raises(AssessmentError):
        unconfirm_spot_check(spot_check, actor=personas["admin"], reason="  ")
    unconfirm_spot_check(spot_check, actor=personas["admin"], reason="第 2 项分值录入错误")
    spot_check.refresh_from_db()
    assert spot_check.status == SpotCheck.Status.IN_PROGRESS
    latest = spot_check.history.first()
    assert latest.history_change_reason == "第 2 项分值录入错误"
    assert latest.history_user == personas["admin"]


def test_component_is_the_mean_of_confirmed_checks_in_the_year(
    personas, unit_a, unit_b, checklist, inspector_b, django_assert_num_queries
):
    from datetime import date

    inspector = personas["inspector"]

    def check_with(unit, when, points):
        check = SpotCheck.objects.create(unit=unit, checklist=checklist, date=when)
        check.inspectors.set([inspector])
        score(
            check,
            inspector,
            {
                "保密审查制度": {"points": D(points)},
                "信息发布及时": no_faults(checklist),
                "按期答复": {"points": D("20")},
            },
        )
        submit_spot_check(check, actor=inspector)
        confirm_spot_check(check, actor=personas["leader"])
        return check

    # unit A, first check: 8 + 10 (rule item, 0 faults entered: its maximum) + 20 = 38 of 40
    # → 95.00
    first = check_with(unit_a, date(2026, 3, 1), "8")
    first.refresh_from_db()
    assert first.percentage == D("95.00")
    check_with(unit_a, date(2026, 6, 1), "10")  # 40 of 40 = 100.00
    check_with(unit_b, date(2025, 12, 31), "0")  # another year: not counted
    SpotCheck.objects.create(unit=unit_b, checklist=checklist, date=date(2026, 5, 1))  # planned
    with django_assert_num_queries(1):
        components = unit_spot_check_components(2026)
    # (95.00 + 100.00) / 2 = 97.50
    assert components == {unit_a.pk: D("97.50")}
    for number in range(5):
        check_with(make_unit(f"单位{number}"), date(2026, 7, 1), "5")
    with django_assert_num_queries(1):
        assert len(unit_spot_check_components(2026)) == 6


def test_checklist_used_by_a_check_can_no_longer_change(spot_check, client_for, checklist):
    client = client_for("inspector")
    response = client.get(reverse("assessment:item_add", args=[checklist.pk]), follow=True)
    assert "已被抽查使用，不能再修改。请复制为新版本后修改副本。" in response.content.decode()
    item = items_by_text(checklist)["保密审查制度"]
    client.post(
        reverse("assessment:item_edit", args=[checklist.pk, item.pk]),
        {"section": item.section_id, "text": "改", "max_points": "99", "sort_order": 0},
    )
    item.refresh_from_db()
    assert item.max_points == D("10")


def test_copy_makes_an_editable_new_version(spot_check, client_for, checklist):
    response = client_for("inspector").post(
        reverse("assessment:checklist_copy", args=[checklist.pk])
    )
    copy = checklist.__class__.objects.get(name=checklist.name, version=2)
    assert response["Location"] == copy.get_absolute_url()
    assert copy.total_points() == checklist.total_points() == D("40")
    assert not copy.is_locked
    rule = rule_of(copy, "信息发布及时")
    assert (rule.fault, rule.points_per_occurrence) == ("发布不及时", D("2"))


def test_a_second_checklist_name_starts_at_version_one(personas):
    other = make_checklist(personas["inspector"], name="乡镇检查表")
    assert other.version == 1


def test_a_check_not_scored_yet_says_so_instead_of_zero_points(spot_check, personas, client_for):
    url = reverse("assessment:spot_check_detail", args=[spot_check.pk])
    page = client_for("inspector").get(url).content.decode()
    assert "尚未评分" in page and "0.00%" not in page
    score(spot_check, personas["inspector"], {"保密审查制度": {"points": D("8")}})
    page = client_for("inspector").get(url).content.decode()
    assert "尚未评分" not in page and "实得 8.00 分" in page


def test_a_liaison_reads_its_checks_checklist_name_without_a_link_it_may_not_open(
    spot_check, client_for
):
    """Trial 7: the checklist's name linked to a page that answers 403 to a liaison."""
    SpotCheck.objects.filter(pk=spot_check.pk).update(status=SpotCheck.Status.CONFIRMED)
    checklist_url = reverse("assessment:checklist_detail", args=[spot_check.checklist_id])
    page = client_for("liaison_a").get(spot_check.get_absolute_url()).content.decode()
    assert str(spot_check.checklist) in page and checklist_url not in page
    assert client_for("liaison_a").get(checklist_url).status_code == 403
    page = client_for("inspector").get(spot_check.get_absolute_url()).content.decode()
    assert checklist_url in page


def test_the_export_marks_a_vetoed_check(spot_check, client_for):
    """Trial 8: the page marks a vetoed check 否决; the export showed a plain 0.00."""
    import io

    from openpyxl import load_workbook

    SpotCheck.objects.filter(pk=spot_check.pk).update(
        status=SpotCheck.Status.CONFIRMED, percentage=D("0"), vetoed=True
    )
    response = client_for("leader").get(reverse("assessment:spot_check_list"), {"_export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert row["否决"] == "是" and str(row["得分率"]) in ("0", "0.00")
