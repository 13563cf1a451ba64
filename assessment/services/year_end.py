import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
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
    SelfAssessment,
    SpotCheck,
)
from assessment.services import AssessmentError, written_reason
from core.derived import changed
from core.editions import check_not_saved_since
from core.history import bulk_create_with_history
from core.models import Year
from core.uploads import store_upload
from core.years import ensure_year_open
from notifications import events
from training.models import Training
from units.models import Unit
from units.roles import (
    can_adjust,
    can_decide_proposal,
    can_edit_scheme,
    can_edit_year_inputs,
    can_publish,
    can_reopen,
)


def _ensure_editor(actor):
    if not can_edit_year_inputs(actor):
        raise AssessmentError(_("Your role cannot change the assessment."), "forbidden")


def _ensure_not_recused(allowed):
    if not allowed:
        raise AssessmentError(
            _("You work in this unit, so you cannot decide on its assessment."), "recused"
        )


@transaction.atomic
def copy_scheme(source, *, to_year, actor):
    """Start `to_year` with last year's weights, bands, quota and indicators."""
    ensure_year_open(to_year)
    year, _created = Year.objects.get_or_create(year=to_year)
    if Scheme.objects.filter(year=year).exists():
        raise AssessmentError(_("%(year)d already has a scheme.") % {"year": to_year}, "exists")
    indicators = list(source.indicators.all())
    source.pk = None
    source.id = None
    source.year = year
    source.notice_number = 1  # the office's register starts again each year
    source.roster = []  # a new year ranks today's units
    source.save()
    bulk_create_with_history(
        [
            Indicator(scheme=source, name=i.name, weight=i.weight, sort_order=i.sort_order)
            for i in indicators
        ],
        user=actor,
    )
    return source


@transaction.atomic
def save_scheme(form, indicators, *, actor):
    """Store a valid scheme form and its indicator formset, unless the year is published (a
    publish in flight finishes first: the year's row is read FOR SHARE)."""
    if not can_edit_scheme(actor):
        raise AssessmentError(_("Your role cannot change the assessment."), "forbidden")
    ensure_year_open(form.instance.year.year)
    stored = Scheme.objects.select_for_update().get(pk=form.instance.pk)
    check_not_saved_since(stored, form.cleaned_data.get("edition"))
    scheme = form.save(commit=False)
    scheme._history_user = actor
    scheme.save()
    indicators.save()
    return scheme


def _refuse_values_changed_meanwhile(values, existing, shown):
    """A value the page showed as one thing and someone has since saved as another is not
    overwritten by the page's old copy: nothing is saved."""
    for indicator, unit, _value, _source in values:
        current = existing.get((indicator.pk, unit.pk))
        if (None if current is None else current.value) != shown.get((indicator.pk, unit.pk)):
            raise AssessmentError(
                _(
                    "%(unit)s's %(indicator)s was changed by someone else after you opened the "
                    "page (it is now %(value)s). Nothing was saved; reload the page and enter "
                    "your changes again."
                )
                % {
                    "unit": unit.name,
                    "indicator": indicator.name,
                    "value": "—" if current is None else current.value,
                },
                "conflict",
            )


def own_unit_values_message(unit):
    return _("You work in %(unit)s, so you cannot enter its values.") % {"unit": unit.name}


@transaction.atomic
def save_indicator_values(scheme, values, *, actor, shown=None):
    """values: [(indicator, unit, Decimal or None, source)]; None removes the value.

    `shown`, from a page: {(indicator pk, unit pk): value or None} as the page showed them. A
    value written meanwhile by someone else is then not overwritten: nothing is saved."""
    _ensure_editor(actor)
    ensure_year_open(scheme.year.year)
    for _indicator, unit, _value, _source in values:
        if not can_adjust(actor, unit.pk):
            raise AssessmentError(own_unit_values_message(unit), "recused")
    existing = {
        (v.indicator_id, v.unit_id): v
        for v in IndicatorValue.objects.select_for_update().filter(indicator__scheme=scheme)
    }
    if shown is not None:
        _refuse_values_changed_meanwhile(values, existing, shown)
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
def add_adjustment(
    scheme,
    *,
    unit,
    kind,
    points,
    reason,
    actor,
    evidence=None,
    rectification=None,
    overstatement=False,
):
    _ensure_editor(actor)
    _ensure_not_recused(can_adjust(actor, unit.pk))
    ensure_year_open(scheme.year.year)
    if kind == Adjustment.Kind.VETO:
        points = 0
    elif not points or points <= 0:
        raise AssessmentError(_("A bonus or deduction needs points above 0."), "points")
    reason = written_reason(reason, missing=_("Give the reason."), code="reason")
    # a form posted twice: the unit's row lock makes the second of two requests at once wait
    # here and then see the first one's row (adjustments of other units do not wait)
    list(Unit.objects.select_for_update().filter(pk=unit.pk).values_list("pk"))
    if Adjustment.objects.filter(
        scheme=scheme,
        unit=unit,
        kind=kind,
        points=points,
        reason=reason,
        rectification=rectification,
    ).exists():
        raise AssessmentError(
            _("The same adjustment of this unit has already been recorded."), "duplicate"
        )
    adjustment = Adjustment(
        scheme=scheme,
        unit=unit,
        kind=kind,
        points=points,
        reason=reason,
        entered_by=actor,
        rectification=rectification,
        overstatement=overstatement,
    )
    adjustment._history_user = actor
    adjustment.save()
    if evidence is not None:
        store_upload(AdjustmentEvidence, evidence, actor=actor, adjustment=adjustment)
    return adjustment


