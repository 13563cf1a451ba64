"""自查自评: a campaign asks units to score themselves on a checklist before inspection; each
unit's self-assessment holds its entries (the same shape as a spot check's) and evidence."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models.checklists import NOTE_MAX_LENGTH, POINTS, SUMMARY_MAX_LENGTH
from core.models import StoredFile
from units.models import Unit, UnitCategory
from units.roles import Role, scope_to_unit

# Who reads every unit's self-assessment: the assessors (a liaison only its own unit's).
READERS = (Role.INSPECTOR, Role.LEADER, Role.ADMIN)


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Assessors see every campaign; a liaison the campaigns that include its unit."""
        return scope_to_unit(self, user, "units", full_access=READERS).distinct()


class Campaign(models.Model):
    """A year's (or a round's) self-assessment: the checklist, the units, when it is open."""

    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    checklist = models.ForeignKey(
        "assessment.Checklist",
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("checklist"),
    )
    categories = models.ManyToManyField(
        UnitCategory, blank=True, related_name="+", verbose_name=_("unit categories")
    )
    # the units asked, fixed when the campaign is created (the categories' active units and/or
    # units chosen one by one)
    units = models.ManyToManyField(Unit, related_name="campaigns", verbose_name=_("units"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-opens_on", "pk"]
        verbose_name = _("self-assessment campaign")
        verbose_name_plural = _("self-assessment campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="campaign_closes_after_opening",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("assessment:campaign_detail", args=[self.pk])

    def phase(self, today=None):
        """ "upcoming", "open" or "closed" on `today` (Asia/Shanghai)."""
        today = today or timezone.localdate()
        if today < self.opens_on:
            return "upcoming"
        return "open" if today <= self.closes_on else "closed"


class SelfAssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_to_unit(self, user, "unit_id", full_access=READERS)

    def submitted(self):
        return self.filter(status=SelfAssessment.Status.SUBMITTED)


class SelfAssessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("campaign")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="self_assessments", verbose_name=_("unit")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.TextField(_("overall note"), blank=True, max_length=SUMMARY_MAX_LENGTH)
    # stored when submitted, as a spot check's are
    earned = models.DecimalField(_("points"), null=True, blank=True, **POINTS)
    possible = models.DecimalField(_("possible points"), null=True, blank=True, **POINTS)
    percentage = models.DecimalField(_("percentage"), null=True, blank=True, **POINTS)
    vetoed = models.BooleanField(_("vetoed"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    return_reason = models.CharField(_("reason for returning"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)

    objects = SelfAssessmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["campaign", "unit__sort_order"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="one_self_assessment")
        ]

    def __str__(self):
        return f"{self.campaign} {self.unit}"

    def get_absolute_url(self):
        return reverse("assessment:self_assessment_detail", args=[self.pk])

    @property
    def checklist(self):
        return self.campaign.checklist


class SelfItemResult(models.Model):
    self_assessment = models.ForeignKey(
        SelfAssessment,
        on_delete=models.CASCADE,
        related_name="results",
        verbose_name=_("self-assessment"),
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
    finding = models.TextField(_("note"), blank=True, max_length=NOTE_MAX_LENGTH)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("self-assessed item")
        verbose_name_plural = _("self-assessed items")
        constraints = [
            models.UniqueConstraint(
                fields=["self_assessment", "item"], name="one_self_result_per_item"
            )
        ]

    def __str__(self):
        return f"{self.self_assessment}: {self.item}"


class SelfOccurrenceCount(models.Model):
    result = models.ForeignKey(
        SelfItemResult,
        on_delete=models.CASCADE,
        related_name="counts",
        verbose_name=_("self-assessed item"),
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
        verbose_name = _("self-assessed occurrence count")
        verbose_name_plural = _("self-assessed occurrence counts")
        constraints = [
            models.UniqueConstraint(fields=["result", "rule"], name="one_self_count_per_rule")
        ]

    def __str__(self):
        return f"{self.rule} × {self.count}"


class SelfEvidence(StoredFile):
    """A file the unit offers for an item of its self-assessment."""

    self_assessment = models.ForeignKey(
        SelfAssessment,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("self-assessment"),
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
        verbose_name = _("self-assessment evidence")
        verbose_name_plural = _("self-assessment evidence")


class DismissedOverstatement(models.Model):
    """A 自评失实 proposal (a unit's self-assessment above its inspected result by more than the
    scheme's margin) an assessor decided not to turn into a deduction, and why."""

    scheme = models.ForeignKey(
        "assessment.Scheme",
        on_delete=models.PROTECT,
        related_name="dismissed_overstatements",
        verbose_name=_("scheme"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    reason = models.CharField(_("reason"), max_length=300)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dismissed overstatement")
        verbose_name_plural = _("dismissed overstatements")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "unit"], name="one_overstatement_dismissal")
        ]

    def __str__(self):
        return f"{self.unit}: {self.reason}"
