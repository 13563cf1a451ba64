"""The year-end computation of DESIGN.md on a scenario worked out by hand.

Weights: spot checks 50, training 20, indicator 30 (total 100). Bonus cap 5. Bands 90/80/60.
优秀 quota 20 % → floor(5 × 20 %) = 1 per category of 5 assessed units. Missing components
are left out and their weight spread over the others.
"""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.scoring import (
    EXCELLENT,
    FAIL,
    GOOD,
    PASS,
    Rules,
    UnitInput,
    assess,
    excellent_quota,
    weighted_score,
)

RULES = Rules(
    weights={"spot_checks": D(50), "training": D(20), "indicator:1": D(30)},
    bonus_cap=D(5),
    band_excellent=D(90),
    band_good=D(80),
    band_pass=D(60),
    excellent_quota=D(20),
)


def unit(unit_id, category, spot, training, indicator, **extra):
    def value(x):
        return None if x is None else D(x)

    return UnitInput(
        unit_id=unit_id,
        category=category,
        sort_order=unit_id,
        components={
            "spot_checks": value(spot),
            "training": value(training),
            "indicator:1": value(indicator),
        },
        **extra,
    )


SCENARIO = [
    # towns (T)
    # T1: (50×95 + 20×100 + 30×90) / 100 = (4750 + 2000 + 2700) / 100 = 94.50
    unit(1, "T", "95", "100", "90"),
    # T2: (4600 + 2000 + 2850) / 100 = 94.50 — ties with T1
    unit(2, "T", "92", "100", "95"),
    # T3: (4500 + 1600 + 2850) / 100 = 89.50; bonus 1 + 0.5 = 1.5 → 91.00
    unit(3, "T", "90", "80", "95", bonuses=(D("1"), D("0.5"))),
    # T4: not sampled: (20×50 + 30×80) / (20 + 30) = 3400 / 50 = 68.00
    unit(4, "T", None, "50", "80"),
    # T5: (1500 + 0 + 300) / 100 = 18.00; deductions 5 + 15 = 20 → max(0, −2) = 0.00
    unit(5, "T", "30", "0", "10", deductions=(D("5"), D("15"))),
    # departments (D)
    # D1: (4400 + 2000 + 2700) / 100 = 91.00, but vetoed: ranked last, 不合格
    unit(6, "D", "88", "100", "90", vetoed=True),
    # D2: (4250 + 1800 + 2400) / 100 = 84.50; bonuses 4 + 3 = 7 capped at 5 → 89.50
    unit(7, "D", "85", "90", "80", bonuses=(D("4"), D("3"))),
    # D3: (4800 + 2000 + 2760) / 100 = 95.60
    unit(8, "D", "96", "100", "92"),
    # D4: (50 × 80.01) / 100 = 40.005 → 40.01 half-up (banker's rounding would give 40.00)
    unit(9, "D", "80.01", "0", "0"),
    # D5: no training required: (50×70 + 30×80) / 80 = 5900 / 80 = 73.75
    unit(10, "D", "70", None, "80"),
    # D6: nothing at all: not assessed, not ranked
    unit(11, "D", None, None, None),
]


@pytest.fixture(scope="module")
def outcome():
    return assess(SCENARIO, RULES)


def test_weighted_final_and_adjustments(outcome):
    finals = {uid: result.final for uid, result in outcome.by_unit.items()}
    assert finals == {
        1: D("94.50"),
        2: D("94.50"),
        3: D("91.00"),
        4: D("68.00"),
        5: D("0.00"),
        6: D("91.00"),
        7: D("89.50"),
        8: D("95.60"),
        9: D("40.01"),
        10: D("73.75"),
        11: None,
    }
    assert (outcome.by_unit[7].bonus_raw, outcome.by_unit[7].bonus) == (D("7"), D("5"))
    assert outcome.by_unit[5].weighted == D("18.00")


def test_missing_component_is_shown_as_left_out(outcome):
    assert set(outcome.by_unit[4].used) == {"training", "indicator:1"}
    assert set(outcome.by_unit[10].used) == {"spot_checks", "indicator:1"}


