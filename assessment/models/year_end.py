"""The year-end assessment: a scheme per year, its indicators and their values per unit,
adjustments, and the published snapshot of results."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models.checklists import POINTS
from core.models import StoredFile, Year
from units.models import Unit

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
POSITIVE = [MinValueValidator(Decimal("0.01"))]


class Scheme(models.Model):
    """考核方案: weights, bonus cap, grade bands, 优秀 quota and missing-component policy."""

    class MissingPolicy(models.TextChoices):
        REDISTRIBUTE = "redistribute", _("Leave it out and spread its weight over the others")
        ZERO = "zero", _("Count it as 0")

    year = models.OneToOneField(
        Year, on_delete=models.PROTECT, related_name="scheme", verbose_name=_("year")
    )
    weight_spot_checks = models.DecimalField(
        _("weight of spot checks"), default=Decimal("50"), validators=POSITIVE, **POINTS
    )
    weight_training = models.DecimalField(
        _("weight of training"), default=Decimal("20"), validators=POSITIVE, **POINTS
    )
    weight_self_assessment = models.DecimalField(
        _("weight of the self-assessment"),
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("0 leaves the self-assessment out of the weighted score."),
        **POINTS,
    )
    # 自评失实: a self-assessment more than `overstatement_margin` points above the inspected
    # result proposes a deduction of `overstatement_points` (no margin: the rule is off)
    overstatement_margin = models.DecimalField(
        _("Self-assessment overstated: margin above the inspected result"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Leave empty to switch the rule off."),
        **POINTS,
    )
    overstatement_points = models.DecimalField(
        _("Self-assessment overstated: points to deduct"),
        default=Decimal("2"),
        validators=POSITIVE,
        **POINTS,
    )
    bonus_cap = models.DecimalField(
        _("bonus cap per unit"), default=Decimal("5"), validators=[MinValueValidator(0)], **POINTS
    )
    band_excellent = models.DecimalField(
        _("Excellent from"), default=Decimal("90"), validators=PERCENT, **POINTS
    )
    band_good = models.DecimalField(
        _("Good from"), default=Decimal("80"), validators=PERCENT, **POINTS
    )
    band_pass = models.DecimalField(
        _("Pass from"), default=Decimal("60"), validators=PERCENT, **POINTS
    )
    excellent_quota = models.DecimalField(
        _("Excellent quota, percent of a category's assessed units"),
        default=Decimal("20"),
        validators=PERCENT,
        **POINTS,
    )
    missing_policy = models.CharField(
        _("a component a unit lacks"),
        max_length=20,
        choices=MissingPolicy.choices,
        default=MissingPolicy.REDISTRIBUTE,
    )
    issuing_office = models.CharField(
        _("issuing office"), max_length=100, default="市政务公开工作领导小组办公室"
    )
    # The 通报's 发文字号 is "<prefix>〔<year>〕<number>号": the number is the office's register's.
    document_prefix = models.CharField(
        _("document number prefix"), max_length=30, default="市政公办"
    )
    notice_number = models.PositiveIntegerField(
        _("number of the notice in the year's register"), default=1
    )
    addressees = models.CharField(_("addressees"), max_length=200, default="各镇（街道）、市各部门")
    copy_to = models.CharField(_("copy to"), max_length=200, blank=True)
    publicity_days = models.PositiveSmallIntegerField(
        _("publicity period of a random draw, in working days"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    supervision_phone = models.CharField(_("supervision telephone"), max_length=40, blank=True)
    # the units of a year that was published, as it published them (name, order, category):
    # kept when it is re-opened, so that publishing it again ranks that year's units, not
    # today's (trial 6: a unit disabled since fell out of 2025, one moved since changed
    # category in it). Empty for a year never published.
    roster = models.JSONField(_("units as published"), default=list, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year__year"]
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(band_excellent__gt=models.F("band_good"))
                & models.Q(band_good__gt=models.F("band_pass")),
                name="scheme_bands_descend",
            )
        ]

    def __str__(self):
        return str(_("Assessment scheme %(year)s") % {"year": self.year.year})

    def get_absolute_url(self):
        return reverse("assessment:scheme_detail", args=[self.year.year])

    @property
    def is_published(self):
        return self.year.locked_at is not None

    @property
    def notice_document_number(self):
        """发文字号 of the year's 通报, e.g. 市政公办〔2026〕3号."""
        return f"{self.document_prefix}〔{self.year.year}〕{self.notice_number}号"


