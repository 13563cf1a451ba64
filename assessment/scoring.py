"""Scoring as shared/DESIGN.md defines it: spot checks, then the year-end assessment.
Pure: Decimal in, Decimal out, no ORM.

An item is scored either directly (0…max) or by its deduction rules: max − Σ count × points per
occurrence, floored at 0 (扣完为止). Either way an item nobody has entered yet is unscored: a
rule-scored item whose counts are all blank is not full marks (an entered 0 is).
Items marked 不适用 leave both sides of the percentage.
Percentage = Σ points / Σ max × 100 over applicable items, half-up to 2 places. A failed veto
item (单项否决) makes the percentage 0 whatever the other items say, and flags the check.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal, Inexact, Rounded
from fractions import Fraction

from core.decimals import round_ratio, round_score

ZERO = Decimal("0")
EXACT = Context(prec=60, traps=[Inexact, Rounded])


class ScoringError(ValueError):
    pass


@dataclass(frozen=True)
class ItemInput:
    max_points: Decimal
    points: Decimal | None = None  # direct scoring; None = not scored yet
    # (points per occurrence, count) for rule-scored items; a count of None was left blank
    deductions: tuple = ()
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


def item_points(item: ItemInput) -> Decimal | None:
    """Points of one applicable item, or None when it has no score yet: a direct item without
    points, or a rule-scored item whose counts are all blank (blank counts beside an entered
    one are 0)."""
    if item.uses_rules:
        if all(count is None for _per, count in item.deductions):
            return None
        lost = sum((Decimal(per) * (count or 0) for per, count in item.deductions), ZERO)
        return max(ZERO, item.max_points - lost)
    if item.points is None:
        return ZERO if item.max_points == ZERO else None  # a pure pass/fail item needs no score
    if not ZERO <= item.points <= item.max_points:
        raise ScoringError(f"points {item.points} outside 0…{item.max_points}")
    return item.points


def score_check(items: Iterable[ItemInput]) -> CheckScore:
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


def spot_check_component(percentages: Sequence[Decimal]) -> Decimal | None:
    """A unit's spot-check component: the mean of its confirmed checks' percentages."""
    if not percentages:
        return None
    return round_ratio(sum(percentages, ZERO), len(percentages))


# ----------------------------------------------------------------------------------------------
# Year-end assessment (DESIGN.md "Components", "Adjustments", "Ranking", "Grades").
# ----------------------------------------------------------------------------------------------

EXCELLENT, GOOD, PASS, FAIL = "excellent", "good", "pass", "fail"


@dataclass(frozen=True)
class Rules:
    weights: dict  # component key ("spot_checks", "training", "indicator:<id>") → Decimal weight
    bonus_cap: Decimal
    band_excellent: Decimal
    band_good: Decimal
    band_pass: Decimal
    excellent_quota: Decimal  # percent of a category's assessed units
    missing_as_zero: bool = False


@dataclass(frozen=True)
class UnitInput:
    unit_id: int
    category: object
    sort_order: int
    components: dict  # component key → Decimal, or None when the unit lacks it
    bonuses: tuple = ()
    deductions: tuple = ()
    vetoed: bool = False


@dataclass
class UnitResult:
    unit_id: int
    category: object
    sort_order: int
    components: dict
    used: dict  # component key → (weight, value used): what the weighted score was made of
    weighted: Decimal | None
    bonus_raw: Decimal
    bonus: Decimal
    deduction: Decimal
    final: Decimal | None
    vetoed: bool
    category_rank: int | None = None
    overall_rank: int | None = None
    grade: str | None = None

    @property
    def assessed(self) -> bool:
        return self.final is not None


@dataclass
class CategoryOutcome:
    category: object
    results: list  # in display order
    quota: int
    quota_exceeded: bool = False
    boundary_rank: int | None = None


@dataclass
class Assessment:
    by_unit: dict
    categories: dict  # category → CategoryOutcome
    overall: list  # every assessed result in overall display order, then the unassessed


def weighted_score(
    components: dict[str, Decimal | None],
    weights: dict[str, Decimal],
    missing_as_zero: bool = False,
) -> tuple[Decimal | None, dict[str, tuple[Decimal, Decimal]]]:
    """Σ wᵢ·cᵢ / Σ wᵢ over the components the unit has (or all, a missing one as 0)."""
    used = {}
    for key, weight in weights.items():
        value = components.get(key)
        if value is None:
            if missing_as_zero:
                used[key] = (weight, ZERO)
            continue
        used[key] = (weight, value)
    total_weight = sum((weight for weight, _value in used.values()), ZERO)
    if not used or not total_weight:
        return None, {}
    # products and sums of 2-place scores are exact in Decimal (EXACT raises if one were not);
    # the division is exact in round_ratio
    total = ZERO
    for weight, value in used.values():
        total = EXACT.add(total, EXACT.multiply(weight, value))
    return round_ratio(total, total_weight), used


def final_score(
    weighted: Decimal, bonuses: Iterable[Decimal], deductions: Iterable[Decimal], cap: Decimal
) -> tuple[Decimal, Decimal]:
    """max(0, weighted + min(Σ bonus, cap) − Σ deductions), and the capped bonus."""
    bonus = min(sum(bonuses, ZERO), cap)
    return max(ZERO, weighted + bonus - sum(deductions, ZERO)), bonus


def grade_band(final: Decimal, rules: Rules) -> str:
    if final >= rules.band_excellent:
        return EXCELLENT
    if final >= rules.band_good:
        return GOOD
    if final >= rules.band_pass:
        return PASS
    return FAIL


def _display_key(result: UnitResult) -> tuple:
    """Vetoed last; final descending; ties shown by spot checks, training, then sort order."""
    spot = result.components.get("spot_checks")
    training = result.components.get("training")
    return (
        result.vetoed,
        -result.final,
        -(spot if spot is not None else Decimal(-1)),
        -(training if training is not None else Decimal(-1)),
        result.sort_order,
    )


def rank(results: Iterable[UnitResult], attribute: str) -> list[UnitResult]:
    """Standard competition ranking (1, 2, 2, 4) in display order; returns that order."""
    ordered = sorted(results, key=_display_key)
    previous = None
    for position, result in enumerate(ordered, start=1):
        tied = previous is not None and (previous.vetoed, previous.final) == (
            result.vetoed,
            result.final,
        )
        setattr(result, attribute, getattr(previous, attribute) if tied else position)
        previous = result
    return ordered


def excellent_quota(assessed_count: int, quota_percent: Decimal) -> int:
    if not quota_percent:
        return 0
    return max(1, int(assessed_count * quota_percent / 100))


def grade_category(ordered: list[UnitResult], rules: Rules, category: object) -> CategoryOutcome:
    """Grades by band; 优秀 limited to the quota in rank order, except that a tie across the
    boundary keeps 优秀 for every tied unit (and says so)."""
    for result in ordered:
        result.grade = FAIL if result.vetoed else grade_band(result.final, rules)
    outcome = CategoryOutcome(
        category, ordered, quota=excellent_quota(len(ordered), rules.excellent_quota)
    )
    candidates = [result for result in ordered if result.grade == EXCELLENT]
    if len(candidates) <= outcome.quota:
        return outcome
    boundary = candidates[outcome.quota - 1].category_rank if outcome.quota else 0
    kept = [result for result in candidates if result.category_rank <= boundary]
    for result in candidates:
        if result not in kept:
            result.grade = GOOD
    if len(kept) > outcome.quota:
        outcome.quota_exceeded = True
        outcome.boundary_rank = boundary
    return outcome


def assess(units: Iterable[UnitInput], rules: Rules) -> Assessment:
    """Everything DESIGN.md asks of the year-end computation, over plain values."""
    by_unit = {}
    for unit in units:
        weighted, used = weighted_score(unit.components, rules.weights, rules.missing_as_zero)
        if weighted is None:
            final, bonus = None, ZERO
        else:
            final, bonus = final_score(weighted, unit.bonuses, unit.deductions, rules.bonus_cap)
        by_unit[unit.unit_id] = UnitResult(
            unit_id=unit.unit_id,
            category=unit.category,
            sort_order=unit.sort_order,
            components=dict(unit.components),
            used=used,
            weighted=weighted,
            bonus_raw=sum(unit.bonuses, ZERO),
            bonus=bonus,
            deduction=sum(unit.deductions, ZERO),
            final=final,
            vetoed=unit.vetoed,
        )
    assessed = [result for result in by_unit.values() if result.assessed]
    categories = {}
    for category in dict.fromkeys(result.category for result in by_unit.values()):
        members = [result for result in assessed if result.category == category]
        ordered = rank(members, "category_rank")
        categories[category] = grade_category(ordered, rules, category)
    overall = rank(assessed, "overall_rank")
    unassessed = sorted(
        (result for result in by_unit.values() if not result.assessed), key=lambda r: r.sort_order
    )
    return Assessment(by_unit=by_unit, categories=categories, overall=overall + unassessed)
