"""The API's URLs, mounted at /api/v1/ (without a language prefix) by `ApiConfig.urls`."""

from django.urls import path

from innohub.api.api import api

urlpatterns = [path("", api.urls)]
