"""A check's page prints each item's points as its feedback sheet does, and the sheet lists
the faults counted on an item as the page does (tester's findings 4 and 5)."""

import io
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessment.services.spot_checks import save_scores
from tests.assessment.conftest import entries_for, items_by_text, rule_of


def score_with_faults(spot_check, inspector, finding=""):
    """信息发布及时 (10 points, 发布不及时 −2 each) with 6 faults: 10 − 6 × 2 < 0 → 0.00; the veto
    item 发生泄密事件 not triggered."""
    checklist = spot_check.checklist
    entries = entries_for(
        checklist,
        {
            "保密审查制度": {"points": D("5")},
            "信息发布及时": {
                "counts": {rule_of(checklist, "信息发布及时").pk: 6},
                "finding": finding,
            },
            "按期答复": {"points": D("20")},
        },
    )
    save_scores(spot_check, version=0, entries=entries, summary="", actor=inspector)


def page_points(client, spot_check):
    """{item text: its points cell as read}, from the check's page."""
    content = client.get(spot_check.get_absolute_url()).content.decode()
    cells = {}
    for text, item in items_by_text(spot_check.checklist).items():
        cell = re.search(rf'data-testid="points-{item.pk}">(.*?)</td>', content, re.S)[1]
        cells[text] = " ".join(re.sub(r"<[^>]*>", " ", cell).split())
    return cells


def feedback_text(client, spot_check):
    response = client.get(reverse("assessment:feedback", args=[spot_check.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    return "".join(page.extract_text() for page in reader.pages)


def test_the_page_prints_points_as_the_feedback_sheet_does(client_for, spot_check, personas):
    score_with_faults(spot_check, personas["inspector"])
    client = client_for("leader")
    assert page_points(client, spot_check) == {
        "保密审查制度": "5.00",
        "信息发布及时": "0.00 发布不及时 ×6",
        "按期答复": "20.00",
        "发生泄密事件": "未触发",
    }
    # the same words on the sheet, a cell a line: item, max, points
    text = feedback_text(client, spot_check)
    assert "保密审查制度\n10.00\n5.00\n" in text
    assert "信息发布及时\n10.00\n0.00\n" in text
    assert "发生泄密事件\n否决项\n未触发\n" in text


@pytest.mark.parametrize(
    "finding, expected",
    [
        ("", "发布不及时 ×6"),
        ("三条信息超期发布", "三条信息超期发布\n发布不及时 ×6"),
    ],
)
def test_the_feedback_sheet_lists_the_counted_faults_after_the_finding(
    client_for, spot_check, personas, finding, expected
):
    score_with_faults(spot_check, personas["inspector"], finding)
    text = feedback_text(client_for("leader"), spot_check)
    row = text[text.index("信息发布及时") : text.index("按期答复")]
    assert row == f"信息发布及时\n10.00\n0.00\n{expected}\n"
