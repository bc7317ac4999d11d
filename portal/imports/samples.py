"""Sample files for each import kind: the column headings and one example row."""

from __future__ import annotations

import csv
import io

import tablib

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_for(importer, file_format: str) -> tuple[bytes, str]:
    columns = importer.columns
    headers = [str(c.label) for c in columns]
    example = [c.example for c in columns]
    if file_format == "xlsx":
        sheet = tablib.Dataset(example, headers=headers, title=str(importer.title)[:31])
        return sheet.export("xlsx"), XLSX
    # Semicolons: what Excel with Swedish settings expects when it opens a CSV file.
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headers)
    writer.writerow(example)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"