@transaction.atomic
def remove_adjustment(adjustment, *, actor):
    _ensure_editor(actor)
    _ensure_not_recused(can_adjust(actor, adjustment.unit_id))
    ensure_year_open(adjustment.scheme.year.year)
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


def _lock_undecided(scheme, rectification, actor):
    """Take the rectification's row lock, then re-check that the proposal is still open: of two
    inspectors deciding the same proposal at once, the second waits here and is then told."""
    _ensure_editor(actor)
    rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
    _ensure_not_recused(can_decide_proposal(actor, rectification))
    ensure_year_open(scheme.year.year)
    if not proposed_deductions(scheme).filter(pk=rectification.pk).exists():
        raise AssessmentError(
            _("This proposal has already been decided, or is no longer overdue."), "decided"
        )
    return rectification


@transaction.atomic
def accept_proposal(scheme, rectification, *, points, actor):
    rectification = _lock_undecided(scheme, rectification, actor)
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
    reason = written_reason(reason, missing=_("Give the reason for not deducting."), code="reason")
    rectification = _lock_undecided(scheme, rectification, actor)
    return DismissedProposal.objects.create(
        rectification=rectification, reason=reason, decided_by=actor
    )


SHOWN_PER_KIND = 10


@dataclass(frozen=True)
class Unfinished:
    """One kind of work still open when a year is about to be published."""

    kind: str  # checks, trainings, rectifications, overdue, self_assessments, indicators, units
    count: int
    examples: tuple  # up to SHOWN_PER_KIND labels, in a useful order
    keys: tuple = ()  # the ids of every item of the kind, shown or not


@dataclass(frozen=True)
class PublishChecklist:
    lines: tuple  # Unfinished, only kinds with a count

    @property
    def signature(self):
        """What the leader saw, posted back with the confirmation: if the unfinished work
        changed in between (other items, not only other counts), the confirmation no longer
        counts."""
        return ";".join(f"{line.kind}={line.count}:{_digest(line.keys)}" for line in self.lines)


def _digest(keys):
    return hashlib.sha256(",".join(map(str, keys)).encode()).hexdigest()[:12]


def _unfinished(kind, items):
    """`items`: (id, label) pairs of one kind of unfinished work."""
    items = list(items)
    return Unfinished(
        kind,
        len(items),
        tuple(label for _key, label in items[:SHOWN_PER_KIND]),
        tuple(key for key, _label in items),
    )


