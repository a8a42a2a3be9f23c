"""URLs: the API outside language prefixes; pages in Vietnamese at / and English at /en/.

Each app declares where its pages go (`urls` on its AppConfig, `innohub.core.registry`);
only Django's own pages (admin, language switch, JavaScript catalogue) are named here.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from innohub.core import registry

admin.site.site_header = "innohub"
admin.site.site_title = "innohub"

urlpatterns = [
    *registry.urlpatterns(i18n=False),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    *registry.urlpatterns(i18n=True),
    prefix_default_language=False,
)

if settings.BENCHMARK_BARE_VIEW:
    # Only for bench/http_load.py: the cheapest Django response, as the baseline.
    urlpatterns.insert(0, path("bench/bare/", lambda request: HttpResponse("ok", content_type="text/plain")))

handler403 = "innohub.portal.errors.permission_denied"
handler404 = "innohub.portal.errors.page_not_found"
handler500 = "innohub.portal.errors.server_error"
