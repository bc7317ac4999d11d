from django.contrib import admin

from network.models import Network, NetworkDocument, NetworkMember
from portal.forms import PortalModelForm


class MemberInline(admin.TabularInline):
    form = PortalModelForm
    model = NetworkMember
    extra = 0
    raw_id_fields = ["user"]
    autocomplete_fields = ["organisation"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    form = PortalModelForm
    list_display = ["name", "status", "visibility", "open_to_join"]
    list_filter = ["status", "visibility", "open_to_join"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["regions", "focus_areas"]
    inlines = [MemberInline]


admin.site.register(NetworkDocument, form=PortalModelForm)
