from django.contrib import messages
from django.db import transaction
from django.db.models import Exists, OuterRef, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from assessment.forms import ChecklistForm, ChecklistImportForm, ItemForm, RuleFormSet, SectionForm
from assessment.importers import (
    COLUMNS,
    REQUIRED,
    checklist_template,
    export_checklist,
    parse_checklist,
)
from assessment.models import Checklist, ChecklistItem, SpotCheck
from assessment.services.checklists import (
    build_checklist,
    copy_checklist,
    ensure_editable,
    next_version,
)
from assessment.tables import ChecklistTable
from core import imports
from core.errors import DomainError
from core.http import file_response
from core.tabular import TabularFileError, read_uploaded_table
from core.years import YearLocked, is_year_locked
from units.roles import can_manage_checks, can_read_assessment, capability_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@capability_required(can_read_assessment)
def checklist_list(request):
    checklists = Checklist.objects.annotate(
        total=Sum("sections__items__max_points"),
        used=Exists(SpotCheck.objects.filter(checklist=OuterRef("pk"))),
    )
    table = ChecklistTable(checklists)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(
        request,
        "assessment/checklist_list.html",
        {"table": table, "can_manage": can_manage_checks(request.user)},
    )


@capability_required(can_read_assessment)
def checklist_detail(request, pk):
    checklist = get_object_or_404(Checklist, pk=pk)
    sections = checklist.sections.prefetch_related("items__rules")
    return render(
        request,
        "assessment/checklist_detail.html",
        {
            "checklist": checklist,
            "sections": sections,
            "total": checklist.total_points(),
            "locked": checklist.is_locked,
            "can_manage": can_manage_checks(request.user),
        },
    )


@capability_required(can_manage_checks)
def checklist_create(request):
    form = ChecklistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        checklist = build_checklist(
            name=form.cleaned_data["name"],
            year=form.cleaned_data["year"],
            description=form.cleaned_data["description"],
            sections=[],
            actor=request.user,
        )
        messages.success(request, _("The checklist was created; now add its sections and items."))
        return redirect(checklist)
    return render(request, "assessment/form.html", {"form": form, "title": _("New checklist")})


def _editable_checklist(request, pk):
    checklist = get_object_or_404(Checklist, pk=pk)
    try:
        ensure_editable(checklist)
    except DomainError as error:
        messages.error(request, error.message)
        return checklist, False
    return checklist, True


@capability_required(can_manage_checks)
def section_edit(request, pk, section_pk=None):
    checklist, editable = _editable_checklist(request, pk)
    if not editable:
        return redirect(checklist)
    section = get_object_or_404(checklist.sections, pk=section_pk) if section_pk else None
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        form.instance.checklist = checklist
        form.save()
        return redirect(checklist)
    return render(
        request,
        "assessment/form.html",
        {"form": form, "title": _("Section"), "back": checklist.get_absolute_url()},
    )


@capability_required(can_manage_checks)
def item_edit(request, pk, item_pk=None):
    checklist, editable = _editable_checklist(request, pk)
    if not editable:
        return redirect(checklist)
    if not checklist.sections.exists():
        messages.error(request, _("Add a section before adding items."))
        return redirect(checklist)
    item = (
        get_object_or_404(ChecklistItem, pk=item_pk, section__checklist=checklist)
        if item_pk
        else None
    )
    form = ItemForm(request.POST or None, instance=item, checklist=checklist)
    rules = RuleFormSet(request.POST or None, instance=item or ChecklistItem(), prefix="rules")
    if request.method == "POST" and form.is_valid() and rules.is_valid():
        with transaction.atomic():
            saved = form.save()
            rules.instance = saved
            rules.save()
        return redirect(checklist)
    return render(
        request,
        "assessment/item_form.html",
        {"form": form, "rules": rules, "checklist": checklist},
    )


@require_POST
@capability_required(can_manage_checks)
def item_delete(request, pk, item_pk):
    checklist, editable = _editable_checklist(request, pk)
    if editable:
        get_object_or_404(ChecklistItem, pk=item_pk, section__checklist=checklist).delete()
    return redirect(checklist)


@require_POST
@capability_required(can_manage_checks)
def checklist_copy(request, pk):
    copy = copy_checklist(get_object_or_404(Checklist, pk=pk), actor=request.user)
    messages.success(request, _("%(checklist)s was created as a copy.") % {"checklist": copy})
    return redirect(copy)


@capability_required(can_read_assessment)
def checklist_export(request, pk):
    checklist = get_object_or_404(Checklist, pk=pk)
    return file_response(
        (
            _("%(name)s version %(version)s.xlsx")
            % {"name": checklist.name, "version": checklist.version},
            XLSX,
            export_checklist(checklist),
        )
    )


_CHECKLIST_IMPORT = "checklist"


def _check_checklist_file(data):
    """The stored file checked as things are now (at the preview and again at confirm: the year
    may have been published in between)."""
    result = parse_checklist(imports.table_from(data["table"]))
    if is_year_locked(data["year"]):
        result.file_errors.insert(0, YearLocked(data["year"]).message)
    return result


@capability_required(can_manage_checks)
def checklist_import(request):
    form = ChecklistImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            table = read_uploaded_table(form.cleaned_data["file"], COLUMNS, REQUIRED)
        except TabularFileError as error:
            form.add_error("file", str(error))
        else:
            imports.keep(
                request,
                _CHECKLIST_IMPORT,
                {
                    "name": form.cleaned_data["name"],
                    "year": form.cleaned_data["year"],
                    "table": imports.table_data(table),
                },
            )
            return redirect("assessment:checklist_import_preview")
    return render(request, "assessment/checklist_import.html", {"form": form})


@capability_required(can_manage_checks)
def checklist_import_preview(request):
    token, data = imports.kept(request, _CHECKLIST_IMPORT)
    if data is None:
        return redirect("assessment:checklist_import")
    return render(
        request,
        "assessment/checklist_import_preview.html",
        {
            "preview": _check_checklist_file(data),
            "name": data["name"],
            "year": data["year"],
            "version": next_version(data["name"]),
            "notes": data["table"].get("notes", []),
            "token": token,
        },
    )


@require_POST
@capability_required(can_manage_checks)
def checklist_import_confirm(request):
    data = imports.confirmed(request, _CHECKLIST_IMPORT)
    if data is None:
        messages.error(request, imports.stale_message())
        return redirect("assessment:checklist_import")
    result = _check_checklist_file(data)
    if not result.is_clean:
        messages.error(request, _("Nothing was imported: correct the errors shown below."))
        return redirect("assessment:checklist_import_preview")
    try:
        checklist = build_checklist(
            name=data["name"], year=data["year"], sections=result.sections, actor=request.user
        )
    except DomainError as error:
        messages.error(request, _("Nothing was imported: %(error)s") % {"error": error.message})
        return redirect("assessment:checklist_import_preview")
    imports.drop(request, _CHECKLIST_IMPORT)
    messages.success(request, _("%(checklist)s was imported.") % {"checklist": checklist})
    return redirect(checklist)


@capability_required(can_manage_checks)
def checklist_import_template(request):
    return file_response((_("checklist-template") + ".xlsx", XLSX, checklist_template()))
