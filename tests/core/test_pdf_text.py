"""The typesetting rules core.pdf applies to Chinese text, and the one date format setting."""

from datetime import date, datetime

from django.utils import translation
from django.utils.formats import date_format

from core.pdf import NO_LINE_END, NO_LINE_START, break_lines, font


def test_no_line_starts_with_closing_punctuation_nor_ends_with_opening():
    text = "培训班共举办八次；参训人员三百一十二人次（含补训），覆盖率百分之百。" * 6
    name = font("body")
    for width in range(60, 400, 7):  # every break position the text can meet
        lines = break_lines(text, name, 10.5, width)
        assert "".join(lines) == text
        for line in lines[1:]:
            assert line[0] not in NO_LINE_START, (width, line)
        for line in lines[:-1]:
            assert line[-1] not in NO_LINE_END, (width, line)


def test_latin_words_are_not_split():
    lines = break_lines("检查表 version 12 of checklist", font("body"), 10.5, 60)
    assert "version" in " ".join(lines).split()
    assert all(line == line.strip() for line in lines)


def test_dates_read_chinese_in_chinese_and_iso_in_english():
    day, moment = date(2026, 11, 27), datetime(2026, 11, 27, 20, 33)
    with translation.override("zh-hans"):
        assert date_format(day) == "2026年11月27日"
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "11月27日 20:33"
    with translation.override("en"):
        assert date_format(day) == "2026-11-27"
        assert date_format(moment, "DATETIME_FORMAT") == "2026-11-27 20:33"
