"""Find a unit from what people write for it in a spreadsheet.

By code, full name, short name or one of its aliases, compared after NFKC and without spaces,
with or without the city prefix (市, or the city's name from `settings.CITY_NAME`): 市发改委,
发改委 and 句容市发展和改革委员会 all find 市发展和改革委员会. When no city name is set, a
county-level city's name (句容市华阳街道) is understood too. 管委会 and 管理委员会 may be added or
left out (开发区管委会 finds the unit called 开发区), and so may a town's or a subdistrict's
镇, 乡, 街道 or 街道办事处 (华阳 and 华阳街道办事处 find 华阳街道), and the 人民政府 of an
official name (宝华镇人民政府 finds 宝华镇). A text that fits several
units is reported, never guessed; one that names a disabled unit says so; an unknown one gets
the closest name as a suggestion.
"""

import difflib
import re

from django.conf import settings
from django.utils.translation import gettext as _

from core.tabular import match_key

# 管委会 is how people shorten 管理委员会; either may be written after a unit's name or left out,
# as clerks leave out a town's 镇 or a subdistrict's 街道 (and write 街道办事处 in full). Longest
# first: 街道办事处 before 街道.
SUFFIXES = ("管理委员会", "管委会", "街道办事处", "街道", "镇", "乡")
# What an official name adds after a town's or a subdistrict's name: 宝华镇人民政府 is 宝华镇.
SEATS = ("人民政府", "办事处")
# A county-level city's name before a unit's name, for when `settings.CITY_NAME` is not set:
# two or three characters and 市 (句容市). One character would take 城 of 城市管理局 for a city.
PLACE_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2,3}市")


def _without_seat(key):
    """天王街道办事处 → 天王街道, 茅山镇人民政府 → 茅山镇."""
    for seat in SEATS:
        if key.endswith(seat) and len(key) > len(seat):
            return key.removesuffix(seat)
    return key


def city_prefixes():
    city = match_key(getattr(settings, "CITY_NAME", ""))
    prefixes = [city, city.removesuffix("市")] if city else []
    return [prefix for prefix in prefixes if prefix] + ["市"]


def unit_texts(unit):
    """Everything a unit is called by: code, name, short name, aliases."""
    return [text for text in (unit.code, unit.name, unit.short_name, *unit.alias_list) if text]


class UnitResolver:
    """Finds the active units among `units`; disabled ones are only named in errors, so that
    a file does not silently register people to a unit that no longer takes part. With
    `active_only=False` disabled units are found too (a parent unit may be disabled)."""

    def __init__(self, units, prefixes=None, *, active_only=True):
        self.guess_city = prefixes is None and not getattr(settings, "CITY_NAME", "")
        self.prefixes = city_prefixes() if prefixes is None else prefixes
        self.exact, self.loose = {}, {}
        self.retired_exact, self.retired_loose = {}, {}
        self.names = {}
        for unit in units:
            found = unit.is_active or not active_only
            exact, loose = (
                (self.exact, self.loose) if found else (self.retired_exact, self.retired_loose)
            )
            for text in unit_texts(unit):
                key = match_key(text)
                if not key:
                    continue
                exact.setdefault(key, {})[unit.pk] = unit
                loose.setdefault(self._loose(key), {})[unit.pk] = unit
                if found and text != unit.code:
                    self.names[text] = unit.name
        self._suggestions, self._found = {}, {}

    def _loose(self, key):
        """`key` without the city prefixes and without one of SUFFIXES at its end."""
        changed = True
        while changed:
            changed = False
            for prefix in self.prefixes:
                if key.startswith(prefix) and len(key) > len(prefix):
                    key, changed = key[len(prefix) :], True
        key = _without_seat(key)
        for suffix in SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                return key.removesuffix(suffix)
        return key

    def _lookup(self, key, exact, loose):
        found = exact.get(key) or exact.get(_without_seat(key)) or loose.get(self._loose(key))
        if not found and self.guess_city:
            rest = PLACE_PREFIX.sub("", key, count=1)
            if rest and rest != key:
                found = exact.get(rest) or loose.get(self._loose(rest))
        return list((found or {}).values())

    def candidates(self, text):
        """The units `text` may mean: one, several (ambiguous) or none."""
        if text not in self._found:
            key = match_key(text)
            self._found[text] = self._lookup(key, self.exact, self.loose) if key else []
        return self._found[text]

    def find(self, text):
        found = self.candidates(text)
        return found[0] if len(found) == 1 else None

    def suggest(self, text):
        if text not in self._suggestions:
            close = difflib.get_close_matches(text, list(self.names), n=1, cutoff=0.4)
            self._suggestions[text] = self.names[close[0]] if close else None
        return self._suggestions[text]

    def error(self, text):
        """Why `text` finds no single unit, for the row's errors."""
        if not text:
            return _("The unit is empty.")
        found = self.candidates(text)
        if len(found) > 1:
            return _("“%(unit)s” could mean several units: %(units)s; write the full name.") % {
                "unit": text,
                "units": "、".join(sorted(unit.name for unit in found)),
            }
        retired = self._lookup(match_key(text), self.retired_exact, self.retired_loose)
        if retired:
            return _("“%(unit)s” is the disabled unit “%(name)s”.") % {
                "unit": text,
                "name": "、".join(sorted(unit.name for unit in retired)),
            }
        suggestion = self.suggest(text)
        if suggestion:
            return _("Unknown unit “%(unit)s”; did you mean “%(suggestion)s”?") % {
                "unit": text,
                "suggestion": suggestion,
            }
        return _("Unknown unit “%(unit)s”.") % {"unit": text}


def names_in_use(named):
    """{match key: [(owner, unit name)]} of every text in `named`, an iterable of
    (owner, unit name, texts); an owner is a unit's id, or anything else that tells units apart."""
    taken = {}
    for owner, name, texts in named:
        for text in texts:
            key = match_key(text or "")
            if key:
                taken.setdefault(key, []).append((owner, name))
    return taken


def name_clashes(texts, taken, *, own=None):
    """[(text, other unit's name)] for each name, short name or alias in `texts` that another unit
    is already called by (its code, name, short name or an alias): every file that writes it
    would become ambiguous."""
    clashes = []
    for text in dict.fromkeys(texts):
        others = [name for owner, name in taken.get(match_key(text), []) if owner != own]
        if others:
            clashes.append((text, others[0]))
    return clashes


def clash_message(text, unit_name):
    return _("“%(alias)s” already names the unit “%(unit)s”.") % {"alias": text, "unit": unit_name}
