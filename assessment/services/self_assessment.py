"""自查自评: campaigns, a unit's self-assessment (drafts, submission, return), its evidence, and
the year-end 自评失实 proposals. Scored by the same pure functions as spot checks."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessment.models import (
    Adjustment,
    Campaign,
    DismissedOverstatement,
    Scheme,
    SelfAssessment,
    SelfEvidence,
    SelfItemResult,
    SelfOccurrenceCount,
)
from assessment.scoring import ScoringError, score_check
from assessment.services import AssessmentError, written_reason
from assessment.services.spot_checks import (
    checklist_items,
    ensure_complete,
    ensure_note_lengths,
    score_inputs,
    store_entries,
    stored_entries,
)
from assessment.services.year_end import add_adjustment
from core.uploads import delete_stored_file, store_upload
from core.years import YearLocked, ensure_year_open, is_year_locked
from notifications import events
from units.models import Unit
from units.roles import (
    can_adjust,
    can_edit_self_assessment,
    can_edit_year_inputs,
    can_manage_campaigns,
    can_return_self_assessment,
)

EDITABLE = (SelfAssessment.Status.DRAFT, SelfAssessment.Status.RETURNED)


def campaign_date_problems(year, opens_on, closes_on):
    """[(field, message)] of what is wrong with a new campaign's dates: a campaign of a year
    opens in that year at the earliest, and one that has closed already is of no use (a
    tester's 2026 campaign for 2025-12-01…10 was closed from its creation)."""
    problems = []
    if closes_on < opens_on:
        problems.append(("closes_on", _("The closing date must not be before the opening.")))
    elif closes_on < timezone.localdate():
        problems.append(("closes_on", _("The closing date has already passed.")))
    if opens_on.year < year:
        problems.append(
            (
                "opens_on",
                _("A self-assessment of %(year)d opens in %(year)d at the earliest.")
                % {"year": year},
            )
        )
    return problems


@transaction.atomic
def create_campaign(*, name, year, checklist, opens_on, closes_on, categories=(), units=(), actor):
    """A campaign for the active units of `categories` and the `units` chosen, each with an
    empty self-assessment to fill in."""
    if not can_manage_campaigns(actor):
        raise AssessmentError(_("Your role cannot set up self-assessments."), "forbidden")
    ensure_year_open(year)
    for _field, problem in campaign_date_problems(year, opens_on, closes_on):
        raise AssessmentError(problem, "dates")
    chosen = {unit.pk for unit in units}
    chosen |= set(
        Unit.objects.active().filter(category__in=list(categories)).values_list("pk", flat=True)
    )
    if not chosen:
        raise AssessmentError(_("Choose unit categories or units."), "no_units")
    campaign = Campaign(
        name=name,
        year=year,
        checklist=checklist,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=actor,
    )
    campaign._history_user = actor
    campaign.save()
    campaign.categories.set(categories)
    campaign.units.set(chosen)
    for unit_id in sorted(chosen):
        assessment = SelfAssessment(campaign=campaign, unit_id=unit_id)
        assessment._history_user = actor
        assessment.save()
    return campaign


def self_assessment_entries(self_assessment, items=None):
    items = items or checklist_items(self_assessment.checklist)
    return stored_entries(self_assessment.results, items)


def self_assessment_score(self_assessment, items=None, entries=None):
    """The same pure scoring as a spot check, over the unit's own entries."""
    items = items or checklist_items(self_assessment.checklist)
    entries = entries or self_assessment_entries(self_assessment, items)
    return score_check(score_inputs(items, entries))


def is_editable(self_assessment, today=None):
    """Draft or returned, in an open campaign (before its closing date), of a year not
    published."""
    return (
        self_assessment.status in EDITABLE
        and self_assessment.campaign.phase(today) == "open"
        and not is_year_locked(self_assessment.campaign.year)
    )


def why_read_only(self_assessment, today=None):
    """What to tell the unit when its self-assessment cannot be edited."""
    if is_year_locked(self_assessment.campaign.year):
        return YearLocked(self_assessment.campaign.year).message
    if self_assessment.status not in EDITABLE:
        return _("This self-assessment has been submitted; it can only be viewed.")
    if self_assessment.campaign.phase(today) != "open":
        return _("The self-assessment is open from %(opens)s to %(closes)s.") % {
            "opens": date_format(self_assessment.campaign.opens_on),
            "closes": date_format(self_assessment.campaign.closes_on),
        }
    return _("This self-assessment is read-only.")


def _lock(self_assessment, actor, *, editing=True):
    """Take the row lock, re-read, refuse a published year; when `editing`, refuse anyone
    but the unit's liaison and a self-assessment no longer open for editing."""
    self_assessment.refresh_from_db(from_queryset=SelfAssessment.objects.select_for_update())
    ensure_year_open(self_assessment.campaign.year)
    if not editing:
        return
    if not can_edit_self_assessment(actor, self_assessment):
        raise AssessmentError(
            _("Only the unit's own liaison fills in its self-assessment."), "forbidden"
        )
    phase = self_assessment.campaign.phase()
    if phase == "upcoming":
        raise AssessmentError(
            _("The self-assessment opens on %(date)s.")
            % {"date": date_format(self_assessment.campaign.opens_on)},
            "not_open",
        )
    if phase == "closed":
        raise AssessmentError(
            _("The self-assessment closed on %(date)s; it is read-only.")
            % {"date": date_format(self_assessment.campaign.closes_on)},
            "closed",
        )
    if self_assessment.status not in EDITABLE:
        raise AssessmentError(
            _("The self-assessment was submitted; it is read-only."), "not_editable"
        )


def _save(self_assessment, actor, reason=None):
    self_assessment.version += 1
    self_assessment._history_user = actor
    if reason:
        self_assessment._change_reason = reason
    self_assessment.save()
    return self_assessment


@transaction.atomic
def save_self_assessment(self_assessment, *, version, entries, summary, actor):
    """Store the liaison's draft; refused when somebody saved since `version` was read."""
    _lock(self_assessment, actor)
    items = checklist_items(self_assessment.checklist)
    ensure_note_lengths(entries, summary)
    try:
        score_check(score_inputs(items, entries))
    except ScoringError as error:
        raise AssessmentError(str(error), "invalid") from None
    if self_assessment.version != version:
        raise AssessmentError(
            _(
                "Someone else saved this self-assessment while you were editing it; reload "
                "the page to see their entries, then enter yours again."
            ),
            "conflict",
        )
    store_entries(
        self_assessment.results,
        lambda item: SelfItemResult(self_assessment=self_assessment, item=item),
        SelfOccurrenceCount,
        items,
        entries,
    )
    self_assessment.summary = summary
    return _save(self_assessment, actor)


@transaction.atomic
def submit_self_assessment(self_assessment, *, actor):
    """Submit once: every item scored or N/A; then read-only (unless returned before the
    close)."""
    _lock(self_assessment, actor)
    score = ensure_complete(self_assessment_score(self_assessment))
    self_assessment.earned = score.earned
    self_assessment.possible = score.possible
    self_assessment.percentage = score.percentage
    self_assessment.vetoed = score.vetoed
    self_assessment.status = SelfAssessment.Status.SUBMITTED
    self_assessment.submitted_at = timezone.now()
    self_assessment.submitted_by = actor
    self_assessment.return_reason = ""
    return _save(self_assessment, actor, _("Submitted"))


@transaction.atomic
def return_self_assessment(self_assessment, *, reason, actor):
    """An inspector sends a submitted self-assessment back to the unit, with a reason, before
    the campaign closes; it no longer counts until submitted again."""
    reason = written_reason(
        reason, missing=_("Give the reason for returning it."), code="no_reason"
    )
    _lock(self_assessment, actor, editing=False)
    if not can_return_self_assessment(actor, self_assessment):
        raise AssessmentError(
            _("Only an inspector who does not work in the unit can return it."), "forbidden"
        )
    if self_assessment.status != SelfAssessment.Status.SUBMITTED:
        raise AssessmentError(_("Only a submitted self-assessment can be returned."), "bad_status")
    if self_assessment.campaign.phase() == "closed":
        raise AssessmentError(
            _("The campaign has closed: the self-assessment can no longer be returned."),
            "closed",
        )
    self_assessment.status = SelfAssessment.Status.RETURNED
    self_assessment.return_reason = reason
    self_assessment.earned = self_assessment.possible = self_assessment.percentage = None
    self_assessment.vetoed = False
    _save(self_assessment, actor, _("Returned: %(reason)s") % {"reason": reason})
    _withdraw_overstatement_decision(self_assessment, actor)
    events.self_assessment_returned(self_assessment)
    return self_assessment


def _withdraw_overstatement_decision(self_assessment, actor):
    """A 自评失实 deduction, or the decision not to deduct, was taken on the self-assessment
    now returned: it no longer stands (the deduction kept counting beside a resubmitted score
    that no longer overstated anything). Both are removed with the reason in their history;
    if the resubmitted score still overstates, the proposal comes back for a new decision."""
    scheme = Scheme.objects.filter(year__year=self_assessment.campaign.year).first()
    if scheme is None:
        return
    reason = _("Withdrawn: the self-assessment it was decided on was returned to the unit")
    for decision in [
        *Adjustment.objects.filter(scheme=scheme, unit=self_assessment.unit, overstatement=True),
        *DismissedOverstatement.objects.filter(scheme=scheme, unit=self_assessment.unit),
    ]:
        decision._history_user = actor
        decision._change_reason = reason
        decision.delete()


@transaction.atomic
def add_self_evidence(self_assessment, *, upload, item, actor):
    _lock(self_assessment, actor)
    return store_upload(
        SelfEvidence, upload, actor=actor, self_assessment=self_assessment, item=item
    )


@transaction.atomic
def remove_self_evidence(evidence, *, actor):
    _lock(evidence.self_assessment, actor)
    delete_stored_file(evidence)


def side_by_side(spot_check, items):
    """The unit's submitted self-assessment on the check's checklist in the check's year (the
    latest), and its entries; (None, {}) when the unit has none."""
    found = (
        SelfAssessment.objects.submitted()
        .filter(
            unit_id=spot_check.unit_id,
            campaign__checklist_id=spot_check.checklist_id,
            campaign__year=spot_check.date.year,
        )
        .select_related("campaign")
        .order_by("-submitted_at")
        .first()
    )
    if found is None:
        return None, {}
    return found, self_assessment_entries(found, items)


# ----------------------------------------------------------------------------------------------
# 自评失实 in the year-end assessment: proposed, then accepted or dismissed, as overdue
# rectifications are.
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overstatement:
    unit: Unit
    self_assessed: object  # Decimal: the unit's self-assessment component
    inspected: object  # Decimal: its spot-check component
    gap: object  # self_assessed − inspected
    margin: object
    points: object  # the scheme's proposed deduction


def overstatement_gap(self_assessed, inspected, margin):
    """The gap when the rule applies (self-assessed above inspected by more than `margin`),
    else None; a unit without either figure gets no proposal."""
    if margin is None or self_assessed is None or inspected is None:
        return None
    gap = self_assessed - inspected
    return gap if gap > margin else None


def overstatements(scheme, year=None):
    """Every unit whose self-assessment exceeds its inspected result by more than the margin,
    decided or not."""
    from assessment.year_end import SELF_ASSESSMENT, SPOT_CHECKS, year_results

    if scheme.overstatement_margin is None:
        return []
    year = year or year_results(scheme)
    found = []
    for unit_id, result in year.results.items():
        self_assessed = result.components.get(SELF_ASSESSMENT)
        inspected = result.components.get(SPOT_CHECKS)
        gap = overstatement_gap(self_assessed, inspected, scheme.overstatement_margin)
        if gap is not None:
            found.append(
                Overstatement(
                    year.units[unit_id],
                    self_assessed,
                    inspected,
                    gap,
                    scheme.overstatement_margin,
                    scheme.overstatement_points,
                )
            )
    return sorted(found, key=lambda o: (o.unit.category.sort_order, o.unit.sort_order))


def decided_overstatements(scheme):
    """{unit id: "accepted" | "dismissed"}."""
    decided = dict.fromkeys(
        Adjustment.objects.filter(scheme=scheme, overstatement=True).values_list(
            "unit_id", flat=True
        ),
        "accepted",
    )
    for unit_id in DismissedOverstatement.objects.filter(scheme=scheme).values_list(
        "unit_id", flat=True
    ):
        decided[unit_id] = "dismissed"
    return decided


def proposed_overstatements(scheme, year=None):
    """自评失实 proposals not yet accepted or dismissed."""
    decided = decided_overstatements(scheme)
    return [o for o in overstatements(scheme, year) if o.unit.pk not in decided]


def _lock_undecided_overstatement(scheme, unit, actor):
    """Take the unit's row lock, then re-check that its proposal is still open: of two
    assessors deciding it at once, the second waits here and is then told. Returns the locked
    unit and its proposal."""
    if not can_edit_year_inputs(actor):
        raise AssessmentError(_("Your role cannot change the assessment."), "forbidden")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not can_adjust(actor, unit.pk):
        raise AssessmentError(
            _("You work in this unit, so you cannot decide on its assessment."), "recused"
        )
    ensure_year_open(scheme.year.year)
    for proposal in proposed_overstatements(scheme):
        if proposal.unit.pk == unit.pk:
            return unit, proposal
    raise AssessmentError(
        _("This proposal has already been decided, or no longer applies."), "decided"
    )


@transaction.atomic
def accept_overstatement(scheme, unit, *, points, actor):
    unit, proposal = _lock_undecided_overstatement(scheme, unit, actor)
    return add_adjustment(
        scheme,
        unit=unit,
        kind=Adjustment.Kind.DEDUCTION,
        points=points,
        reason=_(
            "Self-assessment overstated: self-assessed %(self)s, inspected %(inspected)s, "
            "%(gap)s points above (more than %(margin)s)"
        )
        % {
            "self": proposal.self_assessed,
            "inspected": proposal.inspected,
            "gap": proposal.gap,
            "margin": proposal.margin,
        },
        actor=actor,
        overstatement=True,
    )


@transaction.atomic
def dismiss_overstatement(scheme, unit, *, reason, actor):
    reason = written_reason(reason, missing=_("Give the reason for not deducting."), code="reason")
    unit, _proposal = _lock_undecided_overstatement(scheme, unit, actor)
    dismissal = DismissedOverstatement(scheme=scheme, unit=unit, reason=reason, decided_by=actor)
    dismissal._history_user = actor
    dismissal.save()
    return dismissal
