from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import Rectification, RectificationFile, SpotCheck
from assessment.services import AssessmentError
from assessment.workdays import WorkdayCalendarError, add_working_days
from core.uploads import delete_stored_file, validate_evidence_file
from units.roles import Role, bound_unit_id, has_role


@transaction.atomic
def raise_rectification(spot_check, *, requirement, working_days, actor, item=None):
    if spot_check.status != SpotCheck.Status.CONFIRMED:
        raise AssessmentError(
            _("Rectifications are raised from confirmed spot checks only."), "not_confirmed"
        )
    if not has_role(actor, Role.INSPECTOR, Role.ADMIN):
        raise AssessmentError(_("Only inspectors can raise rectifications."), "forbidden")
    if item is not None and item.section.checklist_id != spot_check.checklist_id:
        raise AssessmentError(_("That item is not on this check's checklist."), "bad_item")
    start = timezone.localdate(spot_check.confirmed_at)
    try:
        deadline = add_working_days(start, working_days)
    except WorkdayCalendarError as error:
        raise AssessmentError(str(error), "calendar") from None
    return Rectification.objects.create(
        spot_check=spot_check,
        item=item,
        requirement=requirement,
        working_days=working_days,
        deadline=deadline,
        created_by=actor,
    )


MAX_FILES_PER_ANSWER = 10
AWAITING_ANSWER = (Rectification.Status.OPEN, Rectification.Status.RETURNED)


def attach_file(rectification, upload, *, actor, content_type=None, pending=False):
    content_type = content_type or validate_evidence_file(upload)
    return RectificationFile.objects.create(
        rectification=rectification,
        file=upload,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
        pending=pending,
    )


def _ensure_answering(rectification, actor):
    """Only the unit's liaison answers, and only while an answer is awaited. The row is locked
    so that adding or removing a file and sending the answer happen one after the other."""
    if bound_unit_id(actor) != rectification.spot_check.unit_id or not has_role(
        actor, Role.LIAISON
    ):
        raise AssessmentError(_("Only the unit's liaison can answer."), "forbidden")
    rectification.status = (
        Rectification.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=rectification.pk)
    )
    if rectification.status not in AWAITING_ANSWER:
        raise AssessmentError(_("This rectification is not waiting for an answer."), "bad_status")


def _attach_all(rectification, uploads, *, actor, pending):
    """Check every file before storing any: one bad file refuses them all."""
    uploads = list(uploads)
    already = rectification.files.filter(pending=True).count()
    if already + len(uploads) > MAX_FILES_PER_ANSWER:
        raise AssessmentError(
            _("An answer can carry at most %(count)d files.") % {"count": MAX_FILES_PER_ANSWER},
            "too_many_files",
        )
    types = [validate_evidence_file(upload) for upload in uploads]
    return [
        attach_file(rectification, upload, actor=actor, content_type=content_type, pending=pending)
        for upload, content_type in zip(uploads, types, strict=True)
    ]


@transaction.atomic
def add_answer_files(rectification, uploads, *, actor):
    """Files for the unit's next answer, kept apart (pending) until the answer is sent, so a
    wrong one can still be removed."""
    _ensure_answering(rectification, actor)
    if not uploads:
        raise AssessmentError(_("Choose at least one file."), "no_files")
    return _attach_all(rectification, uploads, actor=actor, pending=True)


@transaction.atomic
def remove_answer_file(stored, *, actor):
    """Remove a file the unit uploaded for its answer, before the answer is sent. The row goes
    and so does the stored file (after the commit): nothing refers to it any more."""
    _ensure_answering(stored.rectification, actor)
    if not stored.pending:
        raise AssessmentError(
            _("This file was sent with an answer and can no longer be removed."), "sent"
        )
    delete_stored_file(stored)


@transaction.atomic
def answer_rectification(rectification, *, response, actor, files=()):
    _ensure_answering(rectification, actor)
    if not response.strip():
        raise AssessmentError(_("Describe what the unit has done."), "empty")
    _attach_all(rectification, files, actor=actor, pending=False)
    rectification.files.filter(pending=True).update(pending=False)
    rectification.response = response.strip()
    rectification.responded_at = timezone.now()
    rectification.responded_by = actor
    rectification.status = Rectification.Status.ANSWERED
    rectification.save()
    return rectification


@transaction.atomic
def review_rectification(rectification, *, accept, note, actor):
    if not has_role(actor, Role.INSPECTOR, Role.ADMIN):
        raise AssessmentError(_("Only inspectors can verify rectifications."), "forbidden")
    if rectification.status != Rectification.Status.ANSWERED:
        raise AssessmentError(_("Only an answered rectification can be reviewed."), "bad_status")
    if not accept and not note.strip():
        raise AssessmentError(_("Say why the answer is returned."), "no_note")
    rectification.review_note = note.strip()
    if accept:
        rectification.status = Rectification.Status.VERIFIED
        rectification.verified_at = timezone.now()
    else:
        rectification.status = Rectification.Status.RETURNED
    rectification.save()
    return rectification
