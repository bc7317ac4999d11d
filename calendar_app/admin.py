from django.contrib import admin

from calendar_app.models import CalendarFeed, Event, Registration
from portal.forms import PortalModelForm


class RegistrationInline(admin.TabularInline):
    form = PortalModelForm
    model = Registration
    extra = 0
    fields = ["name", "email", "organisation", "status", "attended", "queued_at"]
    readonly_fields = ["queued_at"]
    autocomplete_fields = ["organisation"]
    show_change_link = True


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = PortalModelForm
    list_display = ["title", "kind", "organiser", "starts_at", "status", "capacity", "confirmed_count"]
    list_filter = ["status", "kind", "visibility"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    list_select_related = ["organiser"]
    autocomplete_fields = ["organiser"]
    readonly_fields = ["confirmed_count", "sequence"]
    inlines = [RegistrationInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    form = PortalModelForm
    list_display = ["name", "email", "event", "status", "attended", "queued_at"]
    list_filter = ["status"]
    search_fields = ["name", "email", "event__title"]
    list_select_related = ["event"]
    raw_id_fields = ["event", "user"]


admin.site.register(CalendarFeed, form=PortalModelForm)
