from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models.checklists import NOTE_MAX_LENGTH, POINTS, SUMMARY_MAX_LENGTH
from core.models import StoredFile
from units.models import Unit
from units.roles import Role, scope_to_unit

ASSESSORS = (Role.INSPECTOR, Role.LEADER, Role.ADMIN)
# The history reason of a score save: who saved scores is one of the check's scorers.
SCORES_SAVED = "scores saved"


class SpotCheckQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Leaders, inspectors and admins see every check; a liaison only its own unit's
        confirmed ones (checks are unannounced: planned ones must not leak)."""
        return scope_to_unit(
            self, user, "unit_id", full_access=ASSESSORS, status=SpotCheck.Status.CONFIRMED
        )

    def confirmed_in_year(self, year):
        return self.filter(status=SpotCheck.Status.CONFIRMED, date__year=year)


class SpotCheck(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        CONFIRMED = "confirmed", _("Confirmed")

    round = models.ForeignKey(
        "assessment.SamplingRound",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spot_checks",
        verbose_name=_("round"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="spot_checks", verbose_name=_("unit")
    )
    checklist = models.ForeignKey(
        "assessment.Checklist",
        on_delete=models.PROTECT,
        related_name="spot_checks",
        verbose_name=_("checklist"),
    )
    date = models.DateField(_("date"))
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="spot_checks", verbose_name=_("inspectors")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    # Stored when the check is submitted, so ranking reads them in one query.
    earned = models.DecimalField(_("points"), null=True, blank=True, **POINTS)
    possible = models.DecimalField(_("possible points"), null=True, blank=True, **POINTS)
    percentage = models.DecimalField(_("percentage"), null=True, blank=True, **POINTS)
    vetoed = models.BooleanField(_("vetoed"), default=False)
    summary = models.TextField(_("overall findings"), blank=True, max_length=SUMMARY_MAX_LENGTH)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    version = models.PositiveIntegerField(_("version"), default=0)

    objects = SpotCheckQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["-date", "unit__sort_order"]
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        indexes = [models.Index(fields=["status", "date"]), models.Index(fields=["unit", "date"])]

    def __str__(self):
        return f"{self.unit} {date_format(self.date)}"

    def get_absolute_url(self):
        return reverse("assessment:spot_check_detail", args=[self.pk])

    @property
    def is_editable(self):
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)

    def scorer_ids(self):
        """Who scored the check: its inspectors and anyone who saved its scores (an admin may
        have). None of them may confirm it."""
        assigned = set(self.inspectors.values_list("pk", flat=True))
        saved = self.history.filter(history_change_reason=SCORES_SAVED).values_list(
            "history_user_id", flat=True
        )
        return assigned | {user_id for user_id in saved if user_id is not None}


class ItemResult(models.Model):
    spot_check = models.ForeignKey(
        SpotCheck, on_delete=models.CASCADE, related_name="results", verbose_name=_("spot check")
    )
    item = models.ForeignKey(
        "assessment.ChecklistItem",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("item"),
    )
    points = models.DecimalField(_("points"), null=True, blank=True, **POINTS)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    veto_failed = models.BooleanField(_("veto failed"), default=False)
    finding = models.TextField(_("finding"), blank=True, max_length=NOTE_MAX_LENGTH)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item result")
        verbose_name_plural = _("item results")
        constraints = [
            models.UniqueConstraint(fields=["spot_check", "item"], name="one_result_per_item")
        ]

    def __str__(self):
        return f"{self.spot_check}: {self.item}"


class OccurrenceCount(models.Model):
    result = models.ForeignKey(
        ItemResult, on_delete=models.CASCADE, related_name="counts", verbose_name=_("item result")
    )
    rule = models.ForeignKey(
        "assessment.DeductionRule",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("deduction rule"),
    )
    count = models.PositiveIntegerField(_("occurrences"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("occurrence count")
        verbose_name_plural = _("occurrence counts")
        constraints = [
            models.UniqueConstraint(fields=["result", "rule"], name="one_count_per_rule")
        ]

    def __str__(self):
        return f"{self.rule} × {self.count}"


class Evidence(StoredFile):
    """A file backing a finding."""

    spot_check = models.ForeignKey(
        SpotCheck, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("spot check")
    )
    item = models.ForeignKey(
        "assessment.ChecklistItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("item"),
    )

    class Meta(StoredFile.Meta):
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
