"""The rows of a scored checklist as pages and documents show them: a spot check's or a
self-assessment's, and the unit's self-assessed entry beside the inspector's."""

from django.utils.translation import gettext as _

from assessment.scoring import score_check
from assessment.services.spot_checks import score_inputs
from core.decimals import round_score


def shown_points(item, entry, points):
    """(max, points) as a check's page and its feedback sheet both print them: a veto item
    says whether it was triggered, and a veto item that also carries points shows them too
    (they count in the sum); scores always to 2 places."""
    triggered = _("Failed (veto)") if entry["veto_failed"] else _("Not triggered")
    if item.is_veto and not item.max_points:
        return _("Veto item"), triggered
    maximum = str(round_score(item.max_points))
    if entry["not_applicable"]:
        return maximum, _("N/A")
    shown = "—" if points is None else str(round_score(points))
    return maximum, f"{shown} · {triggered}" if item.is_veto else shown


def _row(item, entry, points, files):
    rules = [(rule, entry["counts"].get(rule.pk, 0)) for rule in item.rules.all()]
    max_text, points_text = shown_points(item, entry, points)
    return {
        "item": item,
        "entry": entry,
        "points": points,
        "max_text": max_text,
        "points_text": points_text,
        "rules": rules,
        # the counted faults as both the page and the feedback sheet write them
        "faults": [f"{rule.fault} ×{count}" for rule, count in rules if count],
        "evidence": files,
    }


def item_rows(items, entries, score, evidence=()):
    """One dict per checklist item for the pages and the PDFs: the item, its entry, its
    points (None: not scored or N/A) and their printed form, its counted faults and its
    evidence files."""
    by_item = {}
    for file in evidence:
        by_item.setdefault(file.item_id, []).append(file)
    return [
        _row(item, entries[item.pk], points, by_item.get(item.pk, []))
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


def unscored_items(items, entries, score):
    """Ids of the applicable items without a score yet, which a submit refuses: the form marks
    them (trial 7: '10 items have no score yet' on a 4,000-pixel page said not which)."""
    return {
        item.pk
        for item, points in zip(items, score.item_points, strict=True)
        if points is None and not entries[item.pk]["not_applicable"]
    }
