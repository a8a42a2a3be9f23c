from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from innohub.accounts.models import ApiToken, Membership, User
from innohub.core.admin import AuditedModelAdmin

# django-otp's own admin pages show a device's secret key and QR code to whoever opens them and
# change devices without our audit; two-step verification is reset from the user list instead
# (the action below, audited), so the devices are not offered in /admin/.
for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin, AuditedModelAdmin):
    list_display = ["username", "email", "full_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "email", "full_name"]
    fieldsets = (*(DjangoUserAdmin.fieldsets or ()), (_("innohub"), {"fields": ["full_name", "phone", "role", "language"]}))
    inlines = [MembershipInline]
    actions = ["reset_two_factor"]

    @admin.action(description=_("Reset two-step verification (the account enrols again at its next log-in)"))
    def reset_two_factor(self, request, queryset):
        from innohub.accounts.services import two_factor_reset

        for user in queryset:
            two_factor_reset(user=user, actor=request.user)
        self.message_user(request, _("Two-step verification was reset for %(count)d accounts.") % {"count": queryset.count()}, messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "last_used_at"]
    raw_id_fields = ["user"]
