"""Read-only figures of a year's training: the per-unit component for the assessment and the
statistics page. Every function runs a fixed number of queries whatever the number of units."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from core.decimals import round_score
from core.derived import TRAINING, cached
from training.models import AttendanceMark, Attendee, Requirement, Training
from training.scoring import training_component, training_rate
from units.models import Unit


def held_training_count(year: int, as_of: datetime | None = None) -> int:
    """How many of the year's trainings have started and were not cancelled: the training
    component counts these, so the number grows with time alone."""
    held = Training.objects.filter(year=year, starts_at__lte=as_of or timezone.now())
    return held.exclude(status=Training.Status.CANCELLED).count()


def kept_while_unchanged[T](name: str, year: int, compute: Callable[[], T]) -> T:
    """`compute()` for `year`, cached until a training, requirement or attendee is written or
    another of the year's trainings starts: the figures that count held trainings are cached
    this way."""
    return cached(f"{name}:{year}:held-{held_training_count(year)}", compute, [TRAINING])


# Grouping requirements by unit, seats and attendance (capped at the seats) is the whole cost of
# the training component at scale; a join on pre-grouped attendance is what the database does
# fastest, and the ORM cannot express it, hence plain SQL. Only counts leave the database: the
# fractions are formed exactly in training.scoring.
_GROUPED_REQUIREMENTS = """
SELECT r.unit_id, r.seats,
       CASE WHEN COALESCE(a.n, 0) > r.seats THEN r.seats ELSE COALESCE(a.n, 0) END,
       COUNT(*)
FROM {requirement} r
JOIN {training} t ON t.id = r.training_id
LEFT JOIN (SELECT training_id, unit_id, COUNT(*) AS n FROM {attendee}
           WHERE status = %s{attendee_units} GROUP BY training_id, unit_id) a
       ON a.training_id = r.training_id AND a.unit_id = r.unit_id
