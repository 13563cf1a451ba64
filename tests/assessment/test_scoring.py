"""Spot-check scoring (DESIGN.md), every number worked out by hand."""

from decimal import Decimal as D

import pytest

from assessment.scoring import ItemInput, ScoringError, score_check, spot_check_component


def direct(max_points, points, **kw):
    return ItemInput(max_points=D(max_points), points=None if points is None else D(points), **kw)


def by_rules(max_points, *deductions, **kw):
    return ItemInput(
        max_points=D(max_points),
        deductions=tuple((D(per), count) for per, count in deductions),
        uses_rules=True,
        **kw,
    )


def test_percentage_over_applicable_items():
    # 8 + 15 = 23 of 10 + 20 = 30 → 76.666… → 76.67
    score = score_check([direct("10", "8"), direct("20", "15")])
    assert (score.earned, score.possible, score.percentage) == (D("23"), D("30"), D("76.67"))


def test_not_applicable_leaves_both_sides():
    # N/A item (20) is out: 8 of 10 → 80.00, not 8 of 30
    score = score_check(
        [direct("10", "8"), direct("20", None, not_applicable=True, allows_na=True)]
    )
    assert (score.possible, score.percentage) == (D("10"), D("80.00"))


def test_not_applicable_needs_the_item_to_allow_it():
    with pytest.raises(ScoringError):
        score_check([direct("10", None, not_applicable=True)])


def test_occurrence_deductions_floored_at_zero():
    # 10 − 3 × 2 − 1 × 1.5 = 2.5; the other: 5 − 4 × 2 = −3 → 0 (扣完为止)
    score = score_check([by_rules("10", ("2", 3), ("1.5", 1)), by_rules("5", ("2", 4))])
    assert score.item_points == [D("2.5"), D("0")]
    # 2.5 of 15 → 16.666… → 16.67
    assert score.percentage == D("16.67")


def test_rule_item_with_no_faults_earns_its_maximum():
    assert score_check([by_rules("10", ("2", 0))]).percentage == D("100.00")


def test_rule_item_with_every_count_blank_is_unscored_not_full_marks():
    # blank counts (None): 0 of 10 possible, unscored; one entered count makes blanks 0 → 8
    assert score_check([by_rules("10", ("2", None))]).item_points == [None]
    blank = score_check([by_rules("10", ("2", None), ("1", None)), direct("10", "5")])
    assert (blank.unscored, blank.earned, blank.possible, blank.percentage) == (
        1,
        D("5"),
        D("20"),
        D("25.00"),
    )
    assert score_check([by_rules("10", ("2", 1), ("1", None))]).item_points == [D("8")]


def test_failed_veto_item_makes_the_check_zero_and_flags_it():
    items = [direct("50", "50"), direct("50", "50", is_veto=True, veto_failed=True)]
    score = score_check(items)
    assert (score.percentage, score.vetoed) == (D("0.00"), True)
    assert score.earned == D("100")  # the points stay visible; the percentage is vetoed


def test_a_zero_point_veto_item_needs_no_score_and_adds_nothing():
    # 0-point veto item passed: 9 of 10 → 90.00, and nothing is left unscored
    score = score_check([direct("10", "9"), direct("0", None, is_veto=True)])
    assert (score.unscored, score.possible, score.percentage) == (0, D("10"), D("90.00"))


def test_veto_flag_on_an_ordinary_item_is_ignored():
    assert score_check([direct("10", "5", veto_failed=True)]).vetoed is False


def test_half_up_rounding_not_bankers():
    # 1 of 8 = 12.5 % exactly → 12.50; 1 of 800 = 0.125 % → 0.13 half-up (banker's: 0.12)
    assert score_check([direct("8", "1")]).percentage == D("12.50")
    assert score_check([direct("800", "1")]).percentage == D("0.13")


def test_direct_points_outside_the_range_are_refused():
    with pytest.raises(ScoringError):
        score_check([direct("10", "11")])
    with pytest.raises(ScoringError):
        score_check([direct("10", "-1")])


def test_unscored_items_are_counted_and_earn_nothing_yet():
    score = score_check([direct("10", "10"), direct("10", None)])
    assert (score.unscored, score.earned, score.percentage) == (1, D("10"), D("50.00"))


def test_spot_check_component_is_the_mean_of_percentages():
    # (80.00 + 76.67 + 90.01) / 3 = 246.68 / 3 = 82.2266… → 82.23
    assert spot_check_component([D("80.00"), D("76.67"), D("90.01")]) == D("82.23")
    # (80.00 + 80.01) / 2 = 80.005 → 80.01 half-up
    assert spot_check_component([D("80.00"), D("80.01")]) == D("80.01")
    assert spot_check_component([]) is None
