from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import WrittenInTheApp
from workdays.models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(WrittenInTheApp, SimpleHistoryAdmin):
    """Read-only here: a year's schedule is entered on the calendar page, which recomputes the
    deadlines it changes; an edit behind its back would not."""

    list_display = ["date", "kind", "name", "source"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name", "source"]