WHERE t.year = %s AND t.status <> %s AND t.starts_at <= %s{requirement_units}
GROUP BY 1, 2, 3
"""


def _grouped_requirements(
    year: int, as_of: datetime | None = None, unit_ids: Iterable[int] | None = None
) -> dict[int, list[tuple[int, int, int]]]:
    """{unit id: [(attended capped at the seats, seats, number of trainings alike)]} over the
    held trainings of `year` that required the unit (of `unit_ids` only, when given). One
    query."""
    units = ""
    if unit_ids is not None:
        unit_ids = list(unit_ids)
        units = f" AND unit_id IN ({', '.join(['%s'] * len(unit_ids))})" if unit_ids else " AND 0=1"
    sql = _GROUPED_REQUIREMENTS.format(
        requirement=Requirement._meta.db_table,
        training=Training._meta.db_table,
        attendee=Attendee._meta.db_table,
        attendee_units=units,
        requirement_units=units.replace("unit_id", "r.unit_id"),
    )
    params = [
        Attendee.Status.ATTENDED,
        *(unit_ids or ()),
        year,
        Training.Status.CANCELLED,
        as_of or timezone.now(),
        *(unit_ids or ()),
    ]
    per_unit = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for unit_id, seats, capped, trainings in cursor.fetchall():
            per_unit.setdefault(unit_id, []).append((capped, seats, trainings))
    return per_unit


def unit_training_components(
    year: int, as_of: datetime | None = None, unit_ids: Iterable[int] | None = None
) -> dict[int, Decimal]:
    """{unit id: Decimal component} for every unit (of `unit_ids`, when given) some held
    training of `year` required. Units missing from the result have no training component.
    Now: from the kept per-unit rows (training/components.py, a fixed number of queries); at
    another moment `as_of`: from scratch, one query."""
    if as_of is None:
        from training.components import current_components

        return current_components(year, unit_ids)
    return components_from_scratch(year, as_of, unit_ids)


def components_from_scratch(
    year: int, as_of: datetime | None = None, unit_ids: Iterable[int] | None = None
) -> dict[int, Decimal]:
    """What `unit_training_components` returns, computed from the requirements and attendance
    (of `unit_ids` only, when given). One query."""
    return {
        unit_id: training_component(rows)
        for unit_id, rows in _grouped_requirements(year, as_of, unit_ids).items()
    }


def attendance_level(attended: int, seats: int) -> str:
    """How a unit met one training's requirement: "full" (every seat attended), "partly" or
    "missed". The one definition for the statistics, the breakdown and its rows."""
    if attended >= seats:
        return "full"
    return "partly" if attended else "missed"


@dataclass
class UnitTrainingRow:
    unit_id: int
    required: int = 0
    full: int = 0
    partly: int = 0
    missed: int = 0
    component: object = None


def unit_training_rows(year: int, as_of: datetime | None = None) -> dict[int, UnitTrainingRow]:
    """Per unit: held trainings required, attended in full, partly, missed, and the component.
    One query, as for the component."""
    rows = {}
    for unit_id, groups in _grouped_requirements(year, as_of).items():
        row = rows[unit_id] = UnitTrainingRow(unit_id, component=training_component(groups))
        for capped, seats, trainings in groups:
            row.required += trainings
            level = attendance_level(capped, seats)
            setattr(row, level, getattr(row, level) + trainings)
    return rows


def unit_training_details(year: int, unit: Unit) -> list[dict]:
    """The unit's breakdown: each held (not cancelled) training of `year` that required it, in
    date order, with its seats, people attended, rate and level. Two queries."""
    requirements = (
        Requirement.objects.filter(
            unit=unit, training__year=year, training__starts_at__lte=timezone.now()
        )
        .exclude(training__status=Training.Status.CANCELLED)
        .select_related("training")
        .order_by("training__starts_at")
    )
    attended = dict(
        Attendee.objects.filter(training__year=year, unit=unit, status=Attendee.Status.ATTENDED)
        .values_list("training_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    details = []
    for requirement in requirements:
        count = attended.get(requirement.training_id, 0)
        details.append(
            {
                "training": requirement.training,
                "seats": requirement.seats,
                "attended": count,
                "rate": round_score(training_rate(count, requirement.seats)),
                "status": attendance_level(count, requirement.seats),
            }
        )
    return details


def year_summary(year: int, held_by: datetime | None = None) -> dict:
    """Totals for the statistics page: trainings, batches, registrations, person-times,
    units required and covered (at least one person attended a training that required it).
    With `held_by`, of the trainings that had started by then only (what the year's 通报 and
    the leader's "trainings held" report), else of every training planned."""
    trainings = Training.objects.in_year(year).exclude(status=Training.Status.CANCELLED)
    if held_by is not None:
        trainings = trainings.filter(starts_at__lte=held_by)
    totals = trainings.aggregate(
        trainings=Count("id", distinct=True), batches=Count("batch", distinct=True)
    )
    totals.update(
        Attendee.objects.filter(training__in=trainings).aggregate(
            registered=Count("id"),
            person_times=Count("id", filter=Q(status=Attendee.Status.ATTENDED)),
        )
    )
    requirements = Requirement.objects.filter(training__in=trainings)
    attended_there = Attendee.objects.filter(
        training=OuterRef("training"), unit=OuterRef("unit"), status=Attendee.Status.ATTENDED
    )
    totals["required_units"] = requirements.values("unit_id").distinct().count()
    totals["covered_units"] = (
        requirements.filter(Exists(attended_there)).values("unit_id").distinct().count()
    )
    totals["coverage"] = (
        round_score(Fraction(totals["covered_units"] * 100, totals["required_units"]))
        if totals["required_units"]
        else None
    )
    return totals


def attendance_by_unit(training: Training) -> tuple[list[dict], dict]:
    """Per unit of the training (required or with attendees): seats, registered and each
    status; plus totals. Three queries."""
    seats = dict(training.requirements.values_list("unit_id", "seats"))
    counts = {}
    for unit_id, status, count in (
        training.attendees.values_list("unit_id", "status").annotate(count=Count("id")).order_by()
    ):
        counts.setdefault(unit_id, {})[status] = count
    units = Unit.objects.filter(pk__in=set(seats) | set(counts)).select_related("category")
    statuses = ["attended", "partial", "absent", "excused", "registered"]
    rows = []
    for unit in units:
        by_status = counts.get(unit.pk, {})
        row = {"unit": unit, "unit_name": unit.name, "seats": seats.get(unit.pk, 0)}
        row.update({status: by_status.get(status, 0) for status in statuses})
        row["pending"] = row.pop("registered")
        row["registered"] = sum(by_status.values())
        row["missing"] = max(row["seats"] - row["registered"], 0)
        rows.append(row)
    totals = {
        key: sum(row[key] for row in rows)
        for key in ["seats", "registered", "attended", "partial", "absent", "excused", "missing"]
    }
    return rows, totals


@dataclass
class DayAttendance:
    """One day of a training as the sign-in desk sees it."""

    registered: int
    present: int
    excused: int
    # (unit name, [names], how many more) of those neither present nor excused, in the units'
    # order: at most MISSING_NAMES_SHOWN names a unit, so that the page and the panel it
    # refreshes every few seconds stay small at thousands of people
    missing: list


MISSING_NAMES_SHOWN = 30


def day_attendance(training, day):
    """Who is present on `day`, in two queries however many attendees."""
    marks = dict(
        AttendanceMark.objects.filter(attendee__training=training, day=day).values_list(
            "attendee_id", "status"
        )
    )
    present = excused = 0
    missing = {}
    for attendee in training.attendees.select_related("unit").only("id", "name", "unit__name"):
        status = marks.get(attendee.pk)
        if status == AttendanceMark.Status.PRESENT:
            present += 1
        elif status == AttendanceMark.Status.EXCUSED:
            excused += 1
        else:
            missing.setdefault(attendee.unit.name, []).append(attendee.name)
    registered = present + excused + sum(len(names) for names in missing.values())
    shown = [
        (unit, names[:MISSING_NAMES_SHOWN], max(len(names) - MISSING_NAMES_SHOWN, 0))
        for unit, names in missing.items()
    ]
    return DayAttendance(registered, present, excused, shown)
