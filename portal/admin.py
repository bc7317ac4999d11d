from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from portal.forms import PortalModelForm
from portal.models import FocusArea, ImportBatch, Invitation, Membership, Organisation, StatisticValue, User


class MembershipInline(admin.TabularInline):
    form = PortalModelForm
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = PortalModelForm
    list_display = ["code", "name", "kind", "parent", "library_name"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "county_name", "library_name"]
    list_select_related = ["parent"]


@admin.register(StatisticValue)
class StatisticValueAdmin(admin.ModelAdmin):
    """Key figures, usually imported (/importera/statistik/); corrected here one by one."""

    form = PortalModelForm
    list_display = ["organisation", "indicator", "year", "value", "source", "updated_at"]
    list_filter = ["year", "indicator"]
    search_fields = ["organisation__name", "organisation__code", "indicator__name"]
    list_select_related = ["organisation", "indicator"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["updated_by", "updated_at"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """The record of imports: who imported what and when (read-only)."""

    form = PortalModelForm
    list_display = ["filename", "kind", "created_by", "created_at", "status", "imported_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["created_by"]
    exclude = ["content"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "title", "phone")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "first_name", "last_name", "password1", "password2")},
        ),
    )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = PortalModelForm
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__email", "user__last_name", "organisation__name", "organisation__code"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    form = PortalModelForm
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = ["token_hash", "accepted_at", "accepted_by", "created_at"]
    list_select_related = ["organisation"]


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    form = PortalModelForm
    list_display = ["name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
