"""Reports as small declarative classes (pretalx/pretix exporter style).

A report collects its figures once into plain JSON (`collect`), and renders that same data to a
PDF (an HTML template through WeasyPrint) and an XLSX twin (one sheet per table). The data's hash
is the cache key: the same data gives the same files. `collect` lists the report's sections, one
small method each; the queries they run live in the apps' `queries.py`. Who may read a report is
the report's own answer (`may_read`), built on the rules.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass

import tablib

from portal.exports import escape_cell
from portal.formatting import number
from portal.pdf import render_pdf_with_pages

RENDER_VERSION = "9"  # bump when templates change, so cached files are produced again


class Report:
    kind = ""
    verbose_name = ""
    template = ""

    def __init__(self, **params):
        self.params = params

    @classmethod
    def may_read(cls, user, parameters: dict) -> bool:
        """Whether the user may ask for this report with these parameters and read it."""
        return False

    @classmethod
    def readable(cls, user, jobs: list) -> list:
        """Those of the jobs of this kind that the user may read, in their order. A kind whose
        check reads the database answers for many jobs at once (no query per job)."""
        return [job for job in jobs if cls.may_read(user, job.parameters)]

    def title(self) -> str:
        return self.verbose_name

    def filename_base(self) -> str:
        return self.kind

    def collect(self) -> dict:
        """All figures as JSON-serialisable data (including `tables`). Subclasses fill it."""
        return {"tables": []}

    @staticmethod
    def fingerprint(data: dict, parameters: dict | None = None) -> str:
        """The hash of the report's scope (its parameters) and data: one job per fingerprint."""
        content = {"parameters": parameters or {}, "data": data}
        blob = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str) + RENDER_VERSION
        return hashlib.sha256(blob.encode()).hexdigest()

    def charts(self, data: dict) -> dict[str, str]:
        """SVG charts by table key; each is printed just before its table."""
        return {}

    def context(self, data: dict) -> dict:
        tables, charts = [], self.charts(data)
        for t in data["tables"]:
            if t.get("groups"):  # printed as a list grouped by region; the XLSX has the table
                names = sum(len(group["items"]) for group in t["groups"])
                tables.append({**t, "chart": charts.get(t["key"]), "keep": names <= KEEP_NAMES})
                continue
            rows = [[display_cell(cell) for cell in row] for row in t["rows"]]
            tables.append(
                {
                    **t,
                    "chart": charts.get(t["key"]),
                    "display_rows": rows,
                    "widths": column_widths(t["headers"], rows),
                    "keep": len(rows) <= KEEP_ROWS,
                }
            )
        return {"report": self, "data": data, "tables": tables}

    def render_pdf(self, data: dict) -> tuple[bytes, int]:
        """The PDF and its number of pages."""

        return render_pdf_with_pages(self.template, self.context(data))

    def render_xlsx(self, data: dict) -> bytes:
        book = tablib.Databook()
        for table in data["tables"]:
            sheet = tablib.Dataset(
                headers=[escape_cell(h) for h in table["headers"]], title=table["title"][:31]
            )
            for row in table["rows"]:
                sheet.append([escape_cell(cell) for cell in row])
            book.add_sheet(sheet)
        buffer = io.BytesIO(book.export("xlsx"))
        return buffer.getvalue()


def display_cell(value) -> dict:
    """A cell for the PDF: Swedish number formatting, numbers right-aligned."""

    if value is None:
        return {"text": "–", "num": True}
    if isinstance(value, bool):
        return {"text": str(value), "num": False}
    if isinstance(value, int):
        return {"text": number(value), "num": True}
    if isinstance(value, float):
        return {"text": number(value, 1), "num": True}
    return {"text": str(value), "num": False}


KEEP_ROWS = 15  # a table this short stays on one page with its heading and chart
KEEP_NAMES = 40  # a list of names this short, likewise

TABLE_MM = 166  # the text width of an A4 page with the report's margins
CHAR_MM = 1.75  # an average character at 9 pt, with a little to spare
PAD_MM = 3.4  # cell padding, left and right


def column_widths(headers: list[str], rows: list[list[dict]]) -> list[str]:
    """Column widths in per cent from the text the columns hold, for a fixed table layout:
    WeasyPrint then lays out each cell once instead of measuring every cell for an automatic
    layout. Every column gets room for its longest word (words are not hyphenated in reports);
    the rest of the width goes to the columns with longer text, up to about 40 characters."""

    def longest_word(text: str) -> int:
        return max((len(word) for word in str(text).split()), default=1)

    minimum, wanted = [], []
    for index, header in enumerate(headers):
        cells = [row[index]["text"] for row in rows if index < len(row)]
        word = max([longest_word(header), *(longest_word(c) for c in cells)])
        content = max([len(c) for c in cells] or [1])
        minimum.append(word * CHAR_MM + PAD_MM)
        wanted.append(max(min(content, 40) * CHAR_MM + PAD_MM, minimum[-1]))
    spare = TABLE_MM - sum(minimum)
    if spare <= 0:
        widths = minimum
    else:
        growth = [w - m for w, m in zip(wanted, minimum, strict=True)]
        if sum(growth) <= spare:  # everything fits on one line: share out what is left
            widths = [w + (spare - sum(growth)) * w / sum(wanted) for w in wanted]
        else:
            widths = [m + spare * g / sum(growth) for m, g in zip(minimum, growth, strict=True)]
    total = sum(widths)
    return [f"{width * 100 / total:.1f}%" for width in widths]


@dataclass(frozen=True)
class Section:
    """One table of a report, and the data of the chart printed just before it, if any."""

    table: dict
    chart: list[dict] | None = None


def tables_and_charts(sections: list[Section]) -> dict:
    """The sections as the report data's `tables`, in order, and `charts`, by table key."""
    return {
        "charts": {s.table["key"]: s.chart for s in sections if s.chart is not None},
        "tables": [s.table for s in sections],
    }


def table(
    key: str, title: str, headers: list[str], rows: list[list], groups: list | None = None, note: str = ""
) -> dict:
    """A table of the report. With `groups`, the PDF prints it as a compact list of names grouped
    under headings (`name_groups`) instead of a long table, with `note` under it; the XLSX always
    has every column."""
    result = {"key": key, "title": title, "headers": headers, "rows": rows}
    if groups is not None:
        result["groups"] = groups
    if note:
        result["note"] = note
    return result


def name_groups(pairs, last: tuple[str, ...] = ()) -> list[dict]:
    """(group, entry) pairs as [{"label": group, "items": [entries]}], groups in the order they
    first appear, except that the labels in `last` come last, in that order. A list of names reads
    better than a table of four columns repeating the region, and it is a fraction of the layout
    work for WeasyPrint (see bench/README.md)."""
    groups: dict[str, list[str]] = {}
    for group, entry in pairs:
        groups.setdefault(group, []).append(entry)
    order = sorted(groups, key=lambda label: last.index(label) + 1 if label in last else 0)
    return [{"label": label, "items": groups[label]} for label in order]
