"""自查自评 pages: campaigns, a unit's self-assessment (fill, read, return, evidence, PDF) and
the year-end 自评失实 proposals."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessment import pdf
from assessment.forms import (
    CampaignForm,
    EvidenceForm,
    ReasonForm,
    SelfAssessmentForm,
)
from assessment.models import Campaign, SelfAssessment
from assessment.services.self_assessment import (
    accept_overstatement,
    add_self_evidence,
    create_campaign,
    dismiss_overstatement,
    is_editable,
    remove_self_evidence,
    return_self_assessment,
    save_self_assessment,
    self_assessment_entries,
    self_assessment_score,
    submit_self_assessment,
    why_read_only,
)
from assessment.services.spot_checks import checklist_items
from assessment.stats import unit_spot_check_components
from assessment.views.item_rows import item_rows, unscored_items
from core.decimals import round_score
from core.errors import DomainError
from core.exports import spreadsheet_response
from core.http import file_response, stored_file_response
from core.years import selected_year
from units.models import Unit
from units.roles import (
    Role,
    can_adjust,
    can_edit_self_assessment,
    can_edit_year_inputs,
    can_manage_campaigns,
    can_read_self_assessments,
    can_return_self_assessment,
    can_return_self_assessments,
    capability_required,
    has_role,
)


def get_self_assessment_for_user(request, pk):
    """The one way to fetch a self-assessment from user input: another unit's is a 404."""
    return get_object_or_404(
        SelfAssessment.objects.visible_to(request.user).select_related(
            "campaign__checklist", "unit"
        ),
        pk=pk,
    )


@capability_required(can_read_self_assessments)
@require_GET
def campaign_list(request):
    year = selected_year(request)
    campaigns = (
        Campaign.objects.visible_to(request.user).filter(year=year).select_related("checklist")
    )
    own = None
    if has_role(request.user, Role.LIAISON):
        own = {
            sa.campaign_id: sa
            for sa in SelfAssessment.objects.visible_to(request.user).filter(campaign__year=year)
        }
    return render(
        request,
        "assessment/self_assessment_campaigns.html",
        {
            "year": year,
            "campaigns": [(c, (own or {}).get(c.pk)) for c in campaigns],
            "can_manage": can_manage_campaigns(request.user),
        },
    )


@capability_required(can_manage_campaigns)
def campaign_create(request):
    form = CampaignForm(request.POST or None, initial={"year": selected_year(request)})
    if request.method == "POST" and form.is_valid():
        try:
            campaign = create_campaign(**form.cleaned_data, actor=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The self-assessment campaign was set up."))
            return redirect(campaign)
    return render(
        request,
        "assessment/form.html",
        {"form": form, "title": _("New self-assessment campaign")},
    )


def _comparison(campaign, user):
    """Rows of the campaign's units: status, self-assessed and inspected percentage, gap."""
    inspected = unit_spot_check_components(campaign.year)
    assessments = (
        SelfAssessment.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("unit__category")
        .order_by("unit__category__sort_order", "unit__sort_order")
    )
    rows = []
    for sa in assessments:
        self_value = sa.percentage if sa.status == SelfAssessment.Status.SUBMITTED else None
        other = inspected.get(sa.unit_id)
        gap = None if self_value is None or other is None else round_score(self_value - other)
        rows.append({"sa": sa, "self": self_value, "inspected": other, "gap": gap})
    return rows


@capability_required(can_read_self_assessments)
def campaign_detail(request, pk):
    campaign = get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("checklist"), pk=pk
    )
    rows = _comparison(campaign, request.user)
    submitted = sum(row["sa"].status == SelfAssessment.Status.SUBMITTED for row in rows)
    counts = {"submitted": submitted, "total": len(rows)}
    pending = request.GET.get("pending") == "1"  # only the units that have not submitted
    if pending:
        rows = [row for row in rows if row["sa"].status != SelfAssessment.Status.SUBMITTED]
    order = request.GET.get("order", "")
    if order == "gap":
        rows.sort(key=lambda r: (r["gap"] is None, -(r["gap"] or 0)))
    export = request.GET.get("_export")
    if export in ("csv", "xlsx"):
        return spreadsheet_response(
            f"{_('self-assessment')}-{campaign.name}.{export}",
            [_("Unit"), _("Status"), _("Self-assessed %"), _("Inspected %"), _("Gap")],
            [
                [
                    r["sa"].unit.name,
                    r["sa"].get_status_display(),
                    r["self"],
                    r["inspected"],
                    r["gap"],
                ]
                for r in rows
            ],
            title=campaign.name[:30],
            widths=(28, 10, 14, 14, 10),
        )
    return render(
        request,
        "assessment/self_assessment_campaign.html",
        {
            "campaign": campaign,
            "rows": rows,
            "phase": campaign.phase(),
            "order": order,
            "counts": counts,
            "pending": pending,
        },
    )


