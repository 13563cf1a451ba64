"""Edit forms that refuse to silently undo someone else's save (a lost update).

An edit form keeps the *edition* it was opened on: the id of the record's newest history
record (django-simple-history writes one per save). Saving, under the record's row lock,
compares it with the newest one: a form opened before someone else saved is refused, naming
who saved, when and which fields changed; the form then stands for the newest edition, so
saving it again is deliberate (trial 9: a training's corrected venue, a liaison's corrected
phone, a unit's contact and the scheme's weights were each put back by an older tab)."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.errors import DomainError

EDITED_ELSEWHERE = "edited_elsewhere"


def latest_edition(instance):
    """The record's newest history record (with its author), or None."""
    return instance.history.order_by("-history_id").select_related("history_user").first()


class EditionFormMixin(forms.Form):
    """A ModelForm mixin: the hidden `edition` the form was opened on."""

    edition = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            latest = latest_edition(self.instance)
            self.initial["edition"] = latest.history_id if latest else None

    def stands_for_the_newest_edition(self):
        """After a refusal: the form now stands for what is saved, so saving it again is
        taken as meant."""
        latest = latest_edition(self.instance)
        self.data = self.data.copy()
        self.data[self.add_prefix("edition")] = latest.history_id if latest else ""


def check_not_saved_since(instance, seen):
    """Raise DomainError(EDITED_ELSEWHERE) when `instance` (read under its row lock) was
    saved after the edition `seen`; a form without an edition (none kept yet) passes."""
    latest = latest_edition(instance)
    if seen is None or latest is None or latest.history_id == seen:
        return
    opened = instance.history.filter(history_id=seen).first()
    changes = latest.diff_against(opened).changes if opened is not None else []
    model = type(instance)
    saved = "；".join(
        _("%(field)s: “%(value)s”")
        % {
            "field": model._meta.get_field(change.field).verbose_name,
            "value": _shown(model._meta.get_field(change.field), change.new),
        }
        for change in changes
    )
    who = latest.history_user
    raise DomainError(
        _(
            "%(who)s saved this at %(when)s, after you opened this form, and it now reads: "
            "%(saved)s. Nothing of yours was saved. The form below still holds what you "
            "entered: to keep their change, enter it above before saving again."
        )
        % {
            "who": (who.get_full_name() or who.username) if who else _("The system"),
            "when": date_format(timezone.localtime(latest.history_date), "DATETIME_FORMAT"),
            "saved": saved or "—",
        },
        EDITED_ELSEWHERE,
    )


def _shown(field, value, limit=40):
    """A saved value as a person reads it: a related record's name, a choice's label."""
    if value is None or value == "":
        return "—"
    if field.is_relation:
        if isinstance(value, (list, tuple, set)):  # many-to-many: the ids
            related = field.related_model._base_manager.filter(pk__in=list(value))
            value = "、".join(str(record) for record in related)
        else:
            related = field.related_model._base_manager.filter(pk=value).first()
            value = value if related is None else related
    elif field.choices:
        value = dict(field.flatchoices).get(value, value)
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"
