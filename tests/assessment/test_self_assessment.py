"""自查自评: a unit scores itself on the checklist (the same pure scoring as spot checks), submits
once, may be returned before the close; the year-end scheme shows it beside the inspection and
its optional 自评失实 rule proposes a deduction that an assessor accepts or dismisses.

The checklist (tests/assessment/conftest.py): 保密审查制度 10 (direct), 信息发布及时 10 (−2 per
late item), 按期答复 20 (may be N/A), 发生泄密事件 0 (veto). The confirmed check of unit A
scores 5 + 10 + 20 = 35 of 40 = 87.50 %.
"""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from assessment.models import Adjustment, SelfAssessment
from assessment.services.self_assessment import (
    accept_overstatement,
    create_campaign,
    dismiss_overstatement,
    overstatement_gap,
    proposed_overstatements,
    return_self_assessment,
    save_self_assessment,
    self_assessment_score,
    submit_self_assessment,
)
from assessment.services.year_end import publish_year, unfinished_work
from assessment.year_end import SELF_ASSESSMENT, year_results
from core.errors import DomainError
from core.models import Year
from tests.assessment.conftest import entries_for, no_faults, rule_of
from tests.conftest import make_user
from units.roles import Role, can_edit_self_assessment, can_return_self_assessment

TODAY = date(2026, 11, 27)


@pytest.fixture
def campaign(personas, checklist, unit_a, unit_b):
    today = timezone.localdate()
    return create_campaign(
        name="2026年自查",
        year=2026,
        checklist=checklist,
        opens_on=today - timedelta(days=3),
        closes_on=today + timedelta(days=7),
        units=[unit_a, unit_b],
        actor=personas["inspector"],
    )


def sa_of(campaign, unit):
    return campaign.assessments.get(unit=unit)


def fill(sa, actor, values, summary=""):
    return save_self_assessment(
        sa,
        version=sa.version,
        entries=entries_for(sa.checklist, values),
        summary=summary,
        actor=actor,
    )


def full_marks(checklist):
    return {
        "保密审查制度": {"points": D("10")},
        "信息发布及时": no_faults(checklist),
        "按期答复": {"points": D("20")},
    }


def refused(code, function, *args, **kwargs):
    with pytest.raises(DomainError) as error:
        function(*args, **kwargs)
    assert error.value.code == code, error.value.message
    return error.value


# -- scoring: the spot checks' pure functions over the unit's answers -------------------------


def test_self_assessment_is_scored_like_a_spot_check(campaign, personas, unit_a, checklist):
    sa = sa_of(campaign, unit_a)
    late = rule_of(checklist, "信息发布及时")
    fill(
        sa,
        personas["liaison_a"],
        {
            "保密审查制度": {"points": D("8"), "finding": "制度已印发"},
            "信息发布及时": {"counts": {late.pk: 1}},
            "按期答复": {"not_applicable": True},
        },
    )
    score = self_assessment_score(sa)
    # 8 + (10 − 1 × 2) = 16 of 10 + 10 = 20 (按期答复 N/A leaves both sides) → 80.00 %
    assert (score.earned, score.possible, score.percentage) == (D("16"), D("20"), D("80.00"))
    submit_self_assessment(sa, actor=personas["liaison_a"])
    sa.refresh_from_db()
    assert sa.status == SelfAssessment.Status.SUBMITTED
    assert (sa.earned, sa.possible, sa.percentage, sa.vetoed) == (D(16), D(20), D("80.00"), False)
    assert sa.submitted_by == personas["liaison_a"]


def test_a_failed_veto_item_makes_the_self_assessment_zero(campaign, personas, unit_a, checklist):
    sa = sa_of(campaign, unit_a)
    values = full_marks(checklist) | {"发生泄密事件": {"veto_failed": True}}
    fill(sa, personas["liaison_a"], values)
    submit_self_assessment(sa, actor=personas["liaison_a"])
    assert (sa.percentage, sa.vetoed) == (D("0.00"), True)


def test_unscored_items_block_submission_and_change_nothing(campaign, personas, unit_a):
    sa = sa_of(campaign, unit_a)
    fill(sa, personas["liaison_a"], {"保密审查制度": {"points": D("9")}})
    error = refused("unscored", submit_self_assessment, sa, actor=personas["liaison_a"])
    assert "2" in error.message  # 信息发布及时 (no count entered) and 按期答复
    sa.refresh_from_db()
    assert sa.status == SelfAssessment.Status.DRAFT and sa.percentage is None


