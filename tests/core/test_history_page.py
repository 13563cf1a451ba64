"""The history page speaks the user's language: fields by their verbose names, people by their
display names and records by their own names, never raw field names or ids."""

from decimal import Decimal as D

from django.urls import reverse
from django.utils import timezone

from assessment.models import Indicator, IndicatorValue, Scheme
from assessment.services.year_end import save_indicator_values
from core.models import Year
from tests.assessment.conftest import checklist, inspector_b, spot_check  # noqa: F401


def test_a_changed_indicator_value_shows_who_entered_it_by_name(client_for, personas, unit_a):
    leader, admin = personas["leader"], personas["admin"]
    leader.first_name, admin.first_name = "王领导", "李管理"
    leader.save()
    admin.save()
    year, _created = Year.objects.get_or_create(year=timezone.localdate().year)
    scheme = Scheme.objects.create(year=year)
    indicator = Indicator.objects.create(scheme=scheme, name="及时率", weight=D(10))
    save_indicator_values(scheme, [(indicator, unit_a, D("90.00"), "")], actor=leader)
    save_indicator_values(scheme, [(indicator, unit_a, D("95.00"), "平台")], actor=admin)
    value = IndicatorValue.objects.get()

    response = client_for("leader").get(reverse("history", args=["indicator-value", value.pk]))
    changes = [
        (change["field"], change["old"], change["new"])
        for entry in response.context["entries"]
        for change in entry["changes"]
        if entry["record"].history_type == "~"
    ]
    assert sorted((str(field), str(old), str(new)) for field, old, new in changes) == [
        ("录入人", "王领导", "李管理"),
        ("数值", "90.00", "95.00"),
        ("来源", "—", "平台"),
    ]
    page = response.content.decode()
    assert "录入人：王领导 → 李管理" in page
    assert "entered_by" not in page and "entered by" not in page


def test_a_created_record_shows_what_it_was_created_with_and_the_title_reads_as_now(
    client_for, personas, unit_a
):
    """A check's history opened with 25 rows of 新建 and nothing in them; an indicator value's
    title showed its first value beside the changes to the latest."""
    leader = personas["leader"]
    year, _created = Year.objects.get_or_create(year=timezone.localdate().year)
    scheme = Scheme.objects.create(year=year)
    indicator = Indicator.objects.create(scheme=scheme, name="及时率", weight=D(10))
    save_indicator_values(scheme, [(indicator, unit_a, D("90.00"), "平台")], actor=leader)
    save_indicator_values(scheme, [(indicator, unit_a, D("92.25"), "平台")], actor=leader)
    value = IndicatorValue.objects.get()

    response = client_for("leader").get(reverse("history", args=["indicator-value", value.pk]))
    created = response.context["entries"][0]
    shown = {str(change["field"]): str(change["new"]) for change in created["changes"]}
    assert shown["数值"] == "90.00" and shown["来源"] == "平台" and shown["单位"] == "甲街道"
    assert response.context["title"] == str(value)  # 92.25, as it reads now
    assert "数值：90.00</div>" in response.content.decode()


def test_a_created_check_shows_flags_as_words_and_an_entered_zero(client_for, spot_check, personas):  # noqa: F811
    """Created rows read '被否决：False': a flag left off is not listed, one set reads 是, and an
    entered count of 0 is shown."""
    from assessment.models import OccurrenceCount
    from assessment.services.spot_checks import save_scores
    from tests.assessment.conftest import entries_for, no_faults

    items = spot_check.checklist
    entries = entries_for(items, {"信息发布及时": no_faults(items)})
    save_scores(spot_check, version=0, entries=entries, summary="", actor=personas["inspector"])
    assert OccurrenceCount.objects.get().count == 0
    page = client_for("leader").get(reverse("history", args=["spot-check", spot_check.pk]))
    text = page.content.decode()
    assert "False" not in text and "True" not in text
    assert "次数：0</div>" in text
