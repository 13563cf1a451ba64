"""How a check's and a self-assessment's pages and sheets print an item's points."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.utils import translation

from assessment.views.item_rows import shown_points


def item(max_points, is_veto=False):
    return SimpleNamespace(max_points=D(max_points), is_veto=is_veto)


def entry(veto_failed=False, not_applicable=False):
    return {"veto_failed": veto_failed, "not_applicable": not_applicable}


@pytest.mark.parametrize(
    "the_item, the_entry, points, expected",
    [
        (item("10"), entry(), D("0"), ("10.00", "0.00")),  # floored at 0: not "0"
        (item("10"), entry(), None, ("10.00", "—")),
        (item("10"), entry(not_applicable=True), None, ("10.00", "不适用")),
        # a pure veto item: only whether it was triggered (self-assessment pages said "0")
        (item("0", is_veto=True), entry(), D("0"), ("否决项", "未触发")),
        (item("0", is_veto=True), entry(veto_failed=True), D("0"), ("否决项", "未通过（否决）")),
        # a veto item that carries points too: they count in the sum, so they are shown
        (item("10", is_veto=True), entry(), D("8"), ("10.00", "8.00 · 未触发")),
    ],
)
def test_an_items_points_as_printed(the_item, the_entry, points, expected):
    with translation.override("zh-hans"):
        assert shown_points(the_item, the_entry, points) == expected
