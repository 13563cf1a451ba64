"""Long work as background tasks (Django's tasks framework, `django.tasks`) with progress that
the page which started it shows (core.Job, templates/core/job.html).

A view calls `start_job("app.tasks.function", *ids, title=…, actor=request.user)` and redirects
to the job's page. Once the request's transaction commits, `run_job` is enqueued on the
configured backend (TASKS in settings: the database worker by default, Celery on Redis when
TASKS_BACKEND=celery). The function receives the Job and the ids, calls `advance(job, done,
total)` as it goes, and returns a document `(filename, content type, bytes)`, a message for
the requester (text: what it did), or None. A `DomainError` ends the job as failed with its
message (a refusal the requester can act on: nothing was changed); any other exception ends it
as failed with a general apology (the error is kept for the administrator)."""

import json
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from core.errors import DomainError
from core.models import Job

# A job queued or running for longer is taken for lost (its worker died), not waited for.
REUSE_WITHIN = timedelta(hours=1)


def start_job(work, *args, title, actor, next_url="", payload=None):
    """A Job for `actor`, its task enqueued when the current transaction commits. `work` is
    the dotted path of a function (job, *args); `args` must be JSON values (ids, text).
    `payload` is input too large for arguments (JSON values, kept on the job until it ends).

    While the same user's job of the same work and arguments is queued or running, that job is
    returned instead of a new one: twenty clicks on a button make one job."""
    arguments = json.dumps(list(args))
    with transaction.atomic():
        # one start at a time per user, so that two clicks at once cannot both find no job
        # (SQLite's transactions already run one at a time)
        list(get_user_model().objects.select_for_update().filter(pk=actor.pk).values("pk"))
        running = Job.objects.filter(
            requested_by=actor,
            work=work,
            arguments=arguments,
            status__in=(Job.Status.QUEUED, Job.Status.RUNNING),
            created_at__gte=timezone.now() - REUSE_WITHIN,
        ).first()
        if running is not None:
            return running
        job = Job.objects.create(
            title=title,
            work=work,
            arguments=arguments,
            requested_by=actor,
            next_url=next_url,
            payload=payload,
        )
    language = translation.get_language()
    transaction.on_commit(lambda: run_job.enqueue(str(job.pk), work, language, list(args)))
    return job


def advance(job, done, total):
    """Record progress: `done` of `total` steps."""
    job.done, job.total = done, max(total, 1)
    Job.objects.filter(pk=job.pk).update(done=job.done, total=job.total)


@task
def run_job(job_id, work, language, args):
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    try:
        with translation.override(language):
            result = import_string(work)(job, *args)
    except DomainError as refusal:  # the work refused, as a service does: nothing was changed
        _end(job, status=Job.Status.FAILED, message=refusal.message, error=repr(refusal))
        return
    except Exception as error:
        _end(job, status=Job.Status.FAILED, error=repr(error)[:2000])
        raise
    if isinstance(result, str):
        job.message = result
    elif result is not None:
        filename, _content_type, content = result
        job.filename = filename
        job.file.save(filename, ContentFile(content), save=False)
    job.status, job.done = Job.Status.DONE, job.total
    job.finished_at, job.payload = timezone.now(), None
    job.save(
        update_fields=["status", "done", "file", "filename", "message", "finished_at", "payload"]
    )


def _end(job, **fields):
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now(), payload=None, **fields)
