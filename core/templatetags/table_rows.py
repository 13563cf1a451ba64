"""One table row rendered in Python: what django-tables2's row block does, without a template
node per cell and without recomputing, per cell, the attributes of a column that do not
depend on the row (on a 50-row page these were most of a list page's time)."""

from django import template
from django.template.base import render_value_in_context
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def _fixed_td_attrs(table):
    """The rendered td attributes of each column whose attributes have no callables, once per
    table (callables receive the record, so those columns are rendered per cell)."""
    fixed = getattr(table, "_fixed_td_attrs", None)
    if fixed is None:
        fixed = {}
        for column in table.columns:
            declared = {**table.attrs, **column.column.attrs}
            td = declared.get("td", declared.get("cell", {}))
            if not any(callable(value) for value in td.values()):
                fixed[column.name] = column.attrs["td"].as_html()
        table._fixed_td_attrs = fixed
    return fixed


@register.simple_tag(takes_context=True)
def table_row(context, row):
    fixed = _fixed_td_attrs(row.table)
    cells = []
    for column, cell in row.items():
        attrs = fixed.get(column.name)
        if attrs is None:
            attrs = column.attrs["td"].as_html()
        # as the stock template: {{ cell }}, or {{ cell|localize }} / {{ cell|unlocalize }}
        if column.localize is not None:
            cell = str(formats.localize(cell, use_l10n=bool(column.localize)))
        cells.append(format_html("<td {}>{}</td>", attrs, render_value_in_context(cell, context)))
    return format_html("<tr {}>{}</tr>", row.attrs.as_html(), SafeString("".join(cells)))
