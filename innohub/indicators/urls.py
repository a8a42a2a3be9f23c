from django.urls import path

from innohub.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.home, name="home"),
    path("units/<slug:code>/", views.unit_detail, name="unit"),
    path("sensitivity/", views.sensitivity, name="sensitivity"),
    path("method/", views.method, name="method"),
    path("report.<str:fmt>", views.report, name="report"),
    path("units/<slug:code>/report.<str:fmt>", views.report, name="unit-report"),
    path("staff/", views.staff, name="staff"),
    path("staff/import/", views.import_values, name="import"),
    path("staff/<slug:code>/compute/", views.compute, name="compute"),
    path("staff/<slug:code>/run/", views.run_start, name="run-start"),
    path("staff/<slug:code>/configure/", views.configure, name="configure"),
    path("staff/runs/<int:run_id>/", views.run_detail, name="run"),
    path("staff/runs/<int:run_id>/uncertainty/", views.uncertainty_start, name="uncertainty"),
]
