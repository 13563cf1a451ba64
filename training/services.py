"""Every write of the training module that has a rule: views, the importer, seed_demo and tests
all call these."""

from collections import Counter
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.derived import TRAINING, changed
from core.editions import check_not_saved_since
from core.errors import DomainError
from core.history import bulk_create_with_history
from core.years import YearLocked, ensure_year_open, is_year_locked
from training.checkin import day_window, name_key, phone_digits, phone_matches
from training.components import mark_stale
from training.models import AttendanceMark, Attendee, Requirement, Training, WalkIn
from units.models import Unit
from units.roles import Role, bound_unit_id, can_organize_training, has_role


class TrainingError(DomainError):
    """A rule of the training module refused a write."""


is_organizer = can_organize_training


def required_units(training):
    """The units the training's scope names (active units only), before seats."""
    units = Unit.objects.active()
    match training.scope:
        case Training.Scope.ALL:
            return units
        case Training.Scope.CATEGORIES:
            return units.filter(category__in=training.required_categories.all())
        case Training.Scope.UNITS:
            return units.filter(pk__in=training.required_units.all())
    return units.none()


@transaction.atomic
def save_training(form, lecturers, *, actor):
    """A training from its validated form, with its lecturers (a validated formset) and the
    requirements its scope implies, in one transaction, never into or out of a published year
    (the year's lock is held to the end, as for every write of a year's data)."""
    years = {timezone.localtime(form.cleaned_data["starts_at"]).year}
    if form.instance.pk:
        stored = Training.objects.select_for_update().get(pk=form.instance.pk)
        check_not_saved_since(stored, form.cleaned_data.get("edition"))
        years.add(stored.year)
    for year in sorted(years):
        ensure_year_open(year)
    if not form.instance.pk:
        form.instance.created_by = actor
    training = form.save()
    lecturers.instance = training
    lecturers.save()
    sync_requirements(training)
    return training


@transaction.atomic
def sync_requirements(training):
    """Store which units must attend and with how many seats, from the training's scope."""
    wanted = set(required_units(training).values_list("pk", flat=True))
    before = set(training.requirements.values_list("unit_id", flat=True))
    # the kept components of every unit added, removed or re-seated (the queryset writes
    # below send no signals)
    mark_stale((training.year, unit_id) for unit_id in wanted | before)
    training.requirements.exclude(unit_id__in=wanted).delete()
    training.requirements.filter(unit_id__in=wanted).update(seats=training.seats_per_unit)
    existing = set(training.requirements.values_list("unit_id", flat=True))
    Requirement.objects.bulk_create(
        Requirement(training=training, unit_id=unit_id, seats=training.seats_per_unit)
        for unit_id in wanted - existing
    )
    changed(TRAINING)  # the queryset update and delete above send no signals


def follow_unit_changes():
    """Trainings not yet started take the units their scope names now: a unit created or
    enabled (or moved into a required category) is required, one disabled or moved out is no
    longer. Trainings already started, and those of a published year, keep the units they
    required: what they counted stays as it was."""
    upcoming = Training.objects.filter(starts_at__gt=timezone.now()).exclude(
        status=Training.Status.CANCELLED
    )
    for training in upcoming:
        if not is_year_locked(training.year):
            sync_requirements(training)


def seats_for(training, unit):
    requirement = training.requirements.filter(unit=unit).first()
    return requirement.seats if requirement else 0


# People one training can take, whatever its capacity: the attendance sheet lists everyone on
# one page (an import of 50,000 made it 65 MB), and a city's largest trainings are hundreds.
MAX_ATTENDEES = 10_000


def too_many_attendees(registered, adding):
    """The message when `adding` more people would pass MAX_ATTENDEES, else None."""
    if registered + adding <= MAX_ATTENDEES:
        return None
    return _(
        "A training can take at most %(limit)d people; it has %(registered)d and this would "
        "add %(adding)d. Split it into batches."
    ) % {"limit": MAX_ATTENDEES, "registered": registered, "adding": adding}


def check_registration_allowed(training, unit, actor, *, adding=1):
    """Raise TrainingError when `actor` may not register `adding` more people of `unit`."""
    _check_training_accepts(training)
    problem = too_many_attendees(training.attendees.count(), adding)
    if problem:
        raise TrainingError(problem, "too_many")
    if not is_organizer(actor):
        _check_unit_seats(training, unit, actor, adding)
    if training.capacity is not None:
        taken = training.attendees.count()
        if taken + adding > training.capacity:
            raise TrainingError(
                _("The training is full: %(taken)d of %(capacity)d places are taken.")
                % {"taken": taken, "capacity": training.capacity},
                "full",
            )


