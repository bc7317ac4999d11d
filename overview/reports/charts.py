"""Small vector charts (SVG) for reports. Each chart is followed by its table in the report."""

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

from portal.formatting import number

BAR = "#0b4a6f"
BAR_LIGHT = "#9cc3dc"
GRID = "#c9d1d9"
INK = "#1b1f24"
# The report's sans-serif (print.css @font-face): WeasyPrint does not pass CSS fonts into SVG, and
# without it the labels would fall back to a system font, embedded as one more font.
FONT = "Source Sans 3, sans-serif"


@dataclass
class Bar:
    label: str
    value: float | None
    note: str = ""


def _svg_open(title: str, width: int, height: int) -> list[str]:
    """The chart's root with what its texts share (font, size, colour), and its accessible name.
    Attributes shared by a group of elements sit on a <g>: a smaller document to parse."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT}" font-size="9" fill="{INK}" role="img" aria-label="{escape(title, {'"': "&quot;"})}" '
        'class="chart">',
        f"<title>{escape(title)}</title>",
    ]


def _value_text(value: float | None, unit: str) -> str:
    """A value label: whole numbers, rounded half up like the tables (which have the decimals);
    a share that is not 0 or 100 but would round to it keeps one decimal ("99,6 %", not "100 %")."""
    if value is None:
        return "–"
    decimals = 1 if unit == "%" and (0 < value < 0.5 or 99.5 <= value < 100) else 0
    return f"{number(value, decimals)}{'\u00a0' + unit if unit else ''}"


def axis(max_value: float) -> tuple[float, list[float]]:
    """The end of the scale and its ticks: whole steps of 1, 2, 2.5 or 5 times a power of ten,
    at most five of them; the shortest scale that holds `max_value`, and on a tie the one nearest
    four steps: 0–100 in 25s for shares, 0–50 in 10s for 41, 0 and 1 for a count of one."""
    if max_value <= 0:
        return 1, [0, 1]
    magnitude = 10 ** math.floor(math.log10(max_value / 5))
    candidates = []
    for power in (magnitude, magnitude * 10):
        for m in (1, 2, 2.5, 5):
            step = m * power
            if step == int(step) and step >= 1:  # counts are whole
                end = math.ceil(max_value / step - 1e-9) * step
                if end / step <= 5:
                    candidates.append((end, abs(end / step - 4), step))
    end, _, step = min(candidates, default=(1, 1, 1))
    return end, [step * i for i in range(round(end / step) + 1)]


def bar_chart(
    title: str, bars: list[Bar], *, max_value: float = 100, unit: str = "%", width: int = 640
) -> str:
    """A horizontal bar chart as accessible SVG (role=img with a title)."""
    row, value_w = 18, 60
    label_w = min(320, max(120, 6 + int(5.2 * max((len(b.label) for b in bars), default=10))))
    plot_w = width - label_w - value_w
    height = row * len(bars) + 28
    parts = _svg_open(title, width, height)
    max_value, scale = axis(max_value)
    ticks = [(label_w + plot_w * value / max_value, number(value)) for value in scale]
    parts.append(f'<g stroke="{GRID}" stroke-width="0.6">')
    parts += [f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 20}"/>' for x, _ in ticks]
    parts.append('</g><g font-size="8" text-anchor="middle">')
    parts += [f'<text x="{x:.1f}" y="{height - 6}">{value}</text>' for x, value in ticks]
    parts.append('</g><g text-anchor="end">')
    parts += [
        f'<text x="{label_w - 6}" y="{i * row + 14}">{escape(bar.label)}</text>' for i, bar in enumerate(bars)
    ]
    parts.append(f'</g><g fill="{BAR}">')
    for i, bar in enumerate(bars):
        if bar.value is not None:
            w = max(0.0, min(1.0, bar.value / max_value)) * plot_w if max_value else 0
            parts.append(f'<rect x="{label_w}" y="{i * row + 3}" width="{w:.1f}" height="{row - 6}"/>')
    parts.append("</g><g>")
    parts += [
        f'<text x="{label_w + plot_w + 6}" y="{i * row + 14}">{escape(_value_text(bar.value, unit))}</text>'
        for i, bar in enumerate(bars)
    ]
    parts.append("</g></svg>")
    return "".join(parts)


def line_chart(
    title: str, points: list[tuple[str, float | None]], *, width: int = 640, height: int = 180
) -> str:
    """A line chart of a share (0–100 %) over years, as accessible SVG."""
    left, right, top, bottom = 40, 20, 12, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(points) - 1, 1)
    parts = _svg_open(title, width, height)
    grid = [(top + plot_h * (1 - tick / 100), tick) for tick in (0, 25, 50, 75, 100)]
    parts.append(f'<g stroke="{GRID}" stroke-width="0.6">')
    parts += [f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}"/>' for y, _ in grid]
    parts.append('</g><g font-size="8" text-anchor="end">')
    parts += [f'<text x="{left - 5}" y="{y + 3:.1f}">{tick}\u00a0%</text>' for y, tick in grid]
    parts.append('</g><g font-size="8" text-anchor="middle">')
    coords, dots = [], []
    for i, (label, value) in enumerate(points):
        x = left + plot_w * i / n
        parts.append(f'<text x="{x:.1f}" y="{height - 8}">{escape(label)}</text>')
        if value is not None:
            y = top + plot_h * (1 - value / 100)
            coords.append(f"{x:.1f},{y:.1f}")
            dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5"/>')
            parts.append(f'<text x="{x:.1f}" y="{y - 6:.1f}">{_value_text(value, "%")}</text>')
    parts.append("</g>")
    if len(coords) > 1:
        parts.append(f'<polyline points="{" ".join(coords)}" fill="none" stroke="{BAR}" stroke-width="1.6"/>')
    parts.append(f'<g fill="{BAR}">{"".join(dots)}</g></svg>')
    return "".join(parts)
