"""Who changed what and when, for the records that decide a unit's score (django-simple-history).
For leaders and admins; deleted records keep their history and stay viewable."""

from django.contrib.auth.models import User
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.models import (
    Adjustment,
    Indicator,
    IndicatorValue,
    ItemResult,
    OccurrenceCount,
    PublishedResult,
    Rectification,
    Scheme,
    SelfAssessment,
    SelfItemResult,
    SelfOccurrenceCount,
    SpotCheck,
)
from assessment.models.spot_checks import SCORES_SAVED
from training.models import AttendanceMark, Attendee
from units.models import Unit
from units.roles import can_read_history, capability_required

# URL slug → (model, related histories shown with it: (model, lookup of the parent id))
TRACKED = {
    "attendee": (Attendee, [(AttendanceMark, "attendee_id")]),
    "spot-check": (
        SpotCheck,
        [(ItemResult, "spot_check_id"), (OccurrenceCount, "result__spot_check_id")],
    ),
    "self-assessment": (
        SelfAssessment,
        [
            (SelfItemResult, "self_assessment_id"),
            (SelfOccurrenceCount, "result__self_assessment_id"),
        ],
    ),
    "rectification": (Rectification, []),
    "indicator-value": (IndicatorValue, []),
    "adjustment": (Adjustment, []),
    "scheme": (Scheme, [(Indicator, "scheme_id"), (PublishedResult, "scheme_id")]),
    "unit": (Unit, []),
}
CHANGE_TYPES = {
    "+": gettext_lazy("created"),
    "~": gettext_lazy("changed"),
    "-": gettext_lazy("deleted"),
}
HIDDEN_FIELDS = {"version", "data", "roster"}
# reasons the services store as markers (they are looked up by them), shown in words
REASONS = {SCORES_SAVED: gettext_lazy("Scores saved")}


class _Labels:
    """What a foreign key's value is called on the page: a user's display name, a record's own
    name; one query per related record, remembered for the page."""

    def __init__(self):
        self.known = {}

    def __call__(self, field, value):
        if value is None or value == "":
            return "—"
        key = (field.related_model, value)
        if key not in self.known:
            related = field.related_model._base_manager.filter(pk=value).first()
            self.known[key] = (
                _("#%(id)s (deleted)") % {"id": value} if related is None else _name(related)
            )
        return self.known[key]


def _name(record):
    if isinstance(record, User):
        return record.get_full_name() or record.username
    return str(record)


def _created_with(model, record, labels, parents):
    """What a record was created with: its filled-in fields (a check's item scores were 25
    rows of 新建 saying nothing), leaving out the record it belongs to."""
    shown = []
    for field in record.instance_type._meta.concrete_fields:
        if field.name in HIDDEN_FIELDS or field.primary_key or field.name in parents:
            continue
        value = getattr(record, field.attname, None)
        if value is None or value == "" or value is False:
            continue  # blank, or a flag left off: nothing was entered (an entered 0 is shown)
        if field.auto_created or getattr(field, "auto_now_add", False):
            continue
        shown.append(
            {"field": field.verbose_name, "new": _display(field, value, labels), "created": True}
        )
    return shown


def _entries(model, labels=None, parents=(), **filters):
    labels = labels or _Labels()
    records = list(
        model.history.filter(**filters)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    previous_by_object = {}
    entries = []
    for record in records:
        previous = previous_by_object.get(record.id)
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                field = model._meta.get_field(change.field)
                changes.append(
                    {
                        "field": field.verbose_name,
                        "old": _display(field, change.old, labels),
                        "new": _display(field, change.new, labels),
                    }
                )
        elif record.history_type == "+":
            changes = _created_with(model, record, labels, parents)
        entries.append(
            {
                "record": record,
                "label": str(record.instance) if record.history_type != "-" else _("(deleted)"),
                "model": model._meta.verbose_name,
                "type": CHANGE_TYPES.get(record.history_type, record.history_type),
                "user": record.history_user,
                "reason": REASONS.get(record.history_change_reason, record.history_change_reason),
                "changes": changes,
            }
        )
        previous_by_object[record.id] = record
    return entries


def _display(field, value, labels):
    if field.is_relation:
        return labels(field, value)
    if isinstance(value, bool):  # a flag read as a word, not True/False
        return _("Yes") if value else _("No")
    if field.choices and value is not None:
        return dict(field.flatchoices).get(value, value)
    if value is None or value == "":
        return "—"
    return value


@capability_required(can_read_history)
def history(request, kind, pk):
    if kind not in TRACKED:
        raise Http404
    model, related = TRACKED[kind]
    entries = _entries(model, id=pk)
    if not entries:
        raise Http404
    title = entries[-1]["label"]  # as the record reads now (or when it was deleted)
    for related_model, lookup in related:
        entries += _related(related_model, lookup, pk)
    entries.sort(key=lambda entry: entry["record"].history_date)
    return render(
        request,
        "history.html",
        {"entries": entries, "title": title, "model": model._meta.verbose_name},
    )


def _related(model, lookup, pk):
    """Histories of the records related to `pk`: directly ("attendee_id"), or through a parent
    ("result__spot_check_id": occurrence counts of a check's item results)."""
    if "__" not in lookup:
        return _entries(model, parents={lookup.removesuffix("_id")}, **{lookup: pk})
    parent_field, parent_lookup = lookup.split("__", 1)
    parent_model = model._meta.get_field(parent_field).related_model
    parent_ids = parent_model.history.filter(**{parent_lookup: pk}).values_list("id", flat=True)
    return _entries(
        model, parents={parent_field}, **{f"{parent_field}_id__in": list(set(parent_ids))}
    )
