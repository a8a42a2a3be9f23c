from django.urls import path

from innohub.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.directory_list, name="list"),
    path("open-data.<str:fmt>", views.open_data, name="open-data"),
    path("register/", views.organisation_register, name="register"),
    path("staff/", views.staff_list, name="staff-list"),
    path("staff/new/", views.staff_create, name="staff-create"),
    path("staff/changes/", views.staff_changes, name="changes"),
    path("staff/changes/<int:pk>/", views.staff_change_detail, name="change-detail"),
    path("staff/duplicates/", views.staff_duplicates, name="duplicates"),
    path("staff/merge/", views.staff_merge, name="merge"),
    path("staff/import/", views.staff_import, name="import"),
    path("staff/template.<str:fmt>", views.staff_template, name="template"),
    path("staff/export.<str:fmt>", views.staff_export, name="export"),
    path("staff/pick/<str:kind>/", views.staff_pick, name="pick"),
    path("<slug:slug>/", views.organisation_detail, name="detail"),
    path("<slug:slug>/logo/", views.organisation_logo, name="logo"),
    path("<slug:slug>/claim/", views.organisation_claim, name="claim"),
    path("<slug:slug>/edit/", views.organisation_edit, name="edit"),
    path("<slug:slug>/verify/", views.staff_verify, name="verify"),
    path("<slug:slug>/archive/", views.staff_archive, name="archive"),
    path("<slug:slug>/people/", views.staff_person_add, name="person-add"),
    path("<slug:slug>/people/<int:pk>/end/", views.staff_person_end, name="person-end"),
    path("<slug:slug>/relations/", views.staff_relation_add, name="relation-add"),
    path("<slug:slug>/relations/<int:pk>/remove/", views.staff_relation_remove, name="relation-remove"),
]
