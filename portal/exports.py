"""Tabular downloads (CSV with a BOM for Excel, and XLSX) through django-import-export.

Each export is a small `ExportResource` with declared fields; `export_response` turns one and
the rows a list page shows into a download. Views pass the same queryset the page lists, so
an export never holds more than the person may see.

django-import-export only strips a leading '='; spreadsheet programs also run cells that
start with + - @ tab or carriage return, so every exported cell (and header) is escaped here.
Control characters (other than tab and line breaks) are removed from every cell: XLSX cannot
hold them, and they mean nothing in a CSV file either. The forms refuse them
(portal.validators), but a value stored before that still exports.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.fields import Field

from portal.validators import strip_control_characters

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def escape_cell(value):
    """Make a value safe for spreadsheets: control characters removed, and a leading formula
    character gets a quote in front."""
    value = strip_control_characters(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def local_datetime(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def iso_date(value) -> str:
    return value.isoformat() if value else ""


def yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def number_field(attribute: str, column_name) -> Field:
    """A whole-number column: a number cell in Excel, not text."""
    widget = widgets.IntegerWidget(coerce_to_string=False)
    return Field(attribute=attribute, column_name=column_name, widget=widget)


class ExportResource(resources.Resource):
    """A read-only export: the declared fields in their order, every cell escaped against formulas.
    A field's attribute may name a method (`get_status_display`) or a path (`network__name`)."""

    def export_field(self, field, instance, **kwargs):
        return escape_cell(super().export_field(field, instance, **kwargs))

    def get_export_headers(self, selected_fields=None):
        return [escape_cell(h) for h in super().get_export_headers(selected_fields)]


def dated_filename(stem: str) -> str:
    """`biblioteksplaner-2026-11-28`: the stem and today's date (Europe/Stockholm)."""
    return f"{stem}-{timezone.localdate():%Y-%m-%d}"


def export_response(resource: ExportResource, rows, file_format: str, filename: str) -> HttpResponse:
    """A download of `rows` (a queryset or a list) as 'csv' or 'xlsx'; `filename` has no suffix."""
    dataset = resource.export(queryset=rows)
    if file_format == "xlsx":
        content = dataset.export("xlsx")
    elif file_format == "csv":
        # Semicolons: Excel with Swedish settings splits a CSV file on them (a comma is the
        # decimal separator here), and the BOM makes it read UTF-8.
        content = ("\ufeff" + dataset.export("csv", delimiter=";")).encode("utf-8")
    else:
        raise ValueError(f"unknown export format {file_format!r}")
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response
