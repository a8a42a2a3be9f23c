"""Directory search at scale: 100,000 organisations and 200,000 people, SQLite or PostgreSQL.

Builds its own database (var/bench-directory.sqlite3, or the DATABASE_URL you give; the
PostgreSQL database is created under the name bench_directory (BENCH_DATABASE) and dropped afterwards unless
BENCH_KEEP=1), seeds the demo organisations, then bulk-creates generated organisations
(names from Vietnamese company-name parts, sectors, communes, stages), their search tokens,
and people with positions. It then times, in-process through Django's test client (URL
routing, middleware, selectors, template rendering, no network):

  - a plain indexed lookup (the baseline): Organisation.objects.get(slug=…) by primary index,
  - the public search page with a query typed without diacritics, with diacritics, and as
    partial words, each sampled from real generated names,
  - the same with facet filters (kind, commune, sector),
  - a broad query that matches most of the directory (the worst case, reported apart),
  - a profile page (people, relations),
  - reloading the in-memory search index (what the first search after a write paid before
    background refresh, and what a process still pays for its first index),
  - with background refresh (production's default): the time from a write (a new organisation, a
    renamed one) until a search finds it, and searches timed while the index is brought up to
    date beside them, by an update in place (a write) and by a full rebuild.

Every page computes its facet counts (kind, sector, province, commune, country, stage) as a visitor sees
them. Prints p50/p95 per case as a table and as JSON.

    .venv/bin/python bench/directory_search.py            # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/directory_search.py
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ORGS = int(os.environ.get("BENCH_ORGS", "100000"))
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "200000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "60"))
# PostgreSQL database the benchmark creates (and drops unless BENCH_KEEP=1): give each run on a
# shared server its own name
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "bench_directory")
if not BENCH_DATABASE.isidentifier():
    sys.exit(f"BENCH_DATABASE must be a plain identifier, not {BENCH_DATABASE!r}")


def _configure(database: str = BENCH_DATABASE, sqlite_name: str = "bench-directory.sqlite3") -> str:
    """The benchmark's own database (PostgreSQL `database`, or var/`sqlite_name`), then Django."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, _, _name = url.rpartition("/")
        with psycopg.connect(url, autocommit=True) as conn:
            if os.environ.get("BENCH_REUSE") != "1":
                conn.execute(f"DROP DATABASE IF EXISTS {database}")
                conn.execute(f"CREATE DATABASE {database}")
        os.environ["DATABASE_URL"] = f"{base}/{database}"
        vendor = "postgresql"
    else:
        path = ROOT / "var" / sqlite_name
        path.parent.mkdir(exist_ok=True)
        if os.environ.get("BENCH_REUSE") != "1":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        vendor = "sqlite"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.update(DJANGO_DEBUG="false", AXES_ENABLED="false", LOG_LEVEL="WARNING", DJANGO_ALLOWED_HOSTS="testserver",
                      API_RATE_LIMIT_PER_MINUTE="10000000")
    import django

    django.setup()
    return vendor


PREFIXES = ["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH Công nghệ", "Công ty Cổ phần Giải pháp", "Công ty TNHH MTV",
            "Viện", "Trung tâm", "Quỹ Đầu tư", "Hợp tác xã"]
TOPICS = ["Trí tuệ Nhân tạo", "Sinh học", "Năng lượng Xanh", "Robot", "Bán dẫn", "Đô thị Thông minh", "Chuyển đổi Số",
          "Y tế Số", "Giáo dục", "Nông nghiệp Công nghệ cao", "Tài chính Số", "Vật liệu Mới", "Môi trường", "Logistics",
          "Thương mại Điện tử", "Du lịch Thông minh", "Dược phẩm", "Thực phẩm Sạch"]
