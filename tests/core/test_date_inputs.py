"""Dates are typed as Chinese offices write them, whatever the browser's language."""

from datetime import date, datetime

import pytest
from django.utils import translation

from core.forms import ChineseDateField, ChineseDateTimeField


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("text", ["2026-11-27", "2026/11/27", "2026.11.27", "2026年11月27日"])
def test_a_date_is_read_in_every_chinese_way_of_writing_it(language, text):
    with translation.override(language):
        assert ChineseDateField().clean(text) == date(2026, 11, 27)


@pytest.mark.parametrize(
    "text", ["2026-11-27 09:30", "2026-11-27T09:30", "2026/11/27 09:30", "2026年11月27日09:30"]
)
def test_a_date_and_time_is_read_in_the_same_ways(text):
    value = ChineseDateTimeField().clean(text)
    assert (value.date(), value.hour, value.minute) == (date(2026, 11, 27), 9, 30)


def test_a_wrong_date_is_refused_in_chinese():
    with translation.override("zh-hans"), pytest.raises(Exception) as refused:
        ChineseDateField().clean("11/27/2026")
    assert "日期" in str(refused.value)


def test_the_box_shows_the_date_as_year_month_day_and_is_a_text_box():
    html = ChineseDateTimeField().widget.render("starts_at", datetime(2026, 11, 27, 9, 0))
    assert 'type="text"' in html and 'value="2026-11-27 09:00"' in html


def test_a_date_box_shows_the_format_not_a_date_that_reads_as_today():
    """The placeholder was an example date, 2026-11-27: a tester took it for the server's
    (wrong) idea of today."""
    from django.utils import translation

    from core.widgets import ChineseDateInput, ChineseDateTimeInput

    with translation.override("zh-hans"):
        assert 'placeholder="年-月-日"' in ChineseDateInput().render("day", None)
        assert 'placeholder="年-月-日 时：分"' in ChineseDateTimeInput().render("at", None)
    with translation.override("en"):
        assert 'placeholder="YYYY-MM-DD"' in ChineseDateInput().render("day", None)
