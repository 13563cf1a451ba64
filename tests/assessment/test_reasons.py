"""Reasons people write (re-opening a check or a year, dismissing a proposal) are kept whole
up to the 300 characters the forms allow, in their column and in the history; a longer one is
refused with a message and nothing changes. PostgreSQL enforces the columns: run it there too."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from assessment.models import DismissedProposal, Rectification, Scheme, SpotCheck
from assessment.services import REASON_MAX_LENGTH, AssessmentError
from assessment.services.spot_checks import unconfirm_spot_check
from assessment.services.year_end import publish_year, reopen_year, unfinished_work
from core.models import Year
from tests.assessment.test_spot_checks import confirmed

LONGEST = "因" * REASON_MAX_LENGTH
TOO_LONG = LONGEST + "由"


def test_every_history_keeps_a_reason_longer_than_the_longest_written_one():
    prefix = len("Re-opened: ")  # the longest text put before a reason
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            field = model._meta.get_field("history_change_reason")
            assert (field.max_length or 10**9) >= REASON_MAX_LENGTH + prefix, model.__name__


def test_a_check_reopened_with_a_300_character_reason_keeps_it_in_history(spot_check, personas):
    confirmed(spot_check, personas)
    unconfirm_spot_check(spot_check, actor=personas["admin"], reason=LONGEST)
    assert spot_check.history.first().history_change_reason == LONGEST


def test_a_longer_reason_to_reopen_a_check_is_refused_through_the_page(
    spot_check, personas, client_for
):
    confirmed(spot_check, personas)
    url = reverse("assessment:spot_check_transition", args=[spot_check.pk, "unconfirm"])
    response = client_for("admin").post(url, {"reason": TOO_LONG}, follow=True)
    assert "理由最多 300 个字符，当前为 301 个。" in response.content.decode()
    spot_check.refresh_from_db()
    assert spot_check.status == SpotCheck.Status.CONFIRMED


@pytest.fixture
def scheme(db):
    year, _created = Year.objects.get_or_create(year=timezone.localdate().year)
    return Scheme.objects.create(year=year)


def test_a_year_reopened_with_a_300_character_reason_keeps_it(scheme, personas, client_for):
    publish_year(scheme, actor=personas["leader"], acknowledged=unfinished_work(scheme).signature)
    with pytest.raises(AssessmentError) as refused:
        reopen_year(scheme, actor=personas["admin"], reason=TOO_LONG)
    assert refused.value.code == "reason_too_long"
    response = client_for("admin").post(
        reverse("assessment:reopen"), {"reason": LONGEST, "year": scheme.year.year}
    )
    assert response.status_code == 302
    scheme.year.refresh_from_db()
    assert scheme.year.locked_at is None
    assert scheme.history.first().history_change_reason.endswith(LONGEST)


@pytest.mark.parametrize("reason", ["\x01", " \x01 ", "理由\x1b"])
def test_a_year_is_not_reopened_with_an_invisible_reason(scheme, personas, client_for, reason):
    """Trial 9: a reason of one U+0001 reopened the published year; the history's reason
    read empty."""
    publish_year(scheme, actor=personas["leader"], acknowledged=unfinished_work(scheme).signature)
    response = client_for("admin").post(
        reverse("assessment:reopen"), {"reason": reason, "year": scheme.year.year}, follow=True
    )
    assert "文本含有不可见的控制字符" in response.content.decode()
    scheme.year.refresh_from_db()
    assert scheme.year.locked_at is not None


@pytest.fixture
def overdue(personas, unit_a, checklist):
    check = SpotCheck.objects.create(
        unit=unit_a,
        checklist=checklist,
        date=timezone.localdate() - timedelta(days=60),
        status=SpotCheck.Status.CONFIRMED,
        percentage=D("80"),
        confirmed_at=timezone.now(),
    )
    return Rectification.objects.create(
        spot_check=check,
        requirement="补齐记录",
        working_days=5,
        raised_on=timezone.localdate() - timedelta(days=10),
        deadline=timezone.localdate() - timedelta(days=3),
        created_by=personas["inspector"],
    )


def test_a_dismissal_reason_over_300_characters_is_refused(scheme, overdue, client_for):
    client = client_for("inspector")
    url = reverse("assessment:proposal_decide", args=[overdue.pk, "dismiss"])
    response = client.post(url, {"reason": TOO_LONG}, follow=True)
    assert "理由最多 300 个字符，当前为 301 个。" in response.content.decode()
    assert not DismissedProposal.objects.exists()
    client.post(url, {"reason": LONGEST})
    assert DismissedProposal.objects.get().reason == LONGEST


def test_a_reason_with_a_null_character_is_refused(scheme, overdue, client_for):
    url = reverse("assessment:proposal_decide", args=[overdue.pk, "dismiss"])
    response = client_for("inspector").post(url, {"reason": "因\x00由"}, follow=True)
    assert "不允许使用空字符。" in response.content.decode()
    assert not DismissedProposal.objects.exists()


def test_a_reason_of_zero_width_spaces_is_no_reason(scheme, personas):
    """Trial 10: U+200B alone reopened the year; the history read 重新打开： and nothing."""
    publish_year(scheme, actor=personas["leader"], acknowledged=unfinished_work(scheme).signature)
    with pytest.raises(AssessmentError) as refused:
        reopen_year(scheme, actor=personas["admin"], reason="\u200b\u200b \ufeff")
    assert refused.value.code == "reason"
