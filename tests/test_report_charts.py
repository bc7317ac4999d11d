"""The SVG charts of the reports: accessible, escaped, in the report's font, values rounded."""

import re
import xml.etree.ElementTree as ET

import pytest

from overview.reports.charts import FONT, Bar, axis, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    return [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]


def test_bar_chart_is_an_accessible_image_in_the_report_font():
    svg = bar_chart('Andel "per" län <1>', [Bar("Stockholms län", 80.84), Bar("Ö & Å", None)])
    root = ET.fromstring(svg)  # well-formed, with the label escaped
    assert root.get("role") == "img" and root.get("aria-label") == 'Andel "per" län <1>'
    assert root.find(f"{SVG}title").text == 'Andel "per" län <1>'
    assert root.get("font-family") == FONT  # no system fallback font in the PDF
    texts = _texts(svg)
    assert texts[:5] == ["0", "25", "50", "75", "100"]  # the axis
    assert texts[5:] == ["Stockholms län", "Ö & Å", "81\u00a0%", "–"]  # labels, then whole-number values
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert len(widths) == 1 and 0 < widths[0] < 640  # no bar for a missing value


def test_bar_chart_counts_and_values_beyond_the_scale():
    svg = bar_chart("Mål", [Bar("Uppnått", 3), Bar("Pågår", 12)], max_value=6, unit="")
    assert _texts(svg)[-2:] == ["3", "12"]
    widths = [float(r.get("width")) for r in ET.fromstring(svg).iter(f"{SVG}rect")]
    assert widths[1] == max(widths) and widths[0] == widths[1] / 2  # capped at the full width


def test_line_chart_skips_missing_years_in_the_line():
    svg = line_chart("Trend", [("2022", 56.9), ("2023", None), ("2024", 60.0)])
    assert ["2022", "57\u00a0%", "2023", "2024", "60\u00a0%"] == _texts(svg)[5:]
    points = ET.fromstring(svg).find(f"{SVG}polyline").get("points").split()
    assert len(points) == 2 and len(re.findall("<circle", svg)) == 2


@pytest.mark.parametrize(
    ("largest", "end", "ticks"),
    [
        (100, 100, [0, 25, 50, 75, 100]),  # shares
        (1, 1, [0, 1]),  # one goal: no "0, 0, 1, 1, 1"
        (3, 3, [0, 1, 2, 3]),
        (6, 6, [0, 2, 4, 6]),
        (12, 15, [0, 5, 10, 15]),
        (37, 40, [0, 10, 20, 30, 40]),
        (41, 50, [0, 10, 20, 30, 40, 50]),  # not 0–60: the longest bar fills most of the width
        (250, 250, [0, 50, 100, 150, 200, 250]),
        (1000, 1000, [0, 250, 500, 750, 1000]),
        (0, 1, [0, 1]),  # nothing yet
        (0.01, 1, [0, 1]),
    ],
)
def test_axis_has_round_whole_ticks(largest, end, ticks):
    assert axis(largest) == (end, ticks)


def test_count_chart_ticks_are_whole_numbers():
    svg = bar_chart("Mål efter status", [Bar("Uppnått", 1), Bar("Pågår", 0)], max_value=1, unit="")
    assert _texts(svg)[:2] == ["0", "1"] and _texts(svg)[-2:] == ["1", "0"]


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (12.5, "13\u00a0%"),
        (37.5, "38\u00a0%"),
        (99.6, "99,6\u00a0%"),
        (0.3, "0,3\u00a0%"),
        (100, "100\u00a0%"),
    ],
)
def test_value_labels_round_half_up_and_never_show_a_false_0_or_100(value, label):
    assert _texts(bar_chart("Andel", [Bar("Län", value)]))[-1] == label
