"""Gather a year's inputs in a fixed number of queries and run the pure year-end computation;
or, for a published year, read the stored snapshot. Pages, exports, the PDF and publishing all
get their numbers from `year_results`."""

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import NamedTuple

from assessment.models import Adjustment, Indicator, IndicatorValue, PublishedResult, Scheme
from assessment.scoring import CategoryOutcome, Rules, UnitInput, UnitResult, assess
from assessment.stats import unit_self_assessment_components, unit_spot_check_components
from core import derived
from training.stats import (
    held_training_count,
    kept_while_unchanged,
    unit_training_components,
)
from units.models import Unit, UnitCategory

SPOT_CHECKS, TRAINING = "spot_checks", "training"
SELF_ASSESSMENT = "self_assessment"
DRAFT_TOPICS = (derived.TRAINING, derived.SPOT_CHECKS, derived.ASSESSMENT)


def indicator_key(indicator: Indicator) -> str:
    return f"indicator:{indicator.pk}"


@dataclass
class YearResults:
    key: str  # the cache key: figures derived from these results are cached under it too
    scheme: Scheme
    indicators: list
    units: dict  # unit id → UnitInfo (with its CategoryInfo)
    results: dict  # unit id → UnitResult
    categories: dict  # category id → CategoryOutcome
    overall: list  # UnitResult in overall order
    published: bool

    def labels(self) -> dict[str, str]:
        return component_labels(self.indicators)


def component_labels(indicators: Iterable[Indicator]) -> dict[str, str]:
    """Component key → label, in the scheme's order."""
    from django.utils.translation import gettext as _

    labels = {
        SPOT_CHECKS: _("Spot checks"),
        TRAINING: _("Training"),
        SELF_ASSESSMENT: _("Self-assessment"),
    }
    labels.update({indicator_key(i): i.name for i in indicators})
    return labels


def unit_result(scheme: Scheme, unit_id: int) -> tuple["UnitInfo", UnitResult] | None:
    """One unit as the year's results name it (a published year: as when it was published)
    and its result; None when the year does not assess the unit."""

    def compute():
        year = year_results(scheme)
        result = year.results.get(unit_id)
        return None if result is None else (year.units[unit_id], result)

    return cached_for_year(scheme, f"unit-result:{unit_id}", compute)


def rules_for(scheme: Scheme, indicators: Iterable[Indicator]) -> Rules:
    weights = {SPOT_CHECKS: scheme.weight_spot_checks, TRAINING: scheme.weight_training}
    weights.update({indicator_key(i): i.weight for i in indicators})
    if scheme.weight_self_assessment:  # weight 0 (the default): not a component of the score
        weights[SELF_ASSESSMENT] = scheme.weight_self_assessment
    return Rules(
        weights=weights,
        bonus_cap=scheme.bonus_cap,
        band_excellent=scheme.band_excellent,
        band_good=scheme.band_good,
        band_pass=scheme.band_pass,
        excellent_quota=scheme.excellent_quota,
        missing_as_zero=scheme.missing_policy == Scheme.MissingPolicy.ZERO,
    )


