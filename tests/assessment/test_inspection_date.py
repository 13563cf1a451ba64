"""A check's date is the day of the inspection: a drawn check starts with its round's planned
start, which may be still to come; a tester scored, submitted and confirmed checks dated
2026-12-01 and 2027-03-01 on 2026-11-28, and their documents said so."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.services import AssessmentError
from assessment.services.spot_checks import save_scores, submit_spot_check
from tests.assessment.conftest import entries_for, no_faults

SCORES = {"保密审查制度": {"points": D("8")}, "按期答复": {"points": D("20")}}


def scored(check, actor, **kwargs):
    entries = entries_for(check.checklist, {**SCORES, "信息发布及时": no_faults(check.checklist)})
    return save_scores(
        check, version=check.version, entries=entries, summary="", actor=actor, **kwargs
    )


def test_a_check_dated_in_the_future_cannot_be_submitted_until_its_date_is_set(
    spot_check, personas
):
    inspector = personas["inspector"]
    today = timezone.localdate()
    spot_check.date = today + timedelta(days=3)  # the round's planned start
    spot_check.save()
    scored(spot_check, inspector)
    with pytest.raises(AssessmentError) as refused:
        submit_spot_check(spot_check, actor=inspector)
    assert refused.value.code == "future_date"
    scored(spot_check, inspector, date=today)
    submit_spot_check(spot_check, actor=inspector)
    spot_check.refresh_from_db()
    assert (spot_check.date, spot_check.status) == (today, "submitted")


def test_the_score_page_takes_the_inspection_date_and_refuses_one_to_come(
    spot_check, personas, client_for
):
    client = client_for("inspector")
    url = reverse("assessment:spot_check_score", args=[spot_check.pk])
    page = client.get(url)
    data = {
        name: "" if value is None else value
        for name, value in page.context["form"].initial.items()
        if value is not False
    }
    assert data["date"] == date(2026, 9, 20)
    later = timezone.localdate() + timedelta(days=1)
    response = client.post(url, {**data, "date": later.isoformat()})
    assert response.status_code == 200
    assert "尚未到来" in response.content.decode()
    assert client.post(url, {**data, "date": "2026-09-25"}).status_code == 302
    spot_check.refresh_from_db()
    assert spot_check.date == date(2026, 9, 25)


def test_saving_scores_after_the_co_inspector_submitted_says_what_happened(
    spot_check, personas, inspector_b, client_for
):
    """It answered 无权访问 / 您的角色无权使用此页面 (a tester's finding)."""
    scored(spot_check, personas["inspector"])
    submit_spot_check(spot_check, actor=personas["inspector"])
    client = client_for("inspector")
    client.force_login(inspector_b)
    response = client.post(
        reverse("assessment:spot_check_score", args=[spot_check.pk]), {"summary": "x"}, follow=True
    )
    assert response.status_code == 200
    (message,) = [str(m) for m in response.context["messages"]]
    assert message == "本次检查已提交，不能再在此评分；您填写的内容未保存。"
