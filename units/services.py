from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_update_with_history

from core import derived
from core.editions import check_not_saved_since
from core.history import bulk_create_with_history
from training.services import follow_unit_changes
from units.importers import OPTIONAL_FIELDS
from units.models import Unit, UserProfile
from units.roles import Role


@dataclass
class ImportSummary:
    created: int
    updated: int


@transaction.atomic
def import_units(rows, *, actor):
    """Write rows validated by `units.importers.parse_units`: all of them or, on error, none.

    A field a row leaves blank (None) keeps an existing unit's value, or the model's default
    for a new unit. Parents are set once every unit of the file exists, so their order in the
    file does not matter."""
    existing = Unit.objects.in_bulk([row.existing_id for row in rows if row.existing_id])
    unit_of_row, to_create, to_update = {}, [], []
    for row in rows:
        unit = existing[row.existing_id] if row.existing_id else Unit()
        unit.name = row.name
        for field in OPTIONAL_FIELDS:
            value = getattr(row, field)
            if value is not None:
                setattr(unit, field, value)
        unit_of_row[row.row_number] = unit
        (to_update if unit.pk else to_create).append(unit)
    bulk_create_with_history(to_create, user=actor)
    if to_update:
        bulk_update_with_history(to_update, Unit, ["name", *OPTIONAL_FIELDS], default_user=actor)

    changed = []
    for row in rows:
        if row.parent_row is not None or row.parent_id is not None:
            unit = unit_of_row[row.row_number]
            parent_row = unit_of_row.get(row.parent_row)
            unit.parent_id = parent_row.pk if parent_row is not None else row.parent_id
            changed.append(unit)
    if changed:
        bulk_update_with_history(changed, Unit, ["parent"], default_user=actor)
    derived.changed()  # bulk writes send no signals
    if to_create or any(row.is_active is not None or row.category_id is not None for row in rows):
        follow_unit_changes()
    return ImportSummary(created=len(to_create), updated=len(to_update))


# what decides whether a training's scope names a unit
_SCOPE_FIELDS = {"is_active", "category"}


@transaction.atomic
def data_in_open_years(unit):
    """What `unit` has in the years not yet published, as a sentence (2026 年度：12 名参训人员、
    1 次已确认的抽查), or "" when it has nothing there."""
    from assessment.models import Adjustment, IndicatorValue, SpotCheck
    from core.models import Year
    from training.models import Attendee

    parts = []
    open_years = Year.objects.filter(locked_at__isnull=True).select_related("scheme")
    for year in open_years.order_by("year"):
        if getattr(year, "scheme", None) is not None and year.scheme.roster:
            continue  # a re-opened year keeps the units it published (Scheme.roster)
        attendees = Attendee.objects.filter(unit=unit, training__year=year.year).count()
        checks = SpotCheck.objects.filter(
            unit=unit, date__year=year.year, status=SpotCheck.Status.CONFIRMED
        ).count()
        values = IndicatorValue.objects.filter(unit=unit, indicator__scheme__year=year).count()
        adjustments = Adjustment.objects.filter(unit=unit, scheme__year=year).count()
        counted = [
            (attendees, ngettext("%(count)d attendee", "%(count)d attendees", attendees)),
            (
                checks,
                ngettext(
                    "%(count)d confirmed spot check", "%(count)d confirmed spot checks", checks
                ),
            ),
            (values, ngettext("%(count)d indicator value", "%(count)d indicator values", values)),
            (adjustments, ngettext("%(count)d adjustment", "%(count)d adjustments", adjustments)),
        ]
        found = "、".join(text % {"count": count} for count, text in counted if count)
        if found:
            parts.append(_("%(year)d: %(data)s") % {"year": year.year, "data": found})
    return "；".join(parts)


@transaction.atomic
def save_unit(form):
    """A unit from its validated form; the trainings still to come follow a unit created,
    enabled, disabled or moved to another category. A form opened before someone else saved
    the unit is refused (core.editions)."""
    created = form.instance.pk is None
    if not created:
        stored = Unit.objects.select_for_update().get(pk=form.instance.pk)
        check_not_saved_since(stored, form.cleaned_data.get("edition"))
    unit = form.save()
    if created or _SCOPE_FIELDS & set(form.changed_data):
        follow_unit_changes()
    return unit


@transaction.atomic
def assign_role(user, role, *, unit=None):
    """Give `user` a role; a liaison must be bound to exactly one unit."""
    if role == Role.LIAISON and unit is None:
        raise ValueError("A liaison must be bound to a unit.")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    if unit is not None:
        UserProfile.objects.update_or_create(user=user, defaults={"unit": unit})
    if role == Role.ADMIN and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_roles_cache", None)
    return user
