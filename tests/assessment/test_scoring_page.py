"""The scoring page: deduction items say what each occurrence costs, a blank deduction item is
unscored on the page as on the server, and the saved state is shown apart from the live total."""

import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from assessment.models import OccurrenceCount
from assessment.services.spot_checks import compute_score
from tests.assessment.conftest import items_by_text


@pytest.fixture
def page_of(spot_check, client_for):
    client = client_for("inspector")
    url = reverse("assessment:spot_check_score", args=[spot_check.pk])
    return client, url, items_by_text(spot_check.checklist)


def test_deduction_fields_say_what_each_occurrence_costs(page_of):
    client, url, _items = page_of
    body = client.get(url).content.decode()
    assert "每处扣 2 分" in body  # 发布不及时, 2.00 per occurrence, shown without trailing zeros
    # the note shown as soon as a 10-point item is typed over its maximum
    assert 'data-range-message="请填写 0 至 10 分。"' in body


def test_a_blank_deduction_item_is_saved_as_unscored_and_an_entered_zero_as_its_maximum(
    page_of, spot_check
):
    client, url, items = page_of
    direct, ruled, answered = items["保密审查制度"], items["信息发布及时"], items["按期答复"]
    rule = ruled.rules.get()
    count_field = f"count_{ruled.pk}_{rule.pk}"
    version = client.get(url).context["form"].initial["version"]
    posted = {"version": version, f"points_{direct.pk}": "8", f"points_{answered.pk}": "20"}
    assert client.post(url, {**posted, count_field: ""}).status_code == 302
    saved = compute_score(spot_check)
    # 8 + 20 of 10 + 10 + 20: the blank rule item earns nothing and is unscored → 70.00
    assert (saved.unscored, saved.earned, saved.percentage) == (1, D("28"), D("70.00"))
    page = client.get(url)
    assert page.context["score"].unscored == 1
    assert "已保存：应得 40.00 分，实得 28.00 分" in page.content.decode()
    assert not OccurrenceCount.objects.exists()

    posted["version"] = page.context["form"].initial["version"]
    assert client.post(url, {**posted, count_field: "0"}).status_code == 302
    assert OccurrenceCount.objects.get().count == 0
    page = client.get(url)
    # 8 + 10 + 20 = 38 of 40 → 95.00, nothing left unscored; the entered 0 is shown again
    assert (page.context["score"].unscored, page.context["score"].percentage) == (0, D("95.00"))
    assert page.context["form"].initial[count_field] == 0
    assert "保存于" in page.content.decode()


def test_a_page_sent_back_with_errors_is_marked_unsaved(page_of):
    client, url, items = page_of
    version = client.get(url).context["form"].initial["version"]
    response = client.post(url, {"version": version, f"points_{items['保密审查制度'].pk}": "11"})
    assert response.status_code == 200
    assert "data-unsaved" in response.content.decode()
    assert "data-unsaved" not in client.get(url).content.decode()


def test_another_units_liaison_cannot_open_the_scoring_page(spot_check, client_for):
    url = reverse("assessment:spot_check_score", args=[spot_check.pk])
    assert client_for("liaison_b").get(url).status_code == 403


@pytest.mark.parametrize("huge", ["1e30", "1e999", "100000000000000000000000000000"])
def test_points_too_large_to_divide_are_out_of_range_at_their_field(page_of, huge):
    """1e30 % 0.5 needs more digits than Decimal holds: it was a 500."""
    client, url, items = page_of
    version = client.get(url).context["form"].initial["version"]
    field = f"points_{items['保密审查制度'].pk}"
    response = client.post(url, {"version": version, field: huge})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == ["请填写 0 至 10 分。"]


def test_the_items_still_without_a_score_are_marked_on_the_form(page_of):
    """Trial 7: '10 items have no score yet' on a 4,000-pixel page said not which."""
    client, url, items = page_of
    marked = re.findall(r"<tr [^>]*data-unscored", client.get(url).content.decode())
    assert len(marked) == 3  # the veto item has no points to give
    direct = items["保密审查制度"]
    version = client.get(url).context["form"].initial["version"]
    client.post(url, {"version": version, f"points_{direct.pk}": "8"})
    body = client.get(url).content.decode()
    assert len(re.findall(r"<tr [^>]*data-unscored", body)) == 2
    assert body.count('text-bg-warning">未评分</span>') == 2
