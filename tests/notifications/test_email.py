"""E-mail through Django's mailers (locmem in tests): sent after the commit, once; not sent to
whoever turned it off (the notification still appears in the application); a failure is
recorded, retried by the next run and, after the last attempt, shown to administrators."""

from datetime import date, timedelta
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from assessment.services.rectifications import raise_rectification
from notifications.models import MAX_EMAIL_ATTEMPTS, Kind, Notification, Preference
from notifications.reminders import send_reminders
from notifications.services import deliver_emails
from tests.assessment.conftest import CONFIRMED_ON
from tests.training.conftest import at

FAILING = {"default": {"BACKEND": "tests.notifications.test_email.FailingBackend"}}
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise SMTPException("421 service not available")


@pytest.fixture
def addresses(personas, liaison_a2):
    for name in ("liaison_a", "liaison_a2", "liaison_b"):
        user = personas.get(name) or liaison_a2
        user.email = f"{name}@example.gov.cn"
        user.save()
    return personas


def raise_one(check, personas):
    return raise_rectification(
        check,
        raised_on=CONFIRMED_ON,
        requirement="补充保密审查记录",
        working_days=8,
        actor=personas["inspector"],
    )


def test_an_event_is_emailed_once_after_the_commit_in_chinese(
    confirmed_check, addresses, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        raise_one(confirmed_check, addresses)
        assert mail.outbox == []  # nothing leaves before the commit
    assert sorted(message.to[0] for message in mail.outbox) == [
        "liaison_a2@example.gov.cn",
        "liaison_a@example.gov.cn",
    ]
    message = mail.outbox[0]
    assert message.subject == "甲街道有一项整改要求"
    assert "甲街道：补充保密审查记录 整改期限：2026年10月15日。" in message.body
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"sent"}
    # another run finds nothing to send
    assert deliver_emails() == (0, 0)
    assert len(mail.outbox) == 2


def test_the_link_is_a_full_address_when_the_site_url_is_set(
    confirmed_check, addresses, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://gk.example.gov.cn/"
    with django_capture_on_commit_callbacks(execute=True):
        rectification = raise_one(confirmed_check, addresses)
    assert f"https://gk.example.gov.cn{rectification.get_absolute_url()}" in mail.outbox[0].body


def test_email_turned_off_still_notifies_in_the_application(
    confirmed_check, addresses, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=addresses["liaison_a"], email_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        raise_one(confirmed_check, addresses)
    assert [message.to for message in mail.outbox] == [["liaison_a2@example.gov.cn"]]
    mine = Notification.objects.get(recipient=addresses["liaison_a"])
    assert mine.kind == Kind.RECTIFICATION_RAISED
    assert mine.email_status == Notification.EmailStatus.NOT_WANTED


def test_no_address_no_email(confirmed_check, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        raise_one(confirmed_check, personas)
    assert mail.outbox == []
    assert Notification.objects.get().email_status == Notification.EmailStatus.NOT_WANTED


def test_email_turned_off_after_the_event_is_not_sent(confirmed_check, addresses):
    raise_one(confirmed_check, addresses)  # no commit in this test: nothing sent yet
    Preference.objects.create(user=addresses["liaison_a"], email_enabled=False)
    assert deliver_emails() == (1, 0)
    assert [message.to for message in mail.outbox] == [["liaison_a2@example.gov.cn"]]


def test_a_failure_is_recorded_retried_and_finally_shown_to_administrators(
    confirmed_check, personas, settings, client_for
):
    user = personas["liaison_a"]
    user.email = "liaison_a@example.gov.cn"
    user.save()
    raise_one(confirmed_check, personas)
    settings.MAILERS = FAILING
    assert deliver_emails() == (0, 1)
    notification = Notification.objects.get()
    assert notification.email_status == Notification.EmailStatus.PENDING
    assert notification.email_attempts == 1
    assert "421 service not available" in notification.email_error
    # the periodic run tries again; the server is back
    settings.MAILERS = LOCMEM
    send_reminders(at(date(2026, 10, 8)))
    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts) == ("sent", 2)
    assert notification.email_error == ""
    assert len(mail.outbox) == 1

    # a server that never answers: after the last attempt the row says failed
    Notification.objects.filter(pk=notification.pk).update(
        email_status="pending", email_attempts=0, emailed_at=None
    )
    settings.MAILERS = FAILING
    for _attempt in range(MAX_EMAIL_ATTEMPTS + 2):
        deliver_emails()
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.FAILED
    assert notification.email_attempts == MAX_EMAIL_ATTEMPTS
    page = client_for("admin").get(
        reverse("admin:notifications_notification_changelist") + "?email_status=failed"
    )
    assert page.status_code == 200
    assert "421 service not available" in page.content.decode()


def test_an_attempt_left_unfinished_by_a_dead_process_is_taken_again(confirmed_check, addresses):
    raise_one(confirmed_check, addresses)
    now = timezone.now()
    Notification.objects.update(email_status="sending", email_attempted_at=now, email_attempts=1)
    assert deliver_emails(now=now + timedelta(minutes=5)) == (0, 0)  # may still be sending
    assert deliver_emails(now=now + timedelta(minutes=20)) == (2, 0)
