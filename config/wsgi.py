"""WSGI entry point (gunicorn config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
application = get_wsgi_application()

# Import every app's views (and numpy, pandas, matplotlib, reportlab with them) now, as the
# server starts, not in the first request each worker serves (about 3 s of it; docs/benchmarks.md).
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018
