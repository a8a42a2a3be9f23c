from django.contrib import admin

from innohub.core.admin import AuditedModelAdmin
from innohub.directory.models import Organisation, Sector


@admin.register(Sector)
class SectorAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "name_en"]
    search_fields = ["name", "name_en", "code"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "helix", "province", "commune", "country", "stage", "verified"]
    raw_id_fields = ["province", "commune", "former_district"]
    list_filter = ["kind", "helix", "stage", "verified", "country"]
    search_fields = ["name", "name_en", "short_name", "tax_code"]
    readonly_fields = ["verified_by", "verified_at", "search_text"]
