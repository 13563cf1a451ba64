from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from core import derived
from units.models import Unit, UserProfile
from units.roles import Role

_IMPORTED_FIELDS = [
    "name",
    "short_name",
    "code",
    "category_id",
    "sort_order",
    "is_active",
    "contact_name",
    "contact_phone",
]


@dataclass
class ImportSummary:
    created: int
    updated: int


@transaction.atomic
def import_units(rows, *, actor):
    """Write rows validated by `units.importers.parse_units`: all of them or, on error, none."""
    existing = Unit.objects.in_bulk([row.existing_id for row in rows if row.existing_id])
    to_create, to_update = [], []
    for row in rows:
        unit = existing[row.existing_id] if row.existing_id else Unit()
        for field in _IMPORTED_FIELDS:
            setattr(unit, field, getattr(row, field))
        (to_update if unit.pk else to_create).append(unit)
    Unit.objects.bulk_create(to_create)
    if to_update:
        Unit.objects.bulk_update(to_update, _IMPORTED_FIELDS)

    with_parent = [row for row in rows if row.parent]
    if with_parent:
        by_key = {}
        for unit_id, name, code in Unit.objects.values_list("id", "name", "code"):
            by_key[name] = unit_id
            if code:
                by_key.setdefault(code, unit_id)
        units = {unit.name: unit for unit in to_create + to_update}
        changed = []
        for row in with_parent:
            unit = units[row.name]
            unit.parent_id = by_key[row.parent]
            changed.append(unit)
        Unit.objects.bulk_update(changed, ["parent"])
    derived.changed()  # bulk writes send no signals
    return ImportSummary(created=len(to_create), updated=len(to_update))


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
