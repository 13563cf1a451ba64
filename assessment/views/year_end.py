"""The year-end pages: scheme, indicators, adjustments, ranking, breakdown, publishing."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from assessment import pdf, tasks
from assessment.forms import (
    AcceptProposalForm,
    AdjustmentForm,
    IndicatorFormSet,
    IndicatorGridForm,
    PublishForm,
    ReasonForm,
    SchemeForm,
)
from assessment.importers import INDICATOR_REQUIRED, indicator_columns, parse_indicator_grid
from assessment.models import Adjustment, IndicatorValue, Scheme, SpotCheck
from assessment.ranking import grade_labels, ranking_chart, ranking_tab
from assessment.services import AssessmentError
from assessment.services.self_assessment import (
    decided_overstatements,
    overstatement_gap,
    proposed_overstatements,
)
from assessment.services.year_end import (
    accept_proposal,
    add_adjustment,
    copy_scheme,
    dismiss_proposal,
    proposed_deductions,
    publish_year,
    remove_adjustment,
    reopen_year,
    save_indicator_values,
    save_scheme,
    unfinished_work,
)
from assessment.stats import year_figures
from assessment.tables import ranking_table_class
from assessment.year_end import component_labels, rules_for, unit_result, year_results
from core import imports
from core.editions import EDITED_ELSEWHERE
from core.errors import DomainError
from core.exports import SafeTableExport, spreadsheet_response
from core.forms import SpreadsheetUploadForm
from core.http import file_response
from core.jobs import start_job
from core.models import Year, current_calendar_year
from core.tabular import TabularFileError, read_uploaded_table
from core.years import (
    SESSION_KEY,
    YearLocked,
    ensure_year_open,
    selected_year,
    year_changed_message,
)
from training.stats import unit_training_details
from units.models import Unit, UnitCategory
from units.roles import (
    Role,
    bound_unit_id,
    can_decide_proposal,
    can_edit_scheme,
    can_edit_year_inputs,
    can_publish,
    can_read_assessment,
    can_read_breakdown,
    can_read_ranking,
    can_reopen,
    capability_required,
    has_role,
)


def get_scheme(request):
    """The selected year's scheme, or None."""
    return Scheme.objects.select_related("year").filter(year__year=selected_year(request)).first()


def _no_scheme(request):
    messages.info(request, _("The selected year has no assessment scheme yet."))
    return redirect("assessment:scheme")


def year_to_open(user):
    """Next calendar year, when the user may set schemes and it is not open yet: the scheme
    is announced before the year starts, and nothing else opens a year before its first
    training (trial 6)."""
    coming = current_calendar_year() + 1
    if not can_edit_scheme(user) or Year.objects.filter(year=coming).exists():
        return None
    return coming


@require_POST
@capability_required(can_edit_scheme)
def open_year(request):
    coming = year_to_open(request.user)
    if coming is not None:
        Year.objects.get_or_create(year=coming)
        messages.success(
            request,
            _("The year %(year)d is open: set its assessment scheme.") % {"year": coming},
        )
        request.session[SESSION_KEY] = coming
    return redirect("assessment:scheme")


