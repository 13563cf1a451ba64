"""Half-up rounding to 2 places, exactly."""

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.decimals import round_ratio, round_score


@pytest.mark.parametrize(
    "numerator, denominator, expected",
    [
        (1, 3, "0.33"),
        (2, 3, "0.67"),
        (1, 8, "0.13"),  # 0.125: half-up, not to even
        (Decimal("87.125"), 1, "87.13"),
        (Decimal("2625.5"), 30, "87.52"),  # 87.51666…
        (-1, 8, "-0.13"),
        (5, -8, "-0.63"),
        (0, 7, "0.00"),
        (100, 1, "100.00"),
    ],
)
def test_round_ratio(numerator, denominator, expected):
    assert str(round_ratio(numerator, denominator)) == expected


scores = st.decimals(min_value=-(10**6), max_value=10**6, places=4, allow_nan=False)
divisors = st.decimals(min_value=Decimal("0.01"), max_value=10**4, places=2).filter(bool)


@given(scores, divisors)
def test_round_ratio_is_the_exact_quotient_rounded_half_up(numerator, denominator):
    with localcontext(prec=100):
        exact = (numerator / denominator).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert round_ratio(numerator, denominator) == exact
    assert round_score(Fraction(numerator) / Fraction(denominator)) == exact