def test_points_above_the_maximum_are_refused(campaign, personas, unit_a):
    sa = sa_of(campaign, unit_a)
    refused("invalid", fill, sa, personas["liaison_a"], {"保密审查制度": {"points": D("11")}})


def test_a_stale_form_is_refused(campaign, personas, unit_a):
    sa = sa_of(campaign, unit_a)
    stale = sa.version
    fill(sa, personas["liaison_a"], {"保密审查制度": {"points": D("9")}})
    refused(
        "conflict",
        save_self_assessment,
        sa,
        version=stale,
        entries=entries_for(sa.checklist),
        summary="",
        actor=personas["liaison_a"],
    )


# -- who may do what -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["liaison_b", "inspector", "leader", "admin", "organizer"])
def test_only_the_units_own_liaison_fills_it_in(campaign, personas, unit_a, persona):
    sa = sa_of(campaign, unit_a)
    refused("forbidden", fill, sa, personas[persona], {"保密审查制度": {"points": D("9")}})


ACTORS = ["liaison_a", "liaison_b", "inspector", "insider", "leader", "admin", "organizer"]


@pytest.mark.parametrize(
    "capability, holders",
    [
        (can_edit_self_assessment, {"liaison_a"}),
        # recusal: an inspector who works in unit A never returns its self-assessment
        (can_return_self_assessment, {"inspector", "admin"}),
    ],
)
def test_capabilities_on_a_self_assessment(campaign, personas, unit_a, capability, holders):
    actors = {**personas, "insider": make_user("insider", role=Role.INSPECTOR, unit=unit_a)}
    sa = sa_of(campaign, unit_a)
    assert {name for name in ACTORS if capability(actors[name], sa)} == holders


def test_liaisons_see_only_their_own_units_self_assessment(campaign, personas, unit_a, unit_b):
    visible = SelfAssessment.objects.visible_to(personas["liaison_b"])
    assert list(visible.values_list("unit", flat=True)) == [unit_b.pk]
    assert SelfAssessment.objects.visible_to(personas["organizer"]).count() == 0
    assert SelfAssessment.objects.visible_to(personas["leader"]).count() == 2


# -- submit once, read-only after; returned with a reason before the close ------------------


def test_submitted_is_read_only_until_returned(campaign, personas, unit_a, checklist):
    liaison, inspector = personas["liaison_a"], personas["inspector"]
    sa = sa_of(campaign, unit_a)
    fill(sa, liaison, full_marks(checklist))
    submit_self_assessment(sa, actor=liaison)
    refused("not_editable", fill, sa, liaison, {"保密审查制度": {"points": D("1")}})
    refused("no_reason", return_self_assessment, sa, reason="  ", actor=inspector)
    refused("forbidden", return_self_assessment, sa, reason="证据不足", actor=liaison)
    return_self_assessment(sa, reason="证据不足，请补充", actor=inspector)
    sa.refresh_from_db()
    assert sa.status == SelfAssessment.Status.RETURNED
    assert sa.return_reason == "证据不足，请补充" and sa.percentage is None
    fill(sa, liaison, {"保密审查制度": {"points": D("6")}} | full_marks(checklist))
    submit_self_assessment(sa, actor=liaison)
    assert sa.status == SelfAssessment.Status.SUBMITTED


def test_after_the_closing_date_nothing_changes(campaign, personas, unit_a, checklist):
    liaison = personas["liaison_a"]
    sa = sa_of(campaign, unit_a)
    fill(sa, liaison, full_marks(checklist))
    submit_self_assessment(sa, actor=liaison)
    campaign.closes_on = timezone.localdate() - timedelta(days=1)
    campaign.save()
    refused("closed", return_self_assessment, sa, reason="迟了", actor=personas["inspector"])
    other = sa_of(campaign, campaign.units.exclude(pk=unit_a.pk).get())
    refused("closed", fill, other, personas["liaison_b"], {})


def test_nothing_is_saved_before_the_campaign_opens(campaign, personas, unit_a):
    campaign.opens_on = timezone.localdate() + timedelta(days=1)
    campaign.closes_on = timezone.localdate() + timedelta(days=5)
    campaign.save()
    refused("not_open", fill, sa_of(campaign, unit_a), personas["liaison_a"], {})


