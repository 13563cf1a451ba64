"""Two reminder runs at once (two workers, or cron and the task) send each reminder once: the
unique (recipient, dedupe key) constraint refuses the second row, and the e-mail's claim lets
one run send it."""

from datetime import date

import pytest
from django.core import mail

from assessment.services.rectifications import raise_rectification
from notifications.models import Kind, Notification
from notifications.reminders import send_reminders
from tests.assessment.conftest import CONFIRMED_ON
from tests.concurrency import postgresql_only, race
from tests.training.conftest import at

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]


def test_two_runs_at_once_send_each_reminder_once(confirmed_check, personas, liaison_a2):
    for user in (personas["liaison_a"], liaison_a2):
        user.email = f"{user.username}@example.gov.cn"
        user.save()
    raise_rectification(
        confirmed_check,
        raised_on=CONFIRMED_ON,
        requirement="补充记录",
        working_days=8,
        actor=personas["inspector"],
    )
    mail.outbox = []
    Notification.objects.update(email_status="sent")  # the raise's own e-mails: not this test
    friday = at(date(2026, 10, 16))  # overdue since Thursday's deadline

    outcomes = race(lambda: send_reminders(friday), lambda: send_reminders(friday))

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    created = sorted((n.recipient.username, n.kind) for run in outcomes for n in run)
    assert created == [
        ("leader", Kind.OVERDUE_DIGEST),
        ("liaison_a", Kind.RECTIFICATION_OVERDUE),
        ("liaison_a2", Kind.RECTIFICATION_OVERDUE),
    ]
    assert Notification.objects.filter(kind=Kind.RECTIFICATION_OVERDUE).count() == 2
    assert sorted(message.to[0] for message in mail.outbox) == [
        "liaison_a2@example.gov.cn",
        "liaison_a@example.gov.cn",
    ]
