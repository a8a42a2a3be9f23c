"""Events in /admin/: series, forms (a schema with any problem is refused), events with their
sessions; registrations, check-ins and certificates read-only (they change through services)."""

from django import forms
from django.contrib import admin

from innohub.events.models import (
    Certificate,
    CheckIn,
    Event,
    EventForm,
    Registration,
    Series,
    Session,
)
from innohub.forms import schema_problems


class EventFormAdminForm(forms.ModelForm):
    class Meta:
        model = EventForm
        fields = ["code", "version", "title", "schema"]

    def clean_schema(self):
        schema = self.cleaned_data["schema"]
        problems = schema_problems(schema)
        if problems:
            raise forms.ValidationError(problems)
        return schema


@admin.register(EventForm)
class EventFormAdmin(admin.ModelAdmin):
    form = EventFormAdminForm
    list_display = ["code", "version", "title"]


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_on", "ends_on"]
    prepopulated_fields = {"slug": ["title"]}


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "status", "capacity"]
    list_filter = ["status", "kind", "series"]
    search_fields = ["title", "title_en"]
    inlines = [SessionInline]
    readonly_fields = ["status", "cancel_reason", "sequence"]
    filter_horizontal = ["sectors"]
    # not a list of the whole directory (100,000 organisations, 200,000 people): a search, or ids
    autocomplete_fields = ["organisers", "partners"]
    raw_id_fields = ["speakers"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["name", "event", "state", "created_at"]
    list_filter = ["state"]
    search_fields = ["name", "email"]


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ["registration", "session", "checked_at", "method"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "registration", "issued_at", "revoked"]
    search_fields = ["number"]
