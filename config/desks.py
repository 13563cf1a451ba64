"""Each role's desk on the home page: the work waiting for this user, each item linking to where
it is done. Every list is read in a fixed number of queries, whatever the number of units."""

from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessment.models import PublishedResult, Rectification, SelfAssessment, SpotCheck
from assessment.ranking import grade_labels
from core.models import Year
from training.models import AttendanceMark, Attendee, Requirement, Training, WalkIn
from units.roles import Role, bound_unit_id, has_role
from workdays.counting import WorkingCalendar, working_days_left

LIMIT = 10  # items per list; each list links to the full page

# Rectifications the unit still has to answer.
AWAITING_UNIT = (Rectification.Status.OPEN, Rectification.Status.RETURNED)


def desks_for(user, year, now=None):
    """{role: that role's desk} for the roles the user holds, in a fixed order."""
    now = now or timezone.now()
    desks = {}
    if has_role(user, Role.LIAISON) and bound_unit_id(user) is not None:
        desks["liaison"] = liaison_desk(user, now)
    if has_role(user, Role.INSPECTOR):
        desks["inspector"] = inspector_desk(user, now)
    if has_role(user, Role.ORGANIZER):
        desks["organizer"] = organizer_desk(year, now)
    return desks


def _with_days_left(rectifications, today):
    calendar = WorkingCalendar()  # one read of each year's calendar for the whole list
    for rectification in rectifications:
        rectification.days_left = working_days_left(
            today, rectification.deadline, calendar=calendar
        )
        rectification.days_overdue = max(-rectification.days_left, 0)
    return rectifications


def liaison_desk(user, now):
    unit_id = bound_unit_id(user)
    today = timezone.localdate(now)
    registered = (
        Attendee.objects.filter(training=OuterRef("training"), unit_id=unit_id)
        .order_by()
        .values("training")
        .annotate(count=Count("id"))
        .values("count")
    )
    trainings = list(
        Requirement.objects.filter(
            unit_id=unit_id,
            training__status=Training.Status.OPEN,
            training__starts_at__gte=now,
        )
        .select_related("training")
        .annotate(registered=Coalesce(Subquery(registered, output_field=IntegerField()), Value(0)))
        .order_by("training__starts_at")[:LIMIT]
    )
    for requirement in trainings:
        requirement.seats_left = max(requirement.seats - requirement.registered, 0)
    rectifications = _with_days_left(
        list(
            Rectification.objects.visible_to(user)
            .filter(status__in=AWAITING_UNIT)
            .select_related("spot_check__unit")
            .order_by("deadline", "pk")[:LIMIT]
        ),
        today,
    )
    result = (
        PublishedResult.objects.filter(unit_id=unit_id, scheme__year__locked_at__isnull=False)
        .select_related("scheme__year")
        .order_by("-scheme__year__year")
        .first()
    )
    if result is not None:
        result.grade_label = grade_labels().get(result.grade, "")
    return {
        "trainings": trainings,
        "rectifications": rectifications,
        "result": result,
        "self_assessments": _open_self_assessments(unit_id, today),
    }


def _open_self_assessments(unit_id, today):
    """The unit's self-assessments of campaigns open today (of a year not published): those to
    submit, and those submitted (so that the desk does not read as if nothing were running)."""
    published = Year.objects.filter(locked_at__isnull=False).values("year")
    return list(
        SelfAssessment.objects.filter(
            unit_id=unit_id,
            campaign__opens_on__lte=today,
            campaign__closes_on__gte=today,
        )
        .exclude(campaign__year__in=published)
        .select_related("campaign")
        .order_by("campaign__closes_on", "pk")[:LIMIT]
    )


def inspector_desk(user, now):
    mine = SpotCheck.objects.filter(inspectors=user).select_related("unit").order_by("date", "pk")
    unit_id = bound_unit_id(user)
    to_confirm = (
        SpotCheck.objects.filter(status=SpotCheck.Status.SUBMITTED)
        .exclude(inspectors=user)
        .select_related("unit")
        .order_by("date", "pk")
    )
    answers = (
        Rectification.objects.filter(status=Rectification.Status.ANSWERED)
        .select_related("spot_check__unit")
        .order_by("responded_at", "pk")
    )
    overdue = (
        Rectification.objects.overdue(timezone.localdate(now))
        .select_related("spot_check__unit")
        .order_by("deadline")
    )
    if unit_id is not None:  # an inspector never acts on its own unit
        to_confirm = to_confirm.exclude(unit_id=unit_id)
        answers = answers.exclude(spot_check__unit_id=unit_id)
        overdue = overdue.exclude(spot_check__unit_id=unit_id)
    return {
        "planned": list(mine.filter(status=SpotCheck.Status.PLANNED)[:LIMIT]),
        "in_progress": list(mine.filter(status=SpotCheck.Status.IN_PROGRESS)[:LIMIT]),
        "to_confirm": list(to_confirm[:LIMIT]),
        "answers": list(answers[:LIMIT]),
        "overdue": list(overdue[:LIMIT]),
    }


