from django.contrib import messages
from django.contrib.messages.views import SuccessMessageMixin
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.exports import ExportMixin, spreadsheet_response
from core.forms import SpreadsheetUploadForm
from core.tabular import TabularFileError, read_uploaded_table
from units.filters import UnitFilter
from units.forms import UnitForm
from units.importers import TEMPLATE_HEADERS, parse_units
from units.models import Unit
from units.roles import (
    CapabilityRequiredMixin,
    can_administer,
    can_read_units,
    capability_required,
)
from units.services import import_units
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


class UnitCreateView(CapabilityRequiredMixin, SuccessMessageMixin, CreateView):
    required_capability = can_administer
    model = Unit
    form_class = UnitForm
    template_name = "units/unit_form.html"
    success_message = gettext_lazy("The unit “%(name)s” was created.")


class UnitUpdateView(CapabilityRequiredMixin, SuccessMessageMixin, UpdateView):
    required_capability = can_administer
    form_class = UnitForm
    template_name = "units/unit_form.html"
    success_message = gettext_lazy("The unit “%(name)s” was saved.")

    def get_queryset(self):
        return Unit.objects.visible_to(self.request.user)


@capability_required(can_administer)
def unit_import(request):
    form = SpreadsheetUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            sheet = read_uploaded_table(form.cleaned_data["file"])
        except TabularFileError as error:
            form.add_error("file", str(error))
        else:
            rows, row_errors = parse_units(sheet)
            errors = [(error.row_number, error.messages) for error in row_errors]
            if not errors:
                summary = import_units(rows, actor=request.user)
                messages.success(
                    request,
                    _("Import finished: %(created)d units created, %(updated)d updated.")
                    % {"created": summary.created, "updated": summary.updated},
                )
                return redirect("units:list")
            messages.error(
                request,
                _("Nothing was imported: %(count)d rows have errors. Correct them and try again.")
                % {"count": len(errors)},
            )
    return render(request, "units/unit_import.html", {"form": form, "errors": errors})


@capability_required(can_administer)
def unit_import_template(request):
    return spreadsheet_response(
        _("unit import template.csv"),
        TEMPLATE_HEADERS,
        [["ZJ01", "华阳街道", "华阳街道", "镇（街道）及板块", 1, "", "是", "张三", "13800001111"]],
    )
