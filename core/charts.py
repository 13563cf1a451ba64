"""Horizontal bar charts drawn by the server as SVG (templates/includes/bar_chart.html): no
chart library, no script."""


def bar_chart(items, *, scale, width=720, bar=14, gap=4, label_width=150):
    """`items`: (label, value, highlighted) in display order; a bar is value ÷ scale wide."""
    if not items:
        return None
    usable = width - label_width - 60
    bars = []
    for index, (label, value, highlighted) in enumerate(items):
        length = int(usable * value / scale) if scale else 0
        bars.append(
            {
                "y": index * (bar + gap),
                "length": length,
                "label": label,
                "value": value,
                "highlighted": highlighted,
                "text_x": label_width + length + 4,
            }
        )
    return {
        "width": width,
        "height": len(bars) * (bar + gap),
        "bars": bars,
        "bar": bar,
        "label_width": label_width,
        "text_dy": bar - 3,
    }
