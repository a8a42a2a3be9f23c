from django.urls import path

from innohub.privacy import views

app_name = "privacy"
urlpatterns = [
    path("request/", views.request_new, name="request-new"),
    path("request/sent/", views.request_sent, name="request-sent"),
    path("confirm/<str:token>/", views.request_confirm, name="confirm"),
    path("copy/<str:token>/", views.export_download, name="export"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
]
