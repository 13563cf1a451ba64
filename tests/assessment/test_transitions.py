"""State changes lock and re-check: every transition takes the row lock and re-reads the state
inside its transaction, so it acts on what is stored, not on the object the caller read before.

The first tests run everywhere: they hand a service an object read before another transition
(what a concurrent request holds). The races at the end run two threads on PostgreSQL."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from assessment.models import (
    Adjustment,
    DismissedProposal,
    PublishedResult,
    Rectification,
    Scheme,
    SpotCheck,
)
from assessment.services import AssessmentError
from assessment.services.rectifications import (
    answer_rectification,
    raise_rectification,
    review_rectification,
)
from assessment.services.spot_checks import (
    EditConflict,
    add_evidence,
    compute_score,
    confirm_spot_check,
    save_scores,
    submit_spot_check,
    unconfirm_spot_check,
    withdraw_submission,
)
from assessment.services.year_end import (
    accept_proposal,
    add_adjustment,
    dismiss_proposal,
    publish_year,
    reopen_year,
    unfinished_work,
)
from core.models import Year
from tests.assessment.conftest import entries_for, items_by_text, no_faults
from tests.concurrency import exactly_one_wins, postgresql_only, race, refusals

FIRST = {"保密审查制度": {"points": D("8")}, "按期答复": {"points": D("20")}}
SECOND = {"保密审查制度": {"points": D("2")}, "按期答复": {"points": D("10")}}


def stale(obj):
    """A second copy of `obj` as another request read it, before the change under test."""
    return type(obj).objects.get(pk=obj.pk)


def save(check, values, actor, version=None):
    entries = entries_for(check.checklist, {"信息发布及时": no_faults(check.checklist), **values})
    version = check.version if version is None else version
    return save_scores(check, version=version, entries=entries, summary="", actor=actor)


def refused(function, *args, code, **kwargs):
    with pytest.raises(AssessmentError) as raised:
        function(*args, **kwargs)
    assert raised.value.code == code


def stored_points(check):
    item = items_by_text(check.checklist)["保密审查制度"]
    return check.results.get(item=item).points


# --- spot checks --------------------------------------------------------------------------


def test_a_score_save_holding_the_check_from_before_a_submit_is_refused(spot_check, personas):
    inspector = personas["inspector"]
    save(spot_check, FIRST, inspector)
    held = stale(spot_check)  # the scoring page's request read the check here
    submit_spot_check(spot_check, actor=inspector)
    refused(save, held, SECOND, inspector, code="not_editable")
    spot_check.refresh_from_db()
    # the stored percentage and the item results agree: 8 + 10 + 20 = 38 of 40 → 95.00
    assert (stored_points(spot_check), spot_check.percentage) == (D("8.00"), D("95.00"))
    assert compute_score(spot_check).percentage == spot_check.percentage


def test_every_transition_raises_the_version_so_an_old_score_form_conflicts(spot_check, personas):
    inspector = personas["inspector"]
    save(spot_check, FIRST, inspector)
    opened_at = spot_check.version  # a score form opened now
    submit_spot_check(spot_check, actor=inspector)
    withdraw_submission(spot_check, actor=inspector)
    assert spot_check.version == opened_at + 2
    with pytest.raises(EditConflict):
        save(spot_check, SECOND, inspector, version=opened_at)
    assert stored_points(spot_check) == D("8.00")


def test_a_second_confirmation_from_an_old_copy_is_refused(spot_check, personas, confirmer):
    inspector = personas["inspector"]
    save(spot_check, FIRST, inspector)
    submit_spot_check(spot_check, actor=inspector)
    held = stale(spot_check)
    confirm_spot_check(spot_check, actor=confirmer)
    refused(confirm_spot_check, held, actor=personas["admin"], code="bad_status")
    spot_check.refresh_from_db()
    assert spot_check.confirmed_by == confirmer


def test_a_second_reopening_from_an_old_copy_is_refused(spot_check, personas, confirmer):
    inspector, admin = personas["inspector"], personas["admin"]
    save(spot_check, FIRST, inspector)
    submit_spot_check(spot_check, actor=inspector)
    confirm_spot_check(spot_check, actor=confirmer)
    held = stale(spot_check)
    unconfirm_spot_check(spot_check, actor=admin, reason="第 1 项录入错误")
    refused(unconfirm_spot_check, held, actor=admin, reason="再次", code="bad_status")
    assert spot_check.history.filter(history_change_reason="再次").count() == 0


def test_a_submit_from_a_copy_read_before_a_withdrawal_is_refused_once_submitted(
    spot_check, personas
):
    inspector = personas["inspector"]
    save(spot_check, FIRST, inspector)
    held = stale(spot_check)
    submit_spot_check(spot_check, actor=inspector)
    refused(submit_spot_check, held, actor=inspector, code="bad_status")


def test_evidence_from_a_copy_read_before_a_submit_is_refused(
    spot_check, personas, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    inspector = personas["inspector"]
    save(spot_check, FIRST, inspector)
    held = stale(spot_check)
    submit_spot_check(spot_check, actor=inspector)
    upload = SimpleUploadedFile("记录.pdf", b"%PDF-1.4\n%%EOF\n")
    refused(add_evidence, held, upload=upload, item=None, actor=inspector, code="not_editable")
    assert not spot_check.evidence.exists()


# --- rectifications ----------------------------------------------------------------------


@pytest.fixture
def confirmed(spot_check, personas, confirmer):
    save(spot_check, FIRST, personas["inspector"])
    submit_spot_check(spot_check, actor=personas["inspector"])
    confirm_spot_check(spot_check, actor=confirmer)
    return spot_check


def test_raising_from_a_copy_read_before_the_check_was_reopened_is_refused(confirmed, personas):
    held = stale(confirmed)
    unconfirm_spot_check(confirmed, actor=personas["admin"], reason="录入错误")
    refused(
        raise_rectification,
        held,
        requirement="补齐",
        working_days=5,
        actor=personas["inspector"],
        code="not_confirmed",
    )
    assert not Rectification.objects.exists()


@pytest.fixture
def rectification(confirmed, personas):
    return raise_rectification(
        confirmed, requirement="补齐记录", working_days=5, actor=personas["inspector"]
    )


def test_a_second_answer_from_an_old_copy_is_refused(rectification, personas):
    held = stale(rectification)
    answer_rectification(rectification, response="已补齐", actor=personas["liaison_a"])
    refused(
        answer_rectification, held, response="再答", actor=personas["liaison_a"], code="bad_status"
    )
    rectification.refresh_from_db()
    assert rectification.response == "已补齐"


def test_a_return_after_a_verification_from_an_old_copy_is_refused(rectification, personas):
    answer_rectification(rectification, response="已补齐", actor=personas["liaison_a"])
    held = stale(rectification)
    review_rectification(rectification, accept=True, note="", actor=personas["inspector"])
    admin = personas["admin"]
    refused(review_rectification, held, accept=False, note="不全", actor=admin, code="bad_status")
    rectification.refresh_from_db()
    assert rectification.status == Rectification.Status.VERIFIED


# --- proposals ---------------------------------------------------------------------------


@pytest.fixture
def proposal(rectification):
    Rectification.objects.filter(pk=rectification.pk).update(
        deadline=timezone.localdate() - timedelta(days=3)
    )
    year, _created = Year.objects.get_or_create(year=rectification.spot_check.date.year)
    return Scheme.objects.create(year=year), stale(rectification)


def test_a_proposal_accepted_twice_is_refused_the_second_time(proposal, personas, inspector_b):
    scheme, rectification = proposal
    accept_proposal(scheme, rectification, points=D(1), actor=personas["inspector"])
    refused(accept_proposal, scheme, rectification, points=D(2), actor=inspector_b, code="decided")
    assert list(Adjustment.objects.values_list("points", flat=True)) == [D("1.00")]


def test_a_proposal_accepted_cannot_also_be_dismissed(proposal, personas, inspector_b):
    scheme, rectification = proposal
    accept_proposal(scheme, rectification, points=D(1), actor=personas["inspector"])
    refused(
        dismiss_proposal, scheme, rectification, reason="不扣", actor=inspector_b, code="decided"
    )
    assert not DismissedProposal.objects.exists()


def test_the_adjustments_page_refuses_a_decided_proposal_with_a_message(
    proposal, personas, client_for
):
    from django.urls import reverse

    scheme, rectification = proposal
    accept_proposal(scheme, rectification, points=D(1), actor=personas["inspector"])
    url = reverse("assessment:proposal_decide", args=[rectification.pk, "accept"])
    assert client_for("leader").post(url, {"points": "1"}).status_code == 404
    assert Adjustment.objects.count() == 1


# --- races on PostgreSQL ---------------------------------------------------------------------


def fresh(obj):
    return lambda: type(obj).objects.get(pk=obj.pk)


@pytest.mark.parametrize("attempt", range(3))
@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_race_score_save_against_submit(spot_check, personas, inspector_b, attempt):
    inspector = personas["inspector"]
    save(spot_check, FIRST, inspector)
    version = spot_check.version
    outcomes = race(
        lambda: save(fresh(spot_check)(), SECOND, inspector_b, version=version),
        lambda: submit_spot_check(fresh(spot_check)(), actor=inspector),
    )
    refusals(outcomes)
    spot_check.refresh_from_db()
    assert spot_check.status == SpotCheck.Status.SUBMITTED
    # whatever the order, the stored percentage is what the stored item results give
    assert spot_check.percentage == compute_score(spot_check).percentage


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_race_two_confirmations(spot_check, personas, inspector_b):
    save(spot_check, FIRST, personas["inspector"])
    submit_spot_check(spot_check, actor=personas["inspector"])
    outcomes = race(
        lambda: confirm_spot_check(fresh(spot_check)(), actor=personas["leader"]),
        lambda: confirm_spot_check(fresh(spot_check)(), actor=personas["admin"]),
    )
    exactly_one_wins(outcomes, "bad_status")
    assert spot_check.history.filter(status=SpotCheck.Status.CONFIRMED).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_race_confirm_against_withdraw(spot_check, personas):
    inspector = personas["inspector"]
    save(spot_check, FIRST, inspector)
    submit_spot_check(spot_check, actor=inspector)
    outcomes = race(
        lambda: confirm_spot_check(fresh(spot_check)(), actor=personas["leader"]),
        lambda: withdraw_submission(fresh(spot_check)(), actor=inspector),
    )
    exactly_one_wins(outcomes, "bad_status")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_race_two_reopenings(confirmed, personas):
    admin = personas["admin"]
    outcomes = race(
        lambda: unconfirm_spot_check(fresh(confirmed)(), actor=admin, reason="一"),
        lambda: unconfirm_spot_check(fresh(confirmed)(), actor=admin, reason="二"),
    )
    exactly_one_wins(outcomes, "bad_status")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_race_raise_against_reopen(confirmed, personas):
    outcomes = race(
        lambda: raise_rectification(
            fresh(confirmed)(), requirement="补齐", working_days=5, actor=personas["inspector"]
        ),
        lambda: unconfirm_spot_check(fresh(confirmed)(), actor=personas["admin"], reason="错"),
    )
    refusals(outcomes)
    reopened = confirmed.history.filter(history_change_reason="错").get()
    # a rectification exists only if it was raised while the check was still confirmed
    for raised in Rectification.objects.all():
        assert raised.created_at <= reopened.history_date


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_race_two_answers(rectification, personas):
    liaison = personas["liaison_a"]
    outcomes = race(
        lambda: answer_rectification(fresh(rectification)(), response="一", actor=liaison),
        lambda: answer_rectification(fresh(rectification)(), response="二", actor=liaison),
    )
    exactly_one_wins(outcomes, "bad_status")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_race_verify_against_return(rectification, personas):
    answer_rectification(rectification, response="已补齐", actor=personas["liaison_a"])
    outcomes = race(
        lambda: review_rectification(
            fresh(rectification)(), accept=True, note="", actor=personas["inspector"]
        ),
        lambda: review_rectification(
            fresh(rectification)(), accept=False, note="不全", actor=personas["admin"]
        ),
    )
    exactly_one_wins(outcomes, "bad_status")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_race_two_accepts_of_one_proposal(proposal, personas, inspector_b):
    scheme, rectification = proposal
    outcomes = race(
        lambda: accept_proposal(scheme, rectification, points=D(1), actor=personas["inspector"]),
        lambda: accept_proposal(scheme, rectification, points=D(2), actor=inspector_b),
    )
    exactly_one_wins(outcomes, "decided")
    assert Adjustment.objects.count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_race_accept_against_dismiss(proposal, personas, inspector_b):
    scheme, rectification = proposal
    outcomes = race(
        lambda: accept_proposal(scheme, rectification, points=D(1), actor=personas["inspector"]),
        lambda: dismiss_proposal(scheme, rectification, reason="情有可原", actor=inspector_b),
    )
    exactly_one_wins(outcomes, "decided")
    assert Adjustment.objects.count() + DismissedProposal.objects.count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_race_publish_against_an_adjustment(personas, unit_a, unit_b):
    year, _created = Year.objects.get_or_create(year=timezone.localdate().year)
    scheme = Scheme.objects.create(year=year)
    seen = unfinished_work(scheme).signature  # the units without any component
    outcomes = race(
        lambda: publish_year(
            Scheme.objects.get(pk=scheme.pk), actor=personas["leader"], acknowledged=seen
        ),
        lambda: add_adjustment(
            Scheme.objects.get(pk=scheme.pk),
            unit=unit_a,
            kind=Adjustment.Kind.VETO,
            points=0,
            reason="泄密",
            actor=personas["inspector"],
        ),
    )
    for error in refusals(outcomes):
        assert error.code == "year_locked"
    published = PublishedResult.objects.get(scheme=scheme, unit=unit_a)
    # the published record agrees with the stored inputs: vetoed exactly when the veto is stored
    assert published.vetoed == Adjustment.objects.filter(unit=unit_a).exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_race_two_reopenings_of_a_year(personas, unit_a):
    year, _created = Year.objects.get_or_create(year=timezone.localdate().year)
    scheme = Scheme.objects.create(year=year)
    publish_year(scheme, actor=personas["leader"], acknowledged=unfinished_work(scheme).signature)
    outcomes = race(
        lambda: reopen_year(Scheme.objects.get(pk=scheme.pk), actor=personas["admin"], reason="一"),
        lambda: reopen_year(Scheme.objects.get(pk=scheme.pk), actor=personas["admin"], reason="二"),
    )
    exactly_one_wins(outcomes, "not_published")
