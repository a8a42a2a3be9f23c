from django.urls import path

from innohub.cooperation import views

app_name = "cooperation"
urlpatterns = [
    path("", views.partner_list, name="partners"),
    path("partners/new/", views.partner_create, name="partner-create"),
    path("partners/<int:pk>/", views.partner_detail, name="partner"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner-edit"),
    path("partners/<int:pk>/agenda/", views.partner_agenda, name="agenda"),
    path("visits/new/", views.visit_create, name="visit-create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/participants/", views.participant_add, name="participant-add"),
    path("meetings/<int:pk>/directions/", views.direction_add, name="direction-add"),
    path("meetings/<int:pk>/minutes/", views.minutes_save, name="minutes-save"),
    path("meetings/<int:pk>/files/", views.meeting_attach, name="meeting-attach"),
    path("directions/<int:pk>/actions/", views.action_add, name="action-add"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/transition/", views.action_transition, name="action-transition"),
    path("actions/<int:pk>/progress/", views.action_progress, name="action-progress"),
    path("actions/<int:pk>/review/", views.action_review, name="action-review"),
    path("actions/<int:pk>/research-task/", views.action_task_link, name="action-task-link"),
    path("board/", views.board, name="board"),
    path("board/export.<str:fmt>", views.board_export, name="board-export"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/new/", views.agreement_create, name="agreement-create"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/transition/", views.agreement_transition, name="agreement-transition"),
    path("agreements/<int:pk>/files/", views.agreement_attach, name="agreement-attach"),
    path("files/<int:pk>/", views.attachment_download, name="attachment"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("report/<int:year>/<str:language>.pdf", views.annual_report, name="report"),
]
