from django import forms
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.editions import EditionFormMixin
from core.forms import BoundedFieldsMixin, BoundedModelForm, ChineseDateTimeField
from core.tabular import clean_name, clean_phone, fold
from core.widgets import UnitPicker
from training.checkin import name_key, phone_digits
from training.models import AttendanceMark, Attendee, Lecturer, Training
from training.services import MAX_ATTENDEES
from units.models import Unit, phone_validator


class TrainingForm(EditionFormMixin, BoundedFieldsMixin, forms.ModelForm):
    class Meta:
        model = Training
        fields = [
            "title",
            "kind",
            "batch",
            "starts_at",
            "ends_at",
            "venue",
            "organizing_unit",
            "status",
            "capacity",
            "scope",
            "required_categories",
            "required_units",
            "seats_per_unit",
            "description",
        ]
        field_classes = {"starts_at": ChineseDateTimeField, "ends_at": ChineseDateTimeField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "required_categories": forms.CheckboxSelectMultiple,
            "required_units": UnitPicker,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["required_units"].queryset = (
            Unit.objects.active()
            .select_related("category")
            .order_by("category__sort_order", "category__name", "sort_order", "name")
        )
        self.fields["organizing_unit"].queryset = Unit.objects.active()
        # no capacity the registration services would refuse to fill
        self.fields["capacity"].validators.append(MaxValueValidator(MAX_ATTENDEES))
        self.fields["capacity"].widget.attrs["max"] = MAX_ATTENDEES

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The end must not be before the start."))
        elif starts and ends and self.instance.pk:
            self._keep_days_with_attendance(starts, ends)
        if self.instance.pk and (
            self.instance.ends_at <= timezone.now()
            # moving the end into the future first does not unlock it (trial 10)
            or AttendanceMark.objects.filter(attendee__training=self.instance).exists()
        ):
            self._keep_requirement_of_an_ended_training(data)
        scope = data.get("scope")
        if scope == Training.Scope.CATEGORIES and not data.get("required_categories"):
            self.add_error("required_categories", _("Choose at least one category."))
        if scope == Training.Scope.UNITS and not data.get("required_units"):
            self.add_error("required_units", _("Choose at least one unit."))
        if starts and not self.instance.pk and data.get("title"):
            twin = Training.objects.filter(title=data["title"], starts_at=starts).first()
            if twin is not None:  # a form sent twice, or from two tabs (trial 9)
                self.add_error(
                    "title",
                    _(
                        "“%(title)s” starting at the same time already exists (sent twice?); "
                        "open it instead."
                    )
                    % {"title": twin.title},
                )
        if starts and data.get("batch"):
            year = timezone.localtime(starts).year
            clash = Training.objects.filter(year=year, batch=data["batch"])
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "batch",
                    _("Batch %(batch)d of %(year)d is already used by “%(title)s”.")
                    % {"batch": data["batch"], "year": year, "title": clash.first().title},
                )
        return data

    REQUIREMENT_FIELDS = ("scope", "seats_per_unit", "required_categories", "required_units")

    def _keep_requirement_of_an_ended_training(self, data):
        """Who had to attend, and with how many people, is settled once the training ended:
        each unit's training score counts its attendance against it, and an ended training
        takes no registrations to meet a new requirement (trial 9: seats 1 → 5 afterwards
        dropped every unit's score to 20, and nobody could repair it)."""
        stored = self.instance
        before = {
            "scope": stored.scope,
            "seats_per_unit": stored.seats_per_unit,
            "required_categories": set(stored.required_categories.values_list("pk", flat=True)),
            "required_units": set(stored.required_units.values_list("pk", flat=True)),
        }
        for name in self.REQUIREMENT_FIELDS:
            if name not in data:
                continue
            value = data[name]
            if name.startswith("required_"):
                value = {item.pk for item in value} if value is not None else set()
            if value != before[name]:
                self.add_error(
                    name,
                    _(
                        "The training has ended or its attendance is taken: who had to "
                        "attend, and how many, can no longer change (each unit's training "
                        "score counts its attendance against it)."
                    ),
                )

    def _keep_days_with_attendance(self, starts, ends):
        """Days whose attendance is taken may not fall outside the training: their marks would
        be stranded (not shown, not counted)."""
        first, last = timezone.localdate(starts), timezone.localdate(ends)
        stranded = (
            AttendanceMark.objects.filter(attendee__training=self.instance)
            .filter(Q(day__lt=first) | Q(day__gt=last))
            .values_list("day", flat=True)
            .distinct()
            .order_by("day")
        )
        if stranded:
            self.add_error(
                "starts_at",
                _(
                    "Attendance is already taken on %(days)s, which the new dates leave out; "
                    "keep those days in the training, or correct the attendance first."
                )
                % {"days": "、".join(date_format(day) for day in stranded)},
            )


LecturerFormSet = inlineformset_factory(
    Training,
    Lecturer,
    form=BoundedModelForm,
    fields=["name", "affiliation", "topic"],
    extra=2,
    can_delete=True,
)


class AttendeeForm(EditionFormMixin, BoundedFieldsMixin, forms.ModelForm):
    class Meta:
        model = Attendee
        fields = ["unit", "name", "position", "phone", "duty", "note"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first()

    def clean_name(self):
        return clean_name(fold(self.cleaned_data["name"]))

    def clean_phone(self):
        """As the import reads it: full-width digits, 138-0013-8000, +86 138 0013 8000."""
        return clean_phone(fold(self.cleaned_data["phone"]))


class CheckInForm(BoundedFieldsMixin, forms.Form):
    """The public sign-in form (扫码签到): a name and the phone's last four digits or the whole
    number. It checks only the shape of what was typed; whether it matches a registration is
    the service's answer, in one message for both fields."""

    name = forms.CharField(
        label=_("Full name"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "name", "autocapitalize": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        help_text=_("The last 4 digits of the phone you registered with, or the whole number."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_name(self):
        name = name_key(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Enter your name."), code="required")
        return name

    def clean_phone(self):
        digits = phone_digits(self.cleaned_data["phone"])
        if len(digits) != 4 and not 7 <= len(digits) <= 15:
            raise forms.ValidationError(
                _("Enter the last 4 digits of your phone, or the whole number."), code="invalid"
            )
        return digits


class WalkInForm(BoundedFieldsMixin, forms.Form):
    """现场报名 on the public page: the unit from the list of active units, a name and the whole
    phone number."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Full name"), max_length=50)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active().select_related("category")

    def clean_name(self):
        name = clean_name(fold(self.cleaned_data["name"]))
        if not name:
            raise forms.ValidationError(_("Enter your name."), code="required")
        return name

    def clean_phone(self):
        phone = clean_phone(fold(self.cleaned_data["phone"]))
        phone_validator(phone)
        return phone
