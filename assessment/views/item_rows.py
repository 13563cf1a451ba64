"""The rows of a scored checklist as pages and documents show them: a spot check's or a
self-assessment's, and the unit's self-assessed entry beside the inspector's."""

from assessment.scoring import score_check
from assessment.services.spot_checks import score_inputs


def item_rows(items, entries, score, evidence=()):
    """One dict per checklist item for the pages and the PDFs: the item, its entry, its
    points (None: not scored or N/A), its counted faults and its evidence files."""
    by_item = {}
    for file in evidence:
        by_item.setdefault(file.item_id, []).append(file)
    return [
        {
            "item": item,
            "entry": entries[item.pk],
            "points": points,
            "rules": [
                (rule, entries[item.pk]["counts"].get(rule.pk, 0)) for rule in item.rules.all()
            ],
            "evidence": by_item.get(item.pk, []),
        }
        for item, points in zip(items, score.item_points, strict=True)
    ]


def self_comparison(items, inspected_entries, inspected_score, self_assessment, entries):
    """{item id: the unit's self-assessed row (as `item_rows` makes it) to show beside the
    inspector's}, each marked `differs` when the inspector has entered the item and the two
    disagree: points, not applicable, or a failed veto."""
    self_score = score_check(score_inputs(items, entries))
    rows = item_rows(items, entries, self_score, self_assessment.evidence.all())
    compared = {}
    for row, theirs in zip(rows, inspected_score.item_points, strict=True):
        mine, inspected = row["entry"], inspected_entries[row["item"].pk]
        entered = theirs is not None or inspected["not_applicable"]
        row["differs"] = entered and (
            mine["not_applicable"] != inspected["not_applicable"]
            or mine["veto_failed"] != inspected["veto_failed"]
            or row["points"] != theirs
        )
        compared[row["item"].pk] = row
    return compared
