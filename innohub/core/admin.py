"""An admin base class that writes the audit log, so administrators' edits are audited too;
and the public holidays of the working-day calendar, with a year's statutory ones added
in one click."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innohub.activity.services import event_record
from innohub.core import calendar
from innohub.core.errors import ApplicationError
from innohub.core.forms import HolidayYearForm
from innohub.core.models import PublicHoliday


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


@admin.register(PublicHoliday)
class PublicHolidayAdmin(AuditedModelAdmin):
    list_display = ("date", "name")
    date_hierarchy = "date"

    def get_urls(self):
        fill = path("fill/", self.admin_site.admin_view(self.fill_view), name="core_publicholiday_fill")
        return [fill, *super().get_urls()]

    def fill_view(self, request: HttpRequest) -> HttpResponse:
        """A year's statutory holidays, shown first (those not yet configured) and added on
        confirmation: the administrator then corrects what the city decides otherwise."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        default_year = next(iter(calendar.years_without_holidays(today=today)), today.year + 1)
        form = HolidayYearForm(request.POST or request.GET or {"year": default_year})
        missing: list[PublicHoliday] = []
        if form.is_valid():
            year = form.cleaned_data["year"]
            try:
                if request.method == "POST":
                    added = calendar.public_holidays_fill(year=year, actor=request.user)
                    if added:
                        messages.success(request, ngettext(
                            "%(count)d public holiday of %(year)s added.", "%(count)d public holidays of %(year)s added.", len(added),
                        ) % {"count": len(added), "year": year})
                    else:
                        messages.info(request, _("Every statutory public holiday of %(year)s is already configured.") % {"year": year})
                    return redirect(f"{reverse('admin:core_publicholiday_changelist')}?date__year={year}")
                missing = calendar.public_holidays_fill(year=year, actor=request.user, dry_run=True)
            except ApplicationError as exc:
                form.add_error("year", str(exc.message))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Add a year's statutory public holidays"),
            "form": form,
            "missing": missing,
        }
        return TemplateResponse(request, "admin/core/publicholiday/fill.html", context)
