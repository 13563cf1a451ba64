from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from assessment.models import Checklist, ChecklistItem, ChecklistSection, DeductionRule
from assessment.services import AssessmentError
from core.years import ensure_year_open


def ensure_editable(checklist):
    if not checklist.spot_checks.exists() and checklist.campaigns.exists():
        raise AssessmentError(
            _(
                "%(checklist)s is used by a self-assessment and can no longer change. "
                "Copy it to a new version and edit the copy."
            )
            % {"checklist": checklist},
            "locked",
        )
    if checklist.is_locked:
        raise AssessmentError(
            _(
                "%(checklist)s is used by spot checks and can no longer change. "
                "Copy it to a new version and edit the copy."
            )
            % {"checklist": checklist},
            "locked",
        )


def next_version(name):
    highest = Checklist.objects.filter(name=name).aggregate(v=Max("version"))["v"]
    return (highest or 0) + 1


@transaction.atomic
def copy_checklist(checklist, *, actor, year=None):
    """A new version of `checklist` with the same sections, items and rules."""
    copy = Checklist.objects.create(
        name=checklist.name,
        version=next_version(checklist.name),
        year=year or checklist.year,
        description=checklist.description,
        created_by=actor,
    )
    for section in checklist.sections.prefetch_related("items__rules"):
        new_section = ChecklistSection.objects.create(
            checklist=copy, title=section.title, sort_order=section.sort_order
        )
        for item in section.items.all():
            rules = list(item.rules.all())
            item.pk = None
            item.section = new_section
            item.save()
            DeductionRule.objects.bulk_create(
                DeductionRule(
                    item=item,
                    fault=rule.fault,
                    points_per_occurrence=rule.points_per_occurrence,
                    sort_order=rule.sort_order,
                )
                for rule in rules
            )
    return copy


@transaction.atomic
def build_checklist(*, name, year, sections, actor, description=""):
    """Create a checklist from plain data: [(section title, [item dict, …]), …]; an item dict
    has text, guidance, max_points, allows_na, is_veto and rules [(fault, points), …]. Never
    into a published year (its checks are frozen, so is the checklist they would use)."""
    ensure_year_open(year)
    checklist = Checklist.objects.create(
        name=name, version=next_version(name), year=year, description=description, created_by=actor
    )
    for section_order, (title, items) in enumerate(sections):
        section = ChecklistSection.objects.create(
            checklist=checklist, title=title, sort_order=section_order
        )
        for item_order, data in enumerate(items):
            item = ChecklistItem.objects.create(
                section=section,
                text=data["text"],
                guidance=data.get("guidance", ""),
                max_points=data["max_points"],
                allows_na=data.get("allows_na", False),
                is_veto=data.get("is_veto", False),
                sort_order=item_order,
            )
            DeductionRule.objects.bulk_create(
                DeductionRule(item=item, fault=fault, points_per_occurrence=points, sort_order=i)
                for i, (fault, points) in enumerate(data.get("rules", ()))
            )
    return checklist
