"""An admin base class that writes the audit log, so administrators' edits are audited too."""

from __future__ import annotations

from django.contrib import admin
from django.forms.models import model_to_dict

from innohub.activity.services import event_record


class AuditedModelAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        before = None
        if change and obj.pk:
            previous = type(obj).objects.filter(pk=obj.pk).first()
            before = model_to_dict(previous) if previous else None
        super().save_model(request, obj, form, change)
        action = f"{obj._meta.model_name}.{'changed' if change else 'created'}_in_admin"
        event_record(actor=request.user, action=action, target=obj, before=before, after=model_to_dict(obj))

    def delete_model(self, request, obj):
        before = model_to_dict(obj)
        event_record(actor=request.user, action=f"{obj._meta.model_name}.deleted_in_admin", target=obj, before=before)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(AuditedModelAdmin):
    """For records that only services may write (audit events, applications, payments)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
