"""The system check on the site address that e-mails link to.

Links in e-mails are built from ``settings.SITE_URL``, never from a request (a task has
none); left at its development default in production, every link would point at the
reader's own machine, so ``manage.py check`` warns.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}  # noqa: S104 (addresses compared, nothing bound)


@checks.register(checks.Tags.security, deploy=True)
def site_url_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    url = getattr(settings, "SITE_URL", "")
    parts = urlsplit(url)
    if not parts.scheme or not parts.hostname:
        return [checks.Warning(f"SITE_URL ({url!r}) is not an absolute address: links in e-mails will not work.",
                               hint="Set SITE_URL to the site's public address, e.g. https://innohub.example.gov.vn.", id="innohub.W001")]
    if parts.hostname in LOCAL_HOSTS:
        return [checks.Warning(f"SITE_URL is {url}: links in e-mails will point at the reader's own machine.",
                               hint="Set SITE_URL to the site's public address, e.g. https://innohub.example.gov.vn.", id="innohub.W001")]
    return []
