"""Builders for training tests."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from training.models import Training, TrainingKind
from training.services import sync_requirements


def at(day, hour=9):
    """An aware datetime in Asia/Shanghai."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=hour))


def make_training(*, created_by, days=1, start=None, **overrides):
    start = start or (timezone.localdate() - timedelta(days=30))
    fields = {
        "title": "全市政府信息公开培训班",
        "kind": TrainingKind.objects.get_or_create(name="培训班")[0],
        "starts_at": at(start, 9),
        "ends_at": at(start + timedelta(days=days - 1), 17),
        "venue": "市行政中心一楼报告厅",
        "status": Training.Status.OPEN,
        "scope": Training.Scope.ALL,
        "seats_per_unit": 2,
        "created_by": created_by,
    }
    fields.update(overrides)
    training = Training.objects.create(**fields)
    sync_requirements(training)
    return training


@pytest.fixture
def training(personas):
    """Open, one day, all active units (甲街道 and 乙局) must send 2 people each."""
    return make_training(created_by=personas["organizer"])