ROOTS = ["Sao Việt", "Mekong", "Sài Gòn", "Bến Thành", "Phương Nam", "Trường Sơn", "Hồng Lạc", "An Khang", "Minh Trí",
         "Thái Bình", "Hòa Phát", "Đại Dương", "Lạc Việt", "Tâm An", "Nhà Bè", "Thủ Đức", "Cần Giờ", "Gia Định",
         "Bình Minh", "Ánh Dương", "Hưng Thịnh", "Phú Quý", "Kim Long", "Thiên Ân", "Vạn Xuân", "Hải Âu", "Sông Hồng",
         "Cửu Long", "Đồng Nai", "Tây Nguyên", "Hoàng Gia", "Nhật Minh", "Quang Trung", "Lê Lợi", "Hạ Long",
         "Phú Mỹ", "Tân Cảng", "Việt Úc", "Việt Nhật", "Toàn Cầu"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Quốc", "Hữu", "Ngọc", "Đức", "Thu", "Hoàng"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hùng", "Khôi", "Lan", "Linh", "Long",
         "Mai", "Minh", "Nam", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến"]


def build(rng: random.Random) -> dict:
    from django.core.management import call_command
    from django.db import transaction

    from innohub.directory import demo
    from innohub.directory.models import Organisation, Person, Position, SearchToken, Sector

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    with transaction.atomic():
        demo.seed(startups=40)
    sectors = list(Sector.objects.all())
    through = Organisation.sectors.through
    kinds = [(Organisation.Kind.STARTUP, Organisation.Helix.PRIVATE)] * 6 + [
        (Organisation.Kind.ENTERPRISE, Organisation.Helix.PRIVATE), (Organisation.Kind.ACADEMIA, Organisation.Helix.ACADEMIA),
        (Organisation.Kind.INVESTOR, Organisation.Helix.PRIVATE), (Organisation.Kind.SUPPORT, Organisation.Helix.PUBLIC)]
    stages = Organisation.Stage.values
    batch = 5000
    made = 0
    while made < ORGS:
        orgs = []
        for i in range(made, min(ORGS, made + batch)):
            kind, helix = rng.choice(kinds)
            name = f"{rng.choice(PREFIXES)} {rng.choice(TOPICS)} {rng.choice(ROOTS)} {rng.choice(ROOTS)}"
            org = Organisation(
                kind=kind, helix=helix, name=name, slug=f"bench-{i:06d}", tax_code=f"1{i:09d}",
                province_id="79", commune_id=rng.choice(demo.COMMUNES), city="TP. Hồ Chí Minh", country="VN" if rng.random() < 0.95 else rng.choice(["AU", "SG", "JP", "KR"]),
                stage=rng.choice(stages) if kind == Organisation.Kind.STARTUP else "", team_size=rng.randint(2, 200),
                verified=rng.random() < 0.7, description="",
            )
            org.refresh_search_text()
            orgs.append(org)
        with transaction.atomic():
            Organisation.objects.bulk_create(orgs, batch_size=1000)
            created = {o.slug: o for o in Organisation.objects.filter(slug__in=[o.slug for o in orgs]).only("id", "slug")}
            tokens, links = [], []
            for org in orgs:
                pk = created[org.slug].pk
                tokens += [SearchToken(organisation_id=pk, token=t) for t in org.search_tokens()]
                for sector in rng.sample(sectors, rng.randint(1, 2)):
                    links.append(through(organisation_id=pk, sector_id=sector.pk))
            SearchToken.objects.bulk_create(tokens, batch_size=5000)
            through.objects.bulk_create(links, batch_size=5000)
        made += len(orgs)
    ids = list(Organisation.objects.values_list("id", flat=True))
    made = 0
    while made < PEOPLE:
        people = [Person(honorific=rng.choice(["Ông", "Bà", "TS."]), full_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                         search_text="") for _ in range(min(batch * 2, PEOPLE - made))]
        with transaction.atomic():
            Person.objects.bulk_create(people, batch_size=2000)
            Position.objects.bulk_create(
                [Position(person=p, organisation_id=rng.choice(ids), kind=rng.choice(Position.Kind.values), title=f"Chức danh {n}")
                 for n, p in enumerate(people)], batch_size=2000)
        made += len(people)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"build_seconds": round(time.perf_counter() - t0, 1), "organisations": Organisation.objects.count(),
            "people": Person.objects.count(), "search_tokens": SearchToken.objects.count()}


def _time(fn, repeat: int) -> dict:
    for _ in range(3):
        fn(0)
    samples = []
    for i in range(repeat):
        t = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 2), "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
            "max_ms": round(samples[-1], 2), "n": repeat}


