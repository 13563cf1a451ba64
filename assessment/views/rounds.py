from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from assessment import pdf
from assessment.forms import RoundForm
from assessment.models import SamplingRound
from assessment.services.rounds import create_round, draw_round
from assessment.tables import DrawTable, RoundTable
from core.errors import DomainError
from core.exports import SafeTableExport
from core.http import file_response
from core.years import selected_year
from units.roles import can_manage_checks, can_read_assessment, capability_required


@capability_required(can_read_assessment)
def round_list(request):
    rounds = SamplingRound.objects.filter(year=selected_year(request)).annotate(
        checks=Count("spot_checks")
    )
    table = RoundTable(rounds)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(
        request,
        "assessment/round_list.html",
        {"table": table, "can_manage": can_manage_checks(request.user)},
    )


@capability_required(can_manage_checks)
def round_create(request):
    form = RoundForm(
        request.POST or None, initial={"year": selected_year(request), "inspectors_per_check": 2}
    )
    if request.method == "POST" and form.is_valid():
        try:
            sampling_round = create_round(form, actor=request.user)
        except DomainError as error:
            form.add_error("year", error.message)
        else:
            messages.success(request, _("The round was created. Draw it when ready."))
            return redirect(sampling_round)
    return render(request, "assessment/round_form.html", {"form": form})


def _drawn_rows(sampling_round):
    checks = sampling_round.spot_checks.select_related("unit", "unit__category", "checklist")
    return [
        {
            "unit": check.unit,
            "category": check.unit.category,
            "checklist": check.checklist,
            "inspectors": "、".join(
                u.get_full_name() or u.username for u in check.inspectors.all()
            ),
            "check": check,
        }
        for check in checks.prefetch_related("inspectors")
    ]


@capability_required(can_read_assessment)
def round_detail(request, pk):
    sampling_round = get_object_or_404(SamplingRound, pk=pk)
    rows = _drawn_rows(sampling_round)
    export = request.GET.get("_export")
    if export in ("csv", "xlsx"):
        return _export_draw(sampling_round, rows, export)
    return render(
        request,
        "assessment/round_detail.html",
        {
            "round": sampling_round,
            "rows": rows,
            "category_checklists": sampling_round.category_checklists.select_related(
                "category", "checklist"
            ),
            "can_manage": can_manage_checks(request.user),
        },
    )


def _export_draw(sampling_round, rows, export_format):
    exporter = SafeTableExport(export_format, DrawTable(rows))
    return exporter.response(filename=f"{sampling_round.name}.{export_format}")


@require_POST
@capability_required(can_manage_checks)
def round_draw(request, pk):
    sampling_round = get_object_or_404(SamplingRound, pk=pk)
    try:
        draw_round(sampling_round, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The round was drawn; its spot checks are planned."))
        sampling_round.refresh_from_db()
        drawn = len(sampling_round.result)
        if sampling_round.sample_size and drawn < sampling_round.sample_size:
            # asking for 20 of 12 units drew all 12, and the round still said 20
            messages.warning(
                request,
                _(
                    "The round asked for %(asked)d units, but its population has %(drawn)d: "
                    "all %(drawn)d were drawn."
                )
                % {"asked": sampling_round.sample_size, "drawn": drawn},
            )
    return redirect(sampling_round)


@capability_required(can_read_assessment)
def round_notice_pdf(request, pk):
    sampling_round = get_object_or_404(SamplingRound, pk=pk, status=SamplingRound.Status.DRAWN)
    return file_response(pdf.round_notice(sampling_round, _drawn_rows(sampling_round)))