def check_import_allowed(training, actor):
    """Raise when the training's status or its published year refuses every row `actor` could
    import (what register_attendees checks first), so the preview can say so at once."""
    _check_training_accepts(training)
    if not is_organizer(actor) and training.status != Training.Status.OPEN:
        raise TrainingError(_("Registration for this training is not open."), "not_open")


def _check_training_accepts(training, *, changing=False):
    """`changing`: a registration corrected or removed, rather than one added."""
    ensure_year_open(training.year)
    if training.status in (Training.Status.CANCELLED, Training.Status.FINISHED):
        message = (
            _("The training is %(status)s; its registrations can no longer be changed.")
            if changing
            else _("The training is %(status)s; nobody can be registered.")
        )
        raise TrainingError(message % {"status": training.get_status_display()}, "closed")


def may_change_registrations(training, user):
    """Whether `user` is offered to add, correct and remove registrations: what the services
    check first (the year open, the training neither over nor cancelled, a liaison only while
    registration is open)."""
    try:
        _check_training_accepts(training)
    except DomainError:
        return False
    return is_organizer(user) or training.status == Training.Status.OPEN


def _check_unit_seats(training, unit, actor, adding):
    """A liaison registers only people of their own unit, while registration is open, within
    the unit's seats."""
    if not has_role(actor, Role.LIAISON) or bound_unit_id(actor) != unit.pk:
        raise TrainingError(_("You may only register people of your own unit."), "other_unit")
    if training.status != Training.Status.OPEN:
        raise TrainingError(_("Registration for this training is not open."), "not_open")
    seats = seats_for(training, unit)
    taken = training.attendees.filter(unit=unit).count()
    if taken + adding > seats:
        raise TrainingError(
            _("%(unit)s may send %(seats)d people and has registered %(taken)d.")
            % {"unit": unit, "seats": seats, "taken": taken},
            "no_seats",
        )


@transaction.atomic
def register_attendee(training, *, unit, name, phone, actor, position="", duty=None, note=""):
    training = Training.objects.select_for_update().get(pk=training.pk)
    check_registration_allowed(training, unit, actor)
    if training.attendees.filter(name=name, phone=phone).exists():
        raise TrainingError(
            _("%(name)s (%(phone)s) is already registered for this training.")
            % {"name": name, "phone": phone},
            "duplicate",
        )
    return Attendee.objects.create(
        training=training,
        unit=unit,
        name=name,
        phone=phone,
        position=position,
        duty=duty or Attendee.Duty.OFFICER,
        note=note,
        registered_by=actor,
    )


@transaction.atomic
def register_attendees(training, rows, *, actor):
    """Register validated import rows: all of them, or none when any is refused."""
    training = Training.objects.select_for_update().get(pk=training.pk)
    _check_training_accepts(training)
    if not is_organizer(actor):
        units = Unit.objects.in_bulk({row.unit_id for row in rows})
        for unit_id, count in Counter(row.unit_id for row in rows).items():
            _check_unit_seats(training, units[unit_id], actor, count)
    disabled = Unit.objects.filter(pk__in={row.unit_id for row in rows}, is_active=False).first()
    if disabled is not None:  # since the preview, which refuses a disabled unit's rows
        raise TrainingError(
            _("%(unit)s has been disabled since the file was checked; upload it again.")
            % {"unit": disabled.name},
            "unit_disabled",
        )
    registered = set(training.attendees.values_list("name", "phone"))
    duplicates = [row for row in rows if (row.name, row.phone) in registered]
    if duplicates:
        raise TrainingError(
            _("%(name)s (%(phone)s) is already registered for this training.")
            % {"name": duplicates[0].name, "phone": duplicates[0].phone},
            "duplicate",
        )
    problem = too_many_attendees(training.attendees.count(), len(rows))
    if problem:
        raise TrainingError(problem, "too_many")
    check_capacity = training.capacity is not None
    if check_capacity and training.attendees.count() + len(rows) > training.capacity:
        raise TrainingError(_("The training does not have enough places left."), "full")
    changed(TRAINING)  # bulk_create sends no signals
    mark_stale((training.year, row.unit_id) for row in rows)
    return bulk_create_with_history(
        [
            Attendee(
                training=training,
                unit_id=row.unit_id,
                name=row.name,
                phone=row.phone,
                position=row.position,
                duty=row.duty,
                note=row.note,
                registered_by=actor,
            )
            for row in rows
        ],
        user=actor,
    )


