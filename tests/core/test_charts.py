"""core.charts.bar_chart: server-drawn SVG bars."""

from decimal import Decimal as D

from django.template.loader import render_to_string

from core.charts import bar_chart


def test_bars_are_scaled_labelled_escaped_and_highlighted():
    chart = bar_chart(
        [("<甲>街道办事处的很长的名字", D("95.50"), False), ("乙局", D("40.00"), True)],
        scale=100,
    )
    svg = render_to_string("includes/bar_chart.html", {"chart": chart, "label": "最终得分"})
    assert chart["height"] == 2 * (14 + 4)
    # usable width 720 − 150 − 60 = 510: 95.5 % of it is 487, 40 % is 204
    assert 'width="487" height="14" fill="#0d6efd"' in svg
    assert 'width="204" height="14" fill="#dc3545"' in svg
    assert "&lt;甲&gt;街道办事处的...</text>" in svg  # 12 characters in all, escaped
    assert "<title>&lt;甲&gt;街道办事处的很长的名字: 95.50</title>" in svg
    assert 'aria-label="最终得分"' in svg and "<甲>" not in svg


def test_nothing_to_draw_is_no_chart():
    assert bar_chart([], scale=100) is None
