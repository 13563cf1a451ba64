"""Self-assessment campaigns remind the liaisons of units that have not submitted: once when
the campaign is open, once more in its last 3 days; a submitted unit hears nothing more."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from assessment.services.self_assessment import (
    create_campaign,
    save_self_assessment,
    submit_self_assessment,
)
from notifications.models import Kind
from notifications.reminders import send_reminders
from tests.assessment.conftest import entries_for, no_faults
from tests.notifications.conftest import who_got
from tests.training.conftest import at

# submitting happens on the real day, so the campaign is placed around it
TODAY = timezone.localdate()
OPENS, CLOSES = TODAY - timedelta(days=2), TODAY + timedelta(days=5)


@pytest.fixture
def campaign(personas, checklist, unit_a, unit_b, liaison_a2):
    return create_campaign(
        name="2026年自查",
        year=2026,
        checklist=checklist,
        opens_on=OPENS,
        closes_on=CLOSES,
        units=[unit_a, unit_b],
        actor=personas["inspector"],
    )


def submit(campaign, unit, liaison, checklist):
    sa = campaign.assessments.get(unit=unit)
    values = {
        "保密审查制度": {"points": D("10")},
        "信息发布及时": no_faults(checklist),
        "按期答复": {"points": D("20")},
    }
    sa = save_self_assessment(
        sa, version=sa.version, entries=entries_for(checklist, values), summary="", actor=liaison
    )
    submit_self_assessment(sa, actor=liaison)


def reminded(now):
    return [
        pair
        for pair in who_got(send_reminders(now))
        if pair[1] in (Kind.SELF_ASSESSMENT_OPEN, Kind.SELF_ASSESSMENT_CLOSING)
    ]


def test_open_then_closing_once_each_to_units_that_have_not_submitted(
    campaign, personas, unit_a, checklist
):
    open_ = Kind.SELF_ASSESSMENT_OPEN
    # before it opens: nothing
    assert reminded(at(OPENS - timedelta(days=1))) == []
    # the first day: every liaison of both units, once
    assert reminded(at(OPENS)) == [
        ("liaison_a", open_),
        ("liaison_a2", open_),
        ("liaison_b", open_),
    ]
    assert reminded(at(OPENS, 17)) == []
    assert reminded(at(TODAY)) == []
    # unit A submits; 3 days before the last day only unit B is told
    submit(campaign, unit_a, personas["liaison_a"], checklist)
    closing = send_reminders(at(CLOSES - timedelta(days=3)))
    assert who_got(closing) == [("liaison_b", Kind.SELF_ASSESSMENT_CLOSING)]
    assert closing[0].params == {"campaign": "2026年自查", "closes": CLOSES.isoformat(), "days": 3}
    assert closing[0].title == "自查自评“2026年自查”还有 3 天截止"
    assert reminded(at(CLOSES)) == []
    # closed: nothing more
    assert reminded(at(CLOSES + timedelta(days=1))) == []


def test_a_campaign_found_open_late_is_still_announced_once(campaign):
    # the reminder run did not run on the first day (cron down): the next run announces it
    assert reminded(at(TODAY)) == [
        ("liaison_a", Kind.SELF_ASSESSMENT_OPEN),
        ("liaison_a2", Kind.SELF_ASSESSMENT_OPEN),
        ("liaison_b", Kind.SELF_ASSESSMENT_OPEN),
    ]
