"""The top navigation: a few dropdowns (trainings, spot checks, assessment, units), each entry
shown only to the roles that may use its page. The home page's desks link to the work itself.

`may_use` is the one place the menu asks "may this user open this page"; it answers with the
role checks of units.roles, so that a finer rule (a named capability) replaces it alone.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from units.roles import Role, roles_of

ALL_STAFF = frozenset({Role.ORGANIZER, Role.INSPECTOR, Role.LEADER, Role.ADMIN})
ASSESSORS = frozenset({Role.INSPECTOR, Role.LEADER, Role.ADMIN})


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    roles: frozenset

    @property
    def url(self):
        return reverse(self.url_name)


@dataclass(frozen=True)
class MenuGroup:
    label: str
    entries: tuple


MENU = [
    MenuGroup(
        pgettext_lazy("menu", "Training"),
        (
            MenuEntry(_("Trainings"), "training:list", ALL_STAFF | {Role.LIAISON}),
            MenuEntry(
                _("New training"), "training:create", frozenset({Role.ORGANIZER, Role.ADMIN})
            ),
            MenuEntry(_("Training statistics"), "training:statistics", ALL_STAFF),
        ),
    ),
    MenuGroup(
        pgettext_lazy("menu", "Spot checks"),
        (
            MenuEntry(_("Spot checks"), "assessment:spot_check_list", ASSESSORS | {Role.LIAISON}),
            MenuEntry(_("Sampling rounds"), "assessment:round_list", ASSESSORS),
            MenuEntry(_("Checklists"), "assessment:checklist_list", ASSESSORS),
            MenuEntry(
                _("Rectifications"), "assessment:rectification_list", ASSESSORS | {Role.LIAISON}
            ),
        ),
    ),
    MenuGroup(
        pgettext_lazy("menu", "Assessment"),
        (
            MenuEntry(_("Ranking"), "assessment:ranking", ALL_STAFF),
            MenuEntry(_("Assessment scheme"), "assessment:scheme", ASSESSORS),
            MenuEntry(_("Indicators"), "assessment:indicators", ASSESSORS),
            MenuEntry(_("Adjustments"), "assessment:adjustments", ASSESSORS),
        ),
    ),
    MenuGroup(
        pgettext_lazy("menu", "Units"),
        (
            MenuEntry(_("Units"), "units:list", ALL_STAFF | {Role.LIAISON}),
            MenuEntry(_("Import units"), "units:import", frozenset({Role.ADMIN})),
            MenuEntry(_("Administration"), "admin:index", frozenset({Role.ADMIN})),
        ),
    ),
]


def may_use(user, entry):
    """Whether the menu offers `entry` to `user`: the page's own role check, read from here."""
    return bool(entry.roles & roles_of(user))


def navigation_for(user):
    """[(group, [entries])] of the groups that have at least one entry the user may use."""
    groups = []
    for group in MENU:
        entries = [entry for entry in group.entries if may_use(user, entry)]
        if entries:
            groups.append((group, entries))
    return groups


def menu_for(user):
    """Every entry the user may use, in menu order."""
    return [entry for _group, entries in navigation_for(user) for entry in entries]
