from django.urls import path

from innohub.forms import views

app_name = "forms"
urlpatterns = [
    path("", views.form_list, name="list"),
    path("<slug:kind>/new/", views.form_edit, name="new"),
    path("<slug:kind>/<int:pk>/", views.form_detail, name="detail"),
    path("<slug:kind>/<int:pk>/new-version/", views.form_edit, name="new-version"),
]
