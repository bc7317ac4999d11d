"""Reports as small declarative classes (pretalx/pretix exporter style).

A report collects its figures once into plain JSON (`collect`), and renders that same data to a
PDF (an HTML template through WeasyPrint) and an XLSX twin (one sheet per table). The data's hash
is the cache key: the same data gives the same files.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass

import tablib

from portal.reports.formatting import safe_cell

RENDER_VERSION = "2"  # bump when templates change, so cached files are produced again


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list]


class Report:
    kind = ""
    verbose_name = ""
    template = ""

    def __init__(self, **params):
        self.params = params

    def title(self) -> str:
        return self.verbose_name

    def filename_base(self) -> str:
        return self.kind

    def collect(self) -> dict:
        """All figures as JSON-serialisable data (including `tables`). Subclasses fill it."""
        return {"tables": []}

    @staticmethod
    def fingerprint(data: dict) -> str:
        blob = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str) + RENDER_VERSION
        return hashlib.sha256(blob.encode()).hexdigest()

    def charts(self, data: dict) -> dict[str, str]:
        """SVG charts by table key; each is printed just before its table."""
        return {}

    def context(self, data: dict) -> dict:
        tables = [
            {**t, "display_rows": [[display_cell(cell) for cell in row] for row in t["rows"]]}
            for t in data["tables"]
        ]
        return {"report": self, "data": data, "tables": tables, "charts": self.charts(data)}

    def render_pdf(self, data: dict) -> tuple[bytes, int]:
        """The PDF and its number of pages."""
        from portal.pdf import render_pdf_with_pages

        return render_pdf_with_pages(self.template, self.context(data))

    def render_xlsx(self, data: dict) -> bytes:
        book = tablib.Databook()
        for table in data["tables"]:
            sheet = tablib.Dataset(
                headers=[safe_cell(h) for h in table["headers"]], title=table["title"][:31]
            )
            for row in table["rows"]:
                sheet.append([safe_cell(cell) for cell in row])
            book.add_sheet(sheet)
        buffer = io.BytesIO(book.export("xlsx"))
        return buffer.getvalue()


def display_cell(value) -> dict:
    """A cell for the PDF: Swedish number formatting, numbers right-aligned."""
    from portal.reports.formatting import number

    if value is None:
        return {"text": "–", "num": True}
    if isinstance(value, bool):
        return {"text": str(value), "num": False}
    if isinstance(value, int):
        return {"text": number(value), "num": True}
    if isinstance(value, float):
        return {"text": number(value, 1), "num": True}
    return {"text": str(value), "num": False}


def table(key: str, title: str, headers: list[str], rows: list[list]) -> dict:
    return {"key": key, "title": title, "headers": headers, "rows": rows}