def test_history_keeps_the_drafts_and_the_submission(campaign, personas, unit_a, checklist):
    liaison = personas["liaison_a"]
    sa = sa_of(campaign, unit_a)
    fill(sa, liaison, {"保密审查制度": {"points": D("4")}})
    fill(sa, liaison, full_marks(checklist))
    submit_self_assessment(sa, actor=liaison)
    result = sa.results.get(item__text="保密审查制度")
    assert [h.points for h in result.history.order_by("history_date")] == [D(4), D(10)]
    submitted = sa.history.filter(status="submitted").get()
    assert (submitted.history_user, submitted.percentage) == (liaison, D("100.00"))
    assert submitted.history_change_reason  # “已提交”: the reason is kept


def test_a_published_year_refuses_every_write(campaign, personas, unit_a, checklist):
    liaison = personas["liaison_a"]
    sa = sa_of(campaign, unit_a)
    fill(sa, liaison, full_marks(checklist))
    year, _created = Year.objects.get_or_create(year=2026)
    from assessment.models import Scheme

    scheme = Scheme.objects.create(year=year)
    publish_year(scheme, actor=personas["leader"], acknowledged=unfinished_work(scheme).signature)
    refused("year_locked", fill, sa, liaison, {"保密审查制度": {"points": D("1")}})
    refused("year_locked", submit_self_assessment, sa, actor=liaison)
    refused(
        "year_locked",
        create_campaign,
        name="再查",
        year=2026,
        checklist=checklist,
        opens_on=TODAY,
        closes_on=TODAY,
        units=[unit_a],
        actor=personas["inspector"],
    )


# -- the year-end scheme: the component and the 自评失实 rule, worked by hand ------------------


def test_overstatement_gap_by_hand():
    # 100.00 − 87.50 = 12.50 > 10 → proposed; = the margin is not "more than"; no inspection → none
    assert overstatement_gap(D("100.00"), D("87.50"), D("10")) == D("12.50")
    assert overstatement_gap(D("100.00"), D("87.50"), D("12.50")) is None
    assert overstatement_gap(D("100.00"), None, D("10")) is None
    assert overstatement_gap(None, D("87.50"), D("10")) is None
    assert overstatement_gap(D("100.00"), D("87.50"), None) is None  # the rule is off


@pytest.fixture
def year_end(campaign, confirmed_check, personas, unit_a, unit_b, checklist):
    """Unit A: self-assessed 100.00, inspected 87.50. Unit B: self-assessed 100.00, never
    inspected. No training, no indicator: the spot checks are A's only weighted component."""
    for unit, liaison in ((unit_a, "liaison_a"), (unit_b, "liaison_b")):
        sa = sa_of(campaign, unit)
        fill(sa, personas[liaison], full_marks(checklist))
        submit_self_assessment(sa, actor=personas[liaison])
    from assessment.models import Scheme

    year, _created = Year.objects.get_or_create(year=2026)
    return Scheme.objects.create(year=year)


def test_by_default_nothing_changes(year_end, unit_a, unit_b):
    results = year_results(year_end).results
    # weight 0: shown, but the weighted score is the spot checks' 87.50 alone
    assert results[unit_a.pk].components[SELF_ASSESSMENT] == D("100.00")
    assert (results[unit_a.pk].weighted, results[unit_a.pk].final) == (D("87.50"), D("87.50"))
    assert SELF_ASSESSMENT not in results[unit_a.pk].used
    assert results[unit_b.pk].final is None  # a self-assessment alone assesses nobody
    assert proposed_overstatements(year_end) == []  # the rule is off


def test_a_weighted_self_assessment_counts(year_end, unit_a):
    year_end.weight_self_assessment = D("50")
    year_end.save()
    # (50 × 87.50 + 50 × 100.00) / (50 + 50) = (4375 + 5000) / 100 = 93.75
    assert year_results(year_end).results[unit_a.pk].weighted == D("93.75")


