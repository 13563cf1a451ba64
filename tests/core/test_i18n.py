"""Chinese by default, English on request, and a translation catalogue that is complete."""

import gettext
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from config.env import env_bool

LOCALE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_string_has_a_chinese_translation():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    untranslated = [entry.msgid for entry in catalogue if not entry.translated()]
    fuzzy = [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_po_file():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid


@pytest.mark.django_db
def test_login_page_is_chinese_even_for_an_english_browser(client):
    response = client.get(reverse("login"), headers={"accept-language": "en-US,en;q=0.9"})
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "政务公开培训与考核管理系统" in page


def test_language_switch_to_english_and_back(client_for):
    client = client_for("leader")
    home = reverse("home")
    assert "欢迎" in client.get(home).content.decode()

    response = client.post(reverse("set_language"), {"language": "en", "next": home})
    assert response.status_code == 302
    assert response["Location"] == home
    page = client.get(home).content.decode()
    assert '<html lang="en">' in page
    assert "Welcome" in page
    assert "Leader" in page

    client.post(reverse("set_language"), {"language": "zh-hans", "next": home})
    assert "欢迎" in client.get(home).content.decode()


@pytest.mark.django_db
def test_language_can_be_switched_before_logging_in(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    assert "Log in" in client.get(reverse("login")).content.decode()


def test_every_translatable_string_in_the_source_is_in_the_catalogue(
    tmp_path, settings, monkeypatch
):
    """Re-extract the strings in a copy of the source tree: nothing new, nothing stale."""
    if shutil.which("xgettext") is None:
        if env_bool("GETTEXT_REQUIRED"):
            pytest.fail("GETTEXT_REQUIRED=1 but xgettext is missing (apt-get install gettext)")
        pytest.skip("xgettext is not installed (apt-get install gettext)")
    source = tmp_path / "source"
    shutil.copytree(
        settings.BASE_DIR,
        source,
        ignore=shutil.ignore_patterns(
            ".*", "tests", "static", "staticfiles", "media", "__pycache__", "*.sqlite3"
        ),
    )
    settings.LOCALE_PATHS = [source / "locale"]
    monkeypatch.chdir(source)
    call_command("makemessages", locale=["zh_Hans"], verbosity=0)
    extracted = polib.pofile(str(source / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in extracted if not entry.obsolete and not entry.translated()]
    stale = [entry.msgid for entry in extracted if entry.obsolete]
    assert missing == [], "run makemessages -l zh_Hans and translate these"
    assert stale == [], "run makemessages -l zh_Hans: these strings are no longer used"


@pytest.mark.django_db
def test_english_pages_use_english_punctuation_and_plurals(client_for):
    """A tester found 'User name：admin' and '1 points off each occurrence' in English."""
    from django.utils import translation

    from notifications.messages import render
    from notifications.models import Kind

    client = client_for("leader")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert "User name: leader" in page and "：" not in page.split("User name")[1][:3]
    with translation.override("en"):
        params = {"training": "培训", "seats": 1, "registered": 0, "starts": "2026-12-01T09:00"}
        _title, body = render(Kind.REGISTRATION_OPEN, params)
    assert body.startswith("Your unit is required to send 1 person and has registered 0.")