def organizer_desk(year, now):
    return {
        "today": _trainings_today(now),
        "upcoming": _upcoming_trainings(now),
        "attendance_due": _days_without_attendance(year, now),
    }


def _trainings_today(now):
    """Trainings held today: how many of those registered have signed in today, and walk-ins
    (现场报名) waiting for the organizer. Four queries."""
    today = timezone.localdate(now)
    start = timezone.make_aware(datetime.combine(today, time.min))
    trainings = list(
        Training.objects.filter(starts_at__lt=start + timedelta(days=1), ends_at__gte=start)
        .exclude(status=Training.Status.CANCELLED)
        .order_by("starts_at")[:LIMIT]
    )

    def per_training(queryset, field):
        return dict(queryset.values_list(field).annotate(count=Count("id")).order_by())

    registered = per_training(Attendee.objects.filter(training__in=trainings), "training")
    present = per_training(
        AttendanceMark.objects.filter(
            attendee__training__in=trainings, day=today, status=AttendanceMark.Status.PRESENT
        ),
        "attendee__training",
    )
    waiting = per_training(
        WalkIn.objects.filter(training__in=trainings, status=WalkIn.Status.PENDING), "training"
    )
    for training in trainings:
        training.today = {
            "day": today,
            "registered": registered.get(training.pk, 0),
            "present": present.get(training.pk, 0),
            "walk_ins": waiting.get(training.pk, 0),
        }
    return trainings


def _upcoming_trainings(now):
    """Trainings not yet started, with how many required units have registered nobody and how
    many required seats are still empty (a unit's extra people fill no other unit's seat)."""
    trainings = list(
        Training.objects.filter(starts_at__gte=now)
        .exclude(status__in=[Training.Status.CANCELLED, Training.Status.FINISHED])
        .order_by("starts_at")[:LIMIT]
    )
    registered = (
        Attendee.objects.filter(training=OuterRef("training"), unit=OuterRef("unit"))
        .order_by()
        .values("training")
        .annotate(count=Count("id"))
        .values("count")
    )
    requirements = (
        Requirement.objects.filter(training__in=trainings)
        .annotate(registered=Coalesce(Subquery(registered, output_field=IntegerField()), Value(0)))
        .values_list("training_id", "seats", "registered")
    )
    figures = {
        training.pk: {"units": 0, "missing": 0, "seats": 0, "empty": 0} for training in trainings
    }
    for training_id, seats, count in requirements:
        row = figures[training_id]
        row["units"] += 1
        row["missing"] += count == 0
        row["seats"] += seats
        row["empty"] += max(seats - count, 0)
    for training in trainings:
        training.figures = figures[training.pk]
    return trainings


def _days_without_attendance(year, now):
    """(training, day) pairs of the year's trainings, up to today, on which nobody's attendance
    was recorded although people are registered."""
    today = timezone.localdate(now)
    trainings = list(
        Training.objects.in_year(year)
        .filter(starts_at__lte=now, starts_at__gte=now - timedelta(days=366))
        .exclude(status=Training.Status.CANCELLED)
        .filter(Exists(Attendee.objects.filter(training=OuterRef("pk"))))
        .order_by("-starts_at")
    )
    marked = set(
        AttendanceMark.objects.filter(attendee__training__in=trainings)
        .values_list("attendee__training_id", "day")
        .distinct()
    )
    due = [
        (training, day)
        for training in trainings
        for day in training.days()
        if day <= today and (training.pk, day) not in marked
    ]
    return due[:LIMIT]


def leader_progress(year, now=None):
    """How far the year has come: checks by status, trainings held, rectifications closed."""
    checks = SpotCheck.objects.filter(date__year=year).aggregate(
        total=Count("id"),
        confirmed=Count("id", filter=Q(status=SpotCheck.Status.CONFIRMED)),
        submitted=Count("id", filter=Q(status=SpotCheck.Status.SUBMITTED)),
        open=Count(
            "id", filter=Q(status__in=[SpotCheck.Status.PLANNED, SpotCheck.Status.IN_PROGRESS])
        ),
    )
    trainings = (
        Training.objects.in_year(year)
        .exclude(status=Training.Status.CANCELLED)
        .aggregate(
            total=Count("id"),
            held=Count("id", filter=Q(ends_at__lt=now or timezone.now())),
        )
    )
    rectifications = Rectification.objects.filter(spot_check__date__year=year).aggregate(
        total=Count("id"),
        verified=Count("id", filter=Q(status=Rectification.Status.VERIFIED)),
    )
    return {
        "checks": checks,
        "trainings": trainings,
        "rectifications": rectifications,
        "bars": [
            _bar("checks", checks["confirmed"], checks["total"]),
            _bar("trainings", trainings["held"], trainings["total"]),
            _bar("rectifications", rectifications["verified"], rectifications["total"]),
        ],
    }


def _bar(name, done, total):
    return {"name": name, "done": done, "total": total}
