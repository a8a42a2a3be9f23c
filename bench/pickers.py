"""The directory's picker at the directory's size: 100,000 organisations, 200,000 people.

Builds the same generated directory as bench/directory_search.py (its `build`), in a database of
its own (var/bench-pickers.sqlite3, or bench_pickers on the PostgreSQL server of DATABASE_URL,
dropped first unless BENCH_REUSE=1), then measures, through Django's test client as an officer
(URL routing, middleware, the two-step login's session, template rendering; no network):

  - the baseline of the same run: the event form's old organisers field, a `<select multiple>`
    of every live organisation, rendered alone (its bytes and time), and a plain
    `get(slug=…)` on its index;
  - the staff's event edit page with the picker (organisers, partners, speakers), bytes and time;
  - the suggestions endpoint for organisations: a name typed without diacritics, partial words,
    a broad "cong ty", and for people a full name without diacritics;
  - a form sent with a typed name that the server resolves: one match (a tax code, saved), and
    several (the page comes back with them to choose from).

Prints a table (p50 / p95 ms, bytes) and JSON.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/pickers.py
    BENCH_ORGS=20000 BENCH_PEOPLE=40000 .venv/bin/python bench/pickers.py   # SQLite, smaller
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "40"))


def _configure() -> str:
    from bench.directory_search import _configure as configure

    return configure("bench_pickers", "bench-pickers.sqlite3")


def _people_searchable() -> None:
    """The generated people are bulk-created, which skips Person.save(): give them their folded
    name as saving would (the names come from a few thousand combinations: one joined update)."""
    from django.db import connection, transaction

    from innohub.core.text import search_key
    from innohub.directory.models import Person

    names = list(Person.objects.filter(search_text="").values_list("full_name", flat=True).distinct())
    if not names:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_names (full_name varchar(200), folded varchar(200))")
        cursor.executemany("INSERT INTO bench_names VALUES (%s, %s)", [(n, search_key(n)[:200]) for n in names])
        cursor.execute("UPDATE directory_person SET search_text = bench_names.folded FROM bench_names "
                       "WHERE directory_person.full_name = bench_names.full_name AND directory_person.search_text = ''")
        cursor.execute("DROP TABLE bench_names")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _officer():
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from innohub.accounts.models import User

    user, _ = User.objects.get_or_create(username="bench-officer", defaults={"role": "officer", "email": "bench@example.vn"})
    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client, user


def measure(rng: random.Random) -> dict:
    from django import forms
    from django.utils import timezone

    from bench.directory_search import _time
    from innohub.core.text import fold_diacritics
    from innohub.directory.models import Organisation, Person
    from innohub.directory.pickers import ORGANISATION_SCOPES
    from innohub.events.models import Event

    client, user = _officer()
    event, _ = Event.objects.get_or_create(slug="bench-picker", defaults={
        "title": "Hội thảo đo picker", "starts_at": timezone.now(), "ends_at": timezone.now() + timezone.timedelta(hours=2),
        "place": "272 Võ Thị Sáu", "created_by": user})
    sample = list(Organisation.objects.filter(slug__startswith="bench-").order_by("?").values_list("slug", "name", "tax_code")[:REPEAT])
    event.organisers.set(Organisation.objects.filter(slug__in=[s for s, _n, _t in sample[:2]]))
    folded = [fold_diacritics(" ".join(name.split()[-3:])).lower() for _s, name, _t in sample]  # e.g. "robot sao viet" + root
    partial = [" ".join(w[: max(2, len(w) - 2)] for w in q.split()) for q in folded]
    people = [fold_diacritics(n).lower() for n in Person.objects.order_by("?").values_list("full_name", flat=True)[:REPEAT]]
    slugs = [s for s, _n, _t in sample]
    sizes: dict[str, int] = {}

    class OldForm(forms.Form):
        organisers = forms.ModelMultipleChoiceField(queryset=ORGANISATION_SCOPES["live"]().order_by("name"), required=False)

    def old_select(i):
        sizes["old <select> of every live organisation (one field)"] = len(str(OldForm()["organisers"]))

    edit_url = f"/events/manage/{event.pk}/edit/"

    def edit_page(i):
        response = client.get(edit_url)
        assert response.status_code == 200, response.status_code
        sizes["event edit page with three pickers (whole page)"] = len(response.content)

    def suggest(kind, queries):
        url = f"/directory/staff/pick/{kind}/"

        def run(i):
            response = client.get(url, {"q": queries[i % len(queries)], "scope": "live" if kind == "organisations" else "all"})
            assert response.status_code == 200, response.status_code
            response.content  # noqa: B018
        return run

    form = {"kind": "workshop", "title": "Hội thảo đo picker", "mode": "in_person", "place": "272 Võ Thị Sáu", "language": "vi",
            "required_share": "80", "starts_at": "2030-03-02T08:00", "ends_at": "2030-03-02T11:00", "partners_q": "", "speakers_q": ""}

    def resolve(i):  # the one-match path: a tax code names one organisation
        response = client.post(edit_url, {**form, "organisers_q": sample[i % len(sample)][2]})
        assert response.status_code == 302, response.status_code

    def several(i):  # the several-matches path: the page comes back with them to choose from
        response = client.post(edit_url, {**form, "organisers_q": folded[i % len(folded)].split()[0] + " sao"})
        assert response.status_code == 400, response.status_code

    cases = {
        "baseline: Organisation.objects.get(slug=…)": lambda i: Organisation.objects.get(slug=slugs[i % len(slugs)]),
        "baseline: old <select> of every live organisation, rendered": old_select,
        "event edit page with the pickers": edit_page,
        "suggestions: organisation name without diacritics": suggest("organisations", folded),
        "suggestions: partial words (“rob sao mek”)": suggest("organisations", partial),
        "suggestions: broad “cong ty”": suggest("organisations", ["cong ty"]),
        "suggestions: a person's full name without diacritics": suggest("people", people),
        "form sent with a typed tax code: one match, saved (no JavaScript)": resolve,
        "form sent with a name matching several: listed to choose (no JavaScript)": several,
    }
    results = {}
    for name, fn in cases.items():
        repeat = 5 if "old <select>" in name else REPEAT
        results[name] = _time(fn, repeat)
        print(f"  {name}: {results[name]}", flush=True)
    return {"timings": results, "bytes": sizes}


def main() -> None:
    vendor = _configure()
    from bench.directory_search import build

    rng = random.Random(20261208)
    load = os.getloadavg()
    built = build(rng) if os.environ.get("BENCH_REUSE") != "1" else {}
    _people_searchable()
    print(f"{vendor}: built {built}", flush=True)
    out = {"vendor": vendor, "built": built, "load_before": [round(x, 2) for x in load], **measure(rng),
           "load_after": [round(x, 2) for x in os.getloadavg()]}
    print("\n| case | p50 ms | p95 ms |\n| --- | ---: | ---: |")
    for name, t in out["timings"].items():
        print(f"| {name} | {t['p50_ms']} | {t['p95_ms']} |")
    for name, n in out["bytes"].items():
        print(f"| {name} | {n:,} bytes | |")
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
