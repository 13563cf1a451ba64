from collections import Counter
from decimal import Decimal as D

import pytest

from assessment.sampling import SamplingError, draw, sample_size_for

POOL = [(101, None), (102, 1), (103, None), (104, 2), (105, None)]


def test_same_seed_same_draw_other_seed_other_draw():
    first = draw(list(range(1, 21)), 5, POOL, 2, "seed-1")
    assert draw(list(range(1, 21)), 5, POOL, 2, "seed-1") == first
    assert draw(list(reversed(range(1, 21))), 5, POOL, 2, "seed-1") == first  # order-free
    assert draw(list(range(1, 21)), 5, POOL, 2, "seed-2") != first


def test_no_inspector_is_sent_to_its_own_unit():
    bound = dict(POOL)
    for seed in range(300):
        for check in draw([1, 2, 3, 4], 4, POOL, 2, seed):
            assert all(bound[i] != check.unit_id for i in check.inspector_ids)
            assert len(set(check.inspector_ids)) == 2


def test_work_is_spread_evenly_over_the_pool():
    # 10 checks × 2 slots = 20 over 5 inspectors: 4 each
    checks = draw(list(range(1, 11)), 10, [(i, None) for i in range(5)], 2, "even")
    load = Counter(i for check in checks for i in check.inspector_ids)
    assert sorted(load.values()) == [4, 4, 4, 4, 4]


def test_refusal_when_the_pool_is_too_small():
    with pytest.raises(SamplingError) as refused:
        draw([1, 2], 2, [(101, None)], 2, "x")
    assert refused.value.code == "pool_too_small"


def test_refusal_when_a_unit_cannot_be_staffed():
    # two inspectors, one of them bound to unit 1: unit 1 cannot get 2 outsiders
    with pytest.raises(SamplingError) as refused:
        draw([1], 1, [(101, 1), (102, None)], 2, "x")
    assert (refused.value.code, refused.value.unit_id) == ("unit_unstaffed", 1)


def test_every_unit_of_ten_is_drawn_about_equally_often():
    # 2,000 draws of 3 from 10: each unit expected 600 times; allow ±15 %
    counts = Counter(
        check.unit_id
        for seed in range(2000)
        for check in draw(list(range(10)), 3, [(i, None) for i in range(100, 104)], 2, seed)
    )
    assert set(counts) == set(range(10))
    assert all(510 <= count <= 690 for count in counts.values()), counts


@pytest.mark.parametrize(
    "size, count, ratio, expected",
    [
        (49, 10, None, 10),
        (49, 100, None, 49),
        (49, None, 20, 10),
        (49, None, 1, 1),
        (0, None, 50, 0),
        # the round stores its share as a Decimal (抽取比例 25.00 %)
        (49, None, D("25.00"), 12),
        (10, None, D("25.00"), 3),
        (7, None, D("12.50"), 1),
    ],
)
def test_sample_size_from_a_count_or_a_ratio(size, count, ratio, expected):
    # 20 % of 49 = 9.8 → 10; 1 % of 49 = 0.49 → at least 1; 25 % of 49 = 12.25 → 12;
    # 25 % of 10 = 2.5 → 3 (half-up); 12.5 % of 7 = 0.875 → 1
    assert sample_size_for(size, count=count, ratio_percent=ratio) == expected
