"""URLs: the API and admin outside language prefixes; pages in Vietnamese at / and English at /en/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from innohub.api.api import api

admin.site.site_header = "innohub"
admin.site.site_title = "innohub"

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("innohub.accounts.urls")),
    path("backoffice/", include("innohub.backoffice.urls")),
    path("directory/", include("innohub.directory.urls")),
    path("programs/", include("innohub.programs.urls")),
    path("qa/", include("innohub.qa.urls")),
    path("indicators/", include("innohub.indicators.urls")),
    path("", include("innohub.activity.urls")),
    path("", include("innohub.portal.urls")),
    prefix_default_language=False,
)

if settings.BENCHMARK_BARE_VIEW:
    # Only for bench/http_load.py: the cheapest Django response, as the baseline.
    urlpatterns.insert(0, path("bench/bare/", lambda request: HttpResponse("ok", content_type="text/plain")))

handler403 = "innohub.portal.errors.permission_denied"
handler404 = "innohub.portal.errors.page_not_found"
handler500 = "innohub.portal.errors.server_error"
