from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assessment.models import (
    Adjustment,
    Checklist,
    ChecklistItem,
    ChecklistSection,
    DeductionRule,
    Indicator,
    Rectification,
    SamplingRound,
    Scheme,
    SpotCheck,
)
from assessment.models.checklists import NOTE_MAX_LENGTH, SUMMARY_MAX_LENGTH
from assessment.models.rectifications import (
    ANSWER_MAX_LENGTH,
    MAX_WORKING_DAYS,
    MIN_WORKING_DAYS,
    TOO_FEW_WORKING_DAYS,
    TOO_MANY_WORKING_DAYS,
)
from assessment.services.self_assessment import campaign_date_problems
from assessment.services.spot_checks import own_unit_message
from core.editions import EditionFormMixin
from core.forms import (
    BoundedFieldsMixin,
    BoundedModelForm,
    ChineseDateField,
    MultipleFileField,
    SpreadsheetUploadForm,
    bound_field,
)
from core.years import YearLocked, is_year_locked
from units.models import Unit, UnitCategory
from units.roles import Role, is_bound_to


def inspectors():
    return User.objects.filter(groups__name=Role.INSPECTOR, is_active=True).order_by("username")


class ChecklistForm(BoundedFieldsMixin, forms.ModelForm):
    class Meta:
        model = Checklist
        fields = ["name", "year", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ChecklistImportForm(BoundedFieldsMixin, SpreadsheetUploadForm):
    name = forms.CharField(label=_("name"), max_length=100)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)


class SectionForm(BoundedFieldsMixin, forms.ModelForm):
    class Meta:
        model = ChecklistSection
        fields = ["title", "sort_order"]


