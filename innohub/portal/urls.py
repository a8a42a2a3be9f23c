from django.urls import path

from innohub.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("after-login/", views.after_login, name="after-login"),
    path("my/", views.my_space, name="my-space"),
]
