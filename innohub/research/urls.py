from django.urls import path

from innohub.research import views

app_name = "research"
urlpatterns = [
    path("", views.market, name="market"),
    path("needs/", views.need_list, name="needs"),
    path("needs/<int:pk>/", views.need_detail, name="need"),
    path("offers/new/", views.offer_new, name="offer-new"),
    path("needs/new/", views.need_new, name="need-new"),
    path("needs/post/", views.need_post, name="need-post"),
    path("needs/moderation/", views.need_moderation, name="need-moderation"),
    path("needs/<int:pk>/moderate/", views.need_moderate, name="need-moderate"),
    path("deals/<int:pk>/follow-up/", views.deal_follow_up, name="deal-follow-up"),
    path("offers/<int:pk>/", views.offer_detail, name="offer"),
    path("offers/<int:pk>/interest/", views.offer_interest, name="offer-interest"),
    path("offers/<int:pk>/decline/", views.offer_decline, name="offer-decline"),
    path("offers/<int:pk>/deal/", views.offer_deal, name="offer-deal"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/new/", views.task_new, name="task-new"),
    path("tasks/results.xlsx", views.results_export, name="results-export"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/chain/", views.task_chain, name="task-chain"),
    path("tasks/<int:pk>/team/", views.task_team, name="task-team"),
    path("tasks/<int:pk>/partners/", views.task_partners, name="task-partners"),
    path("tasks/<int:pk>/<slug:action>/", views.task_action, name="task-action"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("deals/", views.deal_list, name="deals"),
    path("councils/", views.my_councils, name="my-councils"),
    path("councils/<int:pk>/", views.council_score, name="score"),
]
