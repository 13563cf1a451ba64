from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import (
    Adjustment,
    AdjustmentEvidence,
    DismissedProposal,
    Indicator,
    IndicatorValue,
    PublishedResult,
    Rectification,
    Scheme,
)
from assessment.services import AssessmentError
from core.derived import changed
from core.models import Year
from core.uploads import validate_evidence_file
from core.years import YearLocked, ensure_year_open
from units.roles import Role, has_role

EDITORS = (Role.INSPECTOR, Role.LEADER, Role.ADMIN)


def ensure_open(year):
    """The assessment module's check of the year lock, raised as its own error."""
    try:
        ensure_year_open(year)
    except YearLocked as locked:
        raise AssessmentError(locked.message, locked.code) from None


def _ensure_editor(actor):
    if not has_role(actor, *EDITORS):
        raise AssessmentError(_("Your role cannot change the assessment."), "forbidden")


@transaction.atomic
def copy_scheme(source, *, to_year, actor):
    """Start `to_year` with last year's weights, bands, quota and indicators."""
    ensure_open(to_year)
    year, _created = Year.objects.get_or_create(year=to_year)
    if Scheme.objects.filter(year=year).exists():
        raise AssessmentError(_("%(year)d already has a scheme.") % {"year": to_year}, "exists")
    indicators = list(source.indicators.all())
    source.pk = None
    source.id = None
    source.year = year
    source.save()
    Indicator.objects.bulk_create(
        Indicator(scheme=source, name=i.name, weight=i.weight, sort_order=i.sort_order)
        for i in indicators
    )
    return source


@transaction.atomic
def save_indicator_values(scheme, values, *, actor):
    """values: [(indicator, unit, Decimal or None, source)]; None removes the value."""
    _ensure_editor(actor)
    ensure_open(scheme.year.year)
    existing = {
        (v.indicator_id, v.unit_id): v
        for v in IndicatorValue.objects.filter(indicator__scheme=scheme)
    }
    changed = 0
    for indicator, unit, value, source in values:
        current = existing.get((indicator.pk, unit.pk))
        if value is None:
            if current is not None:
                current.delete()
                changed += 1
            continue
        if current is None:
            current = IndicatorValue(indicator=indicator, unit=unit)
        elif (current.value, current.source) == (value, source):
            continue
        current.value, current.source, current.entered_by = value, source, actor
        current._history_user = actor
        current.save()
        changed += 1
    return changed


@transaction.atomic
def add_adjustment(scheme, *, unit, kind, points, reason, actor, evidence=None, rectification=None):
    _ensure_editor(actor)
    ensure_open(scheme.year.year)
    if kind == Adjustment.Kind.VETO:
        points = 0
    elif not points or points <= 0:
        raise AssessmentError(_("A bonus or deduction needs points above 0."), "points")
    if not reason.strip():
        raise AssessmentError(_("Give the reason."), "reason")
    adjustment = Adjustment(
        scheme=scheme,
        unit=unit,
        kind=kind,
        points=points,
        reason=reason.strip(),
        entered_by=actor,
        rectification=rectification,
    )
    adjustment._history_user = actor
    adjustment.save()
    if evidence is not None:
        content_type = validate_evidence_file(evidence)
        AdjustmentEvidence.objects.create(
            adjustment=adjustment,
            file=evidence,
            original_name=evidence.name[:200],
            content_type=content_type,
            size=evidence.size,
            uploaded_by=actor,
        )
    return adjustment


@transaction.atomic
def remove_adjustment(adjustment, *, actor):
    _ensure_editor(actor)
    ensure_open(adjustment.scheme.year.year)
    adjustment._history_user = actor
    adjustment.delete()


def proposed_deductions(scheme):
    """Overdue rectifications of the year's checks not yet accepted or dismissed."""
    return (
        Rectification.objects.overdue()
        .filter(
            spot_check__date__year=scheme.year.year,
            adjustment__isnull=True,
            dismissal__isnull=True,
        )
        .select_related("spot_check__unit")
    )


def accept_proposal(scheme, rectification, *, points, actor):
    return add_adjustment(
        scheme,
        unit=rectification.spot_check.unit,
        kind=Adjustment.Kind.DEDUCTION,
        points=points,
        reason=_("Rectification overdue since %(deadline)s: %(requirement)s")
        % {"deadline": rectification.deadline, "requirement": rectification.requirement[:100]},
        actor=actor,
        rectification=rectification,
    )


@transaction.atomic
def dismiss_proposal(scheme, rectification, *, reason, actor):
    _ensure_editor(actor)
    ensure_open(scheme.year.year)
    if not reason.strip():
        raise AssessmentError(_("Give the reason for not deducting."), "reason")
    return DismissedProposal.objects.create(
        rectification=rectification, reason=reason.strip(), decided_by=actor
    )


@transaction.atomic
def publish_year(scheme, *, actor):
    """Store the results as the record and make every input of the year read-only."""
    from assessment.year_end import snapshot_rows, year_results

    if not has_role(actor, Role.LEADER, Role.ADMIN):
        raise AssessmentError(_("Only a leader can publish the assessment."), "forbidden")
    year = Year.objects.select_for_update().get(pk=scheme.year_id)
    if year.locked_at is not None:
        raise AssessmentError(_("This year is already published."), "published")
    results = year_results(scheme)
    PublishedResult.objects.filter(scheme=scheme).delete()
    PublishedResult.objects.bulk_create(snapshot_rows(results))
    changed()  # bulk_create sends no signals
    year.locked_at = timezone.now()
    year.save(update_fields=["locked_at"])
    scheme._history_user = actor
    scheme._change_reason = _("Published")
    scheme.save()
    return results


@transaction.atomic
def reopen_year(scheme, *, actor, reason):
    if not has_role(actor, Role.ADMIN):
        raise AssessmentError(_("Only an administrator can re-open a published year."), "forbidden")
    if not reason.strip():
        raise AssessmentError(_("Give the reason for re-opening the year."), "reason")
    year = Year.objects.select_for_update().get(pk=scheme.year_id)
    if year.locked_at is None:
        raise AssessmentError(_("This year is not published."), "not_published")
    for result in scheme.results.all():
        result._history_user = actor
        result._change_reason = reason.strip()
        result.delete()
    year.locked_at = None
    year.save(update_fields=["locked_at"])
    scheme._history_user = actor
    scheme._change_reason = _("Re-opened: %(reason)s") % {"reason": reason.strip()}
    scheme.save()
