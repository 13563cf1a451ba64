from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessment.models import ChecklistItem, Evidence, ItemResult, OccurrenceCount, SpotCheck
from assessment.models.checklists import NOTE_MAX_LENGTH, SUMMARY_MAX_LENGTH
from assessment.models.spot_checks import SCORES_SAVED
from assessment.scoring import ItemInput, ScoringError, score_check
from assessment.services import AssessmentError, written_reason
from core.uploads import delete_stored_file, store_upload
from core.years import ensure_year_open
from notifications import events
from units.roles import can_confirm, can_score, can_unconfirm, is_bound_to


class EditConflict(AssessmentError):
    """Somebody saved the spot check after this form was opened; `changes` says what, `by`
    who (the editor themselves, from another window or tab, is told so)."""

    def __init__(self, changes, *, by=None, actor=None):
        if by is not None and by == actor:
            message = _(
                "You saved this spot check in another window or tab while editing it here. "
                "Your entries are kept below; check the changes and save again."
            )
        elif by is not None:
            message = _(
                "%(name)s saved this spot check while you were editing it. Your entries are "
                "kept below; check the changes and save again."
            ) % {"name": by.get_full_name() or by.username}
        else:
            message = _(
                "Another inspector saved this spot check while you were editing it. Your "
                "entries are kept below; check the changes and save again."
            )
        super().__init__(message, "conflict")
        self.changes = changes


def _lock_open(spot_check):
    """Every transition starts here, inside its transaction: take the check's row lock and
    re-read it (the caller's object is refreshed in place), then refuse a published year. A
    concurrent transition of the same check waits here and then sees the state it left."""

    spot_check.refresh_from_db(from_queryset=SpotCheck.objects.select_for_update())
    ensure_year_open(spot_check.date.year)


def _save_transition(spot_check, actor, reason=None):
    """Store a transition; the version rises, so a score form opened before it is stale."""
    spot_check.version += 1
    spot_check._history_user = actor
    if reason:
        spot_check._change_reason = reason
    spot_check.save()
    return spot_check


def checklist_items(checklist):
    return list(
        ChecklistItem.objects.filter(section__checklist=checklist)
        .select_related("section")
        .prefetch_related("rules")
    )


def current_entries(spot_check, items=None):
    """{item id: entry dict} as stored: points, not_applicable, veto_failed, finding, counts
    ({rule id: count} of the counts entered, 0 included; a blank count has no key)."""
    return stored_entries(spot_check.results, items or checklist_items(spot_check.checklist))


def stored_entries(results, items):
    """The entries of `results` (a spot check's or a self-assessment's item results), one per
    item of `items`; an item without a stored result is blank."""
    results = {result.item_id: result for result in results.prefetch_related("counts")}
    entries = {}
    for item in items:
        result = results.get(item.pk)
        entries[item.pk] = {
            "points": result.points if result else None,
            "not_applicable": result.not_applicable if result else False,
            "veto_failed": result.veto_failed if result else False,
            "finding": result.finding if result else "",
            "counts": {c.rule_id: c.count for c in result.counts.all()} if result else {},
        }
    return entries


def score_inputs(items, entries):
    inputs = []
    for item in items:
        entry = entries[item.pk]
        rules = list(item.rules.all())
        inputs.append(
            ItemInput(
                max_points=item.max_points,
                points=entry["points"],
                deductions=tuple(
                    (rule.points_per_occurrence, entry["counts"].get(rule.pk)) for rule in rules
                ),
                uses_rules=bool(rules),
                not_applicable=entry["not_applicable"],
                allows_na=item.allows_na,
                is_veto=item.is_veto,
                veto_failed=entry["veto_failed"],
            )
        )
    return inputs


def compute_score(spot_check, items=None, entries=None):
    items = items or checklist_items(spot_check.checklist)
    entries = entries or current_entries(spot_check, items)
    return score_check(score_inputs(items, entries))


def _changes(items, before, now):
    labels = {item.pk: item.text for item in items}
    faults = {rule.pk: rule.fault for item in items for rule in item.rules.all()}
    return [
        {
            "item": labels[item_id],
            "theirs": now[item_id],
            "yours": before.get(item_id),
            # (fault, count) of each occurrence count now stored, named as the form names them
            "counts": [(faults[rule], count) for rule, count in now[item_id]["counts"].items()],
        }
        for item_id in now
        if now[item_id] != before.get(item_id)
    ]