@transaction.atomic
def update_attendee(
    attendee, *, unit, name, phone, actor, position="", duty=None, note="", edition=None
):
    """Correct a registration under the rules of adding one: the year open and the training
    taking registrations; a liaison only for its own unit, while registration is open, within
    its seats; no second registration of the same person. The change is kept in the history."""
    training = Training.objects.select_for_update().get(pk=attendee.training_id)
    # read again: a bound ModelForm has already written the new values onto the instance
    current = Attendee.objects.select_related("unit").get(pk=attendee.pk)
    check_not_saved_since(current, edition)  # the training's row lock serializes its edits
    _check_training_accepts(training, changing=True)
    if not is_organizer(actor):
        _check_unit_seats(training, current.unit, actor, 0)
        if unit.pk != current.unit_id:
            _check_unit_seats(training, unit, actor, 1)
        identity = (current.unit_id, current.name, current.phone)
        if identity != (unit.pk, name, phone) and current.marks.exists():
            # the marks are this person's: another name would take over a sign-in (trial 9)
            raise TrainingError(
                _(
                    "%(name)s already has attendance marks: the unit, name and phone can no "
                    "longer be changed. If they are wrong, ask the training's organizer."
                )
                % {"name": current.name},
                "has_marks",
            )
    if training.attendees.filter(name=name, phone=phone).exclude(pk=current.pk).exists():
        raise TrainingError(
            _("%(name)s (%(phone)s) is already registered for this training.")
            % {"name": name, "phone": phone},
            "duplicate",
        )
    current.unit = unit
    current.name = name
    current.phone = phone
    current.position = position
    current.duty = duty or Attendee.Duty.OFFICER
    current.note = note
    current._history_user = actor
    current._change_reason = _("Registration corrected")
    current.save()
    return current


@transaction.atomic
def remove_attendee(attendee, *, actor):
    _check_training_accepts(attendee.training, changing=True)
    check_registration_allowed(attendee.training, attendee.unit, actor, adding=0)
    if attendee.marks.exists():
        raise TrainingError(
            _("%(name)s already has attendance marks and cannot be removed.")
            % {"name": attendee.name},
            "has_marks",
        )
    attendee.delete()


def overall_status(day_statuses, number_of_days):
    """An attendee's status from its marks: attended only when present on every day."""
    present = sum(status == AttendanceMark.Status.PRESENT for status in day_statuses)
    if number_of_days and present == number_of_days:
        return Attendee.Status.ATTENDED
    if present:
        return Attendee.Status.PARTIAL
    if AttendanceMark.Status.EXCUSED in day_statuses:
        return Attendee.Status.EXCUSED
    if AttendanceMark.Status.ABSENT in day_statuses:
        return Attendee.Status.ABSENT
    return Attendee.Status.REGISTERED


