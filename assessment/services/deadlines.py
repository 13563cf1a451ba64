"""Rectification deadlines in working days (workdays.counting), and their recomputation when
an administrator enters or corrects a year's schedule."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from assessment.models import Rectification
from assessment.services import AssessmentError
from core.models import Year
from notifications import events
from workdays.counting import WorkdayCalendarError, WorkingCalendar, add_working_days
from workdays.services import CalendarError

# the unit still works to the deadline: an answered or verified one moves silently
AWAITING_UNIT = (Rectification.Status.OPEN, Rectification.Status.RETURNED)


def rectification_deadline(raised_on, working_days, *, calendar=None):
    """The Deadline of a rectification: `working_days` after the day it was raised, the date
    its notice (整改通知书) bears. Counting from the check's confirmation put the deadline of a
    rectification raised weeks later in the past, overdue from its first day."""
    try:
        return add_working_days(raised_on, working_days, calendar=calendar)
    except WorkdayCalendarError as error:
        raise AssessmentError(str(error), "calendar") from None


@transaction.atomic
def recompute_deadlines(year, *, actor=None):
    """Count again every rectification whose working days run through `year`; each deadline that
    moves (or stops being provisional) is saved with the reason in its history. Returns them.
    Raises CalendarError, changing nothing, when a deadline of a published year's check would
    move."""
    first_day = date(year, 1, 1)
    candidates = (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("spot_check__unit")
        .filter(deadline__gte=first_day, raised_on__lt=date(year + 1, 1, 1))
        .order_by("pk")
    )
    calendar = WorkingCalendar()
    published = set(Year.objects.filter(locked_at__isnull=False).values_list("year", flat=True))
    changed, frozen = [], []
    for rectification in candidates:
        deadline = rectification_deadline(
            rectification.raised_on,
            rectification.working_days,
            calendar=calendar,
        )
        before = (rectification.deadline, rectification.deadline_provisional)
        if (deadline.date, deadline.provisional) == before:
            continue
        if deadline.date != before[0] and rectification.spot_check.date.year in published:
            frozen.append(rectification)
            continue
        rectification.deadline = deadline.date
        rectification.deadline_provisional = deadline.provisional
        rectification._history_user = actor
        rectification._change_reason = _(
            "Deadline recounted with the %(year)d working-day calendar: %(old)s → %(new)s"
        ) % {"year": year, "old": f"{before[0]:%Y-%m-%d}", "new": f"{deadline.date:%Y-%m-%d}"}
        rectification.save(update_fields=["deadline", "deadline_provisional"])
        if deadline.date != before[0] and rectification.status in AWAITING_UNIT:
            events.deadline_moved(rectification, before[0])
        changed.append(rectification)
    if frozen:
        _refuse_moving(frozen)
    return changed


def _refuse_moving(frozen):
    """A published year's deadlines decide its overdue deductions: they do not move."""
    years = sorted({r.spot_check.date.year for r in frozen})
    raise CalendarError(
        _(
            "This schedule would move the deadlines of %(count)d rectifications of the published "
            "%(years)s assessment (the first is due %(date)s). Nothing was saved; an "
            "administrator must re-open that year first."
        )
        % {
            "count": len(frozen),
            "years": "、".join(map(str, years)),
            "date": f"{frozen[0].deadline:%Y-%m-%d}",
        },
        "year_locked",
    )


def on_schedule_changed(sender, *, year, actor=None, **kwargs):
    recompute_deadlines(year, actor=actor)
