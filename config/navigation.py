"""The top navigation: one entry per page, shown to users holding the page's capability
(`units.roles`, the same one the page's view checks). The same entries make the home page links.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from units import roles


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    capability: roles.Capability
    description: str = ""

    @property
    def url(self):
        return reverse(self.url_name)


MENU = [
    MenuEntry(
        _("Units"),
        "units:list",
        roles.can_read_units,
        _("Units supervised: categories, contacts, export."),
    ),
    MenuEntry(
        _("Trainings"),
        "training:list",
        roles.can_read_trainings,
        _("Trainings of the year, attendees, attendance, sign-in sheets and certificates."),
    ),
    MenuEntry(
        _("Training statistics"),
        "training:statistics",
        roles.can_read_training_statistics,
        _("Coverage of the year's trainings and each unit's training score."),
    ),
    MenuEntry(
        _("Ranking"),
        "assessment:ranking",
        roles.can_read_ranking,
        _("The year-end assessment: scores, ranking per category, grades, the published notice."),
    ),
    MenuEntry(
        _("Spot checks"),
        "assessment:spot_check_list",
        roles.can_read_spot_checks,
        _("Unannounced spot checks: scores item by item, evidence, feedback reports."),
    ),
    MenuEntry(
        _("Sampling rounds"),
        "assessment:round_list",
        roles.can_read_assessment,
        _("双随机: draw units and inspectors at random, publish the draw."),
    ),
    MenuEntry(
        _("Checklists"),
        "assessment:checklist_list",
        roles.can_read_assessment,
        _("Scored checklists, their versions, XLSX import and export."),
    ),
    MenuEntry(
        _("Rectifications"),
        "assessment:rectification_list",
        roles.can_read_spot_checks,
        _("Requirements raised by spot checks, the units' answers, verification."),
    ),
    MenuEntry(
        _("Assessment scheme"),
        "assessment:scheme",
        roles.can_read_assessment,
        _("Weights, grade bands and quota; indicators; adjustments; publishing."),
    ),
    MenuEntry(
        _("Import units"),
        "units:import",
        roles.can_administer,
        _("Add or update units from a CSV or Excel file."),
    ),
    MenuEntry(
        _("Working-day calendar"),
        "workdays:index",
        roles.can_administer,
        _("Holidays and adjusted working days that deadlines are counted in."),
    ),
    MenuEntry(
        _("Administration"),
        "admin:index",
        roles.can_administer,
        _("Users, roles, units, years."),
    ),
]


def menu_for(user):
    return [entry for entry in MENU if entry.capability(user)]
