"""The training documents that take long for many people, as background work (core/jobs.py):
the views hand them over above BACKGROUND_ABOVE people."""

import io

from pypdf import PdfReader, PdfWriter

from core.jobs import advance
from training import pdf
from training.models import Attendee, Training

BACKGROUND_ABOVE = 300  # people: fewer are rendered while the user waits (under 2 s)
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
