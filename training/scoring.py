"""The training component of the year-end score, as shared/DESIGN.md defines it. Pure: no ORM.

For each of the year's trainings that require the unit: min(attended ÷ seats required, 1) × 100;
the component is the mean of those values, Decimal, half-up to 2 places. A unit that no
training required has no component (None). Only attendees present on every day count.
"""

from fractions import Fraction

from core.decimals import round_score


def training_rate(attended, seats):
    """Exact per-training rate in percent, capped at 100."""
    return min(Fraction(attended, seats), 1) * 100


def training_component(requirements):
    """`requirements`: (attended, seats) for each training that required the unit."""
    rates = [training_rate(attended, seats) for attended, seats in requirements]
    if not rates:
        return None
    return round_score(sum(rates) / len(rates))
