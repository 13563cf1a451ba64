"""Render form fields with Bootstrap classes, so templates stay one line per field; show scores
with 2 places."""

from django import forms, template

from core.decimals import round_score

register = template.Library()


def _widget_class(widget):
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.inclusion_tag("includes/field.html")
def form_field(field, size=""):
    css = _widget_class(field.field.widget)
    if size and css != "form-check-input":
        css += f" {css}-{size}"
    if field.errors:
        css += " is-invalid"
    return {
        "field": field,
        "widget": field.as_widget(attrs={"class": css}),
        "is_check": css.startswith("form-check-input"),
    }


@register.filter
def score(value):
    """A score as people read it: 2 places, half-up (0 → 0.00); empty stays empty."""
    if value is None or value == "":
        return ""
    return round_score(value)
