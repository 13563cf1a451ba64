from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from assessment import pdf
from assessment.filters import SpotCheckFilter
from assessment.forms import EvidenceForm, ReasonForm, ScoreForm, SpotCheckForm
from assessment.models import SpotCheck
from assessment.services.self_assessment import side_by_side
from assessment.services.spot_checks import (
    SCORES_SAVED,
    EditConflict,
    add_evidence,
    checklist_items,
    compute_score,
    confirm_spot_check,
    current_entries,
    plan_spot_check,
    remove_evidence,
    save_scores,
    submit_spot_check,
    unconfirm_spot_check,
    withdraw_submission,
)
from assessment.tables import SpotCheckTable
from assessment.views.item_rows import item_rows, self_comparison, unscored_items
from core.errors import DomainError
from core.exports import ExportMixin
from core.http import file_response, stored_file_response
from core.years import selected_year
from units.models import Unit
from units.roles import (
    CapabilityRequiredMixin,
    can_confirm,
    can_manage_checks,
    can_raise_rectification,
    can_read_assessment,
    can_read_spot_checks,
    can_score,
    can_unconfirm,
    capability_required,
)


def get_spot_check_for_user(request, pk):
    """The one way to fetch a spot check from user input: invisible ones are a 404."""
    return get_object_or_404(
        SpotCheck.objects.visible_to(request.user).select_related("unit", "checklist", "round"),
        pk=pk,
    )


