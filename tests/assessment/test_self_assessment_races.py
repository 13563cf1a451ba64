"""自查自评 under two requests at once (PostgreSQL: real row locks). The unit's row lock makes
the second decision on a 自评失实 proposal wait and then see the first; the self-assessment's
row lock does the same for two submissions."""

from decimal import Decimal as D

import pytest

from assessment.models import Adjustment, DismissedOverstatement, SelfAssessment
from assessment.services.self_assessment import (
    accept_overstatement,
    dismiss_overstatement,
    submit_self_assessment,
)
from tests.assessment.test_self_assessment import (  # noqa: F401 (fixtures)
    campaign,
    fill,
    full_marks,
    year_end,
)
from tests.concurrency import exactly_one_wins, postgresql_only, race

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def proposed(year_end):  # noqa: F811
    year_end.overstatement_margin = D("10")
    year_end.save()
    return year_end


def test_two_accepts_of_one_overstatement(proposed, personas, unit_a, inspector_b):
    outcomes = race(
        lambda: accept_overstatement(proposed, unit_a, points=D(2), actor=personas["inspector"]),
        lambda: accept_overstatement(proposed, unit_a, points=D(3), actor=inspector_b),
    )
    exactly_one_wins(outcomes, "decided")
    assert Adjustment.objects.filter(overstatement=True).count() == 1


def test_accept_against_dismiss_of_one_overstatement(proposed, personas, unit_a, inspector_b):
    outcomes = race(
        lambda: accept_overstatement(proposed, unit_a, points=D(2), actor=personas["inspector"]),
        lambda: dismiss_overstatement(proposed, unit_a, reason="情有可原", actor=inspector_b),
    )
    exactly_one_wins(outcomes, "decided")
    decided = Adjustment.objects.filter(overstatement=True).count()
    assert decided + DismissedOverstatement.objects.count() == 1


def test_two_submissions_at_once(campaign, personas, unit_a, checklist):  # noqa: F811
    sa = campaign.assessments.get(unit=unit_a)
    fill(sa, personas["liaison_a"], full_marks(checklist))
    outcomes = race(
        lambda: submit_self_assessment(
            SelfAssessment.objects.get(pk=sa.pk), actor=personas["liaison_a"]
        ),
        lambda: submit_self_assessment(
            SelfAssessment.objects.get(pk=sa.pk), actor=personas["liaison_a"]
        ),
    )
    exactly_one_wins(outcomes, "not_editable")
    assert sa.history.filter(status="submitted").count() == 1
