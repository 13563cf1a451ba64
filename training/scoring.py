"""The training component of the year-end score, as shared/DESIGN.md defines it. Pure: no ORM.

For each of the year's trainings that require the unit: min(attended ÷ seats required, 1) × 100;
the component is the mean of those values, Decimal, half-up to 2 places. A unit that no
training required has no component (None). Only attendees present on every day count.
"""

import math
from fractions import Fraction

from core.decimals import round_ratio


def training_rate(attended, seats):
    """Exact per-training rate in percent, capped at 100."""
    return min(Fraction(attended, seats), 1) * 100


def training_component(requirements):
    """`requirements`: (attended, seats) for each training that required the unit, or
    (attended, seats, trainings) for that many trainings alike.

    Exact: Σ min(attended, seats) ÷ seats is summed per distinct seat count in integers, so a
    unit with a hundred required trainings costs a few fractions, not a hundred."""
    capped_by_seats = {}
    count = 0
    for attended, seats, *alike in requirements:
        times = alike[0] if alike else 1
        capped_by_seats[seats] = capped_by_seats.get(seats, 0) + min(attended, seats) * times
        count += times
    if not count:
        return None
    # Σ capped ÷ seats over a common denominator, in integers
    common = math.lcm(*capped_by_seats)
    total = sum(capped * (common // seats) for seats, capped in capped_by_seats.items())
    return round_ratio(total * 100, common * count)
