"""Read-only figures of the assessment module, each in a fixed number of queries."""

from decimal import Decimal

from django.db.models import Avg, Count
from django.utils import timezone

from assessment.models import SelfAssessment, SpotCheck
from assessment.scoring import spot_check_component
from core.decimals import round_score


def unit_spot_check_components(year: int) -> dict[int, Decimal]:
    """{unit id: Decimal} — the mean percentage of each unit's confirmed checks dated in
    `year` (DESIGN.md, component 1). Units not checked are absent. One query."""
    percentages = {}
    # a check confirmed before submission required points has no percentage: it counts for nothing
    confirmed = SpotCheck.objects.confirmed_in_year(year).filter(percentage__isnull=False)
    for unit_id, percentage in confirmed.values_list("unit_id", "percentage"):
        percentages.setdefault(unit_id, []).append(percentage)
    return {unit_id: spot_check_component(values) for unit_id, values in percentages.items()}


def unit_self_assessment_components(year):
    """{unit id: Decimal} — the mean percentage of each unit's submitted self-assessments in
    the year's campaigns (the same mean as spot checks). Units without one are absent. One
    query."""
    percentages = {}
    submitted = SelfAssessment.objects.submitted().filter(
        campaign__year=year, percentage__isnull=False
    )
    for unit_id, percentage in submitted.values_list("unit_id", "percentage"):
        percentages.setdefault(unit_id, []).append(percentage)
    return {unit_id: spot_check_component(values) for unit_id, values in percentages.items()}


def year_figures(scheme) -> dict:
    """The figures of the year's 通报: totals of the trainings held by its publication (a
    draft: by now), confirmed checks and their average, rectifications raised."""
    year = scheme.year.year
    held_by = scheme.year.locked_at or timezone.now()
    from assessment.models import Rectification
    from training.stats import year_summary

    checks = SpotCheck.objects.confirmed_in_year(year).aggregate(
        count=Count("id"), average=Avg("percentage")
    )
    return {
        "training": year_summary(year, held_by),
        "checks": checks["count"],
        "average": None if checks["average"] is None else round_score(checks["average"]),
        "rectifications": Rectification.objects.filter(spot_check__date__year=year).count(),
    }
