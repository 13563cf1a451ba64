"""In-app notifications and their e-mail, and each user's choice of e-mail.

A notification stores its *kind* and *parameters* (names, dates, counts as JSON values), not
its text: the text is rendered with gettext when it is shown (notifications/messages.py), so
the bell and the list read in the language the user is using now, and a corrected translation
corrects every notification already sent. The e-mail is rendered the same way, once, in the
system's default language.

`dedupe_key` names the event and its milestone (kind, object, deadline, week …); the unique
constraint on (recipient, dedupe_key) is what makes every reminder reach each person once,
whatever reruns or concurrent runs of `send_reminders` do.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_EMAIL_ATTEMPTS = 5


class Kind(models.TextChoices):
    REGISTRATION_OPEN = "registration_open", _("Registration opened")
    REGISTRATION_CLOSING = "registration_closing", _("Registration closing")
    RECTIFICATION_RAISED = "rectification_raised", _("Rectification raised")
    RECTIFICATION_DUE_SOON = "rectification_due_soon", _("Rectification due soon")
    RECTIFICATION_DUE_TODAY = "rectification_due_today", _("Rectification due today")
    RECTIFICATION_OVERDUE = "rectification_overdue", _("Rectification overdue")
    DEADLINE_MOVED = "deadline_moved", _("Rectification deadline moved")
    RESULTS_PUBLISHED = "results_published", _("Year results published")
    CHECK_ASSIGNED = "check_assigned", _("Spot check assigned")
    ANSWER_TO_VERIFY = "answer_to_verify", _("Answer to verify")
    CHECK_TO_CONFIRM = "check_to_confirm", _("Check to confirm")
    ATTENDANCE_NOT_TAKEN = "attendance_not_taken", _("Attendance not taken")
    OVERDUE_DIGEST = "overdue_digest", _("Weekly overdue rectifications")
    SELF_ASSESSMENT_OPEN = "self_assessment_open", _("Self-assessment open")
    SELF_ASSESSMENT_CLOSING = "self_assessment_closing", _("Self-assessment closing")
    SELF_ASSESSMENT_RETURNED = "self_assessment_returned", _("Self-assessment returned")
    ANSWER_RETURNED = "answer_returned", _("Rectification answer returned")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """The one scope of every page: a user sees only the notifications sent to them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def email_due(self, stale_before):
        """E-mails to try now: waiting ones, and attempts that were claimed before
        `stale_before` but never finished (the process died while sending)."""
        return self.filter(
            models.Q(email_status=Notification.EmailStatus.PENDING)
            | models.Q(
                email_status=Notification.EmailStatus.SENDING,
                email_attempted_at__lt=stale_before,
            ),
            email_attempts__lt=MAX_EMAIL_ATTEMPTS,
        )


class Notification(models.Model):
    class EmailStatus(models.TextChoices):
        NOT_WANTED = "not_wanted", _("No e-mail")
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, gave up")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    dedupe_key = models.CharField(_("event"), max_length=200)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_status = models.CharField(
        _("e-mail"), max_length=20, choices=EmailStatus.choices, default=EmailStatus.NOT_WANTED
    )
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_attempted_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_error = models.TextField(_("last e-mail error"), blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_once_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["email_status", "email_attempts"]),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.title}"

    @property
    def title(self):
        from notifications.messages import render

        return render(self.kind, self.params)[0]

    @property
    def body(self):
        from notifications.messages import render

        return render(self.kind, self.params)[1]

    @property
    def is_read(self):
        return self.read_at is not None


class Preference(models.Model):
    """A user's choice: notifications by e-mail too, or only in the application."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email_enabled = models.BooleanField(_("also by e-mail"), default=True)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return str(self.user)


def wants_email(user):
    """E-mail goes to users with an address who have not turned it off (on by default)."""
    if not user.email:
        return False
    preference = Preference.objects.filter(user=user).first()
    return preference is None or preference.email_enabled
