"""Separation of duties and recusal on every action (DESIGN.md): an inspector bound to a unit
never acts on that unit's checks, rectifications or proposals, and a check is confirmed by
someone other than the people who scored it. Services refuse; pages offer nothing."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessment.models import Adjustment, Rectification, Scheme, SpotCheck
from assessment.services import AssessmentError
from assessment.services.rectifications import (
    answer_rectification,
    raise_rectification,
    review_rectification,
)
from assessment.services.spot_checks import (
    confirm_spot_check,
    save_scores,
    submit_spot_check,
)
from assessment.services.year_end import accept_proposal, add_adjustment, dismiss_proposal
from core.models import Year
from tests.assessment.conftest import entries_for, no_faults
from tests.conftest import make_user
from units.roles import Role

SCORES = {"保密审查制度": {"points": D("8")}, "按期答复": {"points": D("20")}}


@pytest.fixture
def insider(unit_a):
    """An inspector who works in unit A (e.g. seconded from it)."""
    return make_user("insider", role=Role.INSPECTOR, unit=unit_a, first_name="甲街道检查员")


def scored(spot_check, actor):
    entries = entries_for(
        spot_check.checklist, {**SCORES, "信息发布及时": no_faults(spot_check.checklist)}
    )
    save_scores(spot_check, version=spot_check.version, entries=entries, summary="", actor=actor)
    return spot_check


def submitted(spot_check, actor):
    submit_spot_check(scored(spot_check, actor), actor=actor)
    return spot_check


def refused(function, *args, code="forbidden", **kwargs):
    with pytest.raises(AssessmentError) as raised:
        function(*args, **kwargs)
    assert raised.value.code == code


def test_the_inspector_who_scored_a_check_cannot_confirm_it_alone(spot_check, personas):
    inspector = personas["inspector"]
    submitted(spot_check, inspector)
    refused(confirm_spot_check, spot_check, actor=inspector)
    spot_check.refresh_from_db()
    assert spot_check.status == SpotCheck.Status.SUBMITTED


def test_an_admin_who_saved_scores_cannot_confirm_them(spot_check, personas):
    admin = personas["admin"]
    scored(spot_check, admin)
    submit_spot_check(spot_check, actor=personas["inspector"])
    refused(confirm_spot_check, spot_check, actor=admin)


@pytest.mark.parametrize("confirmer", ["leader", "other_inspector"])
def test_a_leader_or_another_inspector_confirms(spot_check, personas, confirmer):
    submitted(spot_check, personas["inspector"])
    actor = personas.get(confirmer) or make_user(confirmer, role=Role.INSPECTOR)
    confirm_spot_check(spot_check, actor=actor)
    spot_check.refresh_from_db()
    assert (spot_check.status, spot_check.confirmed_by) == (SpotCheck.Status.CONFIRMED, actor)


def test_an_inspector_of_the_checked_unit_cannot_confirm_it(spot_check, personas, insider):
    submitted(spot_check, personas["inspector"])
    refused(confirm_spot_check, spot_check, actor=insider)


def test_an_insider_assigned_behind_the_forms_back_cannot_score(spot_check, insider):
    spot_check.inspectors.add(insider)  # e.g. through the Django admin
    refused(scored, spot_check, insider)


def test_the_scorer_is_not_offered_confirmation_and_a_post_changes_nothing(
    spot_check, personas, client_for
):
    submitted(spot_check, personas["inspector"])
    client = client_for("inspector")
    page = client.get(spot_check.get_absolute_url())
    assert page.context["can_confirm"] is False
    url = reverse("assessment:spot_check_transition", args=[spot_check.pk, "confirm"])
    client.post(url)
    spot_check.refresh_from_db()
    assert spot_check.status == SpotCheck.Status.SUBMITTED


def test_a_leader_confirms_through_the_page(spot_check, personas, client_for):
    submitted(spot_check, personas["inspector"])
    client = client_for("leader")
    assert client.get(spot_check.get_absolute_url()).context["can_confirm"] is True
    url = reverse("assessment:spot_check_transition", args=[spot_check.pk, "confirm"])
    assert client.post(url).status_code == 302
    spot_check.refresh_from_db()
    assert spot_check.status == SpotCheck.Status.CONFIRMED


@pytest.fixture
def confirmed(spot_check, personas, confirmer):
    submitted(spot_check, personas["inspector"])
    confirm_spot_check(spot_check, actor=confirmer)
    return spot_check


def test_an_insider_cannot_raise_a_rectification_of_its_unit(confirmed, insider, client):
    refused(raise_rectification, confirmed, requirement="补齐", working_days=5, actor=insider)
    assert not Rectification.objects.exists()
    client.force_login(insider)
    url = reverse("assessment:rectification_create", args=[confirmed.pk])
    assert client.get(url).status_code == 403


@pytest.fixture
def answered(confirmed, personas):
    rectification = raise_rectification(
        confirmed, requirement="补齐记录", working_days=5, actor=personas["inspector"]
    )
    answer_rectification(rectification, response="已补齐", actor=personas["liaison_a"])
    return rectification


def test_an_insider_cannot_verify_its_units_answer(answered, insider, personas, client):
    refused(review_rectification, answered, accept=True, note="", actor=insider)
    answered.refresh_from_db()
    assert answered.status == Rectification.Status.ANSWERED
    client.force_login(insider)
    page = client.get(answered.get_absolute_url())
    assert page.context["review_form"] is None
    review_rectification(answered, accept=True, note="", actor=personas["inspector"])
    assert answered.status == Rectification.Status.VERIFIED


@pytest.fixture
def proposal(answered):
    """The rectification turned overdue before being verified: a proposed deduction."""
    Rectification.objects.filter(pk=answered.pk).update(
        deadline=timezone.localdate() - timedelta(days=3), status=Rectification.Status.RETURNED
    )
    answered.refresh_from_db()
    year, _created = Year.objects.get_or_create(year=answered.spot_check.date.year)
    return Scheme.objects.create(year=year), answered


def test_an_insider_cannot_decide_a_proposal_about_its_unit(proposal, insider):
    scheme, rectification = proposal
    refused(accept_proposal, scheme, rectification, points=D(1), actor=insider, code="recused")
    refused(dismiss_proposal, scheme, rectification, reason="x", actor=insider, code="recused")
    assert not Adjustment.objects.exists()


def test_an_insider_cannot_adjust_its_units_score(proposal, insider, unit_a, unit_b):
    scheme, _rectification = proposal
    refused(
        add_adjustment,
        scheme,
        unit=unit_a,
        kind=Adjustment.Kind.BONUS,
        points=D(1),
        reason="推广",
        actor=insider,
        code="recused",
    )
    # another unit's adjustment is the insider's to enter
    add_adjustment(
        scheme, unit=unit_b, kind=Adjustment.Kind.BONUS, points=D(1), reason="推广", actor=insider
    )
    assert list(Adjustment.objects.values_list("unit", flat=True)) == [unit_b.pk]


def test_an_insider_cannot_plan_a_check_of_its_unit(
    insider, personas, unit_a, unit_b, checklist, client
):
    """A tester's inspector2 planned a check of his own office and chose who inspects it."""
    client.force_login(insider)
    fields = {
        "checklist": checklist.pk,
        "date": timezone.localdate().isoformat(),
        "inspectors": [personas["inspector"].pk],
    }
    response = client.post(reverse("assessment:spot_check_create"), {**fields, "unit": unit_a.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["unit"] == [
        "您在甲街道工作，不能为本单位安排或指派检查。"
    ]
    assert not SpotCheck.objects.exists()
    response = client.post(reverse("assessment:spot_check_create"), {**fields, "unit": unit_b.pk})
    assert response.status_code == 302
    assert SpotCheck.objects.get().unit == unit_b


def test_the_planning_service_refuses_an_insider_whatever_form_it_gets(
    insider, personas, unit_a, checklist
):
    from assessment.forms import SpotCheckForm
    from assessment.services.spot_checks import plan_spot_check

    form = SpotCheckForm(
        {
            "unit": unit_a.pk,
            "checklist": checklist.pk,
            "date": timezone.localdate().isoformat(),
            "inspectors": [personas["inspector"].pk],
        }
    )
    assert form.is_valid(), form.errors
    refused(plan_spot_check, form, actor=insider, code="recused")
    assert not SpotCheck.objects.exists()


def test_an_insider_cannot_enter_its_units_indicator_values(insider, unit_a, unit_b, client):
    """A tester's inspector2 gave his own office 100.00 through the grid and the import."""
    from assessment.models import Indicator, IndicatorValue
    from assessment.services.year_end import save_indicator_values

    scheme = Scheme.objects.create(year=Year.objects.get_or_create(year=2026)[0])
    indicator = Indicator.objects.create(scheme=scheme, name="信息公开及时率", weight=D(30))
    refused(
        save_indicator_values,
        scheme,
        [(indicator, unit_a, D("100"), "")],
        actor=insider,
        code="recused",
    )
    client.force_login(insider)
    page = client.get(reverse("assessment:indicators")).content.decode()
    assert f'name="value_{indicator.pk}_{unit_a.pk}" value="" ' in page
    assert "您的单位：由他人录入" in page
    client.post(
        reverse("assessment:indicators"),
        {f"value_{indicator.pk}_{unit_a.pk}": "100", f"value_{indicator.pk}_{unit_b.pk}": "80"},
    )
    assert not IndicatorValue.objects.exists()
    client.post(reverse("assessment:indicators"), {f"value_{indicator.pk}_{unit_b.pk}": "80"})
    assert list(IndicatorValue.objects.values_list("unit", "value")) == [(unit_b.pk, D("80"))]
    text = "单位,信息公开及时率\n甲街道,100\n乙局,90\n"
    client.post(
        reverse("assessment:indicator_import"),
        {"file": SimpleUploadedFile("指标.csv", text.encode())},
    )
    preview = client.get(reverse("assessment:indicator_import_preview")).context["preview"]
    assert [row.errors for row in preview.rows] == [
        ["您在甲街道工作，不能录入本单位的指标值。"],
        [],
    ]