@transaction.atomic
def mark_attendance(training, day, statuses, *, actor, at=None, seen=None):
    """Record each attendee's presence on `day` ({attendee id: AttendanceMark.Status or ""})
    and recompute their overall status. An empty status removes that day's mark. A new
    check-in is timed `at`, or now when the day is today; marked later, its time is unknown.

    `seen` ({attendee id: status or ""}) is what the page showed: an attendee whose mark is
    no longer that (they scanned the code while the page was open) keeps it, and is returned
    among the conflicts, with the mark, for the page to say so. Returns the conflicts."""
    ensure_year_open(training.year)
    if day not in training.days():
        raise TrainingError(_("The training does not run on that day."), "bad_day")
    today = timezone.localdate()
    if day > today:
        raise TrainingError(
            _("Attendance of %(day)s can be taken from that day on, not before.")
            % {"day": date_format(day, "DATE_FORMAT")},
            "future_day",
        )
    if training.status == Training.Status.CANCELLED:
        raise TrainingError(_("The training is cancelled."), "cancelled")
    # locked in one order, as a scan of the code locks its attendee before writing its mark
    locked = training.attendees.filter(pk__in=statuses).order_by("pk")
    attendees = {a.pk: a for a in locked.select_for_update(of=("self",))}
    if len(attendees) != len(statuses):
        raise TrainingError(_("Some attendees do not belong to this training."), "bad_attendee")
    # the kept components of the attendees' units (training/components.py), locked at once in
    # unit order: two sheets marked at the same time then never lock each other's units in
    # opposite orders
    mark_stale((training.year, attendee.unit_id) for attendee in attendees.values())
    now = at or (timezone.now() if day == today else None)
    marks = {
        mark.attendee_id: mark
        for mark in AttendanceMark.objects.filter(attendee__in=attendees.values(), day=day)
    }
    conflicts = []
    for attendee_id, status in statuses.items():
        mark = marks.get(attendee_id)
        stored = mark.status if mark else ""
        if seen is not None and attendee_id in seen and stored != seen[attendee_id]:
            conflicts.append(CheckedIn(attendees[attendee_id], mark))
            continue
        if not status:
            if mark:
                mark.delete()
            continue
        if mark is None:
            mark = AttendanceMark(attendee_id=attendee_id, day=day, marked_by=actor)
        elif mark.status == status:
            continue
        mark.status = status
        mark.marked_by = actor
        mark.method = AttendanceMark.Method.MANUAL
        mark.checked_in_at = (mark.checked_in_at or now) if status == "present" else None
        mark.save()
    _refresh_overall_status(training, attendees.values())
    return conflicts


@dataclass
class CheckedIn:
    attendee: Attendee
    mark: AttendanceMark


def _no_match():
    return TrainingError(
        _(
            "The name or phone number does not match a registration for this training. Check "
            "them, or ask the staff at the sign-in desk, who can sign you in by hand."
        ),
        "no_match",
    )


def check_in_open(training, day, at):
    """Check-in and walk-ins: the year open, the training on, `day` today, `at` in its window."""
    try:
        ensure_year_open(training.year)
    except YearLocked:
        raise TrainingError(
            _(
                "Sign-in for this training is closed: the results of its year have been "
                "published. Please ask the staff at the venue."
            ),
            "year_locked",
        ) from None
    if training.status == Training.Status.CANCELLED:
        raise TrainingError(_("The training is cancelled."), "cancelled")
    if day not in training.days() or day != timezone.localdate(at):
        raise TrainingError(
            _(
                "This code is for %(day)s, not for today. Please scan the code shown at the "
                "venue today."
            )
            % {"day": date_format(day, "DATE_FORMAT")},
            "other_day",
        )
    opens, closes = day_window(training, day)
    if not opens <= at <= closes:
        window = {
            "opens": date_format(timezone.localtime(opens), "H:i"),
            "closes": date_format(timezone.localtime(closes), "H:i"),
        }
        message = (
            _("Sign-in has not opened yet: it is open from %(opens)s to %(closes)s.")
            if at < opens
            else _("Sign-in is over for today: it was open from %(opens)s to %(closes)s.")
        )
        raise TrainingError(message % window, "outside_window")


@transaction.atomic
def self_check_in(training, day, *, name, phone_digits, at):
    """扫码签到: the attendee registered for `training` under `name` whose phone ends in (four
    digits) or is (the whole number) `phone_digits` is present on `day`, timed `at`.

    The caller has checked the code. Refusals say nothing about who is registered: a name
    nobody has and a wrong phone get the same message. Two registrations with the same name
    are told apart by the phone; when four digits fit both, the whole number is asked for."""
    training = Training.objects.select_for_update().get(pk=training.pk)
    check_in_open(training, day, at)
    key = name_key(name)
    candidates = [
        attendee
        for attendee in training.attendees.only("id", "name", "phone", "training_id")
        if name_key(attendee.name) == key
    ]
    matches = [a for a in candidates if phone_matches(a.phone, phone_digits)]
    if not matches:
        raise _no_match()
    if len(matches) > 1:
        raise TrainingError(_("Please enter your whole phone number to sign in."), "ambiguous")
    attendee = Attendee.objects.select_for_update().get(pk=matches[0].pk)
    mark = AttendanceMark.objects.filter(attendee=attendee, day=day).first()
    if mark is not None and mark.status == AttendanceMark.Status.PRESENT:
        if mark.checked_in_at:
            when = date_format(timezone.localtime(mark.checked_in_at), "H:i")
            message = _("You already signed in today at %(time)s.") % {"time": when}
        else:
            message = _("You are already marked present for today.")
        raise TrainingError(message, "already")
    if mark is None:
        mark = AttendanceMark(attendee=attendee, day=day)
    mark.status = AttendanceMark.Status.PRESENT
    mark.checked_in_at = at
    mark.marked_by = None
    mark.method = AttendanceMark.Method.QR
    mark._change_reason = _("Signed in by scanning the check-in code")
    try:
        with transaction.atomic():
            mark.save()
    except IntegrityError:  # the desk marked the same person this instant
        raise TrainingError(_("You are already marked present for today."), "already") from None
    _refresh_overall_status(training, [attendee])
    return CheckedIn(attendee, mark)


