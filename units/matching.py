"""Find a unit from what people write for it in a spreadsheet.

By code, full name, short name or one of its aliases, compared after NFKC and without spaces,
with or without the city prefix (市, or the city's name from `settings.CITY_NAME`): 市发改委,
发改委 and 句容市发展和改革委员会 all find 市发展和改革委员会. A text that fits several units is
reported, never guessed; an unknown one gets the closest name as a suggestion.
"""

import difflib

from django.conf import settings
from django.utils.translation import gettext as _

from core.tabular import match_key


def city_prefixes():
    city = match_key(getattr(settings, "CITY_NAME", ""))
    prefixes = [city, city.removesuffix("市")] if city else []
    return [prefix for prefix in prefixes if prefix] + ["市"]


class UnitResolver:
    def __init__(self, units, prefixes=None):
        self.prefixes = city_prefixes() if prefixes is None else prefixes
        self.exact, self.loose = {}, {}
        self.names = {}
        for unit in units:
            for text in (unit.code, unit.name, unit.short_name, *unit.alias_list):
                key = match_key(text or "")
                if not key:
                    continue
                self.exact.setdefault(key, {})[unit.pk] = unit
                self.loose.setdefault(self._strip(key), {})[unit.pk] = unit
                if text != unit.code:
                    self.names[text] = unit.name
        self._suggestions, self._found = {}, {}

    def _strip(self, key):
        changed = True
        while changed:
            changed = False
            for prefix in self.prefixes:
                if key.startswith(prefix) and len(key) > len(prefix):
                    key, changed = key[len(prefix) :], True
        return key

    def candidates(self, text):
        """The units `text` may mean: one, several (ambiguous) or none."""
        if text not in self._found:
            key = match_key(text)
            found = (self.exact.get(key) or self.loose.get(self._strip(key)) or {}) if key else {}
            self._found[text] = list(found.values())
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
        suggestion = self.suggest(text)
        if suggestion:
            return _("Unknown unit “%(unit)s”; did you mean “%(suggestion)s”?") % {
                "unit": text,
                "suggestion": suggestion,
            }
        return _("Unknown unit “%(unit)s”.") % {"unit": text}


def names_in_use(units):
    """{match key: (unit id, unit name)} of every code, name, short name and alias."""
    taken = {}
    for unit in units:
        for text in (unit.code, unit.name, unit.short_name, *unit.alias_list):
            key = match_key(text or "")
            if key:
                taken.setdefault(key, (unit.pk, unit.name))
    return taken


def alias_clashes(aliases, taken, *, own_pk=None):
    """[(alias, other unit's name)] for each alias that already names another unit: such an
    alias would make that unit's own name ambiguous in every import."""
    clashes = []
    for alias in aliases:
        owner = taken.get(match_key(alias))
        if owner is not None and owner[0] != own_pk:
            clashes.append((alias, owner[1]))
    return clashes
