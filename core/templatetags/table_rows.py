"""One table row rendered in Python: what django-tables2's row block does, without a template
node per cell, without recomputing per cell the attributes of a column that do not depend on
the row, and without django-tables2's per-cell machinery for the plainest cells (a value of a
dict row shown as it is). On a 50-row page these were most of a list page's time; a test
compares the HTML with the stock template's."""

from django import template
from django.template.base import render_value_in_context
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django_tables2 import Column

register = template.Library()


def _per_table(table, name, compute):
    remembered = getattr(table, name, None)
    if remembered is None:
        remembered = compute(table)
        setattr(table, name, remembered)
    return remembered


def _fixed_td_attrs(table):
    """The rendered td attributes of each column whose attributes have no callables (callables
    receive the record, so those columns are rendered per cell)."""
    fixed = {}
    for column in table.columns:
        declared = {**table.attrs, **column.column.attrs}
        td = declared.get("td", declared.get("cell", {}))
        if not any(callable(value) for value in td.values()):
            fixed[column.name] = column.attrs["td"].as_html()
    return fixed


def _plain_columns(table):
    """Columns whose cell in a dict row is the row's value under the column's name, or the
    column's default when empty: Column.render unchanged, no render_<name> on the table, no
    link, an accessor that is the name itself."""
    return {
        column.name
        for column in table.columns
        if type(column.column).render is Column.render
        and not hasattr(table, f"render_{column.name}")
        and not column.link
        and str(column.accessor) == column.name
        and not any(separator in column.name for separator in (".", "__"))
    }


def _cell(row, column, plain):
    record = row.record
    if column.name in plain:
        value = record.get(column.name)
        if not callable(value):
            return column.default if value in column.column.empty_values else value
    return row.get_cell(column.name)


@register.simple_tag(takes_context=True)
def table_row(context, row):
    table = row.table
    # BoundColumns filters the columns again on every pass
    columns = _per_table(table, "_row_columns", lambda table: list(table.columns))
    fixed = _per_table(table, "_fixed_td_attrs", _fixed_td_attrs)
    plain = _per_table(table, "_plain_columns", _plain_columns)
    if not isinstance(row.record, dict):
        plain = ()
    cells = []
    for column in columns:
        cell = _cell(row, column, plain)
        # as BoundRow.items(): callable attributes may read the cell's value and record
        column.current_value, column.current_record = cell, row.record
        attrs = fixed.get(column.name)
        if attrs is None:
            attrs = column.attrs["td"].as_html()
        # as the stock template: {{ cell }}, or {{ cell|localize }} / {{ cell|unlocalize }}
        if column.localize is not None:
            cell = str(formats.localize(cell, use_l10n=bool(column.localize)))
        # both parts are already escaped: the attributes by as_html, the value here
        cells.append(f"<td {attrs}>{render_value_in_context(cell, context)}</td>")
    return format_html("<tr {}>{}</tr>", row.attrs.as_html(), SafeString("".join(cells)))
