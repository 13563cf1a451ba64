import re
import unicodedata

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.tabular import match_key
from units.roles import scope_to_unit

phone_validator = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$",
    _("Enter a mainland mobile number (11 digits) or a landline such as 0511-87654321."),
)


class UnitCategory(models.Model):
    """A group of units assessed and ranked together (e.g. towns/streets, city departments)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("unit category")
        verbose_name_plural = _("unit categories")

    def __str__(self):
        return self.name


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def visible_to(self, user):
        """City-wide roles see every unit; a liaison sees only its own; anyone else none."""
        return scope_to_unit(self, user, "pk")


class Unit(models.Model):
    """A unit (单位) whose disclosure work is supervised: a town, a street or a department."""

    code = models.CharField(_("code"), max_length=30, blank=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    category = models.ForeignKey(
        UnitCategory, on_delete=models.PROTECT, related_name="units", verbose_name=_("category")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    aliases = models.CharField(
        _("aliases"),
        max_length=200,
        blank=True,
        help_text=_("Other names people write for this unit, separated by 、 or commas."),
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    contact_name = models.CharField(_("liaison contact"), max_length=50, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=30, blank=True, validators=[phone_validator]
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = UnitQuerySet.as_manager()
    # a rename or a move to another category changes the ranking a unit is in (trial 6)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["category__sort_order", "sort_order", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="unit_code_unique_when_set"
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="unit_not_its_own_parent"),
        ]
        indexes = [models.Index(fields=["category", "is_active", "sort_order"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("units:detail", args=[self.pk])

    @property
    def display_name(self):
        return self.short_name or self.name

    @property
    def alias_list(self):
        return split_aliases(self.aliases)


_ALIAS_SEPARATORS = re.compile(r"[,，、;；\n]+")


def canonical_code(text):
    """A unit code as stored: `ｂｍ03 `, `bm 03` and `BM03` are all BM03 (codes are matched in
    any case and width, so two units must not differ only there)."""
    # as codes are matched (match_key), without invisible characters either: a zero-width
    # space made BM​96 a code no file finds
    return "".join(ch for ch in match_key(text or "") if unicodedata.category(ch)[0] != "C").upper()


def split_aliases(text):
    return [alias.strip() for alias in _ALIAS_SEPARATORS.split(text or "") if alias.strip()]


class UserProfile(models.Model):
    """Binds a user to a unit. A liaison must be bound; others may be (an inspector who
    works in a department is never sent to check it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("unit"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[phone_validator])

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self):
        return f"{self.user} → {self.unit or '-'}"
