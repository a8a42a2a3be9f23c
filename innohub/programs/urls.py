from django.urls import path

from innohub.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.public_home, name="public-home"),
    path("calls/<int:pk>/", views.call_detail, name="call-detail"),
    path("calls/<int:pk>/apply/", views.application_start, name="application-start"),
    path("my/", views.my_applications, name="my-applications"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application-edit"),
    path("applications/<int:pk>/attach/", views.attachment_upload, name="attachment-upload"),
    path("applications/<int:pk>/transition/", views.application_transition, name="application-transition"),
    path("applications/<int:pk>/decide/<slug:transition>/", views.application_decide, name="application-decide"),
    path("applications/<int:pk>/delete/", views.application_delete_draft, name="application-delete"),
    path("records/<int:pk>/", views.record_download, name="record-download"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("staff/applications/decide/<slug:transition>/", views.bulk_decide, name="bulk-decide"),
    path("applications/<int:pk>/message/", views.message_post, name="message-post"),
    path("applications/<int:pk>/milestones/add/", views.milestone_add, name="milestone-add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment-remove"),
    path("milestones/<int:pk>/report/", views.milestone_report, name="milestone-report"),
    path("milestones/<int:pk>/check/", views.milestone_check, name="milestone-check"),
    path("tranches/<int:pk>/disburse/", views.disbursement_record, name="disbursement-record"),
    path("reviews/", views.review_list, name="review-list"),
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("staff/applications/", views.staff_applications, name="staff-applications"),
    path("staff/calls/", views.staff_calls, name="staff-calls"),
    path("staff/calls/<int:pk>/", views.call_dashboard, name="call-dashboard"),
    path("staff/calls/<int:pk>/export.<str:fmt>", views.call_export, name="call-export"),
    path("staff/stages/<str:stage>/", views.stage_dashboard, name="stage-dashboard"),
    path("staff/stages/<str:stage>/export.<str:fmt>", views.stage_export, name="stage-export"),
    path("staff/disbursements/", views.disbursement_list, name="disbursements"),
    path("staff/disbursements/export.<str:fmt>", views.disbursement_export, name="disbursement-export"),
]
