"""Form widgets the project's one field template (core/templatetags/ui.py) renders its own way."""

from django import forms


class UnitPicker(forms.CheckboxSelectMultiple):
    """Checkboxes of units, rendered grouped by category with a search box and "select all in
    <category>" (static/js/app.js). The field's queryset must select_related("category")."""