def test_overstatement_is_proposed_and_accepted(year_end, personas, unit_a):
    year_end.overstatement_margin = D("10")
    year_end.overstatement_points = D("3")
    year_end.save()
    proposals = proposed_overstatements(year_end)
    # A: 100.00 − 87.50 = 12.50 > 10. B has no inspection: no proposal.
    assert [(p.unit.pk, p.gap, p.points) for p in proposals] == [(unit_a.pk, D("12.50"), D("3"))]
    adjustment = accept_overstatement(year_end, unit_a, points=D("3"), actor=personas["inspector"])
    assert (adjustment.kind, adjustment.points, adjustment.overstatement) == (
        Adjustment.Kind.DEDUCTION,
        D("3"),
        True,
    )
    assert proposed_overstatements(year_end) == []
    # 87.50 − 3 = 84.50
    assert year_results(year_end).results[unit_a.pk].final == D("84.50")
    refused(
        "decided", dismiss_overstatement, year_end, unit_a, reason="x", actor=personas["leader"]
    )


def test_overstatement_dismissed_with_a_reason(year_end, personas, unit_a):
    year_end.overstatement_margin = D("10")
    year_end.save()
    refused("reason", dismiss_overstatement, year_end, unit_a, reason="", actor=personas["leader"])
    dismiss_overstatement(year_end, unit_a, reason="检查时点不同", actor=personas["leader"])
    assert proposed_overstatements(year_end) == []
    assert year_results(year_end).results[unit_a.pk].final == D("87.50")
    refused(
        "decided", accept_overstatement, year_end, unit_a, points=D(1), actor=personas["leader"]
    )


@pytest.mark.parametrize("decision", ["accepted", "dismissed"])
def test_returning_the_self_assessment_withdraws_the_overstatement_decision(
    year_end, personas, unit_a, checklist, decision
):
    """A deducted 3 for 自评失实 (100.00 self-assessed, 87.50 inspected); the inspector returns
    the self-assessment and the liaison resubmits 87.50: the deduction no longer stands (it kept
    counting: final 84.50 beside a gap of 0). A new overstatement would be proposed again."""
    year_end.overstatement_margin = D("10")
    year_end.overstatement_points = D("3")
    year_end.save()
    inspector, liaison = personas["inspector"], personas["liaison_a"]
    if decision == "accepted":
        accept_overstatement(year_end, unit_a, points=D("3"), actor=inspector)
        assert year_results(year_end).results[unit_a.pk].final == D("84.50")
    else:
        dismiss_overstatement(year_end, unit_a, reason="检查时点不同", actor=inspector)
    sa = sa_of(year_end_campaign(unit_a), unit_a)
    return_self_assessment(sa, reason="证据不足，请补充", actor=inspector)

    assert not Adjustment.objects.filter(overstatement=True).exists()
    assert year_results(year_end).results[unit_a.pk].final == D("87.50")
    withdrawn = Adjustment.history.filter(history_type="-") if decision == "accepted" else None
    if withdrawn is not None:
        assert withdrawn.get().history_change_reason == "已撤销：所依据的自评已退回单位"
        assert withdrawn.get().history_user == inspector
    # resubmitted as inspected: nothing to propose; overstated again: proposed again
    fill(sa, liaison, {**full_marks(checklist), "保密审查制度": {"points": D("5")}})
    submit_self_assessment(sa, actor=liaison)
    assert proposed_overstatements(year_end) == []
    return_self_assessment(sa, reason="再核", actor=inspector)
    fill(sa, liaison, full_marks(checklist))
    submit_self_assessment(sa, actor=liaison)
    assert [p.unit.pk for p in proposed_overstatements(year_end)] == [unit_a.pk]


def year_end_campaign(unit):
    return SelfAssessment.objects.get(unit=unit).campaign


def test_a_margin_the_gap_does_not_exceed_proposes_nothing(year_end):
    year_end.overstatement_margin = D("12.50")
    year_end.save()
    assert proposed_overstatements(year_end) == []


def test_an_insider_or_a_liaison_cannot_decide(year_end, personas, unit_a):
    year_end.overstatement_margin = D("10")
    year_end.save()
    insider = make_user("insider", role=Role.INSPECTOR, unit=unit_a)
    refused("recused", accept_overstatement, year_end, unit_a, points=D(1), actor=insider)
    refused(
        "forbidden",
        accept_overstatement,
        year_end,
        unit_a,
        points=D(1),
        actor=personas["liaison_a"],
    )


def test_a_checklist_a_campaign_uses_is_frozen(campaign, checklist, personas):
    from assessment.services.checklists import ensure_editable

    assert checklist.is_locked
    error = refused("locked", ensure_editable, checklist)
    assert "自查自评" in error.message
