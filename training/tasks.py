"""The training work that takes long for many people, as background work (core/jobs.py): the
views hand documents over above BACKGROUND_ABOVE people, and imports above IMPORT_ABOVE rows."""

import io

from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter

from core.jobs import advance
from training import pdf
from training.importers import AttendeeRow
from training.models import Attendee, Training
from training.services import register_attendees

BACKGROUND_ABOVE = 300  # people: fewer are rendered while the user waits (under 2 s)
IMPORT_ABOVE = 2000  # rows: fewer are registered while the user waits (under 1 s)
CERTIFICATES_PER_STEP = 100


def attended(training):
    return training.attendees.filter(status=Attendee.Status.ATTENDED).select_related("unit")


def certificates(job, training_id):
    """Every attended attendee's certificate, rendered 100 at a time (the progress)."""
    training = Training.objects.get(pk=training_id)
    people = list(attended(training))
    steps = [
        people[start : start + CERTIFICATES_PER_STEP]
        for start in range(0, len(people), CERTIFICATES_PER_STEP)
    ]
    writer = PdfWriter()
    filename = content_type = None
    for index, step in enumerate(steps):
        advance(job, index, len(steps))
        filename, content_type, content = pdf.certificates(training, step)
        writer.append(PdfReader(io.BytesIO(content)))
    merged = io.BytesIO()
    writer.write(merged)
    return filename, content_type, merged.getvalue()


def sign_in_sheet(job, training_id):
    advance(job, 0, 1)
    return pdf.sign_in_sheet(Training.objects.get(pk=training_id))


def import_attendees(job, training_id, _token):
    """Register an import's checked rows (the job's payload), all of them or none: the service
    checks them again against the training as it is now. `_token` names the preview, so that
    two different files confirmed at once are two jobs."""
    advance(job, 0, 1)
    training = Training.objects.get(pk=training_id)
    rows = [AttendeeRow(**row) for row in job.payload]
    created = register_attendees(training, rows, actor=job.requested_by)
    return _("%(count)d attendees were imported.") % {"count": len(created)}
