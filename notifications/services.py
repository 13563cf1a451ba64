"""Sending notifications: `notify` records one per recipient and event (at most once, by the
unique dedupe key), and `deliver_emails` sends the e-mails that are due, each at most once
even when two workers run at the same time, retrying failures on later runs.

Event-driven notifications are created by the services where the event happens, inside their
transaction (rolled back with it); their e-mail is sent by a task enqueued when the transaction
commits. Time-driven ones come from notifications/reminders.py."""

from datetime import timedelta
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation

from notifications.models import MAX_EMAIL_ATTEMPTS, Notification, Preference, wants_email
from units.roles import Role

# An attempt claimed this long ago and never finished belongs to a process that died.
STALE_ATTEMPT = timedelta(minutes=15)
EMAIL_BATCH = 200


def users_with_role(role, *, unit_id=None):
    users = get_user_model().objects.filter(is_active=True, groups__name=role)
    if unit_id is not None:
        users = users.filter(profile__unit_id=unit_id)
    return users.distinct().order_by("pk")


def liaisons_of(unit_id):
    return users_with_role(Role.LIAISON, unit_id=unit_id)


def dedupe_key(kind, event):
    """What makes a notification once per recipient: its kind and event (object, milestone)."""
    return f"{kind}:{event}"[:200]


def notify(recipients, kind, *, event, params=None, link="", deliver=True):
    """One notification of `kind` to each of `recipients` for `event` (a string naming the
    object and milestone, e.g. "rectification:7:due:2026-12-01"), unless that recipient already
    has one for it. Returns the notifications created now. Call it inside the writer's
    transaction: the e-mails go out after the commit (`deliver=False`: the caller sends them,
    as the reminder run does once at its end)."""
    key = dedupe_key(kind, event)
    params = _storable(params or {})
    recipients = list(recipients)
    # the unique constraint is the guarantee; this read only spares a rerun its savepoints
    already = set(
        Notification.objects.filter(
            dedupe_key=key, recipient__in=[r.pk for r in recipients]
        ).values_list("recipient_id", flat=True)
    )
    created = []
    for recipient in recipients:
        if recipient.pk in already:
            continue
        email = wants_email(recipient)
        try:
            with transaction.atomic():  # a savepoint: a duplicate leaves the caller's work alone
                notification = Notification.objects.create(
                    recipient=recipient,
                    kind=kind,
                    params=params,
                    link=link,
                    dedupe_key=key,
                    email_status=(
                        Notification.EmailStatus.PENDING
                        if email
                        else Notification.EmailStatus.NOT_WANTED
                    ),
                )
        except IntegrityError:
            continue  # already sent to this recipient: a rerun, or a concurrent run won
        created.append(notification)
    if deliver and any(n.email_status == Notification.EmailStatus.PENDING for n in created):
        transaction.on_commit(_enqueue_delivery)
    return created


def _storable(value):
    """Parameters as PostgreSQL's jsonb keeps them: no NUL characters in any text."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {key: _storable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_storable(item) for item in value]
    return value


def _enqueue_delivery():
    from notifications.tasks import deliver_emails_task

    deliver_emails_task.enqueue()


def _claim(notification, now):
    """Take this attempt for this process: only one of two concurrent senders gets the row."""
    return Notification.objects.filter(
        pk=notification.pk,
        email_status=notification.email_status,
        email_attempts=notification.email_attempts,
    ).update(
        email_status=Notification.EmailStatus.SENDING,
        email_attempts=F("email_attempts") + 1,
        email_attempted_at=now,
    )


def email_text(notification):
    """(subject, body) of the e-mail, in the system's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        title, body = notification.title, notification.body
        lines = [body] if body else []
        if notification.link and settings.SITE_URL:
            lines.append(settings.SITE_URL.rstrip("/") + notification.link)
    return title, "\n\n".join(lines)


def deliver_emails(*, now=None):
    """Send the e-mails that are due; returns (sent, failed). A failure is kept on the row
    (attempts, last error) and tried again by the next run, up to MAX_EMAIL_ATTEMPTS; after
    that the row is marked failed, which the Django admin lists."""
    now = now or timezone.now()
    due = list(
        Notification.objects.email_due(now - STALE_ATTEMPT)
        .select_related("recipient")
        .order_by("created_at", "pk")[:EMAIL_BATCH]
    )
    sent = failed = 0
    for notification in due:
        if not wants_email(notification.recipient):
            Notification.objects.filter(pk=notification.pk).update(
                email_status=Notification.EmailStatus.NOT_WANTED
            )
            continue
        if not _claim(notification, now):
            continue
        subject, body = email_text(notification)
        try:
            send_mail(subject, body, None, [notification.recipient.email])
        except (SMTPException, OSError) as error:
            failed += 1
            attempts = notification.email_attempts + 1
            Notification.objects.filter(pk=notification.pk).update(
                email_status=(
                    Notification.EmailStatus.FAILED
                    if attempts >= MAX_EMAIL_ATTEMPTS
                    else Notification.EmailStatus.PENDING
                ),
                email_error=repr(error)[:2000],
            )
            continue
        sent += 1
        Notification.objects.filter(pk=notification.pk).update(
            email_status=Notification.EmailStatus.SENT, emailed_at=timezone.now(), email_error=""
        )
    return sent, failed


def retry_failed_emails(queryset):
    """Admin action: give failed e-mails a fresh set of attempts."""
    return queryset.filter(email_status=Notification.EmailStatus.FAILED).update(
        email_status=Notification.EmailStatus.PENDING, email_attempts=0
    )


def mark_read(notification):
    """`notification` comes from Notification.objects.for_user(the reader)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(*, actor):
    return Notification.objects.for_user(actor).unread().update(read_at=timezone.now())


@transaction.atomic
def save_preferences(user, *, email, email_enabled):
    """The user's e-mail address and whether notifications also come by e-mail."""
    if user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    preference, _created = Preference.objects.get_or_create(user=user)
    if preference.email_enabled != email_enabled:
        preference.email_enabled = email_enabled
        preference.save(update_fields=["email_enabled"])
    return preference