def unfinished_work(scheme):
    """What is not finished in the scheme's year: spot checks not confirmed, trainings not yet
    held (not cancelled, not over), rectifications of the year's checks still open (overdue
    ones apart), self-assessments not submitted (publishing closes them), and active units
    the year has no component for."""
    from assessment.year_end import indicator_key, year_results

    year = scheme.year.year
    now = timezone.now()
    today = timezone.localdate()
    checks = (
        SpotCheck.objects.filter(date__year=year)
        .exclude(status=SpotCheck.Status.CONFIRMED)
        .select_related("unit")
        .order_by("date", "unit__sort_order")
    )
    trainings = (
        Training.objects.filter(year=year, ends_at__gt=now)
        .exclude(status=Training.Status.CANCELLED)
        .order_by("starts_at")
    )
    rectifications = list(
        Rectification.objects.filter(spot_check__date__year=year)
        .exclude(status=Rectification.Status.VERIFIED)
        .select_related("spot_check__unit")
        .order_by("deadline", "pk")
    )
    results = year_results(scheme)
    in_order = sorted(
        results.results.values(),
        key=lambda result: (
            results.units[result.unit_id].category.sort_order,
            results.units[result.unit_id].sort_order,
        ),
    )
    lacking = [results.units[result.unit_id] for result in in_order if not result.assessed]
    # assessed units some of whose indicator values were never entered: their result stands
    # on the other components (or counts the missing values as 0, as the scheme says)
    without_values = [
        (
            results.units[result.unit_id],
            [
                indicator.name
                for indicator in results.indicators
                if result.components.get(indicator_key(indicator)) is None
            ],
        )
        for result in in_order
        if result.assessed
    ]
    lines = [
        _unfinished(
            "checks",
            (
                (
                    check.pk,
                    f"{check.unit.name} {date_format(check.date)} {check.get_status_display()}",
                )
                for check in checks
            ),
        ),
        _unfinished(
            "trainings",
            (
                (
                    training.pk,
                    f"{training.title} {date_format(timezone.localtime(training.starts_at))}",
                )
                for training in trainings
            ),
        ),
        _unfinished(
            "rectifications",
            (
                (
                    r.pk,
                    f"{r.spot_check.unit.name}：{r.requirement[:30]}（{date_format(r.deadline)}）",
                )
                for r in rectifications
                if r.deadline >= today
            ),
        ),
        _unfinished(
            "overdue",
            (
                (
                    r.pk,
                    f"{r.spot_check.unit.name}：{r.requirement[:30]}（{date_format(r.deadline)}）",
                )
                for r in rectifications
                if r.deadline < today
            ),
        ),
        _unfinished(
            "self_assessments",
            (
                (
                    sa.pk,
                    f"{sa.unit.name}（{sa.get_status_display()}，"
                    f"{date_format(sa.campaign.closes_on)}）",
                )
                for sa in SelfAssessment.objects.filter(campaign__year=year)
                .exclude(status=SelfAssessment.Status.SUBMITTED)
                .select_related("unit", "campaign")
                .order_by("campaign__closes_on", "unit__sort_order", "pk")
            ),
        ),
        _unfinished(
            "indicators",
            (
                (unit.pk, f"{unit.name}（{'、'.join(missing)}）")
                for unit, missing in without_values
                if missing
            ),
        ),
        _unfinished("units", ((unit.pk, unit.name) for unit in lacking)),
    ]
    return PublishChecklist(tuple(line for line in lines if line.count))


@transaction.atomic
def publish_year(scheme, *, actor, acknowledged=""):
    """Store the results as the record and make every input of the year read-only. When work
    is unfinished, `acknowledged` must be the signature of the checklist the leader confirmed
    (PublishChecklist.signature): publishing never happens without knowing what is open."""
    from assessment.year_end import snapshot_rows, year_results

    if not can_publish(actor):
        raise AssessmentError(_("Only a leader can publish the assessment."), "forbidden")
    year = Year.objects.select_for_update().get(pk=scheme.year_id)
    if year.locked_at is not None:
        raise AssessmentError(_("This year is already published."), "published")
    checklist = unfinished_work(scheme)
    if checklist.lines and acknowledged != checklist.signature:
        raise AssessmentError(
            _(
                "Some work of the year is unfinished, or changed since you looked: review the "
                "list and confirm that you publish anyway."
            ),
            "unacknowledged",
        )
    results = year_results(scheme)
    PublishedResult.objects.filter(scheme=scheme).delete()
    PublishedResult.objects.bulk_create(snapshot_rows(results))
    changed()  # bulk_create sends no signals
    year.locked_at = timezone.now()
    year.save(update_fields=["locked_at"])
    scheme._history_user = actor
    scheme._change_reason = _("Published")
    scheme.save()
    events.results_published(
        year.year,
        PublishedResult.objects.filter(scheme=scheme)
        .order_by("unit__sort_order", "unit_id")
        .values_list("unit_id", "unit__name"),
        year.locked_at,
    )
    return results


def roster_of(scheme):
    """The units the scheme's published record names, as it names them."""
    from assessment.year_end import published_units

    return [
        unit._asdict() | {"category": unit.category._asdict()} for unit in published_units(scheme)
    ]


@transaction.atomic
def reopen_year(scheme, *, actor, reason):
    if not can_reopen(actor):
        raise AssessmentError(_("Only an administrator can re-open a published year."), "forbidden")
    reason = written_reason(
        reason, missing=_("Give the reason for re-opening the year."), code="reason"
    )
    year = Year.objects.select_for_update().get(pk=scheme.year_id)
    if year.locked_at is None:
        raise AssessmentError(_("This year is not published."), "not_published")
    scheme.roster = roster_of(scheme) or scheme.roster
    for result in scheme.results.all():
        result._history_user = actor
        result._change_reason = reason
        result.delete()
    year.locked_at = None
    year.save(update_fields=["locked_at"])
    scheme._history_user = actor
    scheme._change_reason = _("Re-opened: %(reason)s") % {"reason": reason}
    scheme.save()
