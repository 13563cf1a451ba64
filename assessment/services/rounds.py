import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment import sampling
from assessment.models import RoundChecklist, SamplingRound, SpotCheck
from assessment.services import AssessmentError
from core.years import ensure_year_open
from notifications import events
from units.models import Unit, UserProfile


def round_population(sampling_round):
    """Active units of the round's categories, less those drawn in the N latest earlier rounds."""
    units = Unit.objects.active().filter(category__in=sampling_round.categories.all())
    if sampling_round.exclude_recent_rounds:
        recent = (
            SamplingRound.objects.filter(status=SamplingRound.Status.DRAWN)
            .exclude(pk=sampling_round.pk)
            .order_by("-drawn_at")[: sampling_round.exclude_recent_rounds]
        )
        units = units.exclude(spot_checks__round__in=list(recent))
    return sorted(units.values_list("pk", flat=True).distinct())


def pool_snapshot(sampling_round):
    inspectors = list(sampling_round.inspector_pool.values_list("pk", flat=True))
    bound = dict(
        UserProfile.objects.filter(user_id__in=inspectors).values_list("user_id", "unit_id")
    )
    return sorted([inspector, bound.get(inspector)] for inspector in inspectors)


def _size(sampling_round, population):
    return sampling.sample_size_for(
        len(population),
        count=sampling_round.sample_size,
        ratio_percent=sampling_round.sample_ratio,
    )


def _draw(population, size, pool, per_check, seed):
    try:
        return sampling.draw(population, size, [tuple(p) for p in pool], per_check, seed)
    except sampling.SamplingError as error:
        if error.code == "unit_unstaffed":
            unit = Unit.objects.get(pk=error.unit_id)
            message = _(
                "The inspector pool cannot staff %(unit)s: it needs %(count)d inspectors who "
                "are not bound to that unit. Add inspectors to the pool."
            ) % {"unit": unit, "count": per_check}
        elif error.code == "pool_too_small":
            message = _(
                "The inspector pool has %(pool)d inspectors but each check needs %(count)d."
            ) % {"pool": len(pool), "count": per_check}
        else:
            message = _("The sample is larger than the population.")
        raise AssessmentError(message, error.code) from None


@transaction.atomic
def create_round(form, *, actor):
    """Save a valid RoundForm with its per-category checklists; never in a published year."""
    ensure_year_open(form.cleaned_data["year"])
    form.instance.created_by = actor
    sampling_round = form.save()
    for category, checklist in form.category_checklists().items():
        RoundChecklist.objects.create(round=sampling_round, category=category, checklist=checklist)
    return sampling_round


@transaction.atomic
def draw_round(sampling_round, *, actor, seed=None):
    """Draw the units and inspectors, store what the draw used and create planned checks."""
    sampling_round = SamplingRound.objects.select_for_update().get(pk=sampling_round.pk)
    ensure_year_open(sampling_round.year)
    if sampling_round.status != SamplingRound.Status.DRAFT:
        raise AssessmentError(_("This round has already been drawn."), "drawn")
    population = round_population(sampling_round)
    if not population:
        raise AssessmentError(_("The round's population is empty."), "empty")
    pool = pool_snapshot(sampling_round)
    seed = seed or secrets.token_hex(8)
    drawn = _draw(
        population,
        _size(sampling_round, population),
        pool,
        sampling_round.inspectors_per_check,
        seed,
    )
    sampling_round.seed = seed
    sampling_round.algorithm_version = sampling.ALGORITHM_VERSION
    sampling_round.population = population
    sampling_round.pool_snapshot = pool
    sampling_round.result = [[check.unit_id, list(check.inspector_ids)] for check in drawn]
    sampling_round.status = SamplingRound.Status.DRAWN
    sampling_round.drawn_at = timezone.now()
    sampling_round.drawn_by = actor
    sampling_round.save()

    per_category = {rc.category_id: rc.checklist for rc in sampling_round.category_checklists.all()}
    units = Unit.objects.in_bulk([check.unit_id for check in drawn])
    for check in drawn:
        unit = units[check.unit_id]
        spot_check = SpotCheck.objects.create(
            round=sampling_round,
            unit=unit,
            checklist=per_category.get(unit.category_id, sampling_round.checklist),
            date=sampling_round.planned_start,
        )
        spot_check.inspectors.set(check.inspector_ids)
        events.check_assigned(spot_check, sampling_round)
    return sampling_round


def verify_round(sampling_round):
    """Redraw from the stored seed, population and pool; (identical?, redrawn result)."""
    if sampling_round.algorithm_version != sampling.ALGORITHM_VERSION:
        raise AssessmentError(
            _("The round was drawn with algorithm version %(version)s, which this system lacks.")
            % {"version": sampling_round.algorithm_version},
            "version",
        )
    redrawn = sampling.draw(
        sampling_round.population,
        len(sampling_round.result),
        [tuple(pair) for pair in sampling_round.pool_snapshot],
        sampling_round.inspectors_per_check,
        sampling_round.seed,
    )
    result = [[check.unit_id, list(check.inspector_ids)] for check in redrawn]
    return result == sampling_round.result, result
