import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import (
    DecimalValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.tabular import MAX_UPLOAD_BYTES
from core.widgets import ChineseDateInput, ChineseDateTimeInput


class SpreadsheetUploadForm(forms.Form):
    """The one upload form of every importer: a spreadsheet file of limited size."""

    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "Excel (.xlsx or .xls) or CSV (UTF-8, GBK or UTF-16 text). Titles above the header, "
            "extra columns and signature rows below the table are skipped."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB.") % {"limit": MAX_UPLOAD_BYTES // 2**20}
            )
        return upload


EARLIEST_DAY = datetime.date(1900, 1, 1)
LATEST_DAY = datetime.date(2100, 12, 31)


def within_calendar(value):
    """A date or time the system can store and convert: 0001-01-01 in Asia/Shanghai has no UTC."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="out_of_range",
            params={"earliest": EARLIEST_DAY.year, "latest": LATEST_DAY.year},
        )


# The smallest integer column of the databases we run on (PostgreSQL's integer).
LARGEST_INTEGER = 2**31 - 1
# The largest id any database here holds (a 64-bit integer): SQLite cannot even compare more.
LARGEST_ID = 2**63 - 1

# Characters no name or text should carry: C0 controls and DEL (they break exports, PDFs and
# terminals) and the bidirectional overrides and isolates (they make a name read as another).
_CONTROL_ONE_LINE = re.compile("[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_CONTROL_MULTI_LINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def control_character_error(text, *, multi_line=False):
    """The message for a text with an invisible control character, else None."""
    pattern = _CONTROL_MULTI_LINE if multi_line else _CONTROL_ONE_LINE
    match = pattern.search(text or "")
    if match is None:
        return None
    return gettext(
        "The text contains an invisible control character (U+%(code)04X); remove it."
    ) % {"code": ord(match.group())}


def search_text(value, limit=50):
    """A search typed in a query string: spaces collapsed, control characters dropped (a NUL
    cannot even be sent to PostgreSQL), at most `limit` characters."""
    return _CONTROL_ONE_LINE.sub("", " ".join((value or "").split()))[:limit]


def no_control_characters(value):
    if "\x00" in value:
        return  # Django's own validator of every CharField says it: not twice
    problem = control_character_error(value)
    if problem:
        raise ValidationError(problem, code="control_character")


def no_control_characters_multi_line(value):
    if "\x00" in value:
        return  # as above
    problem = control_character_error(value, multi_line=True)
    if problem:
        raise ValidationError(problem, code="control_character")


def _bounded_choice_clean(field):
    """Wrap a model choice field's clean: an id no database holds (20 digits) is an invalid
    choice at the field, not a query that overflows."""
    clean = field.clean
    multiple = isinstance(field, forms.ModelMultipleChoiceField)

    def bounded_clean(value):
        values = value if multiple and isinstance(value, (list, tuple)) else [value]
        for item in values:
            text = str(item).strip() if item is not None else ""
            if text.lstrip("+-").isdigit() and abs(int(text)) > LARGEST_ID:
                if multiple:
                    raise ValidationError(
                        field.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": text[:30]},
                    )
                raise ValidationError(
                    field.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text[:30]},
                )
        return clean(value)

    field.clean = bounded_clean


class BoundedFieldsMixin:
    """Every date field of the form refuses days outside 1900–2100, every integer field
    numbers no database column holds, every choice of a record ids no database holds, and
    every text field invisible control characters (a multi-line one keeps tabs and line
    breaks), before any clean() puts them in a query or a record."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            bound_field(field)


class BoundedModelForm(BoundedFieldsMixin, forms.ModelForm):
    """The form of a model formset, with the bounded fields."""


class DecimalPlacesValidator(DecimalValidator):
    """Django's DecimalValidator saying what is wrong as a person entering points thinks of it
    (too many decimals, or too large a number) in whole sentences: its own Chinese messages
    count "digits in total" and end in a half-width full stop."""

    messages = {
        **DecimalValidator.messages,
        "max_decimal_places": _("Enter at most %(max)s decimal places."),
        "too_large": _("Enter a number smaller than %(limit)s."),
    }

    def __call__(self, value):
        if value.is_finite() and self.max_digits is not None and self.decimal_places is not None:
            if value.as_tuple().exponent < -self.decimal_places:
                raise ValidationError(
                    self.messages["max_decimal_places"],
                    code="max_decimal_places",
                    params={"max": self.decimal_places, "value": value},
                )
            limit = 10 ** (self.max_digits - self.decimal_places)
            if abs(value) >= limit:
                raise ValidationError(
                    self.messages["too_large"],
                    code="max_whole_digits",
                    params={"limit": limit, "value": value},
                )
        super().__call__(value)


TOO_LONG = _("Enter at most %(limit_value)d characters (this has %(show_value)d).")


TEXT_LIMIT = 10_000  # characters, for a text field whose column sets no limit


def bound_field(field):
    """The checks of BoundedFieldsMixin on one field (for fields added after __init__)."""
    if isinstance(field, (forms.DateField, forms.DateTimeField)):
        field.validators.append(within_calendar)
    elif isinstance(field, forms.DecimalField):
        field.validators = [
            DecimalPlacesValidator(v.max_digits, v.decimal_places)
            if isinstance(v, DecimalValidator)
            else v
            for v in field.validators
        ]
    elif isinstance(field, forms.IntegerField) and not isinstance(
        field, (forms.DecimalField, forms.FloatField)
    ):
        # one message per field: a field with its own narrower range says only that
        if field.max_value is None or field.max_value > LARGEST_INTEGER:
            field.validators.append(MaxValueValidator(LARGEST_INTEGER))
        if field.min_value is None or field.min_value < -LARGEST_INTEGER - 1:
            field.validators.append(MinValueValidator(-LARGEST_INTEGER - 1))
    elif isinstance(field, forms.ModelChoiceField):
        _bounded_choice_clean(field)
    elif isinstance(field, forms.CharField):
        # Django's Chinese says "this variable" and uses half-width brackets
        field.validators = [
            MaxLengthValidator(v.limit_value, message=TOO_LONG)
            if isinstance(v, MaxLengthValidator)
            else v
            for v in field.validators
        ]
        if field.max_length is None:
            # a text with no column limit (a TextField) still has one: a description of
            # 200,000 characters helps nobody and slows every page and PDF that shows it
            field.max_length = TEXT_LIMIT
            field.widget.attrs.setdefault("maxlength", str(TEXT_LIMIT))
            field.validators.append(MaxLengthValidator(TEXT_LIMIT, message=TOO_LONG))
        multi_line = isinstance(field.widget, forms.Textarea)
        field.validators.append(
            no_control_characters_multi_line if multi_line else no_control_characters
        )


# Django 6.1 labels the empty choice of a select "- Select an option -" and its own catalogue
# has no Chinese for it yet: the project's catalogue, which takes precedence, carries it.
BLANK_CHOICE_LABEL = _("- Select an option -")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, as Django's documentation shows: cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if not data:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]
DATETIME_FORMATS = [
    f"{day}{separator}{time}"
    for day in DATE_FORMATS
    for separator in (" ", "T", "")
    for time in ("%H:%M", "%H:%M:%S")
    if separator or day.endswith("日")
]


class ChineseDateField(forms.DateField):
    """A date field that reads every way of writing a date in DATE_FORMATS, in any language."""

    widget = ChineseDateInput
    input_formats = DATE_FORMATS


class ChineseDateTimeField(forms.DateTimeField):
    widget = ChineseDateTimeInput
    input_formats = DATETIME_FORMATS