def gather_inputs(
    scheme: Scheme, indicators: list[Indicator], units: list["UnitInfo"]
) -> list[UnitInput]:
    """The pure computation's inputs, in 8 queries for any number of units (6 when both
    costly components are cached)."""
    year = scheme.year.year
    # the two costly components are kept across writes that cannot change them (a new
    # indicator value does not change anyone's training component)
    spot = derived.cached(
        f"spot-check-components:{year}",
        lambda: unit_spot_check_components(year),
        [derived.SPOT_CHECKS],
    )
    unit_ids = [unit.pk for unit in units]
    training = kept_while_unchanged(
        "training-components", year, lambda: unit_training_components(year, unit_ids=unit_ids)
    )
    # submitted self-assessments: shown beside the result and read by the 自评失实 rule even
    # when their weight is 0 (a component without weight changes no score)
    self_assessed = unit_self_assessment_components(year)
    values = {}
    for indicator_id, unit_id, value in IndicatorValue.objects.filter(
        indicator__scheme=scheme
    ).values_list("indicator_id", "unit_id", "value"):
        values[(indicator_id, unit_id)] = value
    bonuses, deductions, vetoed = {}, {}, set()
    for unit_id, kind, points in Adjustment.objects.filter(scheme=scheme).values_list(
        "unit_id", "kind", "points"
    ):
        if kind == Adjustment.Kind.BONUS:
            bonuses.setdefault(unit_id, []).append(points)
        elif kind == Adjustment.Kind.DEDUCTION:
            deductions.setdefault(unit_id, []).append(points)
        else:
            vetoed.add(unit_id)
    return [
        UnitInput(
            unit_id=unit.pk,
            category=unit.category_id,
            sort_order=(unit.category.sort_order, unit.sort_order),
            components={
                SPOT_CHECKS: spot.get(unit.pk),
                TRAINING: training.get(unit.pk),
                SELF_ASSESSMENT: self_assessed.get(unit.pk),
                **{indicator_key(i): values.get((i.pk, unit.pk)) for i in indicators},
            },
            bonuses=tuple(bonuses.get(unit.pk, ())),
            deductions=tuple(deductions.get(unit.pk, ())),
            vetoed=unit.pk in vetoed,
        )
        for unit in units
    ]


def _results_name(scheme: Scheme) -> tuple[str, tuple[str, ...]]:
    """The cache name of the year's results and the topics they are derived from. A draft
    year's name also counts the trainings held so far: a training that starts counts against
    the units it required without anything being written. A published year's record (names
    included) changes only when it is published again or re-opened, so it is kept across
    every other write."""
    if scheme.is_published:
        return f"year-results:{scheme.pk}:published", (derived.PUBLISHED,)
    return f"year-results:{scheme.pk}:held-{held_training_count(scheme.year.year)}", DRAFT_TOPICS


def year_results(scheme: Scheme) -> YearResults:
    """The year's results, cached under the generations of their inputs (core/derived.py),
    so never older than the committed data."""
    name, topics = _results_name(scheme)
    return derived.cached(name, lambda: _compute(scheme, name), topics)


def cached_for_year(scheme: Scheme, name: str, compute, topics: Iterable[str] = ()):
    """`compute()` (a part of, or a figure from, the year's results), cached on its own under
    the name and generations of the year's results (and any other `topics` it reads): a page
    that shows a part of the year reads that part only. At 2,000 units, reading the whole
    year's results back from the cache (50,000 Decimals) took longer than the rest of the
    ranking page."""
    results_name, results_topics = _results_name(scheme)
    return derived.cached(
        f"{name}:{results_name}", compute, tuple(dict.fromkeys((*results_topics, *topics)))
    )


class CategoryInfo(NamedTuple):
    """What the results show of a category (plain values: cheap to cache and copy)."""

    pk: int
    name: str
    sort_order: int

    def __str__(self) -> str:
        return self.name


class UnitInfo(NamedTuple):
    """What the results show of a unit. Plain values rather than model instances: at 2,000
    units, building, pickling and unpickling Unit instances was most of the time a cached
    ranking took."""

    pk: int
    name: str
    sort_order: int
    category_id: int
    category: CategoryInfo

    def __str__(self) -> str:
        return self.name


def _categories() -> dict[int, CategoryInfo]:
    return {
        pk: CategoryInfo(pk, name, sort_order)
        for pk, name, sort_order in UnitCategory.objects.values_list("pk", "name", "sort_order")
    }


def published_units(scheme: Scheme) -> list[UnitInfo]:
    """The units of the scheme's published record, named as it names them."""
    categories = _categories()
    return [
        _published_unit(row, categories)
        for row in scheme.results.select_related("unit").order_by("unit__sort_order", "unit_id")
    ]


def _year_units(scheme: Scheme) -> list[UnitInfo]:
    """The units a draft year ranks: those it ranked when it was published, as it named them,
    for a year re-opened (a unit disabled, renamed or moved since keeps its place in the
    year's record); today's active units for a year never published."""
    if not scheme.roster:
        return _active_units()
    return [
        UnitInfo(**(unit | {"category": CategoryInfo(**unit["category"])}))
        for unit in scheme.roster
    ]


