"""撤回提交: the scorer of a submitted check sees the button and it works; the confirmer, who may
not withdraw (only confirm), does not see it."""

from django.urls import reverse

from assessment.models import SpotCheck
from assessment.services.spot_checks import save_scores, submit_spot_check
from tests.assessment.conftest import entries_for, no_faults

WITHDRAW = "撤回提交"


def submitted(spot_check, inspector):
    entries = entries_for(
        spot_check.checklist,
        {
            "保密审查制度": {"points": 10},
            "信息发布及时": no_faults(spot_check.checklist),
            "按期答复": {"points": 20},
        },
    )
    save_scores(spot_check, version=0, entries=entries, summary="", actor=inspector)
    submit_spot_check(spot_check, actor=inspector)
    return spot_check


def test_the_scorer_withdraws_a_submission_with_the_button(spot_check, personas, client_for):
    submitted(spot_check, personas["inspector"])
    client = client_for("inspector")
    page = client.get(spot_check.get_absolute_url()).content.decode()
    assert WITHDRAW in page
    withdraw = reverse("assessment:spot_check_transition", args=[spot_check.pk, "withdraw"])
    assert f'action="{withdraw}"' in page
    client.post(withdraw)
    spot_check.refresh_from_db()
    assert spot_check.status == SpotCheck.Status.IN_PROGRESS


def test_the_confirmer_sees_confirm_but_no_withdraw(spot_check, personas, confirmer, client):
    submitted(spot_check, personas["inspector"])
    client.force_login(confirmer)
    page = client.get(spot_check.get_absolute_url()).content.decode()
    assert "确认" in page
    assert WITHDRAW not in page


def test_a_check_in_progress_has_no_withdraw_button(spot_check, personas, client_for):
    page = client_for("inspector").get(spot_check.get_absolute_url()).content.decode()
    assert WITHDRAW not in page
