"""Inline SVG charts for the report: horizontal bars, lines with markers, and a heatmap.

Each chart is a string of SVG markup with a ``<title>`` and ``<desc>`` (screen readers read
them), a ``<title>`` tooltip on every mark, and a link from every mark to its examples.
Every text that comes from the data is escaped here. Colours come from the Okabe-Ito
palette (distinguishable with the common colour-vision deficiencies); series also differ by
dash and marker shape, and bars carry their numbers, so a grey printout still reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# Okabe & Ito (2008), "Color Universal Design".
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
GREY = "#6E6E6E"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
# A single-hue sequential ramp (light to dark blue): order is read from lightness alone.
_RAMP = ((247, 251, 255), (198, 219, 239), (107, 174, 214), (33, 113, 181), (8, 48, 107))
FONT = 12


def esc(value: object) -> str:
    """HTML/SVG-escape any value for text or a quoted attribute."""
    return escape(str(value), quote=True)


def ramp(fraction: float) -> str:
    """The colour at ``fraction`` (0..1) along the light-to-dark blue ramp."""
    f = min(max(fraction, 0.0), 1.0) * (len(_RAMP) - 1)
    i = min(int(f), len(_RAMP) - 2)
    t = f - i
    r, g, b = (round(a + (c - a) * t) for a, c in zip(_RAMP[i], _RAMP[i + 1], strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def ink_on(fraction: float) -> str:
    """Black or white text, whichever reads on :func:`ramp` at ``fraction``."""
    return "#ffffff" if fraction > 0.55 else "#1a1a1a"


def _open(chart_id: str, width: float, height: float, title: str, desc: str) -> str:
    return (
        f'<svg class="chart" id="{esc(chart_id)}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" '
        f'aria-labelledby="{esc(chart_id)}-t {esc(chart_id)}-d">'
        f'<title id="{esc(chart_id)}-t">{esc(title)}</title>'
        f'<desc id="{esc(chart_id)}-d">{esc(desc)}</desc>'
    )


def _link(href: str | None, tooltip: str, body: str) -> str:
    if href is None:
        return f"<g><title>{esc(tooltip)}</title>{body}</g>"
    return f'<a href="{esc(href)}"><title>{esc(tooltip)}</title>{body}</a>'


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, value, printed value, tooltip and examples link."""

    label: str
    value: float
    shown: str
    tooltip: str
    href: str | None = None
    colour: str = BLUE


def bar_chart(
    chart_id: str,
    bars: Sequence[Bar],
    *,
    title: str,
    desc: str,
    width: int = 760,
    label_width: int = 200,
    row_height: int = 22,
) -> str:
    """Horizontal bars, one row each, scaled to the largest value."""
    top = 6
    height = top * 2 + row_height * max(len(bars), 1)
    area = width - label_width - 90
    largest = max((b.value for b in bars), default=0.0) or 1.0
    parts = [_open(chart_id, width, height, title, desc)]
    for i, bar in enumerate(bars):
        y = top + i * row_height
        length = area * bar.value / largest
        body = (
            f'<text x="{label_width - 8}" y="{y + row_height * 0.68:.1f}" text-anchor="end" '
            f'font-size="{FONT}">{esc(bar.label)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{max(length, 0.5):.1f}" '
            f'height="{row_height - 6}" fill="{bar.colour}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + row_height * 0.68:.1f}" '
            f'font-size="{FONT}">{esc(bar.shown)}</text>'
        )
        parts.append(_link(bar.href if bar.value else None, bar.tooltip, body))
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class Series:
    """One line: its name, y values (one per x), style, and per-point tooltips and links."""

    name: str
    values: Sequence[float]
    tooltips: Sequence[str]
    hrefs: Sequence[str | None]
    colour: str = BLUE
    dash: str = ""
    marker: str = "circle"