def measure(rng: random.Random) -> dict:
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from innohub.core.text import fold_diacritics
    from innohub.directory import search_index
    from innohub.directory.models import Organisation

    # the cases below clear the cache (the directory's version with it) before each search: the
    # first search after that rebuilds the index once, in the untimed warm-up, as before background
    # refresh existed; measure_refresh times searches during a rebuild on purpose
    settings.DIRECTORY_INDEX_BACKGROUND_REFRESH = False
    client = Client()
    search_index.get_index()
    sample = list(Organisation.objects.filter(slug__startswith="bench-").order_by("?").values_list("slug", "name", "commune_id")[:REPEAT])
    accented = [" ".join(name.split()[-4:]) for _s, name, _d in sample]  # topic + two roots, e.g. "Robot Sao Việt Mekong"
    folded = [fold_diacritics(q).lower() for q in accented]
    partial = [" ".join(w[: max(2, len(w) - 2)] for w in q.split()[-3:]) for q in folded]
    slugs = [s for s, _n, _d in sample]

    def page(url, params, clear=True):
        def run(i):
            if clear:
                cache.clear()  # facet counts computed every time, as for a new query
            response = client.get(url, params(i))
            assert response.status_code == 200, response.status_code
            response.content  # noqa: B018 - render
        return run

    cases = {
        "baseline: Organisation.objects.get(slug=…) (primary index)": lambda i: Organisation.objects.get(slug=slugs[i % len(slugs)]),
        "search without diacritics (e.g. “robot sao viet mekong”)": page("/directory/", lambda i: {"q": folded[i % len(folded)]}),
        "search with diacritics (e.g. “Robot Sao Việt Mekong”)": page("/directory/", lambda i: {"q": accented[i % len(accented)]}),
        "search from partial words (e.g. “rob sao mek”)": page("/directory/", lambda i: {"q": partial[i % len(partial)]}),
        "search + facets (kind=startup, commune, sector=ai)": page("/directory/", lambda i: {"q": " ".join(folded[i % len(folded)].split()[-2:]), "kind": "startup", "commune": sample[i % len(sample)][2], "sector": "ai"}),
        "search “trung tam khoi nghiep”": page("/directory/", lambda i: {"q": "trung tam khoi nghiep"}),
        "broad query “cong ty” (matches most records; worst case)": page("/directory/", lambda i: {"q": "cong ty"}),
        "browse all, page 50, no query (facets cached)": page("/directory/", lambda i: {"page": 50}, clear=False),
        "profile page (people, relations)": page_profile(client, slugs),
    }
    results = {}
    for name, fn in cases.items():
        results[name] = _time(fn, REPEAT)
    from innohub.directory import search_index

    def reload_index(i):
        search_index.forget()
        search_index.get_index()
    results["reload the in-memory search index (first search after a write)"] = _time(reload_index, max(3, REPEAT // 10))
    results.update(measure_refresh(client, folded))
    count = client.get("/api/v1/directory/organisations", {"q": "trung tam khoi nghiep"}).json()["count"]
    return {"cases": results, "check": {"trung tam khoi nghiep matches": count}}


def _summary(samples: list[float]) -> dict:
    samples = sorted(samples)
    if not samples:
        return {"n": 0}
    return {"p50_ms": round(statistics.median(samples), 2), "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 2),
            "max_ms": round(samples[-1], 2), "n": len(samples)}


def measure_refresh(client, folded: list[str]) -> dict:
    """Background refresh (production's setting): a write until a search finds it, and the searches
    answered while the index is brought up to date beside them — by an update in place (any write
    it can follow) and by a full rebuild (what a write it cannot follow, or compaction, costs)."""
    from django.conf import settings

    from innohub.directory import search_index, services
    from innohub.directory.models import Organisation

    settings.DIRECTORY_INDEX_BACKGROUND_REFRESH = True
    search_index.get_index()

    def searches_while_refreshing(samples: list[float]) -> None:
        while search_index.refreshing():
            t = time.perf_counter()
            response = client.get("/directory/", {"q": folded[len(samples) % len(folded)]})
            assert response.status_code == 200
            samples.append((time.perf_counter() - t) * 1000)

    def until_found(word: str, during: list[float]) -> float | None:
        """Searches every 10 ms until one finds `word`; those answered while the index was
        brought up to date beside them are kept in `during`."""
        t = time.perf_counter()
        while time.perf_counter() - t < 30:
            refreshing = search_index.refreshing()
            s = time.perf_counter()
            response = client.get("/api/v1/directory/organisations", {"q": word.lower()})
            if refreshing:
                during.append((time.perf_counter() - s) * 1000)
            if response.json()["count"] == 1:
                return (time.perf_counter() - t) * 1000
            time.sleep(0.01)
        return None

    def new_word() -> str:
        return "Benchwrite" + "".join(random.choice("bcdfghklmnpqrstvx") for _ in range(8))

    def writes(found: dict[str, list], during: list[float]) -> None:
        search_index.get_index()  # the fingerprint's form may have changed (the page cache): refresh first
        search_index.wait_for_refresh()
        for n in range(max(3, REPEAT // 6)):
            search_index.wait_for_refresh()
            word = new_word()
            if n % 2 == 0:  # a new organisation
                org = Organisation(kind="support", helix="public", name=f"Trung tâm {word}", slug=f"bench-write-{word.lower()}")
                org.refresh_search_text()
                org.save()
            else:  # an existing one renamed
                org = Organisation.objects.filter(slug__startswith="bench-0").order_by("?")[0]
                org.name = f"Công ty {word}"
                org.refresh_search_text()
                org.save(update_fields=["name", "search_text", "name_key", "updated_at"])
            services.organisation_index(organisation=org)
            search_index.directory_changed()
            at = until_found(word, during)
            found["new" if n % 2 == 0 else "renamed"].append(at if at is not None else 30_000.0)  # not found within 30 s
            search_index.wait_for_refresh()
            found["by a full rebuild"].append(search_index.get_index().updates == 0)

    # without the page cache (no Redis): each update also counts the public organisations
    found_alone: dict[str, list] = {"new": [], "renamed": [], "by a full rebuild": []}
    during_update: list[float] = []
    writes(found_alone, during_update)
    # with it, as in production with Redis (here on the local-memory cache: one process): the
    # statement wrapper tells the update about deletes and bulk updates, and no count is needed
    from django.db import connection

    from innohub.core import page_cache

    settings.PAGE_CACHE_ENABLED = True
    page_cache.watch(connection)
    found_cached: dict[str, list] = {"new": [], "renamed": [], "by a full rebuild": []}
    try:
        writes(found_cached, during_update)
    finally:
        connection.execute_wrappers.remove(page_cache._watch)
        settings.PAGE_CACHE_ENABLED = False
    # a full rebuild beside the searches: what compaction or a write the update cannot follow costs
    during_rebuild: list[float] = []
    stale, search_index.MAX_STALE = search_index.MAX_STALE, -1  # every refresh rebuilds in full
    try:
        for _round in range(10):
            if len(during_rebuild) >= REPEAT:
                break
            search_index.wait_for_refresh()
            search_index.directory_changed()
            client.get("/directory/", {"q": folded[0]})  # this search sees the change and starts the rebuild
            searches_while_refreshing(during_rebuild)
        search_index.wait_for_refresh()
    finally:
        search_index.MAX_STALE = stale
    settings.DIRECTORY_INDEX_BACKGROUND_REFRESH = False
    return {"API search while the index is updated beside it (a write)": _summary(during_update),
            "search while the index is rebuilt in full beside it": _summary(during_rebuild),
            "a write until a search finds it: new organisation": _summary(found_alone["new"]),
            "a write until a search finds it: renamed organisation": _summary(found_alone["renamed"]),
            "the same with the page cache on (production, Redis): new organisation": _summary(found_cached["new"]),
            "the same with the page cache on (production, Redis): renamed": _summary(found_cached["renamed"]),
            "writes found by a full rebuild instead of an update (page cache off, on)": {
                "n": sum(found_alone["by a full rebuild"]) + sum(found_cached["by a full rebuild"]),
                "off": sum(found_alone["by a full rebuild"]), "on": sum(found_cached["by a full rebuild"])}}


def page_profile(client, slugs):
    def run(i):
        response = client.get(f"/directory/{slugs[i % len(slugs)]}/")
        assert response.status_code == 200
    return run


def main() -> None:
    vendor = _configure()
    rng = random.Random(20261124)
    if os.environ.get("BENCH_REUSE") == "1":
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)  # the reused database may predate an index
        info = {}
    else:
        info = build(rng)
    info["database"] = vendor
    info["load_average_before"] = [round(x, 2) for x in os.getloadavg()]
    figures = measure(rng)
    info["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    base = next(iter(figures["cases"].values()))["p95_ms"]
    print(f"\nDirectory search, {vendor}: {info}")
    print(f"{'case':<66} {'p50 ms':>8} {'p95 ms':>8} {'x base p95':>10}")
    for name, r in figures["cases"].items():
        if r.get("p95_ms") is None:
            print(f"{name:<66} (n = {r.get('n', 0)})")
            continue
        print(f"{name:<66} {r['p50_ms']:>8.2f} {r['p95_ms']:>8.2f} {r['p95_ms'] / base if base else 0:>10.1f}")
    print(json.dumps({**info, **figures}, ensure_ascii=False, indent=2))
    if vendor == "postgresql" and os.environ.get("BENCH_KEEP") != "1":
        from django.db import connections

        connections.close_all()
        import psycopg

        url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")


if __name__ == "__main__":
    main()
