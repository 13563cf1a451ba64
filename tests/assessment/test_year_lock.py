"""A published year is read-only: every write path of its data refuses, with a clear message."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessment.models import Adjustment, Indicator, Rectification, SamplingRound, Scheme, SpotCheck
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
    unconfirm_spot_check,
)
from assessment.services.year_end import (
    accept_proposal,
    add_adjustment,
    dismiss_proposal,
    publish_year,
    remove_adjustment,
    save_indicator_values,
    unfinished_work,
)
from core.models import Year
from core.years import YearLocked
from tests.assessment.conftest import entries_for, no_faults
from tests.training.conftest import make_training
from training.models import Attendee
from training.services import (
    mark_attendance,
    register_attendee,
    register_attendees,
    remove_attendee,
)

THIS_YEAR = timezone.localdate().year
LOCKED = f"{THIS_YEAR} 年度考核结果已发布，数据为只读。"


@pytest.fixture
def world(personas, unit_a, unit_b, checklist, inspector_b, confirmer):
    """A year with a training, an attendee, checks in every state and an adjustment; then
    published."""
    organizer, inspector = personas["organizer"], personas["inspector"]
    training = make_training(created_by=organizer, start=timezone.localdate() - timedelta(days=20))
    attendee = register_attendee(
        training, unit=unit_a, name="甲一", phone="13800000001", actor=organizer
    )
    checks = {}
    for state in ("planned", "in_progress", "submitted", "confirmed"):
        check = SpotCheck.objects.create(
            unit=unit_a, checklist=checklist, date=date(THIS_YEAR, 3, 1)
        )
        check.inspectors.set([inspector, inspector_b])
        if state != "planned":
            entries = entries_for(
                checklist,
                {
                    "保密审查制度": {"points": D(5)},
                    "信息发布及时": no_faults(checklist),
                    "按期答复": {"points": D(20)},
                },
            )
            save_scores(check, version=0, entries=entries, summary="", actor=inspector)
        if state in ("submitted", "confirmed"):
            submit_spot_check(check, actor=inspector)
        if state == "confirmed":
            confirm_spot_check(check, actor=confirmer)
        checks[state] = check
    year, _created = Year.objects.get_or_create(year=THIS_YEAR)
    scheme = Scheme.objects.create(year=year)
    indicator = Indicator.objects.create(scheme=scheme, name="及时率", weight=D(10))
    adjustment = add_adjustment(
        scheme,
        unit=unit_b,
        kind=Adjustment.Kind.BONUS,
        points=D(1),
        reason="推广",
        actor=personas["leader"],
    )
    sampling_round = SamplingRound.objects.create(
        name="轮",
        year=THIS_YEAR,
        planned_start=date(THIS_YEAR, 9, 1),
        planned_end=date(THIS_YEAR, 9, 9),
        checklist=checklist,
        sample_size=1,
        inspectors_per_check=1,
        created_by=inspector,
    )
    sampling_round.categories.set([unit_a.category])
    sampling_round.inspector_pool.set([inspector])
    # the leader publishes knowingly: the round's checks are not drawn, units lack components
    publish_year(scheme, actor=personas["leader"], acknowledged=unfinished_work(scheme).signature)
    return locals() | {"personas": personas}


def refused(function, *args, **kwargs):
    """Every module refuses a write into a published year with the one YearLocked error."""
    with pytest.raises(YearLocked) as raised:
        function(*args, **kwargs)
    assert raised.value.code == "year_locked"
    assert LOCKED in raised.value.message


def test_training_writes_are_refused(world):
    organizer = world["personas"]["organizer"]
    training, unit_a = world["training"], world["unit_a"]
    refused(
        register_attendee,
        training,
        unit=unit_a,
        name="甲二",
        phone="13800000002",
        actor=organizer,
    )
    refused(register_attendees, training, [], actor=organizer)
    refused(remove_attendee, world["attendee"], actor=organizer)
    refused(
        mark_attendance,
        training,
        training.days()[0],
        {world["attendee"].pk: "present"},
        actor=organizer,
    )
    assert Attendee.objects.count() == 1


def test_training_edit_form_is_refused(world, client_for):
    training = world["training"]
    response = client_for("organizer").post(
        reverse("training:update", args=[training.pk]),
        {
            "title": "改名",
            "kind": training.kind_id,
            "starts_at": "2026-01-05T09:00",
            "ends_at": "2026-01-05T17:00",
            "status": "open",
            # who had to attend as it was: an ended training's requirement cannot change
            "scope": training.scope,
            "seats_per_unit": training.seats_per_unit,
            "lecturers-TOTAL_FORMS": 0,
            "lecturers-INITIAL_FORMS": 0,
        },
    )
    assert LOCKED in str(response.context["form"].non_field_errors())
    training.refresh_from_db()
    assert training.title != "改名"


def test_spot_check_writes_are_refused(world):
    inspector, admin = world["personas"]["inspector"], world["personas"]["admin"]
    checks, checklist = world["checks"], world["checklist"]
    entries = entries_for(checklist, {"保密审查制度": {"points": D(1)}})
    refused(
        save_scores,
        checks["in_progress"],
        version=checks["in_progress"].version,
        entries=entries,
        summary="",
        actor=inspector,
    )
    refused(submit_spot_check, checks["in_progress"], actor=inspector)
    refused(confirm_spot_check, checks["submitted"], actor=world["personas"]["leader"])
    refused(unconfirm_spot_check, checks["confirmed"], actor=admin, reason="改")
    refused(draw_round, world["sampling_round"], actor=inspector)
    assert not SpotCheck.objects.filter(round=world["sampling_round"]).exists()


def test_evidence_and_new_checks_are_refused_through_the_pages(
    world, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for("inspector")
    check = world["checks"]["in_progress"]
    response = client.post(
        reverse("assessment:evidence_upload", args=[check.pk]),
        {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")},
        follow=True,
    )
    assert LOCKED in response.content.decode()
    assert not check.evidence.exists()
    response = client.post(
        reverse("assessment:spot_check_create"),
        {
            "unit": world["unit_b"].pk,
            "checklist": world["checklist"].pk,
            "date": f"{THIS_YEAR}-06-01",
            "inspectors": [world["personas"]["inspector"].pk],
        },
    )
    assert LOCKED in str(response.context["form"].errors["date"])


def test_indicators_and_adjustments_are_refused(world):
    leader = world["personas"]["leader"]
    scheme, indicator = world["scheme"], world["indicator"]
    refused(save_indicator_values, scheme, [(indicator, world["unit_a"], D(90), "")], actor=leader)
    refused(
        add_adjustment,
        scheme,
        unit=world["unit_a"],
        kind=Adjustment.Kind.DEDUCTION,
        points=D(1),
        reason="x",
        actor=leader,
    )
    refused(remove_adjustment, world["adjustment"], actor=leader)
    assert Adjustment.objects.count() == 1


def test_scheme_form_is_read_only(world, client_for):
    response = client_for("leader").post(reverse("assessment:scheme"), {"bonus_cap": "9"})
    assert response.status_code == 403


def test_no_new_round_of_a_published_year(world, client_for):
    response = client_for("inspector").post(
        reverse("assessment:round_create"),
        {
            "name": "补充抽查",
            "year": THIS_YEAR,
            "planned_start": f"{THIS_YEAR}-11-02",
            "planned_end": f"{THIS_YEAR}-11-20",
            "categories": [world["unit_a"].category_id],
            "checklist": world["checklist"].pk,
            "exclude_recent_rounds": 0,
            "sample_size": 1,
            "inspectors_per_check": 1,
            "inspector_pool": [world["personas"]["inspector"].pk],
        },
    )
    assert response.status_code == 200
    assert LOCKED in str(response.context["form"].errors["year"])
    assert SamplingRound.objects.count() == 1


def test_rectification_work_on_the_years_checks_goes_on(world):
    """It changes no published result, so raising, answering, returning and verifying go on."""
    inspector, liaison = world["personas"]["inspector"], world["personas"]["liaison_a"]
    rectification = raise_rectification(
        world["checks"]["confirmed"], requirement="补齐台账", working_days=5, actor=inspector
    )
    answer_rectification(rectification, response="已补齐", actor=liaison)
    review_rectification(rectification, accept=False, note="缺少附件", actor=inspector)
    answer_rectification(rectification, response="已补附件", actor=liaison)
    review_rectification(rectification, accept=True, note="", actor=inspector)
    rectification.refresh_from_db()
    assert rectification.status == Rectification.Status.VERIFIED


def test_overdue_proposals_of_a_published_year_cannot_be_decided(world):
    inspector = world["personas"]["inspector"]
    rectification = raise_rectification(
        world["checks"]["confirmed"], requirement="补齐台账", working_days=5, actor=inspector
    )
    Rectification.objects.filter(pk=rectification.pk).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    scheme = world["scheme"]
    refused(accept_proposal, scheme, rectification, points=D(1), actor=inspector)
    refused(dismiss_proposal, scheme, rectification, reason="不扣", actor=inspector)
    assert Adjustment.objects.count() == 1


def test_a_scheme_form_opened_before_publishing_is_refused_by_the_service(world, personas):
    from assessment.forms import IndicatorFormSet, SchemeForm
    from assessment.services.year_end import save_scheme

    scheme = world["scheme"]
    form = SchemeForm({"bonus_cap": "9"}, instance=scheme)
    indicators = IndicatorFormSet(instance=scheme, prefix="indicators")
    refused(save_scheme, form, indicators, actor=personas["leader"])
    scheme.refresh_from_db()
    assert scheme.bonus_cap != D(9)


def test_a_spot_check_planned_on_a_form_checked_before_publishing_is_refused(
    personas, unit_a, checklist, inspector_b
):
    from assessment.forms import SpotCheckForm
    from assessment.services.spot_checks import plan_spot_check

    form = SpotCheckForm(
        {
            "unit": unit_a.pk,
            "checklist": checklist.pk,
            "date": f"{THIS_YEAR}-10-08",
            "inspectors": [inspector_b.pk],
        }
    )
    assert form.is_valid(), form.errors  # the year is still open when the page is checked
    year, _created = Year.objects.get_or_create(year=THIS_YEAR)
    scheme = Scheme.objects.create(year=year)
    publish_year(scheme, actor=personas["leader"], acknowledged=unfinished_work(scheme).signature)
    with pytest.raises(YearLocked):
        plan_spot_check(form, actor=personas["inspector"])
    assert not SpotCheck.objects.exists()
