"""Each unit's training component, kept per (year, unit) in the database so that a write to one
unit's attendance does not make the next ranking aggregate the whole year's attendance again.

- **Writers** (signal receivers below, and the bulk writes of training/services.py) mark the
  affected units' rows *stale* inside their own transaction, by an upsert of those rows only:
  a rollback takes the mark back with the data; two writes to different units' inputs touch
  different rows and never wait on each other.
- **Readers** (`current_components`) read every row of the year in one query and recompute the
  rows that are stale, missing, or past `changes_at` (the start of the unit's next required
  training: the component counts the trainings held so far, so time alone changes it). The
  recomputation locks those rows first (`SELECT … FOR UPDATE`; SQLite's writes are serialized
  anyway) and only then reads the inputs, so it sees every writer that marked a row before it,
  and a writer that marks a row after it has computed leaves the row stale again: no value
  computed from older inputs can stay marked fresh.

`manage.py training_components` recomputes every row from scratch and compares (`--repair`
marks the differing rows stale). docs/ARCHITECTURE.md has the whole picture."""

from django.db import OperationalError, connection, transaction
from django.db.models import Min
from django.utils import timezone

from training.models import Requirement, Training, UnitTrainingComponent
from training.stats import components_from_scratch
from units.models import Unit

_INSERT_MISSING = """
INSERT INTO {table} (year, unit_id, stale) VALUES (%s, %s, %s)
ON CONFLICT (year, unit_id) DO NOTHING
"""
_STORE = """
UPDATE {table} SET value = %s, changes_at = %s, stale = %s WHERE year = %s AND unit_id = %s
"""
# beyond this many rows to recompute, the inputs of the whole year are read (no IN list)
_WHOLE_YEAR = 500


def mark_stale(pairs):
    """Mark the rows of `pairs` ((year, unit id), …) stale, creating the missing ones. Call it
    inside the transaction that writes their inputs."""
    pairs = sorted({(year, unit_id) for year, unit_id in pairs if year and unit_id})
    if not pairs:
        return
    UnitTrainingComponent.objects.bulk_create(
        [UnitTrainingComponent(year=year, unit_id=unit_id, stale=True) for year, unit_id in pairs],
        update_conflicts=True,
        unique_fields=["year", "unit"],
        update_fields=["stale"],
    )


def mark_year_stale(year):
    """Every row of `year` stale (a bulk write whose units are not listed)."""
    UnitTrainingComponent.objects.filter(year=year).update(stale=True)


def current_components(year, unit_ids=None):
    """{unit id: Decimal} for every unit (of `unit_ids`, when given) some held training of
    `year` required, from the kept rows; stale, missing and outdated rows are recomputed first.
    A fixed number of queries."""
    try:
        return _kept_components(year, unit_ids)
    except OperationalError:
        # the rows could not be read or locked now (SQLite's shared-cache in-memory database,
        # used by the tests, answers "table is locked" at once rather than waiting): the same
        # values, computed from scratch and not kept
        return components_from_scratch(year, timezone.now(), unit_ids)


def _kept_components(year, unit_ids):
    now = timezone.now()
    rows = {
        unit_id: (value, changes_at, stale)
        for unit_id, value, changes_at, stale in UnitTrainingComponent.objects.filter(
            year=year
        ).values_list("unit_id", "value", "changes_at", "stale")
    }
    if unit_ids is None:
        unit_ids = list(Unit.objects.values_list("pk", flat=True))
    else:
        rows = {unit_id: rows[unit_id] for unit_id in unit_ids if unit_id in rows}
    outdated = [
        unit_id
        for unit_id in unit_ids
        if unit_id not in rows
        or rows[unit_id][2]
        or (rows[unit_id][1] is not None and rows[unit_id][1] <= now)
    ]
    values = {unit_id: row[0] for unit_id, row in rows.items()}
    if outdated:
        values.update(recompute(year, outdated, whole_year=len(outdated) > _WHOLE_YEAR))
    return {unit_id: value for unit_id, value in values.items() if value is not None}


