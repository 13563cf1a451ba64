"""Scores and money: Decimal, rounded half-up (四舍五入) to 2 places, never float."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

TWO_PLACES = Decimal("0.01")


def round_score(value):
    """Round an exact value (int, Decimal or Fraction) half-up to 2 places."""
    if isinstance(value, Fraction):
        return round_ratio(value.numerator, value.denominator)
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def round_ratio(numerator, denominator):
    """numerator ÷ denominator (ints or Decimals) exactly, rounded half-up to 2 places: in
    integers, with no Fraction built (the year-end computation does this for every unit)."""
    top, top_scale = Decimal(numerator).as_integer_ratio()
    bottom, bottom_scale = Decimal(denominator).as_integer_ratio()
    top, bottom = top * bottom_scale * 100, bottom * top_scale
    if bottom < 0:
        top, bottom = -top, -bottom
    hundredths, remainder = divmod(abs(top), bottom)
    if 2 * remainder >= bottom:
        hundredths += 1
    return Decimal(-hundredths if top < 0 else hundredths).scaleb(-2)
