"""Nothing personal in what is published (Decree 13/2023/NĐ-CP): with the demo data loaded, an
anonymous visitor walks every public page it can reach from the home page, the English site,
the FAQ and the directory, and downloads the open data; none of them holds an account's or an
asker's e-mail address or phone, an asker's name or IP address, or a directory person's
contact details."""

from __future__ import annotations

import io
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from tests.test_csp import SKIP, PageScan

pytestmark = pytest.mark.django_db
MAX_PAGES = 200


def personal_values() -> set[str]:
    from innohub.accounts.models import User
    from innohub.directory.models import Person
    from innohub.qa.models import Question

    values: set[str] = set()
    for email, phone in User.objects.values_list("email", "phone"):
        values |= {email, phone}
    for email, name, ip in Question.objects.values_list("asker_email", "asker_name", "submitted_ip"):
        values |= {email, name if name and len(name) >= 6 else "", ip or ""}
    for email, phone in Person.objects.values_list("email", "phone"):
        values |= {email, phone}
    return {v for v in values if v and len(v) >= 6}


@pytest.mark.slow
def test_no_public_page_or_open_data_holds_personal_data():
    from django.core.cache import cache

    cache.clear()
    call_command("seed_demo", "--quiet", stdout=io.StringIO())
    secrets = personal_values()
    assert len(secrets) > 10
    client = Client()
    seen: set[str] = set()
    queue = ["/", "/en/", "/qa/", "/directory/", "/programs/", "/indicators/",
             "/directory/open-data.csv", "/directory/open-data.json"]
    while queue and len(seen) < MAX_PAGES:
        path = urldefrag(queue.pop(0))[0]
        parts = urlsplit(path)
        if parts.scheme or parts.netloc or not path.startswith("/") or path in seen:
            continue
        if SKIP.search(parts.path) and "open-data" not in parts.path:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200:
            continue
        body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
        found = sorted(v for v in secrets if v in body)
        assert not found, f"{path} shows personal data: {found[:5]}"
        if "text/html" in response.get("Content-Type", ""):
            scan = PageScan()
            scan.feed(body)
            queue.extend(link for link in scan.links if "page=" not in link or "page=2" in link)
    assert len(seen) > 30