@capability_required(can_read_assessment)
def scheme_view(request):
    year = selected_year(request)
    scheme = get_scheme(request)
    can_edit = can_edit_scheme(request.user) and not (scheme and scheme.is_published)
    if scheme is None:
        last = Scheme.objects.filter(year__year=year - 1).first()
        if request.method == "POST" and can_edit:
            try:
                if last and "copy" in request.POST:
                    copy_scheme(last, to_year=year, actor=request.user)
                else:
                    ensure_year_open(year)
                    Scheme.objects.create(year=Year.objects.get_or_create(year=year)[0])
            except DomainError as error:
                messages.error(request, error.message)
            return redirect("assessment:scheme")
        return render(
            request,
            "assessment/scheme_missing.html",
            {"year": year, "last": last, "can_edit": can_edit},
        )
    form = SchemeForm(request.POST or None, instance=scheme)
    indicators = IndicatorFormSet(request.POST or None, instance=scheme, prefix="indicators")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid() and indicators.is_valid():
            try:
                save_scheme(form, indicators, actor=request.user)
            except DomainError as error:
                if error.code != EDITED_ELSEWHERE:
                    messages.error(request, error.message)
                    return redirect("assessment:scheme")
                form.add_error(None, error.message)  # shown with what this form holds
                form.stands_for_the_newest_edition()
            else:
                messages.success(request, _("The scheme was saved."))
                return redirect("assessment:scheme")
    return render(
        request,
        "assessment/scheme.html",
        {
            "scheme": scheme,
            "form": form,
            "indicators": indicators,
            "can_edit": can_edit,
            "year_to_open": year_to_open(request.user),
            "history": scheme.history.select_related("history_user")[:20],
            "reopen_form": ReasonForm(),
            "can_publish": can_publish(request.user),
            "can_reopen": can_reopen(request.user),
        },
    )


@capability_required(can_edit_year_inputs)
def indicator_grid(request):
    scheme = get_scheme(request)
    if scheme is None:
        return _no_scheme(request)
    indicators = list(scheme.indicators.all())
    units = list(Unit.objects.active().select_related("category"))
    stored = {
        (v.indicator_id, v.unit_id): v
        for v in IndicatorValue.objects.filter(indicator__scheme=scheme)
    }
    form = IndicatorGridForm(
        request.POST if request.method == "POST" else None, indicators=indicators, units=units
    )
    if form.is_bound:
        if not form.is_valid():
            messages.error(
                request,
                _("Nothing was saved: %(count)d values are wrong; they are marked below.")
                % {"count": len(form.errors)},
            )
        else:
            try:
                changed = save_indicator_values(
                    scheme, form.values(), actor=request.user, shown=form.shown()
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("%(count)d values were saved.") % {"count": changed})
                return redirect("assessment:indicators")
    own_unit = bound_unit_id(request.user)
    rows = []
    for unit in units:
        cells = []
        source = ""
        for indicator in indicators:
            current = stored.get((indicator.pk, unit.pk))
            name = form.value_name(indicator, unit)
            text = (
                form.data.get(name, "")
                if form.is_bound
                else ("" if current is None else str(current.value))
            )
            source = source or (current.source if current else "")
            errors = form.errors.get(name) if form.is_bound else None
            cells.append(
                {
                    "name": name,
                    "value": text,
                    # what the page was first shown with, kept across a refused save
                    "shown": form.data.get(f"shown_{name}", "") if form.is_bound else text,
                    "indicator": indicator,
                    "error": errors[0] if errors else None,
                }
            )
        source_error = None
        shown_source = source
        if form.is_bound:
            source = form.data.get(f"source_{unit.pk}", "")
            shown_source = form.data.get(f"shown_source_{unit.pk}", "")
            source_error = (form.errors.get(f"source_{unit.pk}") or [None])[0]
        rows.append(
            {
                "unit": unit,
                # the editor's own unit: shown, not editable (recusal)
                "own": unit.pk == own_unit,
                "cells": cells,
                "source": source,
                "shown_source": shown_source,
                "source_error": source_error,
            }
        )
    return render(
        request,
        "assessment/indicators.html",
        {
            "scheme": scheme,
            "indicators": indicators,
            "rows": rows,
            "locked": scheme.is_published,
        },
    )