def ensure_note_lengths(entries, summary):
    """Refuse a note longer than the form allows, from whatever caller: the notes are printed
    in the PDFs, and a bound keeps those quick to typeset."""
    longest = max((len(e.get("finding") or "") for e in entries.values()), default=0)
    if longest > NOTE_MAX_LENGTH or len(summary or "") > SUMMARY_MAX_LENGTH:
        raise AssessmentError(
            _(
                "A note is longer than %(note)d characters, or the overall note longer than "
                "%(summary)d."
            )
            % {"note": NOTE_MAX_LENGTH, "summary": SUMMARY_MAX_LENGTH},
            "invalid",
        )


def own_unit_message(unit):
    return _("You work in %(unit)s, so you cannot plan or assign its checks.") % {"unit": unit}


@transaction.atomic
def plan_spot_check(form, *, actor):
    """A spot check from its validated form (unit, checklist, date, inspectors): the form has
    checked the year and recusal for the page; the year is checked again here, holding its
    lock to the commit, so a year published meanwhile takes no new check."""
    ensure_year_open(form.cleaned_data["date"].year)
    unit = form.cleaned_data["unit"]
    if is_bound_to(actor, unit.pk):
        raise AssessmentError(own_unit_message(unit), "recused")
    spot_check = form.save(commit=False)
    spot_check._history_user = actor
    spot_check.save()
    form.save_m2m()
    return spot_check


@transaction.atomic
def save_scores(spot_check, *, version, entries, summary, actor, seen_entries=None, date=None):
    """Store the inspector's entries if nobody saved since `version` was read; otherwise
    raise EditConflict listing what the other save changed (the entries are not stored).
    `date`, when given, is the day of the inspection: not to come, in a year still open."""
    _lock_open(spot_check)
    if date is not None and date != spot_check.date:
        if date > timezone.localdate():
            raise AssessmentError(
                _("The inspection date %(date)s has not come yet.") % {"date": date_format(date)},
                "future_date",
            )
        ensure_year_open(date.year)
        spot_check.date = date
    if not spot_check.is_editable:
        raise AssessmentError(_("This spot check can no longer be edited."), "not_editable")
    if not can_score(actor, spot_check):
        raise AssessmentError(_("Only the inspectors of this check can score it."), "forbidden")
    items = checklist_items(spot_check.checklist)
    ensure_note_lengths(entries, summary)
    try:
        score_check(score_inputs(items, entries))
    except ScoringError as error:
        raise AssessmentError(str(error), "invalid") from None
    if spot_check.version != version:
        now = current_entries(spot_check, items)
        last = spot_check.history.select_related("history_user").first()
        raise EditConflict(
            _changes(items, seen_entries or {}, now),
            by=last.history_user if last else None,
            actor=actor,
        )
    _store_entries(spot_check, items, entries)
    spot_check.summary = summary
    if spot_check.status == SpotCheck.Status.PLANNED:
        spot_check.status = SpotCheck.Status.IN_PROGRESS
    return _save_transition(spot_check, actor, SCORES_SAVED)


def _store_entries(spot_check, items, entries):
    store_entries(
        spot_check.results,
        lambda item: ItemResult(spot_check=spot_check, item=item),
        OccurrenceCount,
        items,
        entries,
    )


def store_entries(results, new_result, count_model, items, entries):
    """Write `entries` over the stored item results (`results`, a related manager): a changed
    result is saved (so its history records the change), an unchanged one is left alone; a
    count left blank is removed. `new_result(item)` makes a missing result."""
    stored_results = {r.item_id: r for r in results.prefetch_related("counts")}
    fields = ("points", "not_applicable", "veto_failed", "finding")
    for item in items:
        entry = entries[item.pk]
        result = stored_results.get(item.pk) or new_result(item)
        if not (result.pk and all(getattr(result, f) == entry[f] for f in fields)):
            for field in fields:
                setattr(result, field, entry[field])
            result.save()
        stored = {c.rule_id: c for c in result.counts.all()} if result.pk else {}
        for rule in item.rules.all():
            count = entry["counts"].get(rule.pk)  # None: left blank, so the item may be unscored
            existing = stored.get(rule.pk)
            if existing is None:
                if count is not None:
                    count_model.objects.create(result=result, rule=rule, count=count)
            elif count is None:
                existing.delete()
            elif existing.count != count:
                existing.count = count
                existing.save()


@transaction.atomic
def add_evidence(spot_check, *, upload, item, actor):
    """Attach a file to a check still being scored; ValidationError when its content is not
    an accepted document."""
    _lock_open(spot_check)
    if not spot_check.is_editable:
        raise AssessmentError(_("This spot check can no longer be edited."), "not_editable")
    if not can_score(actor, spot_check):
        raise AssessmentError(_("Only the inspectors of this check can score it."), "forbidden")
    return store_upload(Evidence, upload, actor=actor, spot_check=spot_check, item=item)