def _active_units() -> list[UnitInfo]:
    """Active units, each with its category: one CategoryInfo per category, shared."""
    categories = _categories()
    return [
        UnitInfo(pk, name, sort_order, category_id, categories[category_id])
        for pk, name, sort_order, category_id in Unit.objects.active().values_list(
            "pk", "name", "sort_order", "category_id"
        )
    ]


def _compute(scheme: Scheme, key: str = "") -> YearResults:
    indicators = list(scheme.indicators.all())
    if scheme.is_published:
        return _from_snapshot(scheme, indicators, key)
    units = _year_units(scheme)
    outcome = assess(gather_inputs(scheme, indicators, units), rules_for(scheme, indicators))
    return YearResults(
        key=key,
        scheme=scheme,
        indicators=indicators,
        units={unit.pk: unit for unit in units},
        results=outcome.by_unit,
        categories=outcome.categories,
        overall=outcome.overall,
        published=False,
    )


# The snapshot: each unit's UnitResult as JSON (Decimals as text) plus its category's quota.


def _encode(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def snapshot_rows(results: YearResults) -> list[PublishedResult]:
    """PublishedResult rows keeping each unit's whole result and its display positions."""
    overall_position = {result.unit_id: index for index, result in enumerate(results.overall)}
    category_info = {}
    for category, outcome in results.categories.items():
        for index, result in enumerate(outcome.results):
            category_info[result.unit_id] = {
                "category": category,
                "position": index,
                "quota": outcome.quota,
                "exceeded": outcome.quota_exceeded,
                "boundary": outcome.boundary_rank,
            }
    return [
        PublishedResult(
            scheme=results.scheme,
            unit_id=result.unit_id,
            category_rank=result.category_rank,
            overall_rank=result.overall_rank,
            final=result.final,
            grade=result.grade or "",
            vetoed=result.vetoed,
            data={
                "result": _encode(asdict(result)),
                "position": overall_position[result.unit_id],
                "category": category_info.get(result.unit_id),
                # the record names units and categories as they were named when published
                "unit": results.units[result.unit_id]._asdict()
                | {"category": results.units[result.unit_id].category._asdict()},
            },
        )
        for result in results.results.values()
    ]


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _decode(data: dict) -> UnitResult:
    result = UnitResult(**data)
    result.components = {k: _decimal(v) for k, v in result.components.items()}
    result.used = {k: (Decimal(w), Decimal(v)) for k, (w, v) in result.used.items()}
    for field in ("weighted", "bonus_raw", "bonus", "deduction", "final"):
        setattr(result, field, _decimal(getattr(result, field)))
    result.sort_order = tuple(result.sort_order)
    return result


def _published_unit(row: PublishedResult, categories: dict[int, CategoryInfo]) -> UnitInfo:
    """The unit as named when the year was published (records published before the names
    were kept show the unit's current name)."""
    kept = row.data.get("unit")
    if kept is None:
        return UnitInfo(
            row.unit_id,
            row.unit.name,
            row.unit.sort_order,
            row.unit.category_id,
            categories[row.unit.category_id],
        )
    return UnitInfo(**(kept | {"category": CategoryInfo(**kept["category"])}))


def _from_snapshot(scheme: Scheme, indicators: list[Indicator], key: str) -> YearResults:
    rows = list(scheme.results.select_related("unit"))
    category_info = _categories()
    results, categories, positions = {}, {}, {}
    for row in rows:
        result = _decode(row.data["result"])
        results[row.unit_id] = result
        positions[row.unit_id] = row.data["position"]
        info = row.data["category"]
        if info is not None:
            outcome = categories.setdefault(
                info["category"],
                CategoryOutcome(
                    info["category"],
                    [],
                    quota=info["quota"],
                    quota_exceeded=info["exceeded"],
                    boundary_rank=info["boundary"],
                ),
            )
            outcome.results.append((info["position"], result))
    for outcome in categories.values():
        outcome.results = [result for _position, result in sorted(outcome.results)]
    return YearResults(
        key=key,
        scheme=scheme,
        indicators=indicators,
        units={row.unit_id: _published_unit(row, category_info) for row in rows},
        results=results,
        categories=categories,
        overall=sorted(results.values(), key=lambda result: positions[result.unit_id]),
        published=True,
    )
