"""The time-driven reminders: what `manage.py send_reminders` (cron) and the task of the same
name compute from the data and the clock. Each is sent once per recipient and milestone (the
dedupe key of notifications/models.py), so the run may be repeated as often as wanted.

- liaisons: a training that requires their unit is open for registration and the unit's seats
  are not filled; then again when registration closes in 3 days or fewer. Trainings have no
  registration close date of their own: registration closes when the training starts.
- liaisons: a rectification their unit must answer is due in 3 working days or fewer, is due
  today, or is overdue (working days from workdays.counting; a moved deadline is a new
  milestone).
- organizers: a day of a training, in the last week before today, on which nobody's
  attendance was recorded although people are registered.
- leaders: once a week (ISO week), how many rectifications are overdue and whose.
- liaisons: a self-assessment campaign that asks their unit is open, and again when it closes
  in 3 days or fewer, while the unit has not submitted.

`now` moves the clock (tests)."""

from collections import defaultdict
from datetime import datetime, time, timedelta
from itertools import batched
from typing import NamedTuple

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from assessment.models import Rectification, SelfAssessment
from notifications.models import Kind, Notification
from notifications.services import dedupe_key, deliver_emails, notify, users_with_role
from training.models import AttendanceMark, Attendee, Requirement, Training
from units.roles import Role
from workdays.counting import WorkingCalendar, working_days_left

REGISTRATION_CLOSING_DAYS = 3  # calendar days before the training starts
SELF_ASSESSMENT_CLOSING_DAYS = 3  # calendar days before the campaign's last day
DUE_SOON_WORKING_DAYS = 3
ATTENDANCE_LOOKBACK_DAYS = 7
AWAITING_UNIT = (Rectification.Status.OPEN, Rectification.Status.RETURNED)


def send_reminders(now=None):
    """Create every reminder that is due at `now` and not yet sent, then send the e-mails
    that are due (new ones, and earlier failures once more). Returns the new notifications."""
    now = now or timezone.now()
    liaisons = _liaisons_by_unit()
    today = timezone.localdate(now)
    created = _notify_unsent(
        [
            *registration_reminders(now, liaisons),
            *rectification_reminders(today, liaisons),
            *attendance_reminders(today),
            *overdue_digest(today),
            *self_assessment_reminders(today, liaisons),
        ]
    )
    deliver_emails()
    return created


class Planned(NamedTuple):
    """A reminder due now, to be created unless its recipients have it already."""

    recipients: list
    kind: str
    event: str
    params: dict
    link: str


def _notify_unsent(planned):
    """notify() each planned reminder, leaving out the recipients who have it already: one
    query for the whole run instead of one per reminder (a rerun, the usual case, finds nearly
    everything sent). notify() and the unique constraint still decide what is new."""
    keys = {dedupe_key(p.kind, p.event) for p in planned}
    sent = set()
    for chunk in batched(sorted(keys), 500):
        sent.update(
            Notification.objects.filter(dedupe_key__in=chunk).values_list(
                "recipient_id", "dedupe_key"
            )
        )
    created = []
    for p in planned:
        key = dedupe_key(p.kind, p.event)
        recipients = [r for r in p.recipients if (r.pk, key) not in sent]
        if recipients:
            created += notify(
                recipients, p.kind, event=p.event, params=p.params, link=p.link, deliver=False
            )
    return created


def _liaisons_by_unit():
    by_unit = defaultdict(list)
    for user in (
        users_with_role(Role.LIAISON).filter(profile__unit__isnull=False).select_related("profile")
    ):
        by_unit[user.profile.unit_id].append(user)
    return by_unit


def _requirement(text, limit=80):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def registration_reminders(now, liaisons):
    today = timezone.localdate(now)
    registered = (
        Attendee.objects.filter(training=OuterRef("training"), unit=OuterRef("unit"))
        .order_by()
        .values("training")
        .annotate(count=Count("id"))
        .values("count")
    )
    requirements = (
        Requirement.objects.filter(
            training__status=Training.Status.OPEN, training__starts_at__gt=now
        )
        .select_related("training")
        .annotate(registered=Coalesce(Subquery(registered, output_field=IntegerField()), Value(0)))
        .order_by("training__starts_at", "pk")
    )
    planned = []
    for requirement in requirements:
        if requirement.registered >= requirement.seats or not liaisons[requirement.unit_id]:
            continue
        training = requirement.training
        days = (timezone.localdate(training.starts_at) - today).days
        params = {
            "training": training.title,
            "seats": requirement.seats,
            "registered": requirement.registered,
            "starts": training.starts_at.isoformat(),
        }
        closing = days <= REGISTRATION_CLOSING_DAYS
        planned.append(
            Planned(
                liaisons[requirement.unit_id],
                Kind.REGISTRATION_CLOSING if closing else Kind.REGISTRATION_OPEN,
                event=f"training:{training.pk}:unit:{requirement.unit_id}",
                params={**params, "days": days} if closing else params,
                link=training.get_absolute_url(),
            )
        )
    return planned


