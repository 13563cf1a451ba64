from django.contrib import messages
from django.contrib.messages.views import SuccessMessageMixin
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core import imports
from core.derived import TRAINING, cached
from core.editions import EDITED_ELSEWHERE
from core.errors import DomainError
from core.exports import ExportMixin, spreadsheet_response
from core.forms import SpreadsheetUploadForm, search_text
from core.http import file_response
from core.jobs import start_job
from core.tabular import TabularFileError, read_uploaded_table
from core.years import selected_year
from training import pdf, stats, tasks
from training.filters import AttendeeFilter, TrainingFilter
from training.forms import AttendeeForm, LecturerFormSet, TrainingForm
from training.importers import (
    COLUMNS,
    REQUIRED,
    REQUIRED_OF_OWN_UNIT,
    TEMPLATE_EXAMPLE,
    TEMPLATE_HEADERS,
    ImportPreview,
    parse_attendees,
)
from training.models import AttendanceMark, Attendee, Training, WalkIn
from training.services import (
    check_import_allowed,
    is_organizer,
    mark_attendance,
    may_change_registrations,
    register_attendee,
    register_attendees,
    remove_attendee,
    save_training,
    update_attendee,
)
from training.tables import AttendeeTable, TrainingTable, UnitTrainingTable
from units.filters import UnitFilter
from units.models import Unit
from units.roles import (
    CapabilityRequiredMixin,
    Role,
    can_edit_attendees,
    can_organize_training,
    can_read_history,
    can_read_training_statistics,
    can_read_trainings,
    capability_required,
    has_role,
    is_city_wide,
)

UNIT_ROWS_SHOWN = 50
ATTENDANCE_PER_PAGE = 200  # a 10,000-person training's page was 12 MB in one


def get_training_for_user(request, pk):
    """The one way to fetch a training from user input: invisible ones are a 404."""
    return get_object_or_404(Training.objects.visible_to(request.user), pk=pk)


