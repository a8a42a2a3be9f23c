from django.urls import path

from innohub.backoffice import views

app_name = "backoffice"
urlpatterns = [path("", views.dashboard, name="dashboard")]