def test_category_ranks_share_ties_and_put_the_veto_last(outcome):
    towns = [(r.unit_id, r.category_rank) for r in outcome.categories["T"].results]
    # T1 before T2 in the tie: higher spot-check component (95 > 92)
    assert towns == [(1, 1), (2, 1), (3, 3), (4, 4), (5, 5)]
    departments = [(r.unit_id, r.category_rank) for r in outcome.categories["D"].results]
    # D1 (91.00) is vetoed: after D4 (40.01)
    assert departments == [(8, 1), (7, 2), (10, 3), (9, 4), (6, 5)]


def test_overall_ranking(outcome):
    overall = [(r.unit_id, r.overall_rank) for r in outcome.overall]
    assert overall == [
        (8, 1),  # 95.60
        (1, 2),  # 94.50
        (2, 2),  # 94.50
        (3, 4),  # 91.00
        (7, 5),  # 89.50
        (10, 6),  # 73.75
        (4, 7),  # 68.00
        (9, 8),  # 40.01
        (5, 9),  # 0.00
        (6, 10),  # vetoed
        (11, None),  # not assessed
    ]


def test_grades_with_the_quota_and_a_straddling_tie(outcome):
    grades = {uid: result.grade for uid, result in outcome.by_unit.items()}
    assert grades == {
        # quota 1, but T1 and T2 tie at rank 1 across it: both keep 优秀; T3 (91.00) → 良好
        1: EXCELLENT,
        2: EXCELLENT,
        3: GOOD,
        4: PASS,
        5: FAIL,
        6: FAIL,  # vetoed, whatever its 91.00
        7: GOOD,
        8: EXCELLENT,
        9: FAIL,
        10: PASS,
        11: None,
    }
    towns = outcome.categories["T"]
    assert (towns.quota, towns.quota_exceeded, towns.boundary_rank) == (1, True, 1)
    assert outcome.categories["D"].quota_exceeded is False


def test_missing_component_counted_as_zero_when_the_scheme_says_so():
    # T4 under the zero policy: (0 + 20×50 + 30×80) / 100 = 34.00
    components = SCENARIO[3].components
    assert weighted_score(components, RULES.weights, missing_as_zero=True)[0] == D("34.00")


@pytest.mark.parametrize(
    "count, percent, expected", [(5, 20, 1), (4, 20, 1), (12, 20, 2), (5, 0, 0)]
)
def test_excellent_quota_is_rounded_down_but_at_least_one(count, percent, expected):
    assert excellent_quota(count, D(percent)) == expected


finals = st.decimals(min_value=0, max_value=100, places=2)


@given(st.lists(st.tuples(finals, st.booleans(), st.sampled_from("AB")), min_size=1, max_size=25))
def test_ranks_are_consistent_with_scores(rows):
    units = [
        UnitInput(
            unit_id=index,
            category=category,
            sort_order=index,
            components={"spot_checks": value},
            vetoed=vetoed,
        )
        for index, (value, vetoed, category) in enumerate(rows)
    ]
    rules = Rules(
        weights={"spot_checks": D(1)},
        bonus_cap=D(5),
        band_excellent=D(90),
        band_good=D(80),
        band_pass=D(60),
        excellent_quota=D(20),
    )
    outcome = assess(units, rules)
    for outcome_category in outcome.categories.values():
        results = outcome_category.results
        for a in results:
            ahead = [b for b in results if (b.vetoed, -b.final) < (a.vetoed, -a.final)]
            # competition ranking: 1 + the number of units strictly ahead
            assert a.category_rank == 1 + len(ahead)
            if a.vetoed:
                assert a.grade == FAIL
                assert all(b.category_rank < a.category_rank for b in results if not b.vetoed)
        excellent = [r for r in results if r.grade == EXCELLENT]
        if not outcome_category.quota_exceeded:
            assert len(excellent) <= max(outcome_category.quota, 0)