MAX_PENDING_WALK_INS = 200  # a flood of made-up walk-ins stops here, not in the database


def _registered_match(training, name, phone):
    key, digits = name_key(name), phone_digits(phone)
    return any(
        name_key(attendee.name) == key and phone_matches(attendee.phone, digits)
        for attendee in training.attendees.only("id", "name", "phone", "training_id")
    )


@transaction.atomic
def leave_walk_in(training, day, *, unit, name, phone, at):
    """现场报名: someone not registered leaves name, unit and phone for the organizer to decide
    on, within the day's sign-in window."""
    training = Training.objects.select_for_update().get(pk=training.pk)
    check_in_open(training, day, at)
    if _registered_match(training, name, phone):
        raise TrainingError(
            _("You are registered for this training: please check in with your name and phone."),
            "registered",
        )
    pending = training.walk_ins.filter(status=WalkIn.Status.PENDING)
    if any(name_key(w.name) == name_key(name) and w.phone == phone for w in pending):
        raise TrainingError(
            _("Your registration is already waiting for the organizer."), "already_waiting"
        )
    if pending.count() >= MAX_PENDING_WALK_INS:
        raise TrainingError(
            _("On-site registration is not taking more requests. Please ask the staff."),
            "too_many",
        )
    return WalkIn.objects.create(
        training=training, day=day, unit=unit, name=name, phone=phone, arrived_at=at
    )


@transaction.atomic
def decide_walk_in(walk_in, *, approve, actor):
    """Approve (register the person under the organizer's rules — year open, training taking
    registrations, capacity, no second registration — and mark them present at the time they
    came) or reject a walk-in."""
    walk_in = WalkIn.objects.select_for_update().select_related("training").get(pk=walk_in.pk)
    training = walk_in.training
    if walk_in.status != WalkIn.Status.PENDING:
        raise TrainingError(
            _("%(name)s was already decided on.") % {"name": walk_in.name}, "decided"
        )
    ensure_year_open(training.year)
    if approve:
        attendee = register_attendee(
            training,
            unit=walk_in.unit,
            name=walk_in.name,
            phone=walk_in.phone,
            actor=actor,
            note=_("Registered on site"),
        )
        mark_attendance(
            training, walk_in.day, {attendee.pk: "present"}, actor=actor, at=walk_in.arrived_at
        )
        walk_in.attendee = attendee
    walk_in.status = WalkIn.Status.APPROVED if approve else WalkIn.Status.REJECTED
    walk_in.decided_by = actor
    walk_in.decided_at = timezone.now()
    walk_in._history_user = actor
    walk_in.save()
    return walk_in


def _refresh_overall_status(training, attendees):
    number_of_days = len(training.days())
    day_statuses = {}
    first_check_in = {}
    for attendee_id, status, checked_in_at in AttendanceMark.objects.filter(
        attendee__in=attendees
    ).values_list("attendee_id", "status", "checked_in_at"):
        day_statuses.setdefault(attendee_id, []).append(status)
        if checked_in_at and (
            attendee_id not in first_check_in or checked_in_at < first_check_in[attendee_id]
        ):
            first_check_in[attendee_id] = checked_in_at
    for attendee in attendees:
        status = overall_status(day_statuses.get(attendee.pk, []), number_of_days)
        checked_in_at = first_check_in.get(attendee.pk)
        if (attendee.status, attendee.checked_in_at) != (status, checked_in_at):
            attendee.status = status
            attendee.checked_in_at = checked_in_at
            attendee.save(update_fields=["status", "checked_in_at"])
