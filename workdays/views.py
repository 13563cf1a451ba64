from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from units.roles import Role, role_required
from workdays.counting import WorkingCalendar, YearDays
from workdays.forms import ScheduleForm
from workdays.grid import WEEKDAY_LABELS, month_grids
from workdays.models import CalendarDay
from workdays.schedule import entries_of, text_of
from workdays.services import CalendarError, save_year_schedule

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _checked_year(year):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


@role_required(Role.ADMIN)
@require_safe
def calendar_index(request):
    return redirect("workdays:year", year=timezone.localdate().year)


@role_required(Role.ADMIN)
@require_safe
def calendar_year(request, year):
    year_days = WorkingCalendar().year(_checked_year(year))
    rows = CalendarDay.objects.in_year(year)
    changes = (
        CalendarDay.history.filter(date__year=year)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:30]
    )
    return render(
        request,
        "workdays/year.html",
        {
            "year": year,
            "year_days": year_days,
            "months": month_grids(year_days),
            "sources": sorted({row.source for row in rows}),
            "weekday_labels": WEEKDAY_LABELS,
            "changes": changes,
        },
    )


@role_required(Role.ADMIN)
def calendar_edit(request, year):
    """GET: the form, holding the saved schedule; POST: a preview of the typed schedule, then
    (with "save") the saved one. Nothing is written until a clean schedule is confirmed."""
    _checked_year(year)
    saved = list(CalendarDay.objects.in_year(year))
    # the saved schedule with its source, so that saving it again changes nothing (a
    # correction of a library year must name its notice: the service says so)
    sources = {row.source for row in saved}
    initial = {
        "schedule": text_of((row.date, row.kind, row.name) for row in saved),
        "source": sources.pop() if len(sources) == 1 else "",
    }
    form = ScheduleForm(request.POST or None, year=year, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        lines = form.cleaned_data["schedule"]
        if "save" in request.POST:
            try:
                changed = save_year_schedule(
                    year, lines, source=form.cleaned_data["source"], actor=request.user
                )
            except CalendarError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("The %(year)d schedule was saved: %(count)d days changed.")
                    % {"year": year, "count": changed},
                )
                return redirect("workdays:year", year=year)
        else:
            preview = month_grids(YearDays.from_entries(year, entries_of(lines)))
    return render(
        request,
        "workdays/edit.html",
        {
            "year": year,
            "form": form,
            "preview": preview,
            "official": bool(saved),
            "weekday_labels": WEEKDAY_LABELS,
        },
    )
