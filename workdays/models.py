from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CalendarDayQuerySet(models.QuerySet):
    def in_year(self, year):
        return self.filter(date__gte=date(year, 1, 1), date__lte=date(year, 12, 31))


class CalendarDay(models.Model):
    """工作日历: one date that is not what its weekday says, in a year the office has the official
    schedule for (a holiday, or a weekend day worked in exchange, 调休上班). A year with no rows
    has no official schedule yet: its deadlines are provisional (see workdays.counting)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        WORKDAY = "workday", _("Adjusted working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60)
    source = models.CharField(_("source"), max_length=200)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    objects = CalendarDayQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"

    @property
    def is_working_day(self):
        return self.kind == self.Kind.WORKDAY
