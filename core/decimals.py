"""Scores and money: Decimal, rounded half-up (四舍五入) to 2 places, never float."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

TWO_PLACES = Decimal("0.01")


def round_score(value):
    """Round an exact value (int, Decimal or Fraction) half-up to 2 places."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