def _marker(shape: str, x: float, y: float, r: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" fill="{colour}"/>'  # noqa: E501
    if shape == "triangle":
        pts = (
            f"{x:.1f},{y - r * 1.2:.1f} {x - r * 1.1:.1f},{y + r:.1f} {x + r * 1.1:.1f},{y + r:.1f}"
        )
        return f'<polygon points="{pts}" fill="{colour}"/>'
    if shape == "diamond":
        pts = f"{x:.1f},{y - r * 1.3:.1f} {x + r * 1.3:.1f},{y:.1f} {x:.1f},{y + r * 1.3:.1f} {x - r * 1.3:.1f},{y:.1f}"  # noqa: E501
        return f'<polygon points="{pts}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}"/>'


def nice_max(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 2.5, 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 1.0
    while power * 10 < value:
        power *= 10
    while power > value:
        power /= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def line_chart(
    chart_id: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    y_max: float,
    y_suffix: str = "%",
    width: int = 760,
    height: int = 240,
    legend: bool = True,
) -> str:
    """Lines over periods, with a marker (linked to examples) on every point."""
    left, right, top = 44, 14, 10
    legend_h = 20 if legend and len(series) > 1 else 0
    bottom = 34 + legend_h
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(x_labels)

    def x_at(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n if n else 0)

    def y_at(v: float) -> float:
        return top + plot_h * (1 - min(v / y_max, 1.0))

    parts = [_open(chart_id, width, height, title, desc)]
    for tick in (0.0, y_max / 2, y_max):
        y = y_at(tick)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#bdbdbd" stroke-width="0.6"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10">'
            f"{tick:g}{esc(y_suffix)}</text>"
        )
    # Label only as many periods as fit (about 55 px each); the tooltips name every point.
    every = max(1, -(-n // max(2, plot_w // 55)))
    for i, name in enumerate(x_labels):
        if i % every == 0:
            parts.append(
                f'<text x="{x_at(i):.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
                f'font-size="10">{esc(name)}</text>'
            )
    for s in series:
        points = " ".join(f"{x_at(i):.1f},{y_at(v):.1f}" for i, v in enumerate(s.values))
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{s.colour}" stroke-width="2"{dash}/>'
        )
        for i, v in enumerate(s.values):
            marker = _marker(s.marker, x_at(i), y_at(v), 3.5, s.colour)
            parts.append(_link(s.hrefs[i], s.tooltips[i], marker))
    if legend_h:
        x = float(left)
        y = height - 8
        for s in series:
            dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
            parts.append(
                f'<line x1="{x:.1f}" x2="{x + 26:.1f}" y1="{y - 4}" y2="{y - 4}" '
                f'stroke="{s.colour}" stroke-width="2"{dash}/>'
                + _marker(s.marker, x + 13, y - 4, 3.5, s.colour)
                + f'<text x="{x + 32:.1f}" y="{y}" font-size="{FONT}">{esc(s.name)}</text>'
            )
            x += 40 + 7.5 * len(s.name)
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class Cell:
    """One heatmap cell: its count, tooltip and examples link."""

    count: int
    tooltip: str
    href: str | None = None


def heatmap(
    chart_id: str,
    labels: Sequence[str],
    cells: Sequence[Sequence[Cell]],
    *,
    title: str,
    desc: str,
    cell: int = 30,
    label_width: int = 190,
    top_margin: int = 150,
) -> str:
    """A square matrix of counts, shaded light to dark, with the count printed in each cell."""
    n = len(labels)
    width = label_width + n * cell + 70  # room for the last rotated column label
    height = top_margin + n * cell + 10
    largest = max((c.count for row in cells for c in row), default=0) or 1
    parts = [_open(chart_id, width, height, title, desc)]
    for j, name in enumerate(labels):
        x = label_width + j * cell + cell / 2
        parts.append(
            f'<text transform="translate({x + 4:.1f},{top_margin - 6}) rotate(-60)" '
            f'font-size="11">{esc(name)}</text>'
        )
    for i, name in enumerate(labels):
        y = top_margin + i * cell
        parts.append(
            f'<text x="{label_width - 6}" y="{y + cell * 0.62:.1f}" text-anchor="end" '
            f'font-size="11">{esc(name)}</text>'
        )
        for j, c in enumerate(cells[i]):
            x = label_width + j * cell
            fraction = c.count / largest
            outline = ' stroke="#1a1a1a" stroke-width="1.2"' if i == j else ' stroke="#ffffff"'
            body = (
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" '
                f'fill="{ramp(fraction)}"{outline}/>'
                f'<text x="{x + cell / 2:.1f}" y="{y + cell * 0.64:.1f}" text-anchor="middle" '
                f'font-size="10" fill="{ink_on(fraction)}">{c.count}</text>'
            )
            parts.append(_link(c.href if c.count else None, c.tooltip, body))
    parts.append("</svg>")
    return "".join(parts)