def recompute(year, unit_ids, *, whole_year=False):
    """Recompute and store the rows of `unit_ids` for `year`; {unit id: value or None}."""
    unit_ids = sorted(set(unit_ids))
    table = UnitTrainingComponent._meta.db_table
    with transaction.atomic():
        # every row must exist before it can be locked (plain statements: building 2,000 model
        # instances and their SQL took longer than the computation itself)
        with connection.cursor() as cursor:
            cursor.executemany(
                _INSERT_MISSING.format(table=table),
                [(year, unit_id, True) for unit_id in unit_ids],
            )
        rows = UnitTrainingComponent.objects.select_for_update().filter(year=year)
        if not whole_year:
            rows = rows.filter(unit_id__in=unit_ids)
        list(rows.order_by("unit_id").values_list("pk", flat=True))
        # the inputs are read only now, after the locks: everything a writer marked before is
        # committed and seen
        now = timezone.now()
        restrict = None if whole_year else unit_ids
        values = components_from_scratch(year, now, restrict)
        next_start = _next_starts(year, now, restrict)
        operations = connection.ops
        with connection.cursor() as cursor:
            cursor.executemany(
                _STORE.format(table=table),
                [
                    (
                        operations.adapt_decimalfield_value(values.get(unit_id), 5, 2),
                        operations.adapt_datetimefield_value(next_start.get(unit_id)),
                        False,
                        year,
                        unit_id,
                    )
                    for unit_id in unit_ids
                ],
            )
    return {unit_id: values.get(unit_id) for unit_id in unit_ids}


def _next_starts(year, now, unit_ids=None):
    """{unit id: when its next required training of `year` starts}, after `now`. One query."""
    requirements = Requirement.objects.filter(
        training__year=year, training__starts_at__gt=now
    ).exclude(training__status=Training.Status.CANCELLED)
    if unit_ids is not None:
        requirements = requirements.filter(unit_id__in=unit_ids)
    return dict(
        requirements.values("unit_id")
        .annotate(first=Min("training__starts_at"))
        .values_list("unit_id", "first")
        .order_by()
    )


def differences(year):
    """[(unit id, kept value, value from scratch)] for the fresh rows of `year` that disagree
    with a computation from scratch (stale and outdated rows are recomputed on reading)."""
    now = timezone.now()
    scratch = components_from_scratch(year, now)
    found = []
    for unit_id, value, changes_at in UnitTrainingComponent.objects.filter(
        year=year, stale=False
    ).values_list("unit_id", "value", "changes_at"):
        if changes_at is not None and changes_at <= now:
            continue
        if value != scratch.get(unit_id):
            found.append((unit_id, value, scratch.get(unit_id)))
    return found


# ----------------------------------------------------------------------------------------------
# Writers: the signal receivers (connected in training/apps.py)
# ----------------------------------------------------------------------------------------------

_MOVED = {"training", "training_id", "unit", "unit_id"}
_ATTENDEE_FIELDS = {*_MOVED, "status"}
_TRAINING_FIELDS = {"starts_at", "status", "year"}


def _training_year(training_id, instance):
    cached = instance._state.fields_cache.get("training")
    if cached is not None:
        return cached.year
    return Training.objects.filter(pk=training_id).values_list("year", flat=True).first()


def _before(sender, instance, update_fields, fields, query):
    if instance.pk is None or (update_fields is not None and not fields & set(update_fields)):
        return None
    return sender.objects.filter(pk=instance.pk).values_list(*query).first()


def attendee_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    instance._component_before = _before(
        sender, instance, update_fields, _MOVED, ("training__year", "unit_id")
    )


def attendee_post_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None and not _ATTENDEE_FIELDS & set(update_fields):
        return
    before = getattr(instance, "_component_before", None)
    year = _training_year(instance.training_id, instance)
    mark_stale([(year, instance.unit_id), *filter(None, [before])])


def requirement_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    instance._component_before = _before(
        sender, instance, None, set(), ("training__year", "unit_id")
    )


requirement_post_save = attendee_post_save


def attendee_post_delete(sender, instance, **kwargs):
    mark_stale([(_training_year(instance.training_id, instance), instance.unit_id)])


def training_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    instance._component_before = _before(
        sender, instance, update_fields, _TRAINING_FIELDS, ("year", "status", "starts_at")
    )


def training_post_save(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_component_before", None)
    if raw or created or before is None:
        return  # a new training requires nobody yet
    if before == (instance.year, instance.status, instance.starts_at):
        return
    units = list(instance.requirements.values_list("unit_id", flat=True))
    mark_stale([(year, unit_id) for year in {before[0], instance.year} for unit_id in units])


def training_pre_delete(sender, instance, **kwargs):
    """Lock every required unit's row in unit order before the cascade deletes the
    requirements and attendees one by one (in their own order)."""
    units = instance.requirements.values_list("unit_id", flat=True)
    mark_stale((instance.year, unit_id) for unit_id in units)
