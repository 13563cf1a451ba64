"""Event-driven notifications: created by the services where the event happens, inside their
transaction, to exactly the people who act next."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import transaction

from assessment.models import Scheme
from assessment.services import AssessmentError
from assessment.services.rectifications import (
    answer_rectification,
    raise_rectification,
    review_rectification,
)
from assessment.services.rounds import draw_round
from assessment.services.spot_checks import (
    confirm_spot_check,
    save_scores,
    submit_spot_check,
)
from assessment.services.year_end import publish_year, unfinished_work
from core.models import Year
from notifications.models import Kind, Notification
from tests.assessment.conftest import CONFIRMED_ON, entries_for, no_faults
from tests.assessment.test_rounds import make_round
from tests.conftest import make_user
from tests.notifications.conftest import everything
from tests.training.conftest import at
from units.roles import Role


def test_a_raised_rectification_tells_the_units_liaisons(confirmed_check, personas, liaison_a2):
    before = everything()
    rectification = raise_rectification(
        confirmed_check,
        raised_on=CONFIRMED_ON,
        requirement="补充记录",
        working_days=8,
        actor=personas["inspector"],
    )
    new = sorted(set(everything()) - set(before))
    assert new == [
        ("liaison_a", Kind.RECTIFICATION_RAISED),
        ("liaison_a2", Kind.RECTIFICATION_RAISED),
    ]
    notification = Notification.objects.get(recipient=personas["liaison_a"])
    assert notification.link == rectification.get_absolute_url()
    assert notification.title == "甲街道有一项整改要求"
    assert notification.body == "甲街道：补充记录 整改期限：2026年10月15日。"


def test_a_refused_rectification_notifies_nobody(confirmed_check, personas):
    with pytest.raises(AssessmentError):
        raise_rectification(
            confirmed_check,
            raised_on=CONFIRMED_ON,
            requirement="补充",
            working_days=8,
            actor=personas["liaison_a"],
        )
    assert not Notification.objects.filter(kind=Kind.RECTIFICATION_RAISED).exists()


def test_a_rolled_back_transaction_takes_its_notifications_with_it(confirmed_check, personas):
    with pytest.raises(RuntimeError), transaction.atomic():
        raise_rectification(
            confirmed_check,
            raised_on=CONFIRMED_ON,
            requirement="补充",
            working_days=8,
            actor=personas["inspector"],
        )
        raise RuntimeError("the caller fails later")
    assert not Notification.objects.exists()


def test_each_answer_waits_for_the_checks_inspectors(confirmed_check, personas):
    rectification = raise_rectification(
        confirmed_check,
        raised_on=CONFIRMED_ON,
        requirement="补充",
        working_days=8,
        actor=personas["inspector"],
    )
    answer_rectification(rectification, response="已补充", actor=personas["liaison_a"])
    to_verify = Notification.objects.filter(kind=Kind.ANSWER_TO_VERIFY)
    # the check's two inspectors; not the leader who confirmed it, not other inspectors
    assert sorted(to_verify.values_list("recipient__username", flat=True)) == [
        "inspector",
        "inspector_b",
    ]
    review_rectification(
        rectification, accept=False, note="附件不清晰，请补充值班表。", actor=personas["inspector"]
    )
    # reviewed by one inspector: nobody's bell still asks for it
    assert not to_verify.filter(read_at__isnull=True).exists()
    # the unit is told, with the inspector's reason (a tester's liaison learnt nothing)
    (returned,) = Notification.objects.filter(kind=Kind.ANSWER_RETURNED)
    assert returned.recipient == personas["liaison_a"]
    assert returned.link == rectification.get_absolute_url()
    title, body = returned.title, returned.body
    assert title == "甲街道的整改反馈被退回"
    assert body.startswith("原因：附件不清晰，请补充值班表。请整改后于 ")
    answer_rectification(rectification, response="再次补充", actor=personas["liaison_a"])
    # a second answer is a second event
    assert to_verify.count() == 4
    assert to_verify.filter(read_at__isnull=True).count() == 2


def test_a_submitted_check_waits_for_inspectors_who_may_confirm_it(
    spot_check, personas, confirmer, unit_a
):
    make_user("inspector_of_a", role=Role.INSPECTOR, unit=unit_a)  # recused: works in unit A
    inspector = personas["inspector"]
    entries = entries_for(
        spot_check.checklist,
        {
            "保密审查制度": {"points": D("10")},
            "信息发布及时": no_faults(spot_check.checklist),
            "按期答复": {"points": D("20")},
        },
    )
    save_scores(spot_check, version=0, entries=entries, summary="", actor=inspector)
    submit_spot_check(spot_check, actor=inspector)
    to_confirm = Notification.objects.filter(kind=Kind.CHECK_TO_CONFIRM)
    assert list(to_confirm.values_list("recipient__username", flat=True)) == ["confirmer"]
    # (10 + 10 + 20) / 40 = 100 %
    assert to_confirm.get().params == {"unit": "甲街道", "percentage": "100.00"}
    confirm_spot_check(spot_check, actor=personas["leader"])
    assert to_confirm.get().read_at is not None  # confirmed: nothing left to do


def test_a_drawn_round_tells_each_inspector_of_each_check(personas, unit_a, checklist):
    second = make_user("i2", role=Role.INSPECTOR)
    sampling_round = make_round(
        personas["inspector"],
        checklist,
        [unit_a.category],
        [personas["inspector"], second],
        sample_size=1,
        planned_start=date(2026, 9, 14),
    )
    draw_round(sampling_round, actor=personas["inspector"], seed="fixed")
    assigned = Notification.objects.filter(kind=Kind.CHECK_ASSIGNED)
    assert sorted(assigned.values_list("recipient__username", flat=True)) == ["i2", "inspector"]
    assert assigned.first().params == {
        "unit": "甲街道",
        "round": "第一轮抽查",
        "date": "2026-09-14",
    }
    # planned checks are unannounced: the unit hears nothing
    assert not Notification.objects.filter(recipient__username__startswith="liaison").exists()


def test_publishing_tells_each_units_liaisons_about_their_own_unit(personas, unit_a, unit_b):
    year, _created = Year.objects.get_or_create(year=2026)
    scheme = Scheme.objects.create(year=year)
    publish_year(scheme, actor=personas["leader"], acknowledged=unfinished_work(scheme).signature)
    published = Notification.objects.filter(kind=Kind.RESULTS_PUBLISHED)
    assert sorted((n.recipient.username, n.params["unit"]) for n in published) == [
        ("liaison_a", "甲街道"),
        ("liaison_b", "乙局"),
    ]
    assert published.get(recipient=personas["liaison_a"]).link.endswith(
        f"/units/{unit_a.pk}/?year={scheme.year.year}"
    )


def test_a_deadline_the_new_calendar_moves_is_told_to_the_unit(confirmed_check, personas):
    from assessment.models import SpotCheck
    from tests.assessment.test_rectification_deadlines import enter_2027

    # confirmed Thu 2027-02-04, 2 working days; by rule 02-05…02-10 are off → Fri 02-12
    SpotCheck.objects.filter(pk=confirmed_check.pk).update(confirmed_at=at(date(2027, 2, 4), 10))
    confirmed_check.refresh_from_db()
    rectification = raise_rectification(
        confirmed_check,
        raised_on=date(2027, 2, 4),
        requirement="补齐",
        working_days=2,
        actor=personas["inspector"],
    )
    answered = raise_rectification(
        confirmed_check,
        raised_on=date(2027, 2, 4),
        requirement="已答复的",
        working_days=2,
        actor=personas["inspector"],
    )
    answer_rectification(answered, response="已补齐", actor=personas["liaison_a"])
    assert rectification.deadline == date(2027, 2, 12)

    enter_2027(personas["admin"])  # official: 02-05…02-11 off, Sun 02-14 a working day

    moved = Notification.objects.get(kind=Kind.DEADLINE_MOVED)  # not the answered one
    assert moved.recipient == personas["liaison_a"]
    assert moved.title == "一项整改的期限改为2027年2月14日"
    assert moved.body == "甲街道：补齐 工作日历有变，原期限为2027年2月12日。"


def test_text_with_nul_characters_is_stored_without_them(personas):
    from notifications.services import notify

    [notification] = notify(
        [personas["leader"]],
        Kind.OVERDUE_DIGEST,
        event="nul",
        params={"count": 1, "units": ["甲\x00街道"]},
    )
    notification.refresh_from_db()
    assert notification.params["units"] == ["甲街道"]


def test_a_deactivated_liaison_hears_nothing(confirmed_check, personas, liaison_a2):
    liaison_a2.is_active = False
    liaison_a2.save()
    raise_rectification(
        confirmed_check,
        raised_on=CONFIRMED_ON,
        requirement="补充",
        working_days=8,
        actor=personas["inspector"],
    )
    assert everything() == [("liaison_a", Kind.RECTIFICATION_RAISED)]


def test_notices_of_a_publication_sent_before_they_named_the_year_are_given_it(personas):
    from importlib import import_module

    from django.apps import apps

    old = Notification.objects.create(
        recipient=personas["liaison_a"],
        kind=Kind.RESULTS_PUBLISHED,
        dedupe_key="results_published:year:2025:x",
        params={"year": 2025, "unit": "甲街道"},
        link="/assessment/ranking/units/1/",
    )
    import_module("notifications.migrations.0005_year_in_published_links").name_the_year(apps, None)
    old.refresh_from_db()
    assert old.link == "/assessment/ranking/units/1/?year=2025"
