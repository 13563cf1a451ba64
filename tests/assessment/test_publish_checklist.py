"""Before a year is published the leader sees what is unfinished and confirms knowingly; the
server refuses a publication that was not confirmed, or confirmed against an older list."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessment.models import (
    Indicator,
    PublishedResult,
    Rectification,
    Scheme,
    SelfAssessment,
    SpotCheck,
)
from assessment.services import AssessmentError
from assessment.services.self_assessment import create_campaign
from assessment.services.spot_checks import confirm_spot_check, save_scores, submit_spot_check
from assessment.services.year_end import publish_year, save_indicator_values, unfinished_work
from core.models import Year
from tests.assessment.conftest import entries_for, no_faults
from tests.conftest import make_category, make_unit
from tests.training.conftest import make_training
from training.models import Training
from training.services import sync_requirements

NOW = timezone.make_aware(datetime(2026, 11, 27, 10, 0))


@pytest.fixture
def fixed_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def year_2026(fixed_now, personas, unit_a, unit_b, spot_check, inspector_b):
    """One of each kind of unfinished work, next to finished work that must not be listed."""
    inspector, organizer = personas["inspector"], personas["organizer"]
    make_unit("丙镇", category=make_category("镇（街道）"), code="TC01")  # no component at all
    entries = entries_for(
        spot_check.checklist,
        {
            "保密审查制度": {"points": D("8")},
            "信息发布及时": no_faults(spot_check.checklist),
            "按期答复": {"points": D("20")},
        },
    )
    save_scores(spot_check, version=0, entries=entries, summary="", actor=inspector)
    submit_spot_check(spot_check, actor=inspector)
    confirm_spot_check(spot_check, actor=personas["leader"])
    planned = SpotCheck.objects.create(
        unit=unit_b, checklist=spot_check.checklist, date=date(2026, 10, 10)
    )
    planned.inspectors.set([inspector])
    held = make_training(
        created_by=organizer,
        start=date(2026, 10, 15),
        status=Training.Status.FINISHED,
        scope=Training.Scope.UNITS,
    )
    held.required_units.set([unit_a, unit_b])
    sync_requirements(held)
    make_training(
        created_by=organizer,
        start=date(2026, 12, 10),
        scope=Training.Scope.NONE,
        title="第二期培训班",
    )
    make_training(
        created_by=organizer,
        start=date(2026, 12, 12),
        scope=Training.Scope.NONE,
        status=Training.Status.CANCELLED,
        title="取消的培训班",
    )
    for requirement, deadline, status in [
        ("补齐保密审查记录", date(2026, 12, 20), Rectification.Status.OPEN),
        ("更新政策解读栏目", date(2026, 11, 1), Rectification.Status.RETURNED),
        ("已整改完毕的事项", date(2026, 10, 1), Rectification.Status.VERIFIED),
    ]:
        Rectification.objects.create(
            spot_check=spot_check,
            requirement=requirement,
            working_days=10,
            raised_on=spot_check.date,
            deadline=deadline,
            status=status,
            created_by=inspector,
        )
    campaign = create_campaign(
        name="2026年自查",
        year=2026,
        checklist=spot_check.checklist,
        opens_on=date(2026, 11, 23),
        closes_on=date(2026, 12, 8),
        units=[unit_a, unit_b],
        actor=inspector,
    )
    campaign.assessments.filter(unit=unit_a).update(status=SelfAssessment.Status.SUBMITTED)
    # the services above created the year's row with its first record
    return Scheme.objects.create(year=Year.objects.get(year=2026))


def test_the_checklist_lists_each_kind_of_unfinished_work(year_2026):
    with translation.override("zh-hans"):  # the status is shown in the page's language
        checklist = unfinished_work(year_2026)
    lines = {line.kind: line for line in checklist.lines}
    assert {kind: line.count for kind, line in lines.items()} == {
        "checks": 1,  # 乙局's planned check; 甲街道's is confirmed
        "trainings": 1,  # 第二期 in December; the cancelled one and the held one are not listed
        "rectifications": 1,  # due 12-20, still open
        "overdue": 1,  # due 11-01, returned and not done; the verified one is finished
        "self_assessments": 1,  # 乙局's draft (publishing closes it); 甲街道's is submitted
        "units": 1,  # 丙镇: no check, no required training, no indicator
    }
    assert lines["self_assessments"].examples == ("乙局（草稿，2026年12月8日）",)
    assert lines["checks"].examples == ("乙局 2026年10月10日 计划中",)
    assert lines["trainings"].examples == ("第二期培训班 2026年12月10日",)
    assert lines["overdue"].examples == ("甲街道：更新政策解读栏目（2026年11月1日）",)
    assert lines["units"].examples == ("丙镇",)
    kinds = [part.split(":")[0] for part in checklist.signature.split(";")]
    assert kinds == [
        "checks=1",
        "trainings=1",
        "rectifications=1",
        "overdue=1",
        "self_assessments=1",
        "units=1",
    ]


def test_a_list_with_the_same_counts_but_other_items_needs_a_new_confirmation(year_2026, personas):
    """Found by trying to break the system: the confirmation compared counts only, so a list
    in which one unfinished training had been replaced by another still published."""
    seen = unfinished_work(year_2026).signature
    Training.objects.filter(title="第二期培训班").update(status=Training.Status.CANCELLED)
    make_training(
        created_by=personas["organizer"],
        start=date(2026, 12, 15),
        scope=Training.Scope.NONE,
        title="第三期培训班",
    )
    now = unfinished_work(year_2026)
    assert {line.kind: line.count for line in now.lines}["trainings"] == 1
    assert now.signature != seen
    with pytest.raises(AssessmentError) as refused:
        publish_year(year_2026, actor=personas["leader"], acknowledged=seen)
    assert refused.value.code == "unacknowledged"
    assert not PublishedResult.objects.exists()


def test_publishing_with_unfinished_work_needs_the_confirmed_list(year_2026, personas):
    leader = personas["leader"]
    for acknowledged in ("", "checks=1;trainings=1"):
        with pytest.raises(AssessmentError) as refused:
            publish_year(year_2026, actor=leader, acknowledged=acknowledged)
        assert refused.value.code == "unacknowledged"
    assert not PublishedResult.objects.exists()
    publish_year(year_2026, actor=leader, acknowledged=unfinished_work(year_2026).signature)
    year_2026.year.refresh_from_db()
    assert year_2026.year.locked_at == NOW


def test_the_leader_sees_the_list_and_must_tick_the_confirmation(year_2026, client_for):
    client = client_for("leader")
    url = reverse("assessment:publish")
    page = client.get(url)
    body = page.content.decode()
    for text in [
        "1 次抽查尚未确认",
        "1 期培训尚未举办",
        "1 项整改尚未完成",
        "1 项整改已逾期",
        "1 个单位没有任何考核分项",
    ]:
        assert text in body
    signature = page.context["form"]["acknowledged"].value()

    response = client.post(url, {"acknowledged": signature, "year": "2026"})
    assert response.status_code == 200
    assert "confirm" in response.context["form"].errors
    assert not PublishedResult.objects.exists()

    response = client.post(url, {"acknowledged": signature, "confirm": "on", "year": "2026"})
    assert response.status_code == 302
    year_2026.year.refresh_from_db()
    assert year_2026.year.locked_at is not None
    assert PublishedResult.objects.count() == 3  # 甲街道, 乙局 and 丙镇 (no result) are recorded


def test_a_confirmation_of_an_older_list_is_refused_and_the_new_list_shown(
    year_2026, client_for, unit_b, spot_check
):
    client = client_for("leader")
    url = reverse("assessment:publish")
    signature = client.get(url).context["form"]["acknowledged"].value()
    later = SpotCheck.objects.create(
        unit=unit_b, checklist=spot_check.checklist, date=date(2026, 11, 20)
    )
    later.inspectors.set(spot_check.inspectors.all())  # planned after the leader looked
    response = client.post(url, {"acknowledged": signature, "confirm": "on", "year": "2026"})
    assert response.status_code == 200
    assert "请核对清单" in response.context["refused"]
    assert "2 次抽查尚未确认" in response.content.decode()
    year_2026.year.refresh_from_db()
    assert year_2026.year.locked_at is None


def test_with_nothing_unfinished_publishing_needs_no_confirmation(
    fixed_now, client_for, personas, unit_a, unit_b
):
    scheme = Scheme.objects.create(year=Year.objects.create(year=2026))
    indicator = Indicator.objects.create(scheme=scheme, name="及时率", weight=D(10))
    values = [(indicator, unit, D("90"), "") for unit in (unit_a, unit_b)]
    save_indicator_values(scheme, values, actor=personas["leader"])
    assert unfinished_work(scheme).lines == ()
    client = client_for("leader")
    page = client.get(reverse("assessment:publish"))
    assert "confirm" not in page.context["form"].fields
    assert "没有未完成的工作" in page.content.decode()
    assert (
        client.post(reverse("assessment:publish"), {"acknowledged": "", "year": "2026"}).status_code
        == 302
    )
    scheme.year.refresh_from_db()
    assert scheme.year.locked_at == NOW


@pytest.mark.parametrize(
    "persona, expected", [("inspector", 403), ("liaison_a", 403), ("leader", 200)]
)
def test_only_leaders_open_the_publish_page(year_2026, client_for, persona, expected):
    assert client_for(persona).get(reverse("assessment:publish")).status_code == expected
