"""Participant list export (CSV with BOM, XLSX) through django-import-export.

django-import-export only strips a leading '='; spreadsheet programs also run cells that
start with + - @ tab or carriage return, so every text cell is escaped here.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from calendar_app.models import Registration

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value):
    """Make a value safe for spreadsheets: a leading formula character gets a quote in front."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class ParticipantResource(resources.ModelResource):
    name = fields.Field(attribute="name", column_name=_("Name"))
    email = fields.Field(attribute="email", column_name=_("E-mail address"))
    organisation = fields.Field(column_name=_("Organisation"))
    status = fields.Field(column_name=_("Status"))
    registered = fields.Field(column_name=_("Registered"))
    needs = fields.Field(attribute="needs", column_name=_("Special needs"))
    attended = fields.Field(column_name=_("Attended"))

    class Meta:
        model = Registration
        fields = ("name", "email", "organisation", "status", "registered", "needs", "attended")
        export_order = fields

    def dehydrate_organisation(self, registration):
        return registration.organisation.name if registration.organisation else ""

    def dehydrate_status(self, registration):
        return str(registration.get_status_display())

    def dehydrate_registered(self, registration):
        return timezone.localtime(registration.queued_at).strftime("%Y-%m-%d %H:%M")

    def dehydrate_attended(self, registration):
        if registration.attended is None:
            return ""
        return str(_("Yes")) if registration.attended else str(_("No"))

    def export_field(self, field, instance, **kwargs):
        return escape_cell(super().export_field(field, instance, **kwargs))


def export_participants(queryset, file_format: str) -> tuple[bytes, str]:
    """Return (content, content type) for 'csv' or 'xlsx'."""
    dataset = ParticipantResource().export(queryset=queryset)
    if file_format == "xlsx":
        return dataset.export("xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return ("\ufeff" + dataset.export("csv")).encode("utf-8"), "text/csv; charset=utf-8"
