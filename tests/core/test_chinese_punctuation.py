"""Chinese text uses full-width punctuation: no half-width , ( ) : next to a Chinese character
in any template's text or any translation (GB/T 15834)."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

CJK = r"[\u3400-\u9fff]"
HALF_WIDTH = r"[,():]"
MIXED = re.compile(rf"{CJK} ?{HALF_WIDTH}|{HALF_WIDTH} ?{CJK}")
# In the Chinese UI a translated string is Chinese: it stands in as one Chinese character, so
# "({% translate … %})" is caught. Its own text is checked in the catalogue, below.
TRANSLATED = re.compile(
    r"{% blocktranslate.*?{% endblocktranslate %}|{% translate .*?%}|{{ *_\(.*?}}", re.DOTALL
)
# what is not text: template tags and variables, HTML tags, comments
NOT_TEXT = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}|<[^>]*>", re.DOTALL)
TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))


def mixed_punctuation(text):
    return [match.group(0) for match in MIXED.finditer(text)]


def test_the_rule_sees_half_width_punctuation_in_chinese():
    assert mixed_punctuation("指定单位, 每单位 2 人") == ["位,"]
    assert mixed_punctuation("(15 个工作日)") == ["日)"]
    assert mixed_punctuation("时间:") == ["间:"]
    assert mixed_punctuation("指定单位，每单位 2 人（15 个工作日）：") == []
    assert mixed_punctuation("max(0, x) Page 1: done") == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_template_text_has_full_width_punctuation(path):
    text = NOT_TEXT.sub("\x00", TRANSLATED.sub("中", path.read_text()))
    assert mixed_punctuation(text) == []


def test_translations_have_full_width_punctuation():
    catalogue = polib.pofile(Path(settings.BASE_DIR) / "locale/zh_Hans/LC_MESSAGES/django.po")
    offending = {
        entry.msgid: found
        for entry in catalogue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if (found := mixed_punctuation(text))
    }
    assert offending == {}
