from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from units.models import UnitCategory


class SamplingRound(models.Model):
    """A 双随机 round: random units from a population, random inspectors for each."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not drawn yet")
        DRAWN = "drawn", _("Drawn")

    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    checklist = models.ForeignKey(
        "assessment.Checklist",
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("checklist"),
        help_text=_("Used for every category that has no checklist of its own below."),
    )
    categories = models.ManyToManyField(
        UnitCategory, related_name="+", verbose_name=_("categories sampled")
    )
    exclude_recent_rounds = models.PositiveSmallIntegerField(
        _("leave out units checked in the last N rounds"), default=0
    )
    sample_size = models.PositiveIntegerField(_("number of units"), null=True, blank=True)
    sample_ratio = models.DecimalField(
        _("share of units (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    inspectors_per_check = models.PositiveSmallIntegerField(
        _("inspectors per check"), default=2, validators=[MinValueValidator(1)]
    )
    inspector_pool = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("inspector pool")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # What the draw used, so that anyone can redraw it and get the same result.
    seed = models.CharField(_("random seed"), max_length=40, blank=True)
    algorithm_version = models.PositiveSmallIntegerField(_("algorithm version"), null=True)
    population = models.JSONField(_("population"), default=list, blank=True)
    pool_snapshot = models.JSONField(_("inspector pool at the draw"), default=list, blank=True)
    result = models.JSONField(_("draw result"), default=list, blank=True)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("drawn by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-planned_start", "-id"]
        verbose_name = _("sampling round")
        verbose_name_plural = _("sampling rounds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sample_size__isnull=False)
                | models.Q(sample_ratio__isnull=False),
                name="round_has_a_sample_size_or_ratio",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("assessment:round_detail", args=[self.pk])


class RoundChecklist(models.Model):
    """A checklist for one category of a round (towns and departments use different sheets)."""

    round = models.ForeignKey(
        SamplingRound,
        on_delete=models.CASCADE,
        related_name="category_checklists",
        verbose_name=_("round"),
    )
    category = models.ForeignKey(
        UnitCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    checklist = models.ForeignKey(
        "assessment.Checklist",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("checklist"),
    )

    class Meta:
        verbose_name = _("category checklist")
        verbose_name_plural = _("category checklists")
        constraints = [
            models.UniqueConstraint(fields=["round", "category"], name="one_checklist_per_category")
        ]

    def __str__(self):
        return f"{self.category}: {self.checklist}"
