"""Builders for assessment tests: a small 40-point checklist and checks of unit A."""

from datetime import date, datetime, time
from decimal import Decimal as D

import pytest
from django.utils import timezone

from assessment.models import SpotCheck
from assessment.services.checklists import build_checklist
from assessment.services.spot_checks import (
    checklist_items,
    confirm_spot_check,
    save_scores,
    submit_spot_check,
)
from tests.conftest import make_user
from units.roles import Role

# the day `confirmed_check` is confirmed; tests raise its rectifications that day
CONFIRMED_ON = date(2026, 9, 29)

SMALL_CHECKLIST = [
    (
        "一、保密审查",
        [
            {"text": "保密审查制度", "max_points": D("10"), "guidance": "查制度文件"},
            {"text": "信息发布及时", "max_points": D("10"), "rules": [("发布不及时", D("2"))]},
        ],
    ),
    (
        "二、依申请公开",
        [
            {"text": "按期答复", "max_points": D("20"), "allows_na": True},
            {"text": "发生泄密事件", "max_points": D("0"), "is_veto": True},
        ],
    ),
]


def make_checklist(actor, name="测试检查表", year=2026):
    return build_checklist(name=name, year=year, sections=SMALL_CHECKLIST, actor=actor)


def items_by_text(checklist):
    return {item.text: item for item in checklist_items(checklist)}


@pytest.fixture
def inspector_b(db):
    """A second inspector, so that checks can have two."""
    return make_user("inspector_b", role=Role.INSPECTOR, first_name="检查员乙")


@pytest.fixture
def confirmer(db):
    """An inspector who scores none of the tests' checks, so may confirm (复核) them."""
    return make_user("confirmer", role=Role.INSPECTOR, first_name="复核员")


@pytest.fixture
def checklist(personas):
    return make_checklist(personas["inspector"])


@pytest.fixture
def spot_check(personas, unit_a, checklist, inspector_b):
    check = SpotCheck.objects.create(unit=unit_a, checklist=checklist, date=date(2026, 9, 20))
    check.inspectors.set([personas["inspector"], inspector_b])
    return check


def entries_for(checklist, values=None):
    """Entries keyed by item id, as save_scores takes them, from {item text: changes}."""
    items = items_by_text(checklist)
    entries = {
        item.pk: {
            "points": None,
            "not_applicable": False,
            "veto_failed": False,
            "finding": "",
            "counts": {},
        }
        for item in items.values()
    }
    for text, changes in (values or {}).items():
        entries[items[text].pk].update(changes)
    return entries


def rule_of(checklist, item_text):
    return items_by_text(checklist)[item_text].rules.get()


def no_faults(checklist):
    """The rule-scored item entered with 0 occurrences: its maximum (a blank one is unscored)."""
    return {"counts": {rule_of(checklist, "信息发布及时").pk: 0}}


@pytest.fixture
def confirmed_check(spot_check, personas, settings, tmp_path, working_day_calendar):
    settings.MEDIA_ROOT = tmp_path
    inspector = personas["inspector"]
    entries = entries_for(
        spot_check.checklist,
        {
            "保密审查制度": {"points": D("5")},
            "信息发布及时": no_faults(spot_check.checklist),
            "按期答复": {"points": D("20")},
        },
    )
    save_scores(spot_check, version=0, entries=entries, summary="", actor=inspector)
    submit_spot_check(spot_check, actor=inspector)
    confirm_spot_check(spot_check, actor=personas["leader"])
    # confirmed on Tue 2026-09-29, just before the National Day holiday
    SpotCheck.objects.filter(pk=spot_check.pk).update(
        confirmed_at=timezone.make_aware(datetime.combine(CONFIRMED_ON, time(10)))
    )
    spot_check.refresh_from_db()
    return spot_check
