"""The top navigation: one entry per page a role may use. Later apps add their entries here.

An entry with no roles is for every logged-in user. The same entries make the home page links.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from units.roles import Role, roles_of


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    roles: frozenset
    description: str = ""

    @property
    def url(self):
        return reverse(self.url_name)


ALL_STAFF = frozenset({Role.ORGANIZER, Role.INSPECTOR, Role.LEADER, Role.ADMIN})

MENU = [
    MenuEntry(
        _("Units"),
        "units:list",
        ALL_STAFF | {Role.LIAISON},
        _("Units supervised: categories, contacts, export."),
    ),
    MenuEntry(
        _("Trainings"),
        "training:list",
        ALL_STAFF | {Role.LIAISON},
        _("Trainings of the year, attendees, attendance, sign-in sheets and certificates."),
    ),
    MenuEntry(
        _("Training statistics"),
        "training:statistics",
        ALL_STAFF,
        _("Coverage of the year's trainings and each unit's training score."),
    ),
    MenuEntry(
        _("Ranking"),
        "assessment:ranking",
        frozenset({Role.LEADER, Role.INSPECTOR, Role.ORGANIZER, Role.ADMIN}),
        _("The year-end assessment: scores, ranking per category, grades, the published notice."),
    ),
    MenuEntry(
        _("Spot checks"),
        "assessment:spot_check_list",
        frozenset({Role.INSPECTOR, Role.LEADER, Role.ADMIN, Role.LIAISON}),
        _("Unannounced spot checks: scores item by item, evidence, feedback reports."),
    ),
    MenuEntry(
        _("Sampling rounds"),
        "assessment:round_list",
        frozenset({Role.INSPECTOR, Role.LEADER, Role.ADMIN}),
        _("双随机: draw units and inspectors at random, publish the draw."),
    ),
    MenuEntry(
        _("Checklists"),
        "assessment:checklist_list",
        frozenset({Role.INSPECTOR, Role.LEADER, Role.ADMIN}),
        _("Scored checklists, their versions, XLSX import and export."),
    ),
    MenuEntry(
        _("Rectifications"),
        "assessment:rectification_list",
        frozenset({Role.INSPECTOR, Role.LEADER, Role.ADMIN, Role.LIAISON}),
        _("Requirements raised by spot checks, the units' answers, verification."),
    ),
    MenuEntry(
        _("Assessment scheme"),
        "assessment:scheme",
        frozenset({Role.LEADER, Role.INSPECTOR, Role.ADMIN}),
        _("Weights, grade bands and quota; indicators; adjustments; publishing."),
    ),
    MenuEntry(
        _("Import units"),
        "units:import",
        frozenset({Role.ADMIN}),
        _("Add or update units from a CSV or Excel file."),
    ),
    MenuEntry(
        _("Working-day calendar"),
        "workdays:index",
        frozenset({Role.ADMIN}),
        _("Holidays and adjusted working days that deadlines are counted in."),
    ),
    MenuEntry(
        _("Administration"),
        "admin:index",
        frozenset({Role.ADMIN}),
        _("Users, roles, units, years."),
    ),
]


def menu_for(user):
    roles = roles_of(user)
    return [entry for entry in MENU if not entry.roles or entry.roles & roles]
