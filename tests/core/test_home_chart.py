"""The home page's distribution of final scores: a vetoed unit counts as 一票否决, in no band."""

from decimal import Decimal as D

from django.utils import translation

from config.views import _distribution_chart


def bar_titles(chart):
    return [part.split("</title>")[0] for part in str(chart["bars"]).split("<title>")[1:]]


def test_a_vetoed_unit_is_counted_apart_from_the_score_bands():
    rows = [
        {"final": D("95.00"), "vetoed": False},
        {"final": D("94.36"), "vetoed": True},  # computed in the top band, but vetoed
        {"final": D("55.00"), "vetoed": False},
    ]
    with translation.override("zh-hans"):
        titles = bar_titles(_distribution_chart(rows))
    assert titles == [
        "90–100: 1",
        "80–89: 0",
        "70–79: 0",
        "60–69: 0",
        "&lt; 60: 1",
        "一票否决: 1",
    ]


def test_without_a_veto_there_is_no_veto_bar():
    rows = [{"final": D("91.00"), "vetoed": False}]
    with translation.override("zh-hans"):
        titles = bar_titles(_distribution_chart(rows))
    assert titles[0] == "90–100: 1"
    assert not any("一票否决" in title for title in titles)
