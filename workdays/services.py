"""Writes to the working-day calendar. Each change of a year's schedule is sent as
`schedule_changed` in the same transaction, so dates counted from it are recomputed with it."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from workdays import rules
from workdays.counting import YearDays
from workdays.models import CalendarDay
from workdays.schedule import entries_of
from workdays.signals import schedule_changed


class CalendarError(Exception):
    def __init__(self, message, code):
        super().__init__(message)
        self.message = message
        self.code = code


def _apply(year, entries, *, source, actor):
    """Make `year`'s rows exactly `entries` [(date, kind, name)] from `source`. Returns the
    number of days changed: added, removed, or of another kind or name. A day that only takes
    the new source is updated but does not count: it moves no deadline."""
    # Rows are locked and written in date order, so two saves of one year never deadlock: the
    # second waits for the first and then finds its dates taken (IntegrityError).
    wanted = {day: (kind, name) for day, kind, name in entries}
    existing = {row.date: row for row in CalendarDay.objects.in_year(year).select_for_update()}
    changed = 0
    for day, row in existing.items():
        if day not in wanted:
            row._history_user = actor
            row.delete()
            changed += 1
    for day, (kind, name) in sorted(wanted.items()):
        row = existing.get(day) or CalendarDay(date=day)
        same_day = row.pk is not None and (row.kind, row.name) == (kind, name)
        if same_day and row.source == source:
            continue
        row.kind, row.name, row.source, row.updated_by = kind, name, source, actor
        row._history_user = actor
        row.save()
        changed += not same_day
    return changed


def _differs(year, entries):
    saved = set(CalendarDay.objects.in_year(year).values_list("date", "kind", "name"))
    return saved != set(entries)


# China's working years have had 245–251 working days; far fewer is a mistyped schedule
MIN_WORKING_DAYS = 200


def _check_plausible(year, entries):
    """Refuse a schedule that leaves the year with hardly a working day (trial 9: twelve
    month-long holidays gave 2026 none; every rectification deadline moved into 2027 and the
    overdue ones were no longer proposed for a deduction)."""
    days = YearDays.from_entries(year, entries)
    first = date(year, 1, 1)
    working = sum(
        days.is_working_day(first + timedelta(days=offset))
        for offset in range((date(year + 1, 1, 1) - first).days)
    )
    if working < MIN_WORKING_DAYS:
        raise CalendarError(
            _(
                "This schedule leaves %(year)d with %(working)d working days (a year has about "
                "250); check the dates of the holiday ranges."
            )
            % {"year": year, "working": working},
            "implausible",
        )


def save_year_schedule(year, lines, *, source, actor):
    """Replace `year`'s schedule by the parsed `lines` (workdays.schedule.parse_schedule) taken
    from `source` (the notice); deadlines counted across the year follow in the same
    transaction, and a listener may refuse the change (CalendarError: a published year's
    deadlines would move). Returns the number of days changed; saving what is saved changes
    nothing."""
    source = source.strip()
    if not source:
        raise CalendarError(_("Say where the schedule comes from."), "no_source")
    if not lines:
        raise CalendarError(_("Enter at least one holiday range."), "empty")
    entries = entries_of(lines)
    _check_plausible(year, entries)
    if source.startswith(rules.LIBRARY_NAME) and _differs(year, entries):
        # the library would later overwrite a correction kept under its own name
        raise CalendarError(
            _(
                "The schedule differs from the built-in calendar: name the notice your "
                "correction comes from as its source."
            ),
            "library_source",
        )
    try:
        with transaction.atomic():
            changed = _apply(year, entries, source=source, actor=actor)
            if changed:
                schedule_changed.send(sender=CalendarDay, year=year, actor=actor)
    except IntegrityError:
        raise CalendarError(
            _("Someone else saved this year's schedule at the same time; look and try again."),
            "conflict",
        ) from None
    return changed


@transaction.atomic
def load_library_calendar(*, actor=None):
    """Fill the years chinese-calendar knows. Idempotent; a year whose schedule the office
    entered itself is left alone. Returns ({year: days changed}, [years left alone]). Raises
    CalendarError, saving nothing, when a published year's deadlines would move."""
    by_year = {}
    for day, kind, name in rules.library_days():
        by_year.setdefault(day.year, []).append((day, kind, name))
    changed, kept = {}, []
    for year, entries in sorted(by_year.items()):
        sources = set(CalendarDay.objects.in_year(year).values_list("source", flat=True))
        if any(not source.startswith(rules.LIBRARY_NAME) for source in sources):
            kept.append(year)
            continue
        count = _apply(year, entries, source=rules.LIBRARY_SOURCE, actor=actor)
        if count:
            changed[year] = count
            schedule_changed.send(sender=CalendarDay, year=year, actor=actor)
    return changed, kept
