from django.contrib import admin

from plans.models import Attachment, Plan, PlanVersion, Section
from portal.forms import PortalModelForm


class SectionInline(admin.StackedInline):
    """Read-only: plan text is written in the portal, where it is sanitised and every change
    becomes a version in the plan's history."""

    form = PortalModelForm
    model = Section
    extra = 0
    fields = ["position", "heading", "body"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class AttachmentInline(admin.TabularInline):
    form = PortalModelForm
    model = Attachment
    extra = 0
    fields = ["title", "original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    form = PortalModelForm
    list_display = ["title", "organisation", "kind", "first_year", "last_year", "status", "updated_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "organisation__name", "organisation__code"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    readonly_fields = [
        "version",
        "created_by",
        "created_at",
        "updated_at",
        "based_on",
        "adopted_document",
        "status",
    ]
    exclude = ["search_text"]
    inlines = [SectionInline, AttachmentInline]


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    form = PortalModelForm
    list_display = ["plan", "number", "summary", "created_by", "created_at"]
    list_select_related = ["plan", "created_by"]
    readonly_fields = ["plan", "number", "summary", "created_by", "created_at", "target", "snapshot"]
