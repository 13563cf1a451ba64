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


class DataVersion(models.Model):
    """One row of counters. `value` is raised by every write to an input of the year-end
    assessment; results computed from the data are cached under it, so no worker ever serves
    an older result. The topic counters are raised only by writes to their own inputs, so that
    a part of the computation (the training component, the spot-check component, a published
    year's record) is kept across writes that cannot change it."""

    value = models.PositiveBigIntegerField(default=0)
    training = models.PositiveBigIntegerField(default=0)
    spot_checks = models.PositiveBigIntegerField(default=0)
    published = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")

    def __str__(self):
        return str(self.value)
