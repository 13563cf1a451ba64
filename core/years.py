"""The year a user is looking at, shared by every page through the session."""

from core.models import Year, current_calendar_year

SESSION_KEY = "selected_year"


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
