from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models.spot_checks import ASSESSORS
from core.models import StoredFile
from units.roles import scope_to_unit

# An answer says what was done and points to the files; a few pages of text at most.
ANSWER_MAX_LENGTH = 2000
# 0 working days put the deadline on the day the rectification is raised: no time to act.
MIN_WORKING_DAYS = 1
TOO_FEW_WORKING_DAYS = _("Allow at least one working day.")
# a rectification is answered within the year's assessment, not years later (a tester's 1,000
# working days fell in 2030)
MAX_WORKING_DAYS = 60
TOO_MANY_WORKING_DAYS = _("Allow at most 60 working days (about three months).")


class RectificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_to_unit(self, user, "spot_check__unit_id", full_access=ASSESSORS)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.exclude(status=Rectification.Status.VERIFIED).filter(deadline__lt=today)


class Rectification(models.Model):
    """整改: a requirement raised by a confirmed spot check, answered by the unit's liaison."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting the unit's answer")
        ANSWERED = "answered", _("Answered, awaiting verification")
        RETURNED = "returned", _("Returned to the unit")
        VERIFIED = "verified", _("Verified")

    spot_check = models.ForeignKey(
        "assessment.SpotCheck",
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name=_("spot check"),
    )
    item = models.ForeignKey(
        "assessment.ChecklistItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("item concerned"),
    )
    requirement = models.TextField(_("requirement"))
    working_days = models.PositiveSmallIntegerField(
        _("working days allowed"),
        validators=[MinValueValidator(MIN_WORKING_DAYS, message=TOO_FEW_WORKING_DAYS)],
    )
    # the day the working days count from: the date its notice (整改通知书) bears
    raised_on = models.DateField(_("raised on"))
    deadline = models.DateField(_("deadline"))
    # counted across a year without the State Council's schedule: 暂定 until it is entered
    deadline_provisional = models.BooleanField(_("provisional deadline"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    response = models.TextField(
        _("unit's answer"),
        blank=True,
        max_length=ANSWER_MAX_LENGTH,
        validators=[MaxLengthValidator(ANSWER_MAX_LENGTH)],
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    review_note = models.TextField(
        _("inspector's note"),
        blank=True,
        max_length=ANSWER_MAX_LENGTH,
        validators=[MaxLengthValidator(ANSWER_MAX_LENGTH)],
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)

    objects = RectificationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return f"{self.spot_check.unit}: {self.requirement[:30]}"

    def get_absolute_url(self):
        return reverse("assessment:rectification_detail", args=[self.pk])

    @property
    def deadline_text(self):
        """The deadline as text, marked 暂定 while it is provisional (documents, exports)."""
        text = formats.date_format(self.deadline, "DATE_FORMAT")
        if self.deadline_provisional:
            return gettext("%(date)s (provisional)") % {"date": text}
        return text

    @property
    def is_overdue(self):
        return self.status != self.Status.VERIFIED and self.deadline < timezone.localdate()


class RectificationFile(StoredFile):
    rectification = models.ForeignKey(
        Rectification,
        on_delete=models.CASCADE,
        related_name="files",
        verbose_name=_("rectification"),
    )
    # uploaded by the unit for its next answer: only the unit sees it, and may still remove it
    pending = models.BooleanField(_("not sent yet"), default=False)

    class Meta(StoredFile.Meta):
        verbose_name = _("rectification file")
        verbose_name_plural = _("rectification files")
