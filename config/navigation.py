"""The top navigation: a few dropdowns (trainings, spot checks, assessment, units), each entry
shown to users holding the page's capability (`units.roles`, the same one the page's view
checks). The home page's desks link to the work itself.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from units import roles


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    capability: roles.Capability

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
            MenuEntry(_("Trainings"), "training:list", roles.can_read_trainings),
            MenuEntry(_("New training"), "training:create", roles.can_organize_training),
            MenuEntry(
                _("Training statistics"),
                "training:statistics",
                roles.can_read_training_statistics,
            ),
        ),
    ),
    MenuGroup(
        pgettext_lazy("menu", "Spot checks"),
        (
            MenuEntry(_("Spot checks"), "assessment:spot_check_list", roles.can_read_spot_checks),
            MenuEntry(_("Sampling rounds"), "assessment:round_list", roles.can_read_assessment),
            MenuEntry(_("Checklists"), "assessment:checklist_list", roles.can_read_assessment),
            MenuEntry(
                _("Rectifications"), "assessment:rectification_list", roles.can_read_spot_checks
            ),
            MenuEntry(
                _("Self-assessment"), "assessment:campaign_list", roles.can_read_self_assessments
            ),
        ),
    ),
    MenuGroup(
        pgettext_lazy("menu", "Assessment"),
        (
            MenuEntry(_("Ranking"), "assessment:ranking", roles.can_read_ranking),
            MenuEntry(_("Assessment scheme"), "assessment:scheme", roles.can_read_assessment),
            MenuEntry(_("Indicators"), "assessment:indicators", roles.can_edit_year_inputs),
            MenuEntry(_("Adjustments"), "assessment:adjustments", roles.can_edit_year_inputs),
        ),
    ),
    MenuGroup(
        pgettext_lazy("menu", "Units"),
        (
            MenuEntry(_("Units"), "units:list", roles.can_read_units),
            MenuEntry(_("Import units"), "units:import", roles.can_administer),
            MenuEntry(_("Working-day calendar"), "workdays:index", roles.can_administer),
            MenuEntry(_("Administration"), "admin:index", roles.can_administer),
        ),
    ),
]


def may_use(user, entry):
    """Whether the menu offers `entry` to `user`: the page's own capability."""
    return bool(entry.capability(user))


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
