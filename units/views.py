from dataclasses import asdict

from django.contrib import messages
from django.contrib.messages.views import SuccessMessageMixin
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core import imports
from core.editions import EDITED_ELSEWHERE
from core.errors import DomainError
from core.exports import ExportMixin, spreadsheet_response
from core.forms import SpreadsheetUploadForm
from core.tabular import TabularFileError, read_uploaded_table
from units.filters import UnitFilter
from units.forms import UnitForm
from units.importers import (
    COLUMNS,
    EXAMPLE_NAME,
    REQUIRED,
    TEMPLATE_HEADERS,
    UnitRow,
    parse_units,
)
from units.models import Unit, UnitCategory
from units.roles import (
    CapabilityRequiredMixin,
    can_administer,
    can_read_units,
    capability_required,
)
from units.services import import_units, save_unit
from units.tables import UnitTable


class UnitListView(CapabilityRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    required_capability = can_read_units
    table_class = UnitTable
    filterset_class = UnitFilter
    template_name = "units/unit_list.html"
    table_pagination = {"per_page": 25}
    export_name = gettext_lazy("units")

    def get_queryset(self):
        return Unit.objects.visible_to(self.request.user).select_related("category", "parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = can_administer(self.request.user)
        return context


class UnitDetailView(CapabilityRequiredMixin, DetailView):
    required_capability = can_read_units
    template_name = "units/unit_detail.html"

    def get_queryset(self):
        return Unit.objects.visible_to(self.request.user).select_related("category", "parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["children"] = self.object.children.all()
        context["members"] = self.object.members.select_related("user")
        context["can_manage"] = can_administer(self.request.user)
        return context


class SavedByTheService:
    """Create and update views save through `units.services.save_unit`."""

    def form_valid(self, form):
        try:
            self.object = save_unit(form)
        except DomainError as error:
            form.add_error(None, error.message)
            if error.code == EDITED_ELSEWHERE:
                form.stands_for_the_newest_edition()
            return self.form_invalid(form)
        messages.success(self.request, self.get_success_message(form.cleaned_data))
        return redirect(self.get_success_url())


class UnitCreateView(CapabilityRequiredMixin, SavedByTheService, SuccessMessageMixin, CreateView):
    required_capability = can_administer
    model = Unit
    form_class = UnitForm
    template_name = "units/unit_form.html"
    success_message = gettext_lazy("The unit “%(name)s” was created.")


class UnitUpdateView(CapabilityRequiredMixin, SavedByTheService, SuccessMessageMixin, UpdateView):
    required_capability = can_administer
    form_class = UnitForm
    template_name = "units/unit_form.html"
    success_message = gettext_lazy("The unit “%(name)s” was saved.")

    def get_queryset(self):
        return Unit.objects.visible_to(self.request.user)


_IMPORT_KEY = "units"


@capability_required(can_administer)
def unit_import(request):
    form = SpreadsheetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            table = read_uploaded_table(form.cleaned_data["file"], COLUMNS, REQUIRED)
        except TabularFileError as error:
            form.add_error("file", str(error))
        else:
            rows, errors = parse_units(table)
            imports.keep(
                request,
                _IMPORT_KEY,
                {
                    "rows": [asdict(row) for row in rows],
                    "errors": {error.row_number: error.messages for error in errors},
                    "notes": table.notes,
                },
            )
            return redirect("units:import_preview")
    return render(request, "units/unit_import.html", {"form": form})


def _stored_import(data):
    if data is None:
        return None, None, None
    rows = [UnitRow(**row) for row in data["rows"]]
    errors = {int(number): messages for number, messages in data["errors"].items()}
    return rows, errors, data["notes"]


@capability_required(can_administer)
def unit_import_preview(request):
    token, data = imports.kept(request, _IMPORT_KEY)
    rows, errors, notes = _stored_import(data)
    if rows is None:
        return redirect("units:import")
    categories = dict(UnitCategory.objects.values_list("pk", "name"))
    preview = [
        (row, categories.get(row.category_id, ""), errors.get(row.row_number, [])) for row in rows
    ]
    numbers = {row.row_number for row in rows}
    loose = [(number, texts) for number, texts in errors.items() if number not in numbers]
    updated = [row for row in rows if row.existing_id]
    return render(
        request,
        "units/unit_import_preview.html",
        {
            "preview": preview,
            "file_errors": loose,
            "error_count": len(errors),
            "is_clean": not errors and bool(rows),
            "created": len(rows) - len(updated),
            "updated": len(updated),
            "renamed": sum(row.renames for row in updated),
            "disabled": sum(row.disables for row in updated),
            "notes": notes,
            "token": token,
        },
    )


@require_POST
@capability_required(can_administer)
def unit_import_confirm(request):
    rows, errors, _notes = _stored_import(imports.confirmed(request, _IMPORT_KEY))
    if rows is None:
        messages.error(request, imports.stale_message())
        return redirect("units:import")
    if errors or not rows:
        messages.error(request, _("Correct the errors in the file before importing it."))
        return redirect("units:import_preview")
    try:
        summary = import_units(rows, actor=request.user)
    except IntegrityError:
        messages.error(
            request,
            _("Nothing was imported: the units changed since the check; upload the file again."),
        )
        return redirect("units:import")
    imports.drop(request, _IMPORT_KEY)
    messages.success(
        request,
        _("Import finished: %(created)d units created, %(updated)d updated.")
        % {"created": summary.created, "updated": summary.updated},
    )
    return redirect("units:list")


@capability_required(can_administer)
def unit_import_template(request):
    return spreadsheet_response(
        _("unit import template.csv"),
        TEMPLATE_HEADERS,
        [
            # an example no unit has: imported unchanged it would overwrite a real unit
            [
                "ZJ99",
                _(EXAMPLE_NAME),
                _("Example"),
                "",
                "镇（街道）及板块",
                99,
                "",
                "是",
                _("Contact name"),
                "13800001111",
            ]
        ],
    )
