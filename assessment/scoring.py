"""Spot-check scoring as shared/DESIGN.md defines it. Pure: Decimal in, Decimal out, no ORM.

An item is scored either directly (0…max) or by its deduction rules: max − Σ count × points per
occurrence, floored at 0 (扣完为止). Items marked 不适用 leave both sides of the percentage.
Percentage = Σ points / Σ max × 100 over applicable items, half-up to 2 places. A failed veto
item (单项否决) makes the percentage 0 whatever the other items say, and flags the check.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from core.decimals import round_score

ZERO = Decimal("0")


class ScoringError(ValueError):
    pass


@dataclass(frozen=True)
class ItemInput:
    max_points: Decimal
    points: Decimal | None = None  # direct scoring; None = not scored yet
    deductions: tuple = ()  # (points per occurrence, count) for rule-scored items
    uses_rules: bool = False
    not_applicable: bool = False
    allows_na: bool = False
    is_veto: bool = False
    veto_failed: bool = False


@dataclass
class CheckScore:
    earned: Decimal
    possible: Decimal
    percentage: Decimal | None
    vetoed: bool
    unscored: int
    item_points: list = field(default_factory=list)


def item_points(item):
    """Points of one applicable item, or None when a directly scored item has no score yet."""
    if item.uses_rules:
        lost = sum((Decimal(per) * count for per, count in item.deductions), ZERO)
        return max(ZERO, item.max_points - lost)
    if item.points is None:
        return ZERO if item.max_points == ZERO else None  # a pure pass/fail item needs no score
    if not ZERO <= item.points <= item.max_points:
        raise ScoringError(f"points {item.points} outside 0…{item.max_points}")
    return item.points


def score_check(items):
    earned = possible = ZERO
    vetoed = False
    unscored = 0
    per_item = []
    for item in items:
        if item.not_applicable:
            if not item.allows_na:
                raise ScoringError("item may not be marked not applicable")
            per_item.append(None)
            continue
        if item.is_veto and item.veto_failed:
            vetoed = True
        points = item_points(item)
        per_item.append(points)
        possible += item.max_points
        if points is None:
            unscored += 1
        else:
            earned += points
    if vetoed:
        percentage = Decimal("0.00")
    elif possible:
        percentage = round_score(Fraction(earned) / Fraction(possible) * 100)
    else:
        percentage = None
    return CheckScore(earned, possible, percentage, vetoed, unscored, per_item)


def spot_check_component(percentages):
    """A unit's spot-check component: the mean of its confirmed checks' percentages."""
    if not percentages:
        return None
    return round_score(Fraction(sum(percentages, ZERO)) / len(percentages))
