"""A check whose items carry no points has no percentage: it cannot be submitted, and one
confirmed before that rule (percentage NULL) never reaches the year's spot-check component.
Found by trying to break the system: such a check took the ranking and the home page down."""

from datetime import date
from decimal import Decimal as D

import pytest

from assessment.models import SpotCheck
from assessment.services import AssessmentError
from assessment.services.checklists import build_checklist
from assessment.services.spot_checks import save_scores, submit_spot_check
from assessment.stats import unit_spot_check_components
from tests.assessment.conftest import entries_for

ONLY_ZERO_POINTS = [("一、台账", [{"text": "有台账", "max_points": D("0")}])]


def test_a_check_with_nothing_that_carries_points_cannot_be_submitted(personas, unit_a):
    inspector = personas["inspector"]
    checklist = build_checklist(
        name="零分检查表", year=2026, sections=ONLY_ZERO_POINTS, actor=inspector
    )
    check = SpotCheck.objects.create(unit=unit_a, checklist=checklist, date=date(2026, 9, 20))
    check.inspectors.set([inspector])
    entries = entries_for(checklist, {"有台账": {"points": D("0")}})
    save_scores(check, version=0, entries=entries, summary="", actor=inspector)
    with pytest.raises(AssessmentError) as refused:
        submit_spot_check(check, actor=inspector)
    assert refused.value.code == "nothing_scored"
    check.refresh_from_db()
    assert (check.status, check.percentage) == (SpotCheck.Status.IN_PROGRESS, None)


def test_a_confirmed_check_without_a_percentage_counts_for_nothing(spot_check, unit_a, checklist):
    SpotCheck.objects.filter(pk=spot_check.pk).update(
        status=SpotCheck.Status.CONFIRMED, percentage=D("80.00")
    )
    empty = SpotCheck.objects.create(
        unit=unit_a,
        checklist=checklist,
        date=date(2026, 10, 8),
        status=SpotCheck.Status.CONFIRMED,
        percentage=None,
    )
    assert empty.percentage is None
    assert unit_spot_check_components(2026) == {unit_a.pk: D("80.00")}