@capability_required(can_edit_year_inputs)
def adjustments(request):
    scheme = get_scheme(request)
    if scheme is None:
        return _no_scheme(request)
    form = AdjustmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            add_adjustment(
                scheme,
                unit=data["unit"],
                kind=data["kind"],
                points=data["points"],
                reason=data["reason"],
                evidence=data.get("evidence"),
                actor=request.user,
            )
        except (DomainError, ValidationError) as error:
            form.add_error(None, getattr(error, "message", None) or error.messages[0])
        else:
            messages.success(request, _("The adjustment was recorded."))
            return redirect("assessment:adjustments")
    return render(
        request,
        "assessment/adjustments.html",
        {
            "scheme": scheme,
            "form": form,
            "adjustments": scheme.adjustments.select_related("unit", "entered_by").prefetch_related(
                "evidence"
            ),
            "proposals": proposed_deductions(scheme),
            "overstatements": proposed_overstatements(scheme),
            "accept_form": AcceptProposalForm(initial={"points": Decimal("1")}),
            "dismiss_form": ReasonForm(),
            "locked": scheme.is_published,
        },
    )


@require_POST
@capability_required(can_edit_year_inputs)
def adjustment_remove(request, pk):
    scheme = get_scheme(request)
    if scheme is None:  # the selected year has none (yet): nothing of it to remove
        return _no_scheme(request)
    adjustment = get_object_or_404(Adjustment, pk=pk, scheme=scheme)
    try:
        remove_adjustment(adjustment, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("assessment:adjustments")


@require_POST
@capability_required(can_edit_year_inputs)
def proposal_decide(request, pk, decision):
    scheme = get_scheme(request)
    if scheme is None:
        return _no_scheme(request)
    rectification = get_object_or_404(proposed_deductions(scheme), pk=pk)
    if not can_decide_proposal(request.user, rectification):
        raise PermissionDenied
    return decide_proposal(
        request,
        decision,
        accept=lambda points: accept_proposal(
            scheme, rectification, points=points, actor=request.user
        ),
        dismiss=lambda reason: dismiss_proposal(
            scheme, rectification, reason=reason, actor=request.user
        ),
    )


def decide_proposal(request, decision, *, accept, dismiss):
    """Accept a proposed deduction with the points posted, or dismiss it with the reason
    posted (overdue rectifications, 自评失实); back to the adjustments with a message."""
    try:
        if decision == "accept":
            form = AcceptProposalForm(request.POST)
            if not form.is_valid():
                raise AssessmentError(form.errors["points"][0], "points")
            accept(form.cleaned_data["points"])
            messages.success(request, _("The deduction was recorded."))
        else:
            dismiss(request.POST.get("reason", ""))
            messages.success(request, _("The proposal was dismissed."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("assessment:adjustments")


QUERY_LIMIT = 50  # characters of a unit name searched for


@capability_required(can_read_ranking)
def ranking(request):
    scheme = get_scheme(request)
    if scheme is None:
        return _no_scheme(request)
    tab = request.GET.get("tab", "overall")
    # a category's pk written plainly, else overall: any other spelling (full-width digits,
    # leading zeros…) would be a cache entry of its own
    number = int(tab) if tab.isascii() and tab.isdigit() and len(tab) < 10 else None
    exists = number is not None and UnitCategory.objects.filter(pk=number).exists()
    tab = str(number) if exists else "overall"
    shown = ranking_tab(scheme, tab)
    tab, rows, outcome = shown["tab"], shown["rows"], shown["outcome"]
    query = request.GET.get("q", "").strip()
    if len(query) > QUERY_LIMIT:  # every sort and page link repeats the query string
        params = request.GET.copy()
        params["q"] = query[:QUERY_LIMIT]
        return redirect(f"{request.path}?{params.urlencode()}")
    if query:
        rows = [row for row in rows if query in row["unit"]]
    table_class = ranking_table_class(
        list(scheme.indicators.all()),
        overall=tab == "overall",
        self_assessment=bool(scheme.weight_self_assessment),
    )
    table = table_class(rows)
    export = request.GET.get("_export")
    if export in ("csv", "xlsx"):
        RequestConfig(request, paginate=False).configure(table)
        name = _("ranking-%(year)d") % {"year": scheme.year.year}
        if tab != "overall":  # a category's file is not the overall one saved beside it
            category = next(c for c in shown["categories"] if str(c.pk) == tab)
            name = f"{name}-{category.name}"
        exporter = SafeTableExport(export, table, dataset_kwargs={"title": name})
        return exporter.response(filename=f"{name}.{export}")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request,
        "assessment/ranking.html",
        {
            "scheme": scheme,
            "categories": shown["categories"],
            "tab": tab,
            "table": table,
            "outcome": outcome,
            "chart": ranking_chart([row.record for row in table.page.object_list]),
            "query": query,
            "can_publish": can_publish(request.user),
            "can_reopen": can_reopen(request.user),
            "reopen_form": ReasonForm(),
            "history": scheme.history.select_related("history_user")[:10],
        },
    )


@capability_required(can_read_breakdown)
def breakdown(request, unit_pk):
    # ?year= is the year a link names (a published result on the home page, the notice of its
    # publication): shown whatever year the selector is on, which it leaves as it is
    year = request.GET.get("year", "")
    scheme = (
        Scheme.objects.select_related("year").filter(year__year=int(year)).first()
        if year.isdecimal() and len(year) == 4
        else None
    )
    if scheme is None and year:
        messages.info(
            request,
            _("There is no assessment for “%(year)s”; this is the year selected above.")
            % {"year": year[:10]},
        )
    scheme = scheme or get_scheme(request)
    if scheme is None:
        return _no_scheme(request)
    unit = get_object_or_404(
        Unit.objects.visible_to(request.user).select_related("category"), pk=unit_pk
    )
    shown = unit_result(scheme, unit.pk)
    if shown is None:
        messages.info(
            request, _("%(unit)s is not part of this year's assessment.") % {"unit": unit}
        )
        return redirect("home" if has_role(request.user, Role.LIAISON) else "assessment:ranking")
    named, result = shown
    indicators = list(scheme.indicators.all())
    labels = component_labels(indicators)
    lines = [
        {
            "label": labels[key],
            "value": result.components.get(key),
            "weight": scheme_weight,
            "used": key in result.used,
        }
        for key, scheme_weight in rules_for(scheme, indicators).weights.items()
    ]
    checks = (
        SpotCheck.objects.confirmed_in_year(scheme.year.year).filter(unit=unit).order_by("date")
    )
    return render(
        request,
        "assessment/breakdown.html",
        {
            "scheme": scheme,
            "unit": named,  # its name and category as the results have them
            "result": result,
            "lines": lines,
            "checks": checks,
            "trainings": unit_training_details(scheme.year.year, unit),
            "indicator_values": IndicatorValue.objects.filter(
                indicator__scheme=scheme, unit=unit
            ).select_related("indicator"),
            "adjustments": scheme.adjustments.filter(unit=unit).select_related("entered_by"),
            "grade": grade_labels().get(result.grade, ""),
            "is_own_unit": bound_unit_id(request.user) == unit.pk,
            "missing_policy": scheme.get_missing_policy_display(),
            "self_line": _self_assessment_line(scheme, unit, result),
        },
    )


def _self_assessment_line(scheme, unit, result):
    """The unit's self-assessment beside its inspected result, and what the 自评失实 rule made
    of them: off, no proposal, proposed, accepted (a deduction above) or dismissed."""
    from assessment.models import DismissedOverstatement
    from assessment.year_end import SELF_ASSESSMENT, SPOT_CHECKS

    self_assessed = result.components.get(SELF_ASSESSMENT)
    inspected = result.components.get(SPOT_CHECKS)
    line = {
        "self": self_assessed,
        "inspected": inspected,
        "difference": None
        if self_assessed is None or inspected is None
        else self_assessed - inspected,
        "weight": scheme.weight_self_assessment,
        "margin": scheme.overstatement_margin,
        "points": scheme.overstatement_points,
        "rule": "off",
    }
    if scheme.overstatement_margin is None:
        return line
    gap = overstatement_gap(self_assessed, inspected, scheme.overstatement_margin)
    decision = decided_overstatements(scheme).get(unit.pk)
    if decision == "accepted":
        line["rule"] = "accepted"
        line["adjustment"] = scheme.adjustments.filter(unit=unit, overstatement=True).first()
    elif decision == "dismissed":
        line["rule"] = "dismissed"
        line["dismissal"] = DismissedOverstatement.objects.filter(scheme=scheme, unit=unit).first()
    elif gap is not None:
        line["rule"] = "proposed"
    else:
        line["rule"] = "none" if inspected is not None and self_assessed is not None else "missing"
    return line


@require_POST
@capability_required(can_read_ranking)
def recompute(request):
    """Compute the year's results and ranking from scratch in the background."""
    scheme = get_scheme(request)
    if scheme is None:
        return _no_scheme(request)
    job = start_job(
        "assessment.tasks.recompute",
        scheme.pk,
        title=_("Recomputation of the %(year)d results") % {"year": scheme.year.year},
        actor=request.user,
        next_url=reverse("assessment:ranking"),
    )
    return redirect(job)


@capability_required(can_publish)
def publish(request):
    """Publishing, after the leader has seen what is unfinished (and, if anything is, said so)."""
    scheme = get_scheme(request)
    if scheme is None:
        return _no_scheme(request)
    if scheme.is_published:
        messages.info(request, _("This year is already published."))
        return redirect("assessment:ranking")
    checklist = unfinished_work(scheme)
    form = PublishForm(request.POST if request.method == "POST" else None, checklist=checklist)
    refused = None
    if request.method == "POST" and not _posted_for(request, scheme):
        return redirect("assessment:publish")
    if request.method == "POST" and form.is_valid():
        try:
            publish_year(scheme, actor=request.user, acknowledged=form.acknowledgement())
        except DomainError as error:
            refused = error.message
            checklist = unfinished_work(scheme)  # show the list as it is now
            form = PublishForm(checklist=checklist)
        else:
            messages.success(
                request,
                _("The %(year)d assessment was published; the year's data is now read-only.")
                % {"year": scheme.year.year},
            )
            return redirect("assessment:ranking")
    return render(
        request,
        "assessment/publish.html",
        {"scheme": scheme, "checklist": checklist, "form": form, "refused": refused},
    )


@require_POST
@capability_required(can_reopen)
def reopen(request):
    scheme = get_scheme(request)
    if scheme is None:
        return _no_scheme(request)
    if not _posted_for(request, scheme):
        return redirect("assessment:ranking")
    try:
        reopen_year(scheme, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The %(year)d assessment was re-opened.") % {"year": scheme.year.year}
        )
    return redirect("assessment:ranking")


def _posted_for(request, scheme):
    """Whether the form was for the year selected now. The year lives in the session: a form
    opened for 1950 and sent after another tab selected 1960 published 1960. If not, the
    user is told and nothing is done."""
    posted = request.POST.get("year", "")
    if posted == str(scheme.year.year):
        return True
    messages.error(request, year_changed_message(posted, scheme.year.year))
    return False


@capability_required(can_read_ranking)
def notice_pdf(request):
    scheme = get_scheme(request)
    if scheme is None:
        return _no_scheme(request)
    if Unit.objects.active().count() > tasks.NOTICE_IN_BACKGROUND_ABOVE:
        job = start_job(
            "assessment.tasks.notice",
            scheme.pk,
            title=_("Notice of the %(year)d assessment") % {"year": scheme.year.year},
            actor=request.user,
        )
        return redirect(job)
    year = year_results(scheme)
    return file_response(pdf.assessment_notice(year, grade_labels(), year_figures(scheme)))


def _indicator_key(scheme):
    return f"indicators:{scheme.pk}"


def _check_indicator_file(scheme, table, actor):
    """The file's rows checked against the scheme as it is now: at the preview and again at
    confirm, since the year may have been published or values entered in between."""
    indicators = list(scheme.indicators.all())
    current = {
        (indicator_id, unit_id): (value, source)
        for indicator_id, unit_id, value, source in IndicatorValue.objects.filter(
            indicator__scheme=scheme
        ).values_list("indicator_id", "unit_id", "value", "source")
    }
    result = parse_indicator_grid(
        table,
        indicators,
        list(Unit.objects.all()),
        current,
        own_unit_id=bound_unit_id(actor),
    )
    if scheme.year.locked_at is not None:
        result.file_errors.insert(0, YearLocked(scheme.year.year).message)
    return result


@capability_required(can_edit_year_inputs)
def indicator_import(request):
    scheme = get_scheme(request)
    if scheme is None:
        return _no_scheme(request)
    form = SpreadsheetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            table = read_uploaded_table(
                form.cleaned_data["file"],
                indicator_columns(scheme.indicators.all()),
                INDICATOR_REQUIRED,
                percents=True,
            )
        except TabularFileError as error:
            form.add_error("file", str(error))
        else:
            imports.keep(request, _indicator_key(scheme), imports.table_data(table))
            return redirect("assessment:indicator_import_preview")
    return render(request, "assessment/indicator_import.html", {"scheme": scheme, "form": form})


@capability_required(can_edit_year_inputs)
def indicator_import_preview(request):
    scheme = get_scheme(request)
    if scheme is None:
        return _no_scheme(request)
    token, data = imports.kept(request, _indicator_key(scheme))
    if data is None:
        return redirect("assessment:indicator_import")
    table = imports.table_from(data)
    return render(
        request,
        "assessment/indicator_import_preview.html",
        {
            "scheme": scheme,
            "preview": _check_indicator_file(scheme, table, request.user),
            "notes": table.notes,
            "token": token,
        },
    )


@require_POST
@capability_required(can_edit_year_inputs)
def indicator_import_confirm(request):
    scheme = get_scheme(request)
    if scheme is None:
        return _no_scheme(request)
    key = _indicator_key(scheme)
    data = imports.confirmed(request, key)
    if data is None:
        messages.error(request, imports.stale_message())
        return redirect("assessment:indicator_import")
    result = _check_indicator_file(scheme, imports.table_from(data), request.user)
    if not result.is_clean:
        messages.error(request, _("Nothing was imported: correct the errors shown below."))
        return redirect("assessment:indicator_import_preview")
    try:
        changed = save_indicator_values(scheme, result.values, actor=request.user)
    except DomainError as error:
        messages.error(request, _("Nothing was imported: %(error)s") % {"error": error.message})
        return redirect("assessment:indicator_import_preview")
    imports.drop(request, key)
    messages.success(request, _("%(count)d values were saved.") % {"count": changed})
    return redirect("assessment:indicators")


@capability_required(can_edit_year_inputs)
def indicator_export(request):
    """The grid as XLSX, with the current values: fill it in and import it back."""
    scheme = get_scheme(request)
    if scheme is None:
        return _no_scheme(request)
    indicators = list(scheme.indicators.all())
    values = {
        (v.indicator_id, v.unit_id): v
        for v in IndicatorValue.objects.filter(indicator__scheme=scheme)
    }
    rows = []
    for unit in Unit.objects.active().select_related("category"):
        cells = [values.get((i.pk, unit.pk)) for i in indicators]
        source = next((v.source for v in cells if v is not None and v.source), "")
        rows.append([unit.name, *[v.value if v else None for v in cells], source])
    filename = _("indicators-%(year)d") % {"year": scheme.year.year}
    return spreadsheet_response(
        f"{filename}.xlsx",
        ["单位", *[i.name for i in indicators], "来源"],
        rows,
        title=filename,
        widths=(28,),
    )
