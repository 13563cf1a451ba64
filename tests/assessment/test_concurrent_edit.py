"""Two inspectors edit the same check: the later save is refused, shown, and nothing is lost."""

from django.test import Client
from django.urls import reverse

from assessment.models import ItemResult
from tests.assessment.conftest import items_by_text


def form_data(page_context, checklist, points, finding):
    item = items_by_text(checklist)["保密审查制度"]
    return {
        "version": page_context["form"].initial["version"],
        f"points_{item.pk}": points,
        f"finding_{item.pk}": finding,
        "summary": "",
    }


def test_later_save_is_refused_with_the_changes_and_can_then_overwrite(
    spot_check, personas, inspector_b, checklist
):
    url = reverse("assessment:spot_check_score", args=[spot_check.pk])
    first, second = Client(), Client()
    first.force_login(personas["inspector"])
    second.force_login(inspector_b)
    first_page = first.get(url).context
    second_page = second.get(url).context

    assert first.post(url, form_data(first_page, checklist, "8", "制度齐全")).status_code == 302
    response = second.post(url, form_data(second_page, checklist, "6", "缺少审查记录"))

    assert response.status_code == 200
    conflict = response.context["conflict"]
    assert [change["item"] for change in conflict.changes] == ["保密审查制度"]
    assert conflict.changes[0]["theirs"]["finding"] == "制度齐全"
    item = items_by_text(checklist)["保密审查制度"]
    stored = ItemResult.objects.get(spot_check=spot_check, item=item)
    assert (str(stored.points), stored.finding) == ("8.00", "制度齐全")  # first save kept
    # the second inspector's entries are still in the form, ready to save deliberately
    assert response.context["form"][f"finding_{item.pk}"].value() == "缺少审查记录"

    again = second.post(url, response.context["form"].data)
    assert again.status_code == 302
    stored.refresh_from_db()
    assert (str(stored.points), stored.finding) == ("6.00", "缺少审查记录")


def test_the_conflict_names_who_saved_and_the_counted_faults(
    spot_check, personas, inspector_b, checklist
):
    url = reverse("assessment:spot_check_score", args=[spot_check.pk])
    first, second = Client(), Client()
    first.force_login(personas["inspector"])
    second.force_login(inspector_b)
    first_page, second_page = first.get(url).context, second.get(url).context
    item = items_by_text(checklist)["信息发布及时"]
    rule = item.rules.get()
    posted = {**form_data(first_page, checklist, "8", ""), f"count_{item.pk}_{rule.pk}": "6"}
    assert first.post(url, posted).status_code == 302

    response = second.post(url, form_data(second_page, checklist, "6", ""))
    page = response.content.decode()
    saver = personas["inspector"].get_full_name() or personas["inspector"].username
    assert f"{saver}在您编辑期间保存了本次检查" in page
    assert f"{rule.fault}×6" in page  # the fault counted, by its name

    # the same inspector in a second tab: told it was their own other window
    stale_tab = first.get(url).context
    fresh = first.get(url).context
    assert first.post(url, form_data(fresh, checklist, "7", "")).status_code == 302
    response = first.post(url, form_data(stale_tab, checklist, "5", ""))
    assert "您在另一个窗口或标签页中保存了本次检查" in response.content.decode()


def test_saving_after_a_conflict_keeps_what_the_other_entered_in_items_left_alone(
    spot_check, personas, inspector_b, checklist
):
    """A tester's scenario: 丙 counts a fault in one item and saves; 甲, whose page was open,
    changes another item and saves, is told of 丙's save, and saves again as told. 丙's count
    and finding must still be there: the form had put 甲's stale copy of that item back."""
    url = reverse("assessment:spot_check_score", args=[spot_check.pk])
    first, second = Client(), Client()
    first.force_login(personas["inspector"])
    second.force_login(inspector_b)
    first_page, second_page = first.get(url).context, second.get(url).context
    counted = items_by_text(checklist)["信息发布及时"]
    rule = counted.rules.get()
    theirs = {
        **form_data(second_page, checklist, "", ""),
        f"count_{counted.pk}_{rule.pk}": "2",
        f"finding_{counted.pk}": "丙：发现错别字2处",
    }
    assert second.post(url, theirs).status_code == 302

    mine = form_data(first_page, checklist, "6", "甲：制度不完整")
    response = first.post(url, mine)
    assert response.context["conflict"] is not None
    form = response.context["form"]
    assert form[f"count_{counted.pk}_{rule.pk}"].value() == "2"  # the other's, not blank
    assert form[f"finding_{counted.pk}"].value() == "丙：发现错别字2处"
    assert first.post(url, form.data).status_code == 302
    stored = {
        result.item_id: result
        for result in ItemResult.objects.filter(spot_check=spot_check).prefetch_related("counts")
    }
    assert stored[counted.pk].finding == "丙：发现错别字2处"
    assert [c.count for c in stored[counted.pk].counts.all()] == [2]
    protected = items_by_text(checklist)["保密审查制度"]
    assert (str(stored[protected.pk].points), stored[protected.pk].finding) == (
        "6.00",
        "甲：制度不完整",
    )
