import uuid
from pathlib import PurePath

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Year(models.Model):
    """A working year: the unit of trainings, spot checks and the year-end assessment."""

    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Set when the year's assessment is published: every input of the year becomes read-only.
    locked_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("year")
        verbose_name_plural = _("years")

    def __str__(self):
        return str(self.year)


def current_calendar_year():
    return timezone.localdate().year


def stored_file_path(instance, filename):
    """Server-chosen names: a user's file name never becomes a path on disk."""
    suffix = PurePath(filename).suffix.lower()[:10]
    today = timezone.localdate()
    return f"{instance._meta.model_name}/{today:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class StoredFile(models.Model):
    """An uploaded file kept outside static: served only through a permission-checked view."""

    file = models.FileField(_("file"), upload_to=stored_file_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        "auth.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


class Generation(models.Model):
    """A random token per topic of derived results (see core/derived.py): replaced after the
    commit of any write to the topic's inputs, so cache keys built from it change then."""

    topic = models.CharField(max_length=32, primary_key=True)
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("cache generation")

    def __str__(self):
        return f"{self.topic}:{self.token}"


class Job(models.Model):
    """Long work (a big PDF, a full recomputation) run as a background task (core/jobs.py):
    what was asked, by whom, how far it is, and what it produced. Only its requester sees it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=200)
    # what start_job was asked to run, so the same request again finds this job
    work = models.CharField(_("work to run"), max_length=200, blank=True)
    arguments = models.CharField(_("arguments"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        "auth.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("steps done"), default=0)
    total = models.PositiveIntegerField(_("steps"), default=1)
    file = models.FileField(_("file"), upload_to=stored_file_path, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    next_url = models.CharField(_("next page"), max_length=200, blank=True)
    # input too large for `arguments` (an import's checked rows), dropped when the job ends
    payload = models.JSONField(_("input"), null=True, blank=True)
    # what the requester is told when the job ends: what it did, or why it changed nothing
    message = models.TextField(_("message"), blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("job", args=[self.pk])

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return min(100, self.done * 100 // max(self.total, 1))

    @property
    def finished(self):
        return self.status in {self.Status.DONE, self.Status.FAILED}