class SpotCheckListView(CapabilityRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    required_capability = can_read_spot_checks
    table_class = SpotCheckTable
    filterset_class = SpotCheckFilter
    template_name = "assessment/spot_check_list.html"
    table_pagination = {"per_page": 25}
    export_name = gettext_lazy("spot-checks")
    export_of_a_year = True

    def get_queryset(self):
        return (
            SpotCheck.objects.visible_to(self.request.user)
            .filter(date__year=selected_year(self.request))
            .select_related("unit", "round", "checklist")
            .prefetch_related("inspectors")
            .order_by("-date", "unit__sort_order")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = can_manage_checks(self.request.user)
        return context


@capability_required(can_manage_checks)
def spot_check_create(request):
    form = SpotCheckForm(request.POST or None, planner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            spot_check = plan_spot_check(form, actor=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The spot check was planned."))
            return redirect(spot_check)
    return render(request, "assessment/form.html", {"form": form, "title": _("New spot check")})


def _beside(request, spot_check, items, entries, score):
    """The unit's submitted self-assessment and, per item, its entry beside the inspector's:
    for assessors only (a liaison reads its own on the self-assessment's page)."""
    if not can_read_assessment(request.user):
        return None, {}
    self_assessment, self_entries = side_by_side(spot_check, items)
    if self_assessment is None:
        return None, {}
    return self_assessment, self_comparison(items, entries, score, self_assessment, self_entries)


@capability_required(can_read_spot_checks)
def spot_check_detail(request, pk):
    spot_check = get_spot_check_for_user(request, pk)
    items = checklist_items(spot_check.checklist)
    entries = current_entries(spot_check, items)
    score = compute_score(spot_check, items, entries)
    user = request.user
    Status = SpotCheck.Status
    may_score = spot_check.is_editable and can_score(user, spot_check)
    self_assessment, beside = _beside(request, spot_check, items, entries, score)
    rows = item_rows(items, entries, score)
    for row in rows:
        row["mine"] = beside.get(row["item"].pk)
    return render(
        request,
        "assessment/spot_check_detail.html",
        {
            "spot_check": spot_check,
            "score": score,
            "scored_yet": any(
                entry["points"] is not None
                or entry["not_applicable"]
                or entry["veto_failed"]
                or entry["counts"]
                for entry in entries.values()
            ),
            "rows": rows,
            "self_assessment": self_assessment,
            "evidence": spot_check.evidence.select_related("item"),
            "rectifications": spot_check.rectifications.all(),
            "inspectors": spot_check.inspectors.all(),
            "can_score": may_score,
            "can_read_checklist": can_read_assessment(user),
            "can_submit": spot_check.status == Status.IN_PROGRESS and can_score(user, spot_check),
            # the scorer takes a submitted check back to correct it (the service's rule)
            "can_withdraw": spot_check.status == Status.SUBMITTED and can_score(user, spot_check),
            "can_confirm": spot_check.status == Status.SUBMITTED and can_confirm(user, spot_check),
            "can_unconfirm": spot_check.status == Status.CONFIRMED
            and can_unconfirm(user, spot_check),
            "can_rectify": spot_check.status == Status.CONFIRMED
            and can_raise_rectification(user, spot_check),
            "evidence_form": EvidenceForm(checklist=spot_check.checklist) if may_score else None,
            "unconfirm_form": ReasonForm(),
        },
    )


@capability_required(can_manage_checks)
def spot_check_score(request, pk):
    spot_check = get_spot_check_for_user(request, pk)
    if not can_score(request.user, spot_check):
        raise PermissionDenied
    if not spot_check.is_editable:
        return _no_longer_editable(request, spot_check)
    items = checklist_items(spot_check.checklist)
    entries = current_entries(spot_check, items)
    seen_key = f"scores_seen:{spot_check.pk}"
    conflict = None
    if request.method == "POST":
        form = ScoreForm(request.POST, items=items)
        if form.is_valid():
            try:
                save_scores(
                    spot_check,
                    version=form.cleaned_data["version"],
                    entries=form.entries(),
                    summary=form.cleaned_data["summary"],
                    actor=request.user,
                    seen_entries=_seen(request.session.get(seen_key)),
                    date=form.cleaned_data["date"],
                )
            except EditConflict as error:
                conflict = error
                spot_check.refresh_from_db()
                # the form again with what the other saved in every item this user left as it
                # was: saving it then keeps the other's work (a tester's second save wiped a
                # colleague's counted faults); saving again overwrites deliberately
                merged = _merged(form.entries(), _seen(request.session.get(seen_key)), entries)
                initial = ScoreForm.initial_from(
                    merged, spot_check.version, form.cleaned_data["summary"]
                )
                initial["date"] = form.cleaned_data["date"] or spot_check.date
                form = ScoreForm(_as_posted(initial), items=items)
                form.is_valid()
                request.session[seen_key] = _serialisable(entries)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                request.session.pop(seen_key, None)
                messages.success(request, _("The scores were saved."))
                if "submit" in request.POST:
                    return _submit(request, spot_check)
                return redirect("assessment:spot_check_score", spot_check.pk)
    else:
        form = ScoreForm(
            initial={
                **ScoreForm.initial_from(entries, spot_check.version, spot_check.summary),
                "date": spot_check.date,
            },
            items=items,
        )
        request.session[seen_key] = _serialisable(entries)
    score = compute_score(spot_check, items, entries)
    self_assessment, beside = _beside(request, spot_check, items, entries, score)
    saved_at = (
        spot_check.history.filter(history_change_reason=SCORES_SAVED)
        .values_list("history_date", flat=True)
        .first()
    )
    return render(
        request,
        "assessment/spot_check_score.html",
        {
            "spot_check": spot_check,
            "form": form,
            "score": score,
            "score_rows": [(item, fields, beside.get(item.pk)) for item, fields in form.rows()],
            "unscored": unscored_items(items, entries, score),
            "self_assessment": self_assessment,
            "saved_at": saved_at,
            "conflict": conflict,
        },
    )


def _no_longer_editable(request, spot_check):
    """A co-inspector submitted the check (or it was confirmed) while this user's page was
    open: say so, rather than "your role may not use this page"."""
    if request.method == "POST":
        message = _(
            "This check is %(status)s and can no longer be scored here; what you entered was "
            "not saved."
        )
    else:
        message = _("This check is %(status)s and can no longer be scored here.")
    messages.error(request, message % {"status": spot_check.get_status_display()})
    return redirect(spot_check)


def _merged(mine, seen, theirs):
    """Each item as this user entered it if they changed it from what their page showed,
    else as it is saved now (`theirs`); without what the page showed, all as entered."""
    if not seen:
        return mine
    return {
        item_id: entry if entry != seen.get(item_id) else theirs.get(item_id, entry)
        for item_id, entry in mine.items()
    }


def _as_posted(initial):
    """A form's initial values as a browser posts them (a checkbox left out when unticked)."""
    data = QueryDict(mutable=True)
    for name, value in initial.items():
        if value is True:
            data[name] = "on"
        elif value is not False:
            data[name] = "" if value is None else str(value)
    return data


def _serialisable(entries):
    return {
        str(item_id): {
            **entry,
            "points": None if entry["points"] is None else str(entry["points"]),
            "counts": {str(k): v for k, v in entry["counts"].items()},
        }
        for item_id, entry in entries.items()
    }


def _seen(data):
    if not data:
        return {}
    return {
        int(item_id): {
            **entry,
            "points": None if entry["points"] is None else Decimal(entry["points"]),
            "counts": {int(k): v for k, v in entry["counts"].items()},
        }
        for item_id, entry in data.items()
    }


def _submit(request, spot_check):
    try:
        submit_spot_check(spot_check, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("assessment:spot_check_score", spot_check.pk)
    messages.success(request, _("The spot check was submitted for confirmation."))
    return redirect(spot_check)


@require_POST
@capability_required(can_read_assessment)  # the service decides per check and action
def spot_check_transition(request, pk, action):
    spot_check = get_spot_check_for_user(request, pk)
    actions = {
        "submit": (submit_spot_check, _("The spot check was submitted for confirmation.")),
        "withdraw": (withdraw_submission, _("The submission was withdrawn.")),
        "confirm": (confirm_spot_check, _("The spot check was confirmed.")),
    }
    if action == "unconfirm":
        form = ReasonForm(request.POST)
        reason = form.data.get("reason", "")
        service = lambda check, actor: unconfirm_spot_check(check, actor=actor, reason=reason)  # noqa: E731
        done = _("The spot check was re-opened; the reason is kept in its history.")
    elif action in actions:
        function, done = actions[action]
        service = lambda check, actor: function(check, actor=actor)  # noqa: E731
    else:
        raise PermissionDenied
    try:
        service(spot_check, request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(spot_check)


@require_POST
@capability_required(can_manage_checks)
def evidence_upload(request, pk):
    spot_check = get_spot_check_for_user(request, pk)
    if not can_score(request.user, spot_check):
        raise PermissionDenied
    if not spot_check.is_editable:
        return _no_longer_editable(request, spot_check)
    form = EvidenceForm(request.POST, request.FILES, checklist=spot_check.checklist)
    if not form.is_valid():
        messages.error(request, form.problem())
        return redirect(spot_check)
    try:
        add_evidence(
            spot_check,
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
    return redirect(spot_check)


@require_POST
@capability_required(can_manage_checks)
def evidence_remove(request, pk, evidence_pk):
    spot_check = get_spot_check_for_user(request, pk)
    evidence = get_object_or_404(spot_check.evidence, pk=evidence_pk)
    try:
        remove_evidence(evidence, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s was removed.") % {"name": evidence.original_name})
    return redirect(spot_check)


@capability_required(can_read_spot_checks)
def evidence_download(request, pk, evidence_pk):
    spot_check = get_spot_check_for_user(request, pk)
    evidence = get_object_or_404(spot_check.evidence, pk=evidence_pk)
    return stored_file_response(evidence)


@capability_required(can_read_spot_checks)
def feedback_pdf(request, pk):
    spot_check = get_spot_check_for_user(request, pk)
    items = checklist_items(spot_check.checklist)
    entries = current_entries(spot_check, items)
    score = compute_score(spot_check, items, entries)
    rows = item_rows(items, entries, score)
    return file_response(pdf.feedback_report(spot_check, rows, score))


@capability_required(can_read_spot_checks)
def unit_history(request, unit_pk):
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_pk)
    checks = list(
        SpotCheck.objects.visible_to(request.user)
        .filter(unit=unit, status=SpotCheck.Status.CONFIRMED)
        .select_related("checklist", "round")
        .order_by("date")
    )
    return render(
        request,
        "assessment/unit_history.html",
        {"unit": unit, "checks": checks, "chart": _history_chart(checks)},
    )


def _history_chart(checks, width=600, height=160, pad=24):
    """Points of an SVG line chart of percentages over time, drawn by the server."""
    if not checks:
        return None
    step = (width - 2 * pad) / max(len(checks) - 1, 1)
    points = []
    for index, check in enumerate(checks):
        x = pad + index * step
        y = height - pad - (height - 2 * pad) * (check.percentage or 0) / 100
        points.append({"x": round(x, 1), "y": round(y, 1), "check": check})
    return {
        "width": width,
        "height": height,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
    }