def rectification_reminders(today, liaisons):
    """Due in 3 working days or fewer, due today, overdue: each once per deadline."""
    calendar = WorkingCalendar()
    # 3 working days are never more than a month of calendar days, holidays included
    rectifications = (
        Rectification.objects.filter(
            status__in=AWAITING_UNIT, deadline__lte=today + timedelta(days=31)
        )
        .select_related("spot_check__unit")
        .order_by("deadline", "pk")
    )
    planned = []
    for rectification in rectifications:
        unit = rectification.spot_check.unit
        if not liaisons[unit.pk]:
            continue
        left = working_days_left(today, rectification.deadline, calendar=calendar)
        if rectification.deadline < today:
            kind, milestone = Kind.RECTIFICATION_OVERDUE, "overdue"
        elif rectification.deadline == today:
            kind, milestone = Kind.RECTIFICATION_DUE_TODAY, "today"
        elif left <= DUE_SOON_WORKING_DAYS:
            kind, milestone = Kind.RECTIFICATION_DUE_SOON, "soon"
        else:
            continue
        planned.append(
            Planned(
                liaisons[unit.pk],
                kind,
                event=f"rectification:{rectification.pk}:{milestone}:{rectification.deadline}",
                params={
                    "unit": unit.name,
                    "requirement": _requirement(rectification.requirement),
                    "deadline": rectification.deadline.isoformat(),
                    "days": left,
                },
                link=rectification.get_absolute_url(),
            )
        )
    return planned


def attendance_reminders(today):
    first = today - timedelta(days=ATTENDANCE_LOOKBACK_DAYS)
    start_of = lambda day: timezone.make_aware(datetime.combine(day, time.min))  # noqa: E731
    trainings = list(
        Training.objects.exclude(status=Training.Status.CANCELLED)
        .filter(starts_at__lt=start_of(today), ends_at__gte=start_of(first))
        .filter(Exists(Attendee.objects.filter(training=OuterRef("pk"))))
        .order_by("starts_at", "pk")
    )
    if not trainings:
        return []
    marked = set(
        AttendanceMark.objects.filter(attendee__training__in=trainings)
        .values_list("attendee__training_id", "day")
        .distinct()
    )
    organizers = list(users_with_role(Role.ORGANIZER))
    planned = []
    for training in trainings:
        for day in training.days():
            if not first <= day < today or (training.pk, day) in marked:
                continue
            planned.append(
                Planned(
                    organizers,
                    Kind.ATTENDANCE_NOT_TAKEN,
                    event=f"training:{training.pk}:day:{day}",
                    params={"training": training.title, "day": day.isoformat()},
                    link=f"{reverse('training:attendance', args=[training.pk])}?day={day}",
                )
            )
    return planned


def overdue_digest(today):
    """Once per ISO week, to every leader, while any rectification is overdue."""
    overdue = Rectification.objects.overdue(today)
    count = overdue.count()
    if not count:
        return []
    units = list(
        overdue.order_by("spot_check__unit__sort_order", "spot_check__unit__name")
        .values_list("spot_check__unit__name", flat=True)
        .distinct()
    )
    week = today.isocalendar()
    return [
        Planned(
            users_with_role(Role.LEADER),
            Kind.OVERDUE_DIGEST,
            event=f"week:{week.year}-W{week.week:02d}",
            params={"count": count, "units": units[:20]},
            link=reverse("assessment:rectification_list") + "?overdue=true",
        )
    ]


def self_assessment_reminders(today, liaisons):
    """Once when a campaign is open (on its first day, or the first run after), once more when
    it closes in 3 days or fewer; only to units that have not submitted."""
    waiting = (
        SelfAssessment.objects.filter(campaign__opens_on__lte=today, campaign__closes_on__gte=today)
        .exclude(status=SelfAssessment.Status.SUBMITTED)
        .select_related("campaign")
        .order_by("campaign__closes_on", "campaign_id", "unit_id")
    )
    planned = []
    for self_assessment in waiting:
        campaign = self_assessment.campaign
        recipients = liaisons[self_assessment.unit_id]
        if not recipients:
            continue
        params = {"campaign": campaign.name, "closes": campaign.closes_on.isoformat()}
        days = (campaign.closes_on - today).days
        closing = days <= SELF_ASSESSMENT_CLOSING_DAYS
        planned.append(
            Planned(
                recipients,
                Kind.SELF_ASSESSMENT_CLOSING if closing else Kind.SELF_ASSESSMENT_OPEN,
                event=f"campaign:{campaign.pk}:unit:{self_assessment.unit_id}",
                params={**params, "days": days} if closing else params,
                link=self_assessment.get_absolute_url(),
            )
        )
    return planned
