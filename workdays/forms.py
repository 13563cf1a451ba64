from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import BoundedFieldsMixin
from workdays.schedule import parse_schedule


class ScheduleForm(BoundedFieldsMixin, forms.Form):
    """A year's schedule typed from the State Council's notice; `clean_schedule` returns the
    parsed lines, or one message per wrong line."""

    source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=200,
        help_text=gettext_lazy(
            "The notice the dates come from, e.g. 国务院办公厅关于2027年部分节假日安排的通知."
        ),
    )
    schedule = forms.CharField(
        label=gettext_lazy("Holidays and adjusted working days"),
        widget=forms.Textarea(attrs={"rows": 14, "class": "font-monospace"}),
        help_text=gettext_lazy(
            "One date or range a line, then its name: “2027-02-05 至 2027-02-11 春节放假”, "
            "“2027-02-14 调休上班”. A name with 上班 marks a weekend day worked."
        ),
    )

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_schedule(self):
        lines, errors = parse_schedule(self.cleaned_data["schedule"], self.year)
        if errors:
            raise ValidationError(
                [
                    _("Line %(number)d: %(message)s") % {"number": number, "message": message}
                    for number, message in errors
                ]
            )
        return lines