class TrainingListView(CapabilityRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    required_capability = can_read_trainings
    table_class = TrainingTable
    filterset_class = TrainingFilter
    template_name = "training/training_list.html"
    table_pagination = {"per_page": 25}
    export_name = gettext_lazy("trainings")
    export_of_a_year = True

    def get_queryset(self):
        return (
            Training.objects.visible_to(self.request.user)
            .in_year(selected_year(self.request))
            .select_related("kind")
            .annotate(
                required_count=Count("requirements", distinct=True),
                attendee_count=Count("attendees", distinct=True),
                attended_count=Count(
                    "attendees",
                    filter=Q(attendees__status=Attendee.Status.ATTENDED),
                    distinct=True,
                ),
            )
            .order_by("-starts_at")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = is_organizer(self.request.user)
        return context


class TrainingFormMixin(CapabilityRequiredMixin, SuccessMessageMixin):
    required_capability = can_organize_training
    model = Training
    form_class = TrainingForm
    template_name = "training/training_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault(
            "lecturers", LecturerFormSet(instance=self.object or Training(), prefix="lecturers")
        )
        return context

    def form_valid(self, form):
        lecturers = LecturerFormSet(self.request.POST, instance=form.instance, prefix="lecturers")
        if not lecturers.is_valid():
            return self.render_to_response(self.get_context_data(form=form, lecturers=lecturers))
        try:
            self.object = save_training(form, lecturers, actor=self.request.user)
        except DomainError as error:
            form.add_error(None, error.message)
            if error.code == EDITED_ELSEWHERE:
                form.stands_for_the_newest_edition()
            return self.form_invalid(form)
        messages.success(self.request, self.get_success_message(form.cleaned_data))
        return redirect(self.get_success_url())


class TrainingCreateView(TrainingFormMixin, CreateView):
    success_message = gettext_lazy("The training “%(title)s” was created.")

    def get_object(self):
        return None


class TrainingUpdateView(TrainingFormMixin, UpdateView):
    success_message = gettext_lazy("The training “%(title)s” was saved.")


class TrainingDetailView(CapabilityRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    """The training with its lecturers and units, and its attendees as a filterable table."""

    required_capability = can_read_trainings
    table_class = AttendeeTable
    filterset_class = AttendeeFilter
    template_name = "training/training_detail.html"
    table_pagination = {"per_page": 25}

    @cached_property
    def training(self):
        return get_training_for_user(self.request, self.kwargs["pk"])

    @cached_property
    def can_register(self):
        """Whether registrations are offered for adding and change (an ended training's are
        not: a liaison was offered them, and was refused with a message about registering)."""
        return may_change_registrations(self.training, self.request.user)

    @property
    def export_name(self):
        return f"{self.training.title}-{_('attendees')}"

    def get_queryset(self):
        return (
            Attendee.objects.visible_to(self.request.user)
            .filter(training=self.training)
            .select_related("unit", "unit__category")
        )

    def get_table_kwargs(self):
        organizer = is_organizer(self.request.user)
        may_register = organizer or has_role(self.request.user, Role.LIAISON)
        return {
            "show_full_phone": organizer,
            "can_remove": may_register and self.can_register,
            "can_see_history": can_read_history(self.request.user),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows, totals = cached(
            f"seats-shown:{self.training.pk}",
            lambda: _seat_rows_missing_first(self.training),
            [TRAINING],
        )
        visible = rows
        if not is_city_wide(self.request.user):
            shown = set(Unit.objects.visible_to(self.request.user).values_list("pk", flat=True))
            visible = [row for row in rows if row["unit"].pk in shown]
        context.update(
            training=self.training,
            lecturers=self.training.lecturers.all(),
            unit_rows=visible[:UNIT_ROWS_SHOWN],
            more_unit_rows=max(len(visible) - UNIT_ROWS_SHOWN, 0),
            totals=totals,
            can_manage=is_organizer(self.request.user),
            can_register=self.can_register,
        )
        return context


def _seat_rows_missing_first(training):
    """Units still missing people first; the summary PDF lists every unit in order."""
    rows, totals = stats.attendance_by_unit(training)
    rows.sort(
        key=lambda row: (
            row["missing"] == 0,
            row["unit"].category.sort_order,
            row["unit"].sort_order,
        )
    )
    return rows, totals


def _registrable_units(request, training):
    units = Unit.objects.visible_to(request.user).active()
    if not is_organizer(request.user):
        units = units.filter(pk__in=training.requirements.values("unit_id"))
    return units


def _attendee_fields(form):
    """What AttendeeForm gives register_attendee and update_attendee alike."""
    fields = ("unit", "name", "phone", "position", "duty", "note")
    return {name: form.cleaned_data[name] for name in fields}


@capability_required(can_read_trainings)
def attendee_add(request, pk):
    training = get_training_for_user(request, pk)
    form = AttendeeForm(request.POST or None, units=_registrable_units(request, training))
    if request.method == "POST" and form.is_valid():
        try:
            attendee = register_attendee(training, **_attendee_fields(form), actor=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(name)s was registered.") % {"name": attendee.name})
            if "add_another" in request.POST:
                return redirect("training:attendee_add", training.pk)
            return redirect(training)
    return render(request, "training/attendee_form.html", {"training": training, "form": form})


@capability_required(can_edit_attendees)
def attendee_edit(request, pk, attendee_pk):
    training = get_training_for_user(request, pk)
    attendee = get_object_or_404(
        Attendee.objects.visible_to(request.user).filter(training=training), pk=attendee_pk
    )
    form = AttendeeForm(
        request.POST or None, instance=attendee, units=_registrable_units(request, training)
    )
    if request.method == "POST" and form.is_valid():
        try:
            attendee = update_attendee(
                attendee,
                **_attendee_fields(form),
                actor=request.user,
                edition=form.cleaned_data.get("edition"),
            )
        except DomainError as error:
            form.add_error(None, error.message)
            if error.code == EDITED_ELSEWHERE:
                form.stands_for_the_newest_edition()
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": attendee.name})
            return redirect(training)
    return render(
        request,
        "training/attendee_form.html",
        {"training": training, "form": form, "editing": True},
    )


@require_POST
@capability_required(can_read_trainings)
def attendee_remove(request, pk, attendee_pk):
    training = get_training_for_user(request, pk)
    attendee = get_object_or_404(
        Attendee.objects.visible_to(request.user).filter(training=training), pk=attendee_pk
    )
    try:
        remove_attendee(attendee, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s was removed.") % {"name": attendee.name})
    return redirect(training)


def _import_key(training):
    return f"attendees:{training.pk}"


@capability_required(can_read_trainings)
def attendee_import(request, pk):
    training = get_training_for_user(request, pk)
    form = SpreadsheetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            required = REQUIRED if is_organizer(request.user) else REQUIRED_OF_OWN_UNIT
            table = read_uploaded_table(form.cleaned_data["file"], COLUMNS, required)
        except TabularFileError as error:
            form.add_error("file", str(error))
        else:
            preview = parse_attendees(table, training, request.user)
            imports.keep(request, _import_key(training), preview.to_session())
            return redirect("training:attendee_import_preview", training.pk)
    return render(request, "training/attendee_import.html", {"training": training, "form": form})


@capability_required(can_read_trainings)
def attendee_import_preview(request, pk):
    training = get_training_for_user(request, pk)
    token, data = imports.kept(request, _import_key(training))
    if data is None:
        return redirect("training:attendee_import", training.pk)
    preview = ImportPreview.from_session(data)
    try:
        check_import_allowed(training, request.user)
    except DomainError as error:  # as things are now: the training or the year may have changed
        preview.file_errors.insert(0, error.message)
    rows, unlisted = imports.listed_rows(preview.rows, lambda row: row.errors or row.warnings)
    return render(
        request,
        "training/attendee_import_preview.html",
        {
            "training": training,
            "preview": preview,
            "rows": rows,
            "unlisted": unlisted,
            "token": token,
        },
    )


@require_POST
@capability_required(can_read_trainings)
def attendee_import_confirm(request, pk):
    training = get_training_for_user(request, pk)
    data = imports.confirmed(request, _import_key(training))
    if data is None:
        messages.error(request, imports.stale_message())
        return redirect("training:attendee_import", training.pk)
    preview = ImportPreview.from_session(data)
    if not preview.is_clean:
        messages.error(request, _("Correct the errors in the file before importing it."))
        return redirect("training:attendee_import_preview", training.pk)
    if len(preview.new_rows) > tasks.IMPORT_ABOVE:
        imports.drop(request, _import_key(training))
        job = start_job(
            "training.tasks.import_attendees",
            training.pk,
            request.POST["token"],
            title=_("Import of attendees for %(training)s") % {"training": training.title},
            actor=request.user,
            next_url=training.get_absolute_url(),
            payload=[row for row in data["rows"] if not row.get("skip")],
        )
        return redirect(job)
    try:
        created = register_attendees(training, preview.new_rows, actor=request.user)
    except DomainError as error:
        messages.error(request, _("Nothing was imported: %(error)s") % {"error": error.message})
        return redirect("training:attendee_import_preview", training.pk)
    imports.drop(request, _import_key(training))
    messages.success(request, _("%(count)d attendees were imported.") % {"count": len(created)})
    return redirect(training)


@capability_required(can_read_trainings)
def attendee_import_template(request, pk):
    get_training_for_user(request, pk)
    return spreadsheet_response(
        _("attendee import template.xlsx"),
        TEMPLATE_HEADERS,
        [TEMPLATE_EXAMPLE],
        title="参训人员",
        widths=(20,) * len(TEMPLATE_HEADERS),
    )


def attendance_day(request, training):
    days = training.days()
    try:
        day = parse_date(request.GET.get("day") or request.POST.get("day") or "")
    except ValueError:  # well formed but no such day: 2026-02-30
        day = None
    if day in days:
        return day
    today = timezone.localdate()
    return today if today in days else days[0]


@capability_required(can_organize_training)
def attendance(request, pk):
    training = get_training_for_user(request, pk)
    day = attendance_day(request, training)
    search = search_text(request.GET.get("q", ""))
    # what the page's links and its form keep of the query string
    keep = urlencode({"day": f"{day:%Y-%m-%d}", **({"q": search} if search else {})})
    everyone = training.attendees.all()
    if search:
        everyone = everyone.filter(Q(name__icontains=search) | Q(unit__name__icontains=search))
    if request.method == "POST":
        # every attendee found, not only the page's: the bulk buttons mark a whole unit, or
        # everyone the search found, who has no mark for the day yet
        marked = set(
            AttendanceMark.objects.filter(attendee__training=training, day=day).values_list(
                "attendee_id", flat=True
            )
        )
        statuses, seen = _posted_statuses(request.POST, everyone.only("id", "unit_id"), marked)
        try:
            conflicts = mark_attendance(training, day, statuses, actor=request.user, seen=seen)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Attendance of %(day)s was saved.") % {"day": day})
            for conflict in conflicts:
                messages.warning(request, _changed_meanwhile(conflict))
        page_number = request.GET.get("page", "")
        back = f"{keep}&page={page_number}" if page_number.isdecimal() else keep
        return redirect(f"{request.path}?{back}")
    shown = everyone.select_related("unit").order_by(
        "unit__category__sort_order", "unit__sort_order", "unit__name", "unit_id", "pk"
    )
    page = Paginator(shown, ATTENDANCE_PER_PAGE).get_page(request.GET.get("page"))
    marks = {
        attendee_id: (status, method)
        for attendee_id, status, method in AttendanceMark.objects.filter(
            attendee__in=[attendee.pk for attendee in page], day=day
        ).values_list("attendee_id", "status", "method")
    }
    groups = {}
    for attendee in page:
        attendee.day_status, attendee.day_method = marks.get(attendee.pk, ("", ""))
        groups.setdefault(attendee.unit, []).append(attendee)
    return render(
        request,
        "training/attendance.html",
        {
            "training": training,
            "day": day,
            "days": training.days(),
            "is_future": day > timezone.localdate(),
            "figures": stats.day_attendance(training, day),
            "walk_ins": _pending_walk_ins(training, day),
            "groups": groups.items(),
            "page": page,
            "search": search,
            "keep": keep,
            "choices": AttendanceMark.Status.choices,
        },
    )


def _pending_walk_ins(training, day):
    """The day's walk-ins waiting for a decision, each with its unit's seats and how many of
    them are taken, so the organizer decides knowing whether the unit is already full."""
    walk_ins = list(
        training.walk_ins.filter(day=day, status=WalkIn.Status.PENDING).select_related("unit")
    )
    if walk_ins:
        seats = dict(training.requirements.values_list("unit_id", "seats"))
        taken = dict(
            training.attendees.values("unit_id")
            .annotate(count=Count("id"))
            .order_by()
            .values_list("unit_id", "count")
        )
        for walk_in in walk_ins:
            walk_in.seats = seats.get(walk_in.unit_id, 0)
            walk_in.taken = taken.get(walk_in.unit_id, 0)
    return walk_ins


def _posted_statuses(post, attendees, marked):
    """Radio buttons status-<id>, and bulk buttons "all:<status>" or "unit-<id>:<status>";
    with what the page showed of each row changed (was-<id>), for mark_attendance to leave
    alone a mark made since (trial 9: a QR check-in became 缺席).

    A row left as the page showed it (was-<id>) is not sent on: attendees sign in by scanning
    the code while the page is open, and saving it must not undo their marks. A bulk button
    marks only those without a mark for the day (`marked`) nor one chosen in this post: a
    tester's 全部出勤 overwrote the 缺席 recorded before it."""
    valid = set(AttendanceMark.Status.values) | {""}
    statuses, seen = {}, {}
    for attendee in attendees:
        key = f"status-{attendee.pk}"
        shown = post.get(f"was-{attendee.pk}")
        if key in post and post[key] in valid and post[key] != shown:
            statuses[attendee.pk] = post[key]
            if shown in valid:
                seen[attendee.pk] = shown
    target, _sep, status = post.get("bulk", "").partition(":")
    if status in AttendanceMark.Status.values:
        for attendee in attendees:
            if attendee.pk in marked or attendee.pk in statuses:
                continue
            if target == "all" or target == f"unit-{attendee.unit_id}":
                statuses[attendee.pk] = status
                seen[attendee.pk] = ""  # unmarked when this request looked
    return statuses, seen


def _changed_meanwhile(conflict):
    """What the page says of an attendee marked by someone (or a scan) after it was opened."""
    mark = conflict.mark
    if mark is None:
        return _("%(name)s's mark was removed after you opened the page; left unmarked.") % {
            "name": conflict.attendee.name
        }
    if mark.method == AttendanceMark.Method.QR and mark.checked_in_at:
        return _(
            "%(name)s signed in by scanning the code at %(time)s, after you opened the page: "
            "the sign-in is kept. Change it again if it is wrong."
        ) % {
            "name": conflict.attendee.name,
            "time": date_format(timezone.localtime(mark.checked_in_at), "H:i"),
        }
    return _(
        "%(name)s was marked %(status)s by someone else after you opened the page: that mark "
        "is kept. Change it again if it is wrong."
    ) % {"name": conflict.attendee.name, "status": mark.get_status_display()}


@capability_required(can_organize_training)
def sign_in_sheet_pdf(request, pk):
    training = get_training_for_user(request, pk)
    if training.attendees.count() > tasks.BACKGROUND_ABOVE:
        title = _("Sign-in sheet of %(training)s") % {"training": training.title}
        job = start_job(
            "training.tasks.sign_in_sheet", training.pk, title=title, actor=request.user
        )
        return redirect(job)
    return file_response(pdf.sign_in_sheet(training))


@capability_required(is_city_wide)
def attendance_summary_pdf(request, pk):
    training = get_training_for_user(request, pk)
    rows, totals = stats.attendance_by_unit(training)
    return file_response(pdf.attendance_summary(training, rows, totals))


@capability_required(can_organize_training)
def certificates_pdf(request, pk):
    training = get_training_for_user(request, pk)
    if not _has_ended(request, training):
        return redirect(training)
    people = tasks.attended(training).count()
    if not people:
        messages.error(request, _("Nobody has attended every day of this training yet."))
        return redirect(training)
    if people > tasks.BACKGROUND_ABOVE:
        title = _("Certificates of %(training)s") % {"training": training.title}
        job = start_job("training.tasks.certificates", training.pk, title=title, actor=request.user)
        return redirect(job)
    return file_response(pdf.certificates(training, tasks.attended(training)))


def _has_ended(request, training):
    """A certificate says the whole course was completed: not before the training has ended."""
    if timezone.now() >= training.ends_at:
        return True
    messages.error(
        request,
        _("Certificates are issued once the training has ended (%(end)s).")
        % {"end": date_format(timezone.localtime(training.ends_at), "DATETIME_FORMAT")},
    )
    return False


@capability_required(can_read_trainings)
def certificate_pdf(request, pk, attendee_pk):
    training = get_training_for_user(request, pk)
    if not _has_ended(request, training):
        return redirect(training)
    attendee = get_object_or_404(
        Attendee.objects.visible_to(request.user)
        .filter(training=training, status=Attendee.Status.ATTENDED)
        .select_related("unit"),
        pk=attendee_pk,
    )
    return file_response(pdf.certificates(training, [attendee]))


class StatisticsView(CapabilityRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    """The year's training at a glance, and each unit's record of required trainings."""

    required_capability = can_read_training_statistics
    template_name = "training/statistics.html"
    table_class = UnitTrainingTable
    table_pagination = {"per_page": 50}
    export_name = gettext_lazy("training-statistics")
    export_of_a_year = True
    filterset_class = UnitFilter

    def get(self, request, *args, **kwargs):
        self.year = selected_year(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Unit.objects.all()

    def get_table_data(self):
        per_unit = stats.kept_while_unchanged(
            "training-rows", self.year, lambda: stats.unit_training_rows(self.year)
        )
        units = self.object_list.filter(pk__in=per_unit).select_related("category")
        return [
            {
                "unit": unit.name,
                "category": unit.category.name,
                "sort_key": (unit.category.sort_order, unit.sort_order),
                "required": per_unit[unit.pk].required,
                "full": per_unit[unit.pk].full,
                "partly": per_unit[unit.pk].partly,
                "missed": per_unit[unit.pk].missed,
                "component": per_unit[unit.pk].component,
            }
            for unit in units
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = stats.year_summary(self.year, held_by=timezone.now())
        context["year"] = self.year
        return context