class Indicator(models.Model):
    """A named indicator entered per unit, 0–100 (e.g. 信息公开及时率), with its own weight."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("scheme")
    )
    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(_("weight"), validators=POSITIVE, **POINTS)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    # an indicator's name and weight decide the ranking as much as the scheme's own weights:
    # their changes are part of the scheme's change history (trial 6)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="indicator_name_per_scheme")
        ]

    def __str__(self):
        return self.name


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    value = models.DecimalField(_("value"), validators=PERCENT, **POINTS)
    source = models.CharField(_("source"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit"], name="one_value_per_unit"),
            models.CheckConstraint(
                condition=models.Q(value__gte=0) & models.Q(value__lte=100),
                name="indicator_value_0_100",
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.unit}: {self.value}"


class Adjustment(models.Model):
    """加分 / 扣分 / 一票否决 of a unit for a year, with its reason and who entered it."""

    class Kind(models.TextChoices):
        BONUS = "bonus", _("Bonus")
        DEDUCTION = "deduction", _("Deduction")
        VETO = "veto", _("Veto")

    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="adjustments", verbose_name=_("scheme")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="adjustments", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    points = models.DecimalField(
        _("points"), default=Decimal("0"), validators=[MinValueValidator(0)], **POINTS
    )
    reason = models.CharField(_("reason"), max_length=300)
    rectification = models.OneToOneField(
        "assessment.Rectification",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adjustment",
        verbose_name=_("overdue rectification"),
    )
    # the deduction accepted from a 自评失实 proposal (one per unit and year)
    overstatement = models.BooleanField(_("self-assessment overstated"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit__sort_order", "created_at"]
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "unit"],
                condition=models.Q(overstatement=True),
                name="one_overstatement_deduction",
            )
        ]

    def __str__(self):
        return f"{self.unit} {self.get_kind_display()} {self.points}"


class AdjustmentEvidence(StoredFile):
    adjustment = models.ForeignKey(
        Adjustment, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("adjustment")
    )

    class Meta(StoredFile.Meta):
        verbose_name = _("adjustment evidence")
        verbose_name_plural = _("adjustment evidence")


class DismissedProposal(models.Model):
    """An overdue rectification an inspector decided not to turn into a deduction, and why."""

    rectification = models.OneToOneField(
        "assessment.Rectification",
        on_delete=models.PROTECT,
        related_name="dismissal",
        verbose_name=_("rectification"),
    )
    reason = models.CharField(_("reason"), max_length=300)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(auto_now_add=True, verbose_name=_("decided at"))
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.rectification}: {self.reason}"


class PublishedResult(models.Model):
    """One unit's result as published: the record, whatever changes afterwards."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="results", verbose_name=_("scheme")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    category_rank = models.PositiveIntegerField(null=True, verbose_name=_("rank in category"))
    overall_rank = models.PositiveIntegerField(null=True, verbose_name=_("overall rank"))
    final = models.DecimalField(null=True, **POINTS, verbose_name=_("final score"))
    grade = models.CharField(max_length=20, blank=True, verbose_name=_("grade"))
    vetoed = models.BooleanField(default=False, verbose_name=_("vetoed"))
    data = models.JSONField(
        help_text="The unit's full result and breakdown, as published.",
        verbose_name=_("published breakdown"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["overall_rank"]
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "unit"], name="one_result_per_unit")
        ]

    def __str__(self):
        return f"{self.scheme} {self.unit}: {self.final}"
