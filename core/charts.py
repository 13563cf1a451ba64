"""Horizontal bar charts drawn by the server as SVG: no chart library, no script.

The bars are written here rather than in a template loop: a ranking page draws 50 of them,
and a template node per attribute cost more than the rest of the chart put together."""

from django.utils.formats import localize
from django.utils.html import format_html_join
from django.utils.text import Truncator

BAR = (
    '<text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>'
    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>'
    '<text x="{}" y="{}" font-size="11">{}</text>'
)
BLUE, RED = "#0d6efd", "#dc3545"


def _shortened(label, length):
    """Truncator(label).chars(length), skipped for the labels already short enough (most unit
    names: a ranking page draws 50 of them, and Truncator costs more than the bar)."""
    label = str(label)
    return label if len(label) <= length else Truncator(label).chars(length)


def bar_chart(items, *, scale, width=720, bar=14, gap=4, label_width=150):
    """`items`: (label, value, highlighted) in display order, optionally with the text to show
    instead of the value; a bar is value ÷ scale wide. Returns what
    templates/includes/bar_chart.html needs, or None when there is nothing."""
    if not items:
        return None
    usable = width - label_width - 60
    rows = []
    for index, (label, value, highlighted, *text) in enumerate(items):
        length = int(usable * value / scale) if scale else 0
        y = index * (bar + gap)
        text_y = y + bar - 3
        shown = text[0] if text else localize(value)
        rows.append(
            (
                *(label_width - 4, text_y, _shortened(label, 12)),
                *(label_width, y, length, bar, RED if highlighted else BLUE, label, shown),
                *(label_width + length + 4, text_y, shown),
            )
        )
    return {
        "width": width,
        "height": len(rows) * (bar + gap),
        "bars": format_html_join("", BAR, rows),
    }
