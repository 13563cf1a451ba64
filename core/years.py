"""The year a user is looking at, shared by every page through the session."""

from django.db import connection
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.models import Year, current_calendar_year

SESSION_KEY = "selected_year"
# a hidden field of the forms of year-scoped pages: the year the page was shown for
PAGE_YEAR_FIELD = "page_year"


def available_years():
    return list(Year.objects.values_list("year", flat=True))


def default_year(years):
    today = current_calendar_year()
    if today in years or not years:
        return today
    return years[0]


def selected_year(request):
    """The year chosen in the year selector, or a sensible default; one query per request."""
    cached = getattr(request, "_selected_year", None)
    if cached is not None:
        return cached
    years = available_years()
    chosen = request.session.get(SESSION_KEY)
    year = chosen if chosen in years else default_year(years)
    request._selected_year = year
    request._available_years = years
    return year


def year_choices(request):
    selected_year(request)
    return request._available_years


def year_changed_message(posted, selected):
    """A form shown for one year, sent after another tab selected another year."""
    # what was posted, shown only when it reads as a year
    shown = posted if posted.isascii() and posted.isdigit() and len(posted) == 4 else "?"
    return _(
        "This form was for the %(posted)s assessment, but %(selected)d is selected now "
        "(another tab changed the year). Nothing was done; check the year and try again."
    ) % {"posted": shown, "selected": selected}


class YearLocked(DomainError):
    """A write into a published year; the message is for the user."""

    def __init__(self, year):
        self.year = year
        super().__init__(
            _(
                "The %(year)d assessment has been published, so its data is read-only. "
                "An administrator can re-open the year, giving a reason."
            )
            % {"year": year},
            "year_locked",
        )


def is_year_locked(year):
    return Year.objects.filter(year=year, locked_at__isnull=False).exists()


def ensure_year_open(year):
    """Raise YearLocked when `year` is published. Every write path of a year's data calls it,
    inside its transaction. There, on PostgreSQL, the year's row is read FOR SHARE and held to
    the end of the transaction: publishing (which takes it FOR UPDATE) waits for the writes in
    flight, and a write waits for a publish in flight and then sees it. Writes of the same year
    share the lock, so they never wait on each other. (SQLite runs one writer at a time.)

    A year without a row gets one here, with the first record saved in it (and loses it again
    if that write rolls back): the year selector lists the rows, so a training or a check
    planned for a later year is reachable from the moment it exists."""
    row = _year_row_holding_share(year)
    if row is None:
        _refuse_a_far_year(year)
        Year.objects.get_or_create(year=year)  # get: another write created it meanwhile
        row = _year_row_holding_share(year)
    if row[0] is not None:
        raise YearLocked(year)


# A year gets its row from its first record only this close to now: a training dated 1950 or
# a check dated 2100 is a typing slip, and each made a year nobody can remove.
YEARS_BACK, YEARS_AHEAD = 10, 2


def _refuse_a_far_year(year):
    now = current_calendar_year()
    if not now - YEARS_BACK <= year <= now + YEARS_AHEAD:
        raise DomainError(
            _(
                "%(year)d is not a year the system works in: check the date (a new year may "
                "be from %(first)d to %(last)d)."
            )
            % {"year": year, "first": now - YEARS_BACK, "last": now + YEARS_AHEAD},
            "far_year",
        )


def _year_row_holding_share(year):
    """(locked_at,) of the year's row, or None when the year has no row."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return Year.objects.filter(year=year).values_list("locked_at").first()
    table = connection.ops.quote_name(Year._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT locked_at FROM {table} WHERE year = %s FOR SHARE",  # noqa: S608
            [year],
        )
        return cursor.fetchone()
