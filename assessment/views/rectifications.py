from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from assessment import pdf
from assessment.filters import RectificationFilter
from assessment.forms import AnswerFilesForm, AnswerForm, RectificationForm, ReviewForm
from assessment.models import Rectification, SpotCheck
from assessment.services.rectifications import (
    AWAITING_ANSWER,
    add_answer_files,
    answer_rectification,
    raise_rectification,
    remove_answer_file,
    review_rectification,
)
from assessment.tables import RectificationTable
from assessment.views.spot_checks import get_spot_check_for_user
from core.errors import DomainError
from core.exports import ExportMixin
from core.http import file_response, stored_file_response
from units.roles import (
    CapabilityRequiredMixin,
    can_answer_rectification,
    can_answer_rectifications,
    can_manage_checks,
    can_raise_rectification,
    can_read_spot_checks,
    can_verify_answer,
    capability_required,
)


def get_rectification_for_user(request, pk):
    return get_object_or_404(
        Rectification.objects.visible_to(request.user).select_related(
            "spot_check", "spot_check__unit", "item"
        ),
        pk=pk,
    )


class RectificationListView(CapabilityRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    required_capability = can_read_spot_checks
    table_class = RectificationTable
    filterset_class = RectificationFilter
    template_name = "assessment/rectification_list.html"
    table_pagination = {"per_page": 25}
    export_name = gettext_lazy("rectifications")
    export_of_a_year = True

    def get_queryset(self):
        return Rectification.objects.visible_to(self.request.user).select_related(
            "spot_check__unit"
        )


@capability_required(can_manage_checks)
def rectification_create(request, pk):
    spot_check = get_spot_check_for_user(request, pk)
    if not can_raise_rectification(request.user, spot_check):
        raise PermissionDenied
    form = RectificationForm(request.POST or None, checklist=spot_check.checklist)
    if request.method == "POST" and form.is_valid():
        try:
            rectification = raise_rectification(
                spot_check,
                item=form.cleaned_data["item"],
                requirement=form.cleaned_data["requirement"],
                working_days=form.cleaned_data["working_days"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The rectification was raised; deadline %(deadline)s.")
                % {"deadline": rectification.deadline_text},
            )
            return redirect(spot_check)
    return render(
        request,
        "assessment/form.html",
        {
            "form": form,
            "title": _("Raise a rectification"),
            "back": spot_check.get_absolute_url(),
        },
    )


def _visible_files(user, rectification):
    """Files sent with an answer; the unit also sees those waiting for its next answer."""
    files = rectification.files.select_related("uploaded_by")
    if can_answer_rectification(user, rectification):
        return files
    return files.filter(pending=False)


@capability_required(can_read_spot_checks)
def rectification_detail(request, pk):
    rectification = get_rectification_for_user(request, pk)
    user = request.user
    can_answer = (
        can_answer_rectification(user, rectification) and rectification.status in AWAITING_ANSWER
    )
    can_review = rectification.status == Rectification.Status.ANSWERED and can_verify_answer(
        user, rectification
    )
    answer_form = AnswerForm(request.POST or None, request.FILES or None) if can_answer else None
    review_form = ReviewForm(request.POST or None) if can_review else None
    if request.method == "POST":
        form = answer_form or review_form
        if form is None:
            if can_answer_rectification(user, rectification) or can_verify_answer(
                user, rectification
            ):
                # a page opened before the rectification moved on (trial 9: a 403 sent the
                # user to the administrator)
                messages.info(
                    request,
                    _("This rectification is %(status)s now; nothing was saved.")
                    % {"status": rectification.get_status_display()},
                )
                return redirect(rectification)
            raise PermissionDenied
        if form.is_valid():
            try:
                if answer_form is not None:
                    answer_rectification(
                        rectification,
                        response=form.cleaned_data["response"],
                        files=form.cleaned_data["file"],
                        actor=user,
                    )
                    messages.success(request, _("Your answer was sent for verification."))
                else:
                    review_rectification(
                        rectification,
                        accept=form.cleaned_data["decision"] == "accept",
                        note=form.cleaned_data["note"],
                        actor=user,
                    )
                    messages.success(request, _("The review was saved."))
            except ValidationError as error:
                form.add_error("file", error)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return redirect(rectification)
    return render(
        request,
        "assessment/rectification_detail.html",
        {
            "rectification": rectification,
            # a check re-opened since is no longer the unit's to open (trial 9: a 404 link)
            "check_visible": SpotCheck.objects.visible_to(user)
            .filter(pk=rectification.spot_check_id)
            .exists(),
            "files": [f for f in _visible_files(user, rectification) if not f.pending],
            "pending_files": [f for f in _visible_files(user, rectification) if f.pending],
            "files_form": AnswerFilesForm() if can_answer else None,
            "answer_form": answer_form,
            "review_form": review_form,
        },
    )


@capability_required(can_read_spot_checks)
def rectification_file(request, pk, file_pk):
    rectification = get_rectification_for_user(request, pk)
    stored = get_object_or_404(_visible_files(request.user, rectification), pk=file_pk)
    return stored_file_response(stored)


@capability_required(can_read_spot_checks)
def rectification_notice_pdf(request, pk):
    """整改通知书 of a rectification, for whoever may see the rectification."""
    return file_response(pdf.rectification_notice(get_rectification_for_user(request, pk)))


@require_POST
@capability_required(can_answer_rectifications)
def rectification_files_add(request, pk):
    rectification = get_rectification_for_user(request, pk)
    form = AnswerFilesForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form.errors["files"][0])
        return redirect(rectification)
    try:
        added = add_answer_files(rectification, form.cleaned_data["files"], actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(count)d files were added; they are sent with your answer.")
            % {"count": len(added)},
        )
    return redirect(rectification)


@require_POST
@capability_required(can_answer_rectifications)
def rectification_file_remove(request, pk, file_pk):
    rectification = get_rectification_for_user(request, pk)
    stored = get_object_or_404(_visible_files(request.user, rectification), pk=file_pk)
    try:
        remove_answer_file(stored, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s was removed.") % {"name": stored.original_name})
    return redirect(rectification)