@transaction.atomic
def remove_evidence(evidence, *, actor):
    """Remove a wrongly uploaded evidence file while the check is still being scored, by one of
    its inspectors; the stored file goes too (after the commit), as nothing refers to it."""
    spot_check = evidence.spot_check
    _lock_open(spot_check)
    if not spot_check.is_editable:
        raise AssessmentError(
            _("The check was submitted: its evidence can no longer be removed."), "not_editable"
        )
    if not can_score(actor, spot_check):
        raise AssessmentError(
            _("Only the inspectors of this check can remove its evidence."), "forbidden"
        )
    delete_stored_file(evidence)


def ensure_complete(score):
    """A score that may be submitted: every item scored or not applicable, and something
    carrying points (a spot check's or a self-assessment's)."""
    if score.unscored:
        raise AssessmentError(
            _("%(count)d items have no score yet; score them or mark them not applicable.")
            % {"count": score.unscored},
            "unscored",
        )
    if score.percentage is None:
        raise AssessmentError(
            _(
                "Nothing in this check carries points (every item is not applicable or worth "
                "0 points), so it has no percentage; score at least one item with points."
            ),
            "nothing_scored",
        )
    return score


@transaction.atomic
def submit_spot_check(spot_check, *, actor):
    _lock_open(spot_check)
    if spot_check.status != SpotCheck.Status.IN_PROGRESS:
        raise AssessmentError(_("Only a check in progress can be submitted."), "bad_status")
    if not can_score(actor, spot_check):
        raise AssessmentError(_("Only the inspectors of this check can submit it."), "forbidden")
    if spot_check.date > timezone.localdate():
        raise AssessmentError(
            _(
                "This check is dated %(date)s, which has not come yet: enter the day of the "
                "inspection on the scoring page first."
            )
            % {"date": date_format(spot_check.date)},
            "future_date",
        )
    score = ensure_complete(compute_score(spot_check))
    spot_check.earned = score.earned
    spot_check.possible = score.possible
    spot_check.percentage = score.percentage
    spot_check.vetoed = score.vetoed
    spot_check.status = SpotCheck.Status.SUBMITTED
    _save_transition(spot_check, actor)
    events.check_submitted(spot_check)
    return spot_check


@transaction.atomic
def withdraw_submission(spot_check, *, actor):
    _lock_open(spot_check)
    if spot_check.status != SpotCheck.Status.SUBMITTED or not can_score(actor, spot_check):
        raise AssessmentError(_("This submission cannot be withdrawn."), "bad_status")
    spot_check.status = SpotCheck.Status.IN_PROGRESS
    return _save_transition(spot_check, actor)


@transaction.atomic
def confirm_spot_check(spot_check, *, actor):
    _lock_open(spot_check)
    if spot_check.status != SpotCheck.Status.SUBMITTED:
        raise AssessmentError(_("Only a submitted check can be confirmed."), "bad_status")
    if not can_confirm(actor, spot_check):
        raise AssessmentError(
            _(
                "A check is confirmed by another inspector or a leader: not by one who scored "
                "it, nor by anyone who works in the checked unit."
            ),
            "forbidden",
        )
    spot_check.status = SpotCheck.Status.CONFIRMED
    spot_check.confirmed_at = timezone.now()
    spot_check.confirmed_by = actor
    _save_transition(spot_check, actor)
    events.check_confirmed(spot_check)
    return spot_check


@transaction.atomic
def unconfirm_spot_check(spot_check, *, actor, reason):
    """Re-open a confirmed check for correction: an admin only, with a reason kept in history."""
    _lock_open(spot_check)
    if not can_unconfirm(actor, spot_check):
        raise AssessmentError(
            _("Only an administrator can re-open a confirmed check."), "forbidden"
        )
    if spot_check.status != SpotCheck.Status.CONFIRMED:
        raise AssessmentError(_("Only a confirmed check can be re-opened."), "bad_status")
    reason = written_reason(
        reason, missing=_("Give the reason for re-opening the check."), code="no_reason"
    )
    spot_check.status = SpotCheck.Status.IN_PROGRESS
    spot_check.confirmed_at = None
    spot_check.confirmed_by = None
    spot_check.percentage = spot_check.earned = spot_check.possible = None
    return _save_transition(spot_check, actor, reason)
