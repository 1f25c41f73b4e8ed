"""Small server-side SVG bar charts: no JavaScript, no chart library, allowed by the CSP.

Colours and fonts come from classes styled in static/css/reports.css (the CSP forbids inline
style attributes); geometry is plain SVG attributes. The figures are also given in a table
beside each chart for screen readers and for print.
"""

from __future__ import annotations

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 480, 260
LEFT, RIGHT, TOP, BOTTOM = 4, 4, 26, 34


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _short(value: float) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def bar_chart(*, title: str, labels: list[str], values: list[float | None], chart_id: str) -> SafeString:
    """An accessible SVG bar chart: one bar per label (a month), the value above each bar."""
    count = max(len(values), 1)
    top = _nice_max(max([v or 0 for v in values] or [0]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / count
    bar_w = slot * 0.64
    bars = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = LEFT + i * slot + (slot - bar_w) / 2
        h = 0 if not value else max(1.0, plot_h * value / top)
        y = TOP + plot_h - h
        cx = x + bar_w / 2
        bars.append(
            (
                f"{x:.1f}",
                f"{y:.1f}",
                f"{bar_w:.1f}",
                f"{h:.1f}",
                f"{label}: {_short(value) if value is not None else '—'}",
                f"{cx:.1f}",
                f"{y - 4:.1f}",
                _short(value) if value else "",
                f"{HEIGHT - BOTTOM + 16:.1f}",
                label,
            )
        )
    # Plain formatting (format_html escaped every number too): the text parts are escaped here.
    body = mark_safe(  # noqa: S308 - the text parts are escaped below
        "".join(
            f'<g class="bar"><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="2"><title>{escape(tip)}</title></rect>'
            f'<text class="value" x="{cx}" y="{ty}" text-anchor="middle">{escape(shown)}</text>'
            f'<text class="axis" x="{cx}" y="{ay}" text-anchor="middle">{escape(label)}</text></g>'
            for x, y, w, h, tip, cx, ty, shown, ay, label in bars
        )
    )
    baseline = TOP + plot_h
    return format_html(
        '<svg class="chart" id="{id}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title"'
        ' preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title>'
        '<line class="baseline" x1="{left}" y1="{base}" x2="{right}" y2="{base}"/>{body}</svg>',
        id=chart_id,
        w=WIDTH,
        h=HEIGHT,
        title=title,
        left=LEFT,
        right=WIDTH - RIGHT,
        base=baseline,
        body=body,
    )
