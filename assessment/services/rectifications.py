from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import Rectification, RectificationFile, SpotCheck
from assessment.models.rectifications import (
    ANSWER_MAX_LENGTH,
    MAX_WORKING_DAYS,
    MIN_WORKING_DAYS,
    TOO_FEW_WORKING_DAYS,
    TOO_MANY_WORKING_DAYS,
)
from assessment.services import AssessmentError
from assessment.services.deadlines import rectification_deadline
from core.uploads import delete_stored_file, store_upload, validate_evidence_file
from notifications import events
from units.roles import can_answer_rectification, can_raise_rectification, can_verify_answer

# Rectification work goes on after the year is published: it changes no published result, so
# these services do not check the year lock (DESIGN.md, "Year lock scope").

AWAITING_ANSWER = (Rectification.Status.OPEN, Rectification.Status.RETURNED)


def _lock(rectification):
    """Take the rectification's row lock and re-read it in place: a concurrent answer or
    review of the same rectification waits here and then sees the state the other left."""
    rectification.refresh_from_db(from_queryset=Rectification.objects.select_for_update())


@transaction.atomic
def raise_rectification(spot_check, *, requirement, working_days, actor, item=None, raised_on=None):
    """A rectification of a confirmed check, due `working_days` after the day it is raised
    (today; `raised_on` for records entered after the fact, such as the demo's)."""
    # the check's row lock: an admin re-opening the check at the same time waits, or wins
    spot_check.refresh_from_db(from_queryset=SpotCheck.objects.select_for_update())
    if spot_check.status != SpotCheck.Status.CONFIRMED:
        raise AssessmentError(
            _("Rectifications are raised from confirmed spot checks only."), "not_confirmed"
        )
    if not can_raise_rectification(actor, spot_check):
        raise AssessmentError(
            _("Only inspectors who do not work in the checked unit can raise rectifications."),
            "forbidden",
        )
    if item is not None and item.section.checklist_id != spot_check.checklist_id:
        raise AssessmentError(_("That item is not on this check's checklist."), "bad_item")
    if working_days < MIN_WORKING_DAYS:
        raise AssessmentError(str(TOO_FEW_WORKING_DAYS), "too_few_days")
    if working_days > MAX_WORKING_DAYS:
        raise AssessmentError(str(TOO_MANY_WORKING_DAYS), "too_many_days")
    # a form posted twice; under the check's row lock, so two requests at once are safe too
    if spot_check.rectifications.filter(
        status__in=AWAITING_ANSWER, item=item, requirement=requirement, working_days=working_days
    ).exists():
        raise AssessmentError(
            _("The same rectification of this check is already awaiting the unit."), "duplicate"
        )
    raised_on = raised_on or timezone.localdate()
    deadline = rectification_deadline(raised_on, working_days)
    rectification = Rectification.objects.create(
        spot_check=spot_check,
        item=item,
        requirement=requirement,
        working_days=working_days,
        raised_on=raised_on,
        deadline=deadline.date,
        deadline_provisional=deadline.provisional,
        created_by=actor,
    )
    events.rectification_raised(rectification)
    return rectification


MAX_FILES_PER_ANSWER = 10


def attach_file(rectification, upload, *, actor, content_type=None, pending=False):
    return store_upload(
        RectificationFile,
        upload,
        actor=actor,
        content_type=content_type,
        rectification=rectification,
        pending=pending,
    )


def _ensure_answering(rectification, actor):
    """Only the unit's liaison answers, and only while an answer is awaited; the caller holds
    the rectification's row lock (`_lock`), so the status read here is current."""
    if not can_answer_rectification(actor, rectification):
        raise AssessmentError(_("Only the unit's liaison can answer."), "forbidden")
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
    _lock(rectification)
    _ensure_answering(rectification, actor)
    if not uploads:
        raise AssessmentError(_("Choose at least one file."), "no_files")
    return _attach_all(rectification, uploads, actor=actor, pending=True)


@transaction.atomic
def remove_answer_file(stored, *, actor):
    """Remove a file the unit uploaded for its answer, before the answer is sent. The row goes
    and so does the stored file (after the commit): nothing refers to it any more."""
    _lock(stored.rectification)
    _ensure_answering(stored.rectification, actor)
    if not stored.pending:
        raise AssessmentError(
            _("This file was sent with an answer and can no longer be removed."), "sent"
        )
    delete_stored_file(stored)


def _ensure_short(text):
    if len(text) > ANSWER_MAX_LENGTH:
        raise AssessmentError(
            _("The text may have at most %(limit)d characters; this one has %(count)d.")
            % {"limit": ANSWER_MAX_LENGTH, "count": len(text)},
            "too_long",
        )


@transaction.atomic
def answer_rectification(rectification, *, response, actor, files=()):
    _lock(rectification)
    _ensure_answering(rectification, actor)
    if not response.strip():
        raise AssessmentError(_("Describe what the unit has done."), "empty")
    _ensure_short(response.strip())
    _attach_all(rectification, files, actor=actor, pending=False)
    rectification.files.filter(pending=True).update(pending=False)
    rectification.response = response.strip()
    rectification.responded_at = timezone.now()
    rectification.responded_by = actor
    rectification.status = Rectification.Status.ANSWERED
    rectification.save()
    events.rectification_answered(rectification)
    return rectification


@transaction.atomic
def review_rectification(rectification, *, accept, note, actor):
    _lock(rectification)
    if not can_verify_answer(actor, rectification):
        raise AssessmentError(
            _("Only inspectors who do not work in the checked unit can verify rectifications."),
            "forbidden",
        )
    if rectification.status != Rectification.Status.ANSWERED:
        raise AssessmentError(_("Only an answered rectification can be reviewed."), "bad_status")
    if not accept and not note.strip():
        raise AssessmentError(_("Say why the answer is returned."), "no_note")
    _ensure_short(note.strip())
    rectification.review_note = note.strip()
    if accept:
        rectification.status = Rectification.Status.VERIFIED
        rectification.verified_at = timezone.now()
    else:
        rectification.status = Rectification.Status.RETURNED
    rectification.save()
    events.answer_reviewed(rectification)
    if not accept:
        events.answer_returned(rectification)
    return rectification
