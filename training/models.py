from datetime import timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import Unit, UnitCategory, phone_validator
from units.roles import Role, bound_unit_id, has_role, is_city_wide, scope_to_unit


class TrainingKind(models.Model):
    """培训班 / 业务操作培训 / 专题讲座 / 视频会议 …: data, editable in the admin."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("training kind")
        verbose_name_plural = _("training kinds")

    def __str__(self):
        return self.name


class TrainingQuerySet(models.QuerySet):
    def in_year(self, year):
        return self.filter(year=year)

    def visible_to(self, user):
        """City-wide roles see every training; a liaison those its unit must or may attend."""
        if is_city_wide(user):
            return self
        unit_id = bound_unit_id(user)
        if unit_id is not None and has_role(user, Role.LIAISON):
            return self.exclude(status=Training.Status.PLANNED)
        return self.none()


class Training(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Registration open")
        CLOSED = "closed", _("Registration closed")
        FINISHED = "finished", _("Finished")
        CANCELLED = "cancelled", _("Cancelled")

    class Scope(models.TextChoices):
        NONE = "none", _("No unit is required")
        ALL = "all", _("All active units")
        CATEGORIES = "categories", _("Active units of chosen categories")
        UNITS = "units", _("Chosen units")

    title = models.CharField(_("title"), max_length=200)
    kind = models.ForeignKey(
        TrainingKind, on_delete=models.PROTECT, related_name="trainings", verbose_name=_("kind")
    )
    year = models.PositiveSmallIntegerField(_("year"), editable=False, db_index=True)
    batch = models.PositiveSmallIntegerField(
        _("batch"), null=True, blank=True, help_text=_("Batch number within the year.")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    organizing_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organized_trainings",
        verbose_name=_("organizing unit"),
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    scope = models.CharField(
        _("units that must attend"), max_length=20, choices=Scope.choices, default=Scope.ALL
    )
    required_categories = models.ManyToManyField(
        UnitCategory, blank=True, related_name="+", verbose_name=_("required categories")
    )
    required_units = models.ManyToManyField(
        Unit, blank=True, related_name="+", verbose_name=_("required units")
    )
    seats_per_unit = models.PositiveSmallIntegerField(
        _("seats per unit"), default=1, validators=[MinValueValidator(1)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organizer"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = TrainingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="training_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["year", "batch"], condition=Q(batch__isnull=False), name="training_batch"
            ),
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.year = timezone.localtime(self.starts_at).year
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("training:detail", args=[self.pk])

    def days(self):
        """Each calendar day (Asia/Shanghai) the training runs; attendance is taken per day."""
        first = timezone.localdate(self.starts_at)
        last = timezone.localdate(self.ends_at)
        return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]

    @property
    def is_multi_day(self):
        return timezone.localdate(self.starts_at) != timezone.localdate(self.ends_at)


class Lecturer(models.Model):
    training = models.ForeignKey(
        Training, on_delete=models.CASCADE, related_name="lecturers", verbose_name=_("training")
    )
    name = models.CharField(_("full name"), max_length=50)
    affiliation = models.CharField(_("affiliation"), max_length=100, blank=True)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("lecturer")
        verbose_name_plural = _("lecturers")

    def __str__(self):
        return self.name


class Requirement(models.Model):
    """A unit that must send people to a training, and how many: stored when the training is
    saved, so that later changes to the unit list do not rewrite past years."""

    training = models.ForeignKey(
        Training, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("training")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="training_requirements", verbose_name=_("unit")
    )
    seats = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("required unit")
        verbose_name_plural = _("required units")
        constraints = [
            models.UniqueConstraint(fields=["training", "unit"], name="requirement_once_per_unit")
        ]

    def __str__(self):
        return f"{self.unit} × {self.seats}"


class AttendeeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_to_unit(self, user, "unit_id")

    def counts_by_status(self):
        return self.aggregate(
            registered=Count("id"),
            attended=Count("id", filter=Q(status=Attendee.Status.ATTENDED)),
            partial=Count("id", filter=Q(status=Attendee.Status.PARTIAL)),
            absent=Count("id", filter=Q(status=Attendee.Status.ABSENT)),
            excused=Count("id", filter=Q(status=Attendee.Status.EXCUSED)),
        )


class Attendee(models.Model):
    class Duty(models.TextChoices):
        OFFICER = "officer", _("Information officer")
        LEADER = "leader", _("Leader in charge")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ATTENDED = "attended", _("Checked in")
        PARTIAL = "partial", _("Partly attended")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    training = models.ForeignKey(
        Training, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("training")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="attendees", verbose_name=_("unit")
    )
    name = models.CharField(_("full name"), max_length=50)
    position = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, validators=[phone_validator])
    duty = models.CharField(_("role"), max_length=20, choices=Duty.choices, default=Duty.OFFICER)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    checked_in_at = models.DateTimeField(_("check-in time"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    objects = AttendeeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit__category__sort_order", "unit__sort_order", "id"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [
            models.UniqueConstraint(
                fields=["training", "name", "phone"], name="attendee_once_per_training"
            )
        ]
        indexes = [models.Index(fields=["training", "unit", "status"])]

    def __str__(self):
        return f"{self.name}（{self.unit}）"

    @property
    def masked_phone(self):
        return mask_phone(self.phone)


class AttendanceMark(models.Model):
    """Presence of one attendee on one day of the training."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    class Method(models.TextChoices):
        MANUAL = "manual", _("Marked by the organizer")
        QR = "qr", _("Scanned the check-in code")

    attendee = models.ForeignKey(
        Attendee, on_delete=models.CASCADE, related_name="marks", verbose_name=_("attendee")
    )
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    checked_in_at = models.DateTimeField(_("check-in time"), null=True, blank=True)
    # empty when the attendee signed in by scanning the code (扫码签到): nobody logged in did it
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    method = models.CharField(
        _("how"), max_length=10, choices=Method.choices, default=Method.MANUAL
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["day"]
        verbose_name = _("attendance mark")
        verbose_name_plural = _("attendance marks")
        constraints = [
            models.UniqueConstraint(fields=["attendee", "day"], name="one_mark_per_attendee_day")
        ]

    def __str__(self):
        return f"{self.attendee} {self.day}: {self.get_status_display()}"


def mask_phone(phone):
    """138****1234 for mobiles; landlines keep their area code and last four digits."""
    digits = phone.replace("-", "")
    if len(digits) < 8:
        return "****"
    return f"{digits[:3]}****{digits[-4:]}"


class WalkIn(models.Model):
    """现场报名: someone not registered who scanned the code and left a name, unit and phone.
    The organizer approves it (the person is registered under the usual rules and marked
    present at the time they came) or rejects it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the organizer")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    training = models.ForeignKey(
        Training, on_delete=models.CASCADE, related_name="walk_ins", verbose_name=_("training")
    )
    day = models.DateField(_("day"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    name = models.CharField(_("full name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30, validators=[phone_validator])
    arrived_at = models.DateTimeField(_("arrived at"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attendee = models.ForeignKey(
        Attendee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attendee"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["arrived_at", "id"]
        verbose_name = _("walk-in registration")
        verbose_name_plural = _("walk-in registrations")
        indexes = [models.Index(fields=["training", "status"])]

    def __str__(self):
        return f"{self.name}（{self.unit}）"


class UnitTrainingComponent(models.Model):
    """A unit's training component of one year, kept for the year-end computation
    (training/components.py): derived data, never edited by hand.

    Writers of its inputs (attendees, requirements, a training's dates or status) mark the
    unit's row stale inside their own transaction; the next reader recomputes the stale rows
    under a row lock. `changes_at` is when the next required training starts: the value counts
    the trainings held so far, so time alone makes it stale then."""

    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    changes_at = models.DateTimeField(null=True)
    stale = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="training_component_once")
        ]

    def __str__(self):
        return f"{self.year} {self.unit_id}: {self.value}"
