"""The department's units (their officers and head) are kept in /admin/; everything else is
recorded on the back-office pages, through the services."""

from django.contrib import admin

from innohub.cooperation.models import Unit
from innohub.core.admin import AuditedModelAdmin


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "head")
    search_fields = ("code", "name", "name_en")
    filter_horizontal = ("members",)
