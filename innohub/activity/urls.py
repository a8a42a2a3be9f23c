from django.urls import path

from innohub.activity import views

app_name = "activity"
urlpatterns = [
    path("backoffice/audit/", views.event_log, name="log"),
    path("notifications/", views.notification_inbox, name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification-open"),
    path("notifications/read-all/", views.notification_read_all, name="notifications-read-all"),
]
