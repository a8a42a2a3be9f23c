from django.urls import path

from innohub.qa import views

app_name = "qa"
urlpatterns = [
    path("", views.faq, name="faq"),
    path("answers/<int:pk>/", views.answer_detail, name="answer"),
    path("answers/<int:pk>/feedback/", views.answer_feedback, name="answer-feedback"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("suggest/", views.suggest, name="suggest"),
    path("ask/", views.ask, name="ask"),
    path("ask/thanks/", views.asked, name="asked"),
    path("track/", views.track, name="track"),
    path("mine/", views.my_questions, name="mine"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.question_detail, name="question"),
    path("inbox/<int:pk>/attachment/", views.question_attachment, name="attachment"),
    path("inbox/<int:pk>/feedback/", views.question_feedback, name="question-feedback"),
    path("inbox/<int:pk>/<slug:action>/", views.question_action, name="question-action"),
    path("knowledge/", views.knowledge, name="knowledge"),
    path("knowledge/weights/", views.fusion_weights, name="fusion-weights"),
    path("knowledge/<int:pk>/", views.knowledge_document, name="knowledge-document"),
    path("knowledge/<int:pk>/progress/", views.knowledge_progress, name="knowledge-progress"),
    path("knowledge/<int:pk>/withdraw/", views.knowledge_withdraw, name="knowledge-withdraw"),
    path("knowledge/<int:pk>/reinstate/", views.knowledge_reinstate, name="knowledge-reinstate"),
    path("stats/", views.stats, name="stats"),
    path("stats/export.<slug:fmt>", views.stats_export, name="stats-export"),
]