class ItemForm(BoundedFieldsMixin, forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["section", "text", "guidance", "max_points", "sort_order", "allows_na", "is_veto"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, checklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = checklist.sections.all()


class BaseRuleFormSet(forms.BaseInlineFormSet):
    """An item's deduction rules: one fault is one rule (the second would count it twice)."""

    def clean(self):
        seen = {}
        for number, form in enumerate(self.forms, start=1):
            if not form.has_changed() or self._should_delete_form(form):
                continue
            fault = (form.cleaned_data or {}).get("fault")
            if not fault:
                continue
            if fault in seen:
                form.add_error(
                    "fault",
                    _("“%(fault)s” is already rule %(number)d of this item.")
                    % {"fault": fault, "number": seen[fault]},
                )
            else:
                seen[fault] = number
        super().clean()


RuleFormSet = inlineformset_factory(
    ChecklistItem,
    DeductionRule,
    form=BoundedModelForm,
    formset=BaseRuleFormSet,
    fields=["fault", "points_per_occurrence"],
    extra=2,
    can_delete=True,
)


class RoundForm(BoundedFieldsMixin, forms.ModelForm):
    """A round, with an optional checklist per category (towns and departments often differ)."""

    class Meta:
        model = SamplingRound
        fields = [
            "name",
            "year",
            "planned_start",
            "planned_end",
            "categories",
            "checklist",
            "exclude_recent_rounds",
            "sample_size",
            "sample_ratio",
            "inspectors_per_check",
            "inspector_pool",
        ]
        field_classes = {"planned_start": ChineseDateField, "planned_end": ChineseDateField}
        widgets = {
            "categories": forms.CheckboxSelectMultiple,
            "inspector_pool": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector_pool"].queryset = inspectors()
        self.fields["inspector_pool"].label_from_instance = lambda u: (
            u.get_full_name() or u.username
        )
        self.category_fields = []
        for category in UnitCategory.objects.all():
            name = f"checklist_{category.pk}"
            self.fields[name] = forms.ModelChoiceField(
                label=_("Checklist for %(category)s") % {"category": category},
                queryset=Checklist.objects.all(),
                required=False,
                empty_label=_("Same as above"),
            )
            bound_field(self.fields[name])
            self.category_fields.append((category, name))

    def clean(self):
        data = super().clean()
        if data.get("sample_size") is None and data.get("sample_ratio") is None:
            self.add_error("sample_size", _("Give a number of units or a share."))
        if data.get("sample_size") is not None and data.get("sample_ratio") is not None:
            self.add_error("sample_ratio", _("Give either a number of units or a share, not both."))
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("The end must not be before the start."))
        year = data.get("year")
        if year and is_year_locked(year):  # no new round of a published year
            self.add_error("year", YearLocked(year).message)
        for field in ("planned_start", "planned_end"):
            if year and data.get(field) and data[field].year != year:
                self.add_error(field, _("The date must fall in %(year)d.") % {"year": year})
        pool = data.get("inspector_pool")
        per_check = data.get("inspectors_per_check")
        if pool is not None and per_check and len(pool) < per_check:
            self.add_error(
                "inspector_pool",
                _("Choose at least %(count)d inspectors.") % {"count": per_check},
            )
        return data

    def category_checklists(self):
        return {
            category: self.cleaned_data[name]
            for category, name in self.category_fields
            if self.cleaned_data.get(name)
        }


class SpotCheckForm(BoundedFieldsMixin, forms.ModelForm):
    class Meta:
        model = SpotCheck
        fields = ["unit", "checklist", "date", "inspectors"]
        field_classes = {"date": ChineseDateField}
        widgets = {"inspectors": forms.CheckboxSelectMultiple}

    def __init__(self, *args, planner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.planner = planner
        self.fields["unit"].queryset = Unit.objects.active()
        self.fields["inspectors"].queryset = inspectors()
        self.fields["inspectors"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        data = super().clean()
        if data.get("date") and is_year_locked(data["date"].year):
            self.add_error("date", YearLocked(data["date"].year).message)
        unit, chosen = data.get("unit"), data.get("inspectors")
        if unit and self.planner is not None and is_bound_to(self.planner, unit.pk):
            self.add_error("unit", own_unit_message(unit))
        if unit and chosen:
            own = [u for u in chosen if is_bound_to(u, unit.pk)]
            if own:
                self.add_error(
                    "inspectors",
                    _("%(name)s works in %(unit)s and cannot check it.")
                    % {"name": own[0].get_full_name() or own[0].username, "unit": unit},
                )
        return data


MAX_OCCURRENCES = 9999
# Points are entered in half points (the input's step); full marks count whatever they are.
POINT_STEP = Decimal("0.5")


def on_point_step(maximum):
    """A validator: points a multiple of POINT_STEP, or the item's full marks."""

    def validate(value):
        # too many decimals is the decimal places' message alone, and a value out of range the
        # range's (1e30 % 0.5 needs more digits than Decimal's context holds: an exception)
        if (
            value.is_finite()
            and value.as_tuple().exponent >= -2
            and 0 <= value < maximum
            and value % POINT_STEP
        ):
            raise ValidationError(
                _("Enter points in steps of %(step)s, such as 7 or 7.5."),
                code="step_size",
                params={"step": POINT_STEP},
            )

    return validate


STALE_FORM = _(
    "The form was damaged or is out of date; reload the page to see what is stored, then "
    "enter your changes again."
)


class ScoreForm(forms.Form):
    """One row of fields per checklist item; built from the items of the check's checklist."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    # when the inspection took place: a drawn check starts with its round's planned start
    date = ChineseDateField(label=_("inspection date"), required=False)
    summary = forms.CharField(
        label=_("overall findings"),
        required=False,
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            rules = list(item.rules.all())
            if rules:
                for rule in rules:
                    per = rule.points_per_occurrence
                    how_many = _("Enter how many times, a whole number from 0 to %(max)d.") % {
                        "max": MAX_OCCURRENCES
                    }
                    self.fields[f"count_{item.pk}_{rule.pk}"] = forms.IntegerField(
                        label=rule.fault,
                        min_value=0,
                        max_value=MAX_OCCURRENCES,
                        required=False,
                        # one message whatever is wrong, the same the page shows as it is typed
                        error_messages={
                            "min_value": how_many,
                            "max_value": how_many,
                            "invalid": how_many,
                        },
                        help_text=ngettext(
                            "%(points)s point off each occurrence",
                            "%(points)s points off each occurrence",
                            1 if per == 1 else 2,
                        )
                        % {"points": f"{per.normalize():f}"},
                        widget=forms.NumberInput(
                            attrs={
                                "data-deduction": per,
                                "data-range-message": how_many,
                            }
                        ),
                    )
            elif item.max_points:  # a 0-point (pass/fail) item has nothing to score
                out_of_range = _("Enter 0 to %(max)s points.") % {
                    "max": f"{item.max_points.normalize():f}"
                }
                self.fields[f"points_{item.pk}"] = forms.DecimalField(
                    label=_("points"),
                    min_value=Decimal("0"),
                    max_value=item.max_points,
                    decimal_places=2,
                    required=False,
                    validators=[on_point_step(item.max_points)],
                    # the page's own live check says the same: one message per field
                    error_messages={"min_value": out_of_range, "max_value": out_of_range},
                    widget=forms.NumberInput(
                        attrs={
                            "data-points": "",
                            "step": str(POINT_STEP),
                            "data-range-message": out_of_range,
                        }
                    ),
                )
            if item.allows_na:
                self.fields[f"na_{item.pk}"] = forms.BooleanField(
                    label=_("Not applicable"),
                    required=False,
                    widget=forms.CheckboxInput(attrs={"data-na": ""}),
                )
            if item.is_veto:
                self.fields[f"veto_{item.pk}"] = forms.BooleanField(
                    label=_("Failed (veto)"),
                    required=False,
                    widget=forms.CheckboxInput(attrs={"data-veto": ""}),
                )
            self.fields[f"finding_{item.pk}"] = forms.CharField(
                label=_("finding"),
                required=False,
                max_length=NOTE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
        for field in self.fields.values():
            bound_field(field)

    def clean(self):
        data = super().clean()
        if self.has_error("version"):  # a hidden field: its own message would not be seen
            del self.errors["version"]
            self.add_error(None, STALE_FORM)
        return data

    @staticmethod
    def initial_from(entries, version, summary):
        initial = {"version": version, "summary": summary}
        for item_id, entry in entries.items():
            initial[f"points_{item_id}"] = entry["points"]
            initial[f"na_{item_id}"] = entry["not_applicable"]
            initial[f"veto_{item_id}"] = entry["veto_failed"]
            initial[f"finding_{item_id}"] = entry["finding"]
            for rule_id, count in entry["counts"].items():
                initial[f"count_{item_id}_{rule_id}"] = count
        return initial

    def entries(self):
        data = self.cleaned_data
        entries = {}
        for item in self.items:
            not_applicable = bool(data.get(f"na_{item.pk}"))
            entries[item.pk] = {
                "points": None if not_applicable else data.get(f"points_{item.pk}"),
                "not_applicable": not_applicable,
                "veto_failed": bool(data.get(f"veto_{item.pk}")),
                "finding": data.get(f"finding_{item.pk}", ""),
                "counts": {
                    rule.pk: data[f"count_{item.pk}_{rule.pk}"]
                    for rule in item.rules.all()
                    if not not_applicable and data.get(f"count_{item.pk}_{rule.pk}") is not None
                },
            }
        return entries

    def rows(self):
        """(item, its bound fields) for the template."""
        for item in self.items:
            yield (
                item,
                [self[name] for name in self.fields if name.split("_")[1:2] == [str(item.pk)]],
            )


class EvidenceForm(BoundedFieldsMixin, forms.Form):
    item = forms.ModelChoiceField(
        label=_("item"),
        queryset=ChecklistItem.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose an item of this checklist.")},
    )
    file = forms.FileField(
        label=_("file"),
        error_messages={"required": _("Choose a file to upload.")},
    )

    def __init__(self, *args, checklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = ChecklistItem.objects.filter(section__checklist=checklist)

    def problem(self):
        """The first thing wrong, for the message above the page (the form sits in a side
        panel): the item or the file."""
        for name in ("item", "file"):
            if self.has_error(name):
                return self.errors[name][0]
        return _("Choose a file to upload.")


class RectificationForm(BoundedFieldsMixin, forms.ModelForm):
    class Meta:
        model = Rectification
        fields = ["item", "requirement", "working_days"]
        widgets = {"requirement": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, checklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = ChecklistItem.objects.filter(section__checklist=checklist)
        self.fields["working_days"].initial = 15
        # the browser's hint; the model field's validator refuses fewer at this field, and
        # the same words for a negative number (it said 确保该值大于或等于0)
        self.fields["working_days"].widget.attrs["min"] = MIN_WORKING_DAYS
        self.fields["working_days"].error_messages["min_value"] = TOO_FEW_WORKING_DAYS
        self.fields["working_days"].widget.attrs["max"] = MAX_WORKING_DAYS

    def clean_working_days(self):
        days = self.cleaned_data["working_days"]
        if days is not None and days > MAX_WORKING_DAYS:
            raise ValidationError(TOO_MANY_WORKING_DAYS, code="max_value")
        return days


class AnswerForm(BoundedFieldsMixin, forms.Form):
    response = forms.CharField(
        label=_("What the unit has done"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    file = MultipleFileField(
        label=_("Supporting files"),
        required=False,
        help_text=_("Several files may be chosen at once; files added above are sent too."),
    )


class AnswerFilesForm(BoundedFieldsMixin, forms.Form):
    """Files added to the answer before it is sent. The answer itself needs none, so the field
    is not marked required; adding nothing is still an error of this small form."""

    files = MultipleFileField(
        label=_("Files for the answer"),
        required=False,
        help_text=_("PDF, images or Office files; they are sent with the answer."),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if not files:
            raise forms.ValidationError(_("Choose the files to add."), code="required")
        return files


class ReviewForm(BoundedFieldsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[
            ("accept", _("Verified: the rectification is done")),
            ("return", _("Return to the unit")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("note"),
        required=False,
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SchemeForm(EditionFormMixin, BoundedFieldsMixin, forms.ModelForm):
    class Meta:
        model = Scheme
        fields = [
            "weight_spot_checks",
            "weight_training",
            "weight_self_assessment",
            "overstatement_margin",
            "overstatement_points",
            "bonus_cap",
            "band_excellent",
            "band_good",
            "band_pass",
            "excellent_quota",
            "missing_policy",
            "issuing_office",
            "document_prefix",
            "notice_number",
            "addressees",
            "copy_to",
            "publicity_days",
            "supervision_phone",
        ]
        widgets = {"missing_policy": forms.RadioSelect}

    def clean(self):
        data = super().clean()
        bands = [data.get("band_excellent"), data.get("band_good"), data.get("band_pass")]
        if None not in bands and not bands[0] > bands[1] > bands[2]:
            self.add_error(
                "band_good", _("The grade bands must descend: Excellent above Good above Pass.")
            )
        return data


IndicatorFormSet = inlineformset_factory(
    Scheme,
    Indicator,
    form=BoundedModelForm,
    fields=["name", "weight", "sort_order"],
    extra=1,
    can_delete=True,
)


class AdjustmentForm(BoundedFieldsMixin, forms.ModelForm):
    evidence = forms.FileField(label=_("Evidence file"), required=False)

    class Meta:
        model = Adjustment
        fields = ["unit", "kind", "points", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active()
        self.fields["points"].help_text = _("Not used for a veto.")


POINTS_TO_DEDUCT = _("Enter the points to deduct: from 0.01 to 9999.99, at most 2 decimals.")


class AcceptProposalForm(BoundedFieldsMixin, forms.Form):
    points = forms.DecimalField(
        label=_("Points to deduct"),
        min_value=Decimal("0.01"),
        max_digits=6,
        decimal_places=2,
        # one message for whatever is wrong: it is shown above the list, not at a field
        error_messages=dict.fromkeys(
            (
                "required",
                "invalid",
                "min_value",
                "max_digits",
                "max_decimal_places",
                "max_whole_digits",
            ),
            POINTS_TO_DEDUCT,
        ),
    )


class ReasonForm(BoundedFieldsMixin, forms.Form):
    reason = forms.CharField(
        label=_("reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class PublishForm(BoundedFieldsMixin, forms.Form):
    """Publishing a year: when work is unfinished, the leader ticks that it is known; the
    checklist's signature goes with it so that a list that changed meanwhile is shown again."""

    acknowledged = forms.CharField(widget=forms.HiddenInput, required=False)
    confirm = forms.BooleanField(
        label=_("I have read the list of unfinished work and publish the results as they are."),
        required=True,
    )

    def __init__(self, *args, checklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acknowledged"].initial = checklist.signature
        if not checklist.lines:
            del self.fields["confirm"]

    def acknowledgement(self):
        return self.cleaned_data["acknowledged"] if self.cleaned_data.get("confirm") else ""


class CampaignForm(BoundedFieldsMixin, forms.Form):
    """A self-assessment campaign: the units are a category's active units and/or chosen ones."""

    name = forms.CharField(label=_("name"), max_length=100)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    checklist = forms.ModelChoiceField(label=_("checklist"), queryset=Checklist.objects.all())
    categories = forms.ModelMultipleChoiceField(
        label=_("unit categories"),
        queryset=UnitCategory.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every active unit of the categories ticked takes part."),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("further units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    opens_on = ChineseDateField(label=_("opens on"))
    closes_on = ChineseDateField(label=_("closes on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.active().select_related("category")

    def clean(self):
        data = super().clean()
        opens, closes, year = data.get("opens_on"), data.get("closes_on"), data.get("year")
        if opens and closes and year:
            for field, problem in campaign_date_problems(year, opens, closes):
                self.add_error(field, problem)
        if not data.get("categories") and not data.get("units"):
            self.add_error("categories", _("Choose unit categories or units."))
        if year and is_year_locked(year):
            self.add_error("year", YearLocked(year).message)
        return data


class SelfAssessmentForm(ScoreForm):
    """The spot-check score form, worded for the unit: a note per item, an overall note."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary"].label = _("overall note")
        for name, field in self.fields.items():
            if name.startswith("finding_"):
                field.label = _("note")
            elif name.startswith("veto_"):
                field.label = _("Failed (veto)")


class IndicatorValueField(forms.Field):
    """An indicator's value for one unit: blank, or 0–100 with at most 2 decimals."""

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(
                _("“%(value)s” is not a number.") % {"value": text[:20]}, code="invalid"
            ) from None
        if not number.is_finite() or not Decimal(0) <= number <= Decimal(100):
            raise ValidationError(
                _("%(value)s is not between 0 and 100.") % {"value": text[:20]}, code="range"
            )
        if number != number.quantize(Decimal("0.01")):
            raise ValidationError(
                _("%(value)s has more than 2 decimals.") % {"value": text[:20]}, code="decimals"
            )
        return number


class IndicatorGridForm(BoundedFieldsMixin, forms.Form):
    """The indicator grid: a value per indicator and unit (`value_<indicator>_<unit>`) and the
    source of each unit's values (`source_<unit>`), each beside the value the page showed
    (`shown_…`). Only what the user changed is saved: a field left out of the request is no
    change (a request without the grid used to erase every value of the year), and a value
    someone else saved meanwhile is not overwritten by the page's old copy of it."""

    def __init__(self, *args, indicators, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators, self.units = indicators, units
        for unit in units:
            for indicator in indicators:
                name = self.value_name(indicator, unit)
                self.fields[name] = IndicatorValueField(required=False)
                self.fields[f"shown_{name}"] = IndicatorValueField(required=False)
            for name in (f"source_{unit.pk}", f"shown_source_{unit.pk}"):
                source = forms.CharField(required=False, max_length=200)
                bound_field(source)
                self.fields[name] = source

    @staticmethod
    def value_name(indicator, unit):
        return f"value_{indicator.pk}_{unit.pk}"

    def _changed(self, name):
        return name in self.data and self.cleaned_data[name] != self.cleaned_data[f"shown_{name}"]

    def values(self):
        """[(indicator, unit, value or None, source)] of the cells the user changed (a unit's
        source changes every value of it), as save_indicator_values takes them."""
        changed = []
        for unit in self.units:
            source_name = f"source_{unit.pk}"
            source_changed = self._changed(source_name)
            source = (
                self.cleaned_data[source_name]
                if source_name in self.data
                else self.cleaned_data[f"shown_{source_name}"]
            )
            for indicator in self.indicators:
                name = self.value_name(indicator, unit)
                if name not in self.data or not (self._changed(name) or source_changed):
                    continue
                changed.append((indicator, unit, self.cleaned_data[name], source))
        return changed

    def shown(self):
        """{(indicator pk, unit pk): value or None} as the page showed them."""
        return {
            (indicator.pk, unit.pk): self.cleaned_data[f"shown_{self.value_name(indicator, unit)}"]
            for unit in self.units
            for indicator in self.indicators
        }
