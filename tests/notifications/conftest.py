"""Builders for notification tests: the assessment builders (a confirmed check of unit A),
a second liaison of unit A, and a way to read who got what."""

import pytest

from notifications.models import Notification
from tests.assessment.conftest import (  # noqa: F401
    checklist,
    confirmed_check,
    confirmer,
    inspector_b,
    spot_check,
)
from tests.conftest import make_user
from units.roles import Role


@pytest.fixture
def liaison_a2(unit_a):
    """A second liaison of unit A: reminders go to every liaison of the unit."""
    return make_user("liaison_a2", role=Role.LIAISON, unit=unit_a)


def who_got(notifications):
    """Sorted (username, kind) pairs of the given notifications."""
    return sorted((n.recipient.username, n.kind) for n in notifications)


def everything():
    return who_got(Notification.objects.select_related("recipient"))
