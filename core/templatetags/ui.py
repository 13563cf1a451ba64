"""Render form fields with Bootstrap classes, so templates stay one line per field.

Every field goes through `form_field` and its one template, `includes/field.html`: single
inputs with a label whose `for` names them; radio and checkbox groups as a fieldset whose legend
names the group, one `.form-check` per option with its own label; unit lists as the searchable
unit picker, grouped by category. Scores show with 2 places."""

from django import forms, template
from django.forms.boundfield import BoundWidget
from django.utils.html import format_html

from core.decimals import round_score
from core.widgets import UnitPicker
from core.years import PAGE_YEAR_FIELD, selected_year

register = template.Library()


def _widget_class(widget):
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


def _options(field, css):
    """The bound options of a radio or checkbox group, each with its own id and class."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({"class": css})
    if field.auto_id:
        attrs["id"] = field.auto_id
    attrs.pop("required", None)  # a group is required as a whole, not each box
    return [
        BoundWidget(widget, data, field.form.renderer)
        for data in widget.subwidgets(field.html_name, field.value(), attrs)
    ]


def _unit_groups(options):
    groups = {}
    for option in options:
        unit = option.data["value"].instance
        groups.setdefault(unit.category, []).append((option, unit))
    return [{"category": category, "options": units} for category, units in groups.items()]


@register.inclusion_tag("includes/field.html")
def form_field(field, size=""):
    widget = field.field.widget
    css = _widget_class(widget)
    if size and css != "form-check-input":
        css += f" {css}-{size}"
    if field.errors:
        css += " is-invalid"
    context = {"field": field, "kind": "single"}
    if isinstance(widget, forms.RadioSelect):
        options = _options(field, css)
        if isinstance(widget, UnitPicker):
            context.update(kind="units", groups=_unit_groups(options))
        else:
            context.update(kind="choices", options=options)
    elif isinstance(widget, forms.CheckboxInput):
        context.update(kind="check", widget=field.as_widget(attrs={"class": css}))
    else:
        context["widget"] = field.as_widget(attrs={"class": css})
    return context


@register.filter
def score(value):
    """A score as people read it: 2 places, half-up (0 → 0.00); empty stays empty."""
    if value is None or value == "":
        return ""
    return round_score(value)


@register.simple_tag(takes_context=True)
def page_year(context):
    """The hidden field saying which year a year-scoped page's form was shown for
    (core.middleware.PageYearMiddleware refuses it once another tab selected another year)."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">',
        PAGE_YEAR_FIELD,
        selected_year(context["request"]),
    )


@register.filter
def month_name(number):
    """A month's name in the page's language (一月, January): English read "Month 1"."""
    from django.utils.dates import MONTHS

    return MONTHS[int(number)]
