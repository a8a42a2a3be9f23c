from django.contrib import admin

from innohub.activity.models import Event, Notification
from innohub.core.admin import ReadOnlyAdmin


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_label", "action", "target_label", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "target_label"]
    date_hierarchy = "created_at"


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "message", "subject", "read_at", "emailed_at"]
    list_filter = ["message"]
    search_fields = ["subject", "recipient__username"]
    raw_id_fields = ["recipient"]
