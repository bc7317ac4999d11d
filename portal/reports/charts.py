"""Small vector charts (SVG) for reports. Each chart is followed by its table in the report."""

from dataclasses import dataclass
from xml.sax.saxutils import escape

from portal.reports.formatting import number

BAR = "#0b4a6f"
BAR_LIGHT = "#9cc3dc"
GRID = "#c9d1d9"
INK = "#1b1f24"


@dataclass
class Bar:
    label: str
    value: float | None
    note: str = ""


def bar_chart(
    title: str, bars: list[Bar], *, max_value: float = 100, unit: str = "%", width: int = 640
) -> str:
    """A horizontal bar chart as accessible SVG (role=img with a title)."""
    row, value_w = 18, 60
    label_w = min(320, max(120, 6 + int(5.2 * max((len(b.label) for b in bars), default=10))))
    plot_w = width - label_w - value_w
    height = row * len(bars) + 28
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title, {'"': "&quot;"})}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0, 25, 50, 75, 100):
        x = label_w + plot_w * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 20}" stroke="{GRID}" stroke-width="0.6"/>'
        )
        tick_value = number(max_value * tick / 100)
        parts.append(
            f'<text x="{x:.1f}" y="{height - 6}" font-size="8" text-anchor="middle" fill="{INK}">{tick_value}</text>'
        )
    for i, bar in enumerate(bars):
        y = i * row + 3
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 11}" font-size="9" text-anchor="end" fill="{INK}">{escape(bar.label)}</text>'
        )
        if bar.value is not None:
            w = max(0.0, min(1.0, bar.value / max_value)) * plot_w if max_value else 0
            parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{row - 6}" fill="{BAR}"/>')
            text = f"{number(bar.value, 1 if unit == '%' else 0)}{'\u00a0' + unit if unit else ''}"
        else:
            text = "–"
        parts.append(
            f'<text x="{label_w + plot_w + 6}" y="{y + 11}" font-size="9" fill="{INK}">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    title: str, points: list[tuple[str, float | None]], *, width: int = 640, height: int = 180
) -> str:
    """A line chart of a share (0–100 %) over years, as accessible SVG."""
    left, right, top, bottom = 40, 20, 12, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(points) - 1, 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title, {'"': "&quot;"})}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - tick / 100)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}" stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{left - 5}" y="{y + 3:.1f}" font-size="8" text-anchor="end" fill="{INK}">{tick}\u00a0%</text>'
        )
    coords = []
    for i, (label, value) in enumerate(points):
        x = left + plot_w * i / n
        parts.append(
            f'<text x="{x:.1f}" y="{height - 8}" font-size="8" text-anchor="middle" fill="{INK}">{escape(label)}</text>'
        )
        if value is not None:
            y = top + plot_h * (1 - value / 100)
            coords.append(f"{x:.1f},{y:.1f}")
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{BAR}"/>')
            parts.append(
                f'<text x="{x:.1f}" y="{y - 6:.1f}" font-size="8" text-anchor="middle" fill="{INK}">'
                f"{number(value, 1)}\u00a0%</text>"
            )
    if len(coords) > 1:
        parts.append(f'<polyline points="{" ".join(coords)}" fill="none" stroke="{BAR}" stroke-width="1.6"/>')
    parts.append("</svg>")
    return "".join(parts)
