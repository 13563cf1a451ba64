"""Form widgets the project's one field template (core/templatetags/ui.py) renders its own way."""

from django import forms
from django.utils.translation import pgettext_lazy


class UnitPicker(forms.CheckboxSelectMultiple):
    """Checkboxes of units, rendered grouped by category with a search box and "select all in
    <category>" (static/js/app.js). The field's queryset must select_related("category")."""


class ChineseDateInput(forms.DateInput):
    """A date typed as Chinese offices write it: 2026-11-27, 2026/11/27, 2026.11.27 or
    2026年11月27日, whatever the browser's language (a browser's own date box follows the
    computer's locale and shows mm/dd/yyyy on an English system). Shown as 2026-11-27."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            # the format, not a date: an example date was taken for a wrong "today"
            attrs={
                "placeholder": pgettext_lazy("date input", "YYYY-MM-DD"),
                "autocomplete": "off",
                **(attrs or {}),
            },
            format="%Y-%m-%d",
        )


class ChineseDateTimeInput(forms.DateTimeInput):
    """A date and time typed as 2026-11-27 09:00 (or with / . 年月日 as the date part)."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={
                "placeholder": pgettext_lazy("date input", "YYYY-MM-DD hh:mm"),
                "autocomplete": "off",
                **(attrs or {}),
            },
            format="%Y-%m-%d %H:%M",
        )
