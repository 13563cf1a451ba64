from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

POINTS = {"max_digits": 6, "decimal_places": 2}
# The longest note on one item and overall note of a spot check or a self-assessment: a
# page of text each, enough for what a note says, and a bound on what a PDF has to typeset.
NOTE_MAX_LENGTH = 1000
SUMMARY_MAX_LENGTH = 5000


class Checklist(models.Model):
    """A scored checklist (检查表). A version that any spot check uses is frozen: copy it."""

    name = models.CharField(_("name"), max_length=100)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "name", "-version"]
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="checklist_name_version")
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"

    def get_absolute_url(self):
        return reverse("assessment:checklist_detail", args=[self.pk])

    @property
    def is_locked(self):
        """Frozen once a spot check or a self-assessment campaign uses it."""
        return self.spot_checks.exists() or self.campaigns.exists()

    def total_points(self):
        total = ChecklistItem.objects.filter(section__checklist=self).aggregate(
            total=Sum("max_points")
        )["total"]
        return total or Decimal("0.00")


class ChecklistSection(models.Model):
    checklist = models.ForeignKey(
        Checklist, on_delete=models.CASCADE, related_name="sections", verbose_name=_("checklist")
    )
    title = models.CharField(_("title"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.title


class ChecklistItem(models.Model):
    section = models.ForeignKey(
        ChecklistSection, on_delete=models.CASCADE, related_name="items", verbose_name=_("section")
    )
    text = models.CharField(_("item"), max_length=300)
    guidance = models.TextField(_("scoring guidance"), blank=True)
    max_points = models.DecimalField(
        _("max points"), validators=[MinValueValidator(Decimal("0"))], **POINTS
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    allows_na = models.BooleanField(_("may be not applicable"), default=False)
    is_veto = models.BooleanField(
        _("veto item"), default=False, help_text=_("Failing it makes the whole check 0.")
    )

    class Meta:
        ordering = ["section__sort_order", "sort_order", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.CheckConstraint(condition=models.Q(max_points__gte=0), name="item_points_ge_0")
        ]

    def __str__(self):
        return self.text


class DeductionRule(models.Model):
    """A fault and the points it costs per occurrence, e.g. 发布不及时 每条扣2分."""

    item = models.ForeignKey(
        ChecklistItem, on_delete=models.CASCADE, related_name="rules", verbose_name=_("item")
    )
    fault = models.CharField(_("fault"), max_length=200)
    points_per_occurrence = models.DecimalField(
        _("points per occurrence"), validators=[MinValueValidator(Decimal("0.01"))], **POINTS
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("deduction rule")
        verbose_name_plural = _("deduction rules")
        constraints = [
            # two rules for one fault would make the inspector count it twice
            models.UniqueConstraint(fields=["item", "fault"], name="deduction_rule_item_fault")
        ]

    def __str__(self):
        return f"{self.fault} −{self.points_per_occurrence}"