@capability_required(can_read_self_assessments)
def self_assessment_detail(request, pk):
    sa = get_self_assessment_for_user(request, pk)
    items = checklist_items(sa.checklist)
    entries = self_assessment_entries(sa, items)
    score = self_assessment_score(sa, items, entries)
    evidence = list(sa.evidence.select_related("item"))
    editable = is_editable(sa) and can_edit_self_assessment(request.user, sa)
    return render(
        request,
        "assessment/self_assessment_detail.html",
        {
            "sa": sa,
            "campaign": sa.campaign,
            "score": score,
            "rows": item_rows(items, entries, score, evidence),
            "general_evidence": [f for f in evidence if f.item_id is None],
            "can_edit": editable,
            "can_return": sa.status == SelfAssessment.Status.SUBMITTED
            and sa.campaign.phase() != "closed"
            and can_return_self_assessment(request.user, sa),
            "return_form": ReasonForm(),
        },
    )


@capability_required(can_read_self_assessments)
def self_assessment_fill(request, pk):
    sa = get_self_assessment_for_user(request, pk)
    if not can_edit_self_assessment(request.user, sa):
        raise PermissionDenied
    if not is_editable(sa):
        messages.info(request, why_read_only(sa))
        return redirect(sa)
    items = checklist_items(sa.checklist)
    entries = self_assessment_entries(sa, items)
    if request.method == "POST":
        form = SelfAssessmentForm(request.POST, items=items)
        if form.is_valid():
            try:
                save_self_assessment(
                    sa,
                    version=form.cleaned_data["version"],
                    entries=form.entries(),
                    summary=form.cleaned_data["summary"],
                    actor=request.user,
                )
                if "submit" in request.POST:
                    submit_self_assessment(sa, actor=request.user)
            except DomainError as error:
                if "submit" in request.POST and error.code not in ("conflict", "invalid"):
                    messages.success(request, _("The self-assessment was saved."))
                    messages.error(request, error.message)
                    return redirect("assessment:self_assessment_fill", sa.pk)
                form.add_error(None, error.message)
            else:
                if "submit" in request.POST:
                    messages.success(request, _("The self-assessment was submitted."))
                    return redirect(sa)
                messages.success(request, _("The self-assessment was saved."))
                return redirect("assessment:self_assessment_fill", sa.pk)
    else:
        form = SelfAssessmentForm(
            initial=SelfAssessmentForm.initial_from(entries, sa.version, sa.summary), items=items
        )
    score = self_assessment_score(sa, items, entries)
    return render(
        request,
        "assessment/self_assessment_fill.html",
        {
            "sa": sa,
            "form": form,
            "score": score,
            "score_rows": [(item, fields, None) for item, fields in form.rows()],
            "unscored": unscored_items(items, entries, score),
            "evidence_form": EvidenceForm(checklist=sa.checklist),
            "evidence": sa.evidence.select_related("item"),
        },
    )


@require_POST
@capability_required(can_return_self_assessments)
def self_assessment_return(request, pk):
    sa = get_self_assessment_for_user(request, pk)
    try:
        return_self_assessment(sa, reason=request.POST.get("reason", ""), actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The self-assessment was returned to the unit."))
    return redirect(sa)


@require_POST
@capability_required(can_read_self_assessments)
def self_evidence_upload(request, pk):
    sa = get_self_assessment_for_user(request, pk)
    if not can_edit_self_assessment(request.user, sa):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES, checklist=sa.checklist)
    if not form.is_valid():
        messages.error(request, form.problem())
    else:
        try:
            add_self_evidence(
                sa,
                upload=form.cleaned_data["file"],
                item=form.cleaned_data["item"],
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The file was uploaded."))
    return redirect(
        "assessment:self_assessment_fill"
        if is_editable(sa)
        else "assessment:self_assessment_detail",
        sa.pk,
    )


@require_POST
@capability_required(can_read_self_assessments)
def self_evidence_remove(request, pk, evidence_pk):
    sa = get_self_assessment_for_user(request, pk)
    evidence = get_object_or_404(sa.evidence, pk=evidence_pk)
    try:
        remove_self_evidence(evidence, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s was removed.") % {"name": evidence.original_name})
    return redirect(
        "assessment:self_assessment_fill"
        if is_editable(sa)
        else "assessment:self_assessment_detail",
        sa.pk,
    )


@capability_required(can_read_self_assessments)
def self_evidence_download(request, pk, evidence_pk):
    sa = get_self_assessment_for_user(request, pk)
    evidence = get_object_or_404(sa.evidence, pk=evidence_pk)
    return stored_file_response(evidence)


@capability_required(can_read_self_assessments)
def self_assessment_pdf(request, pk):
    sa = get_self_assessment_for_user(request, pk)
    items = checklist_items(sa.checklist)
    entries = self_assessment_entries(sa, items)
    score = self_assessment_score(sa, items, entries)
    return file_response(pdf.self_assessment_report(sa, item_rows(items, entries, score), score))


# 自评失实 proposals: accepted or dismissed on the adjustments page, like overdue rectifications


@require_POST
@capability_required(can_edit_year_inputs)
def overstatement_decide(request, unit_pk, decision):
    from assessment.views.year_end import decide_proposal, get_scheme

    scheme = get_scheme(request)
    if scheme is None:
        raise PermissionDenied
    unit = get_object_or_404(Unit, pk=unit_pk)
    if not can_adjust(request.user, unit.pk):
        raise PermissionDenied
    return decide_proposal(
        request,
        decision,
        accept=lambda points: accept_overstatement(scheme, unit, points=points, actor=request.user),
        dismiss=lambda reason: dismiss_overstatement(
            scheme, unit, reason=reason, actor=request.user
        ),
    )
