"""Programmes at scale: one call with 10,000 applications, 300 reviewers, 3 reviews each.

Builds its own database (var/bench-programs.sqlite3, or DATABASE_URL if set — it is wiped
and migrated), then measures in one run, each beside a baseline:
  - reviewer assignment (services.reviewers_assign, with capacity, sectors and conflicts)
      baseline: inserting the same number of reviews round-robin (same INSERT), no rules;
  - ranking (services.call_rank: aggregate, sort, funding line, bulk update, one audit event
      per application)            baseline: the bare AVG ... GROUP BY query it starts from;
  - the call dashboard (selectors.call_dashboard) and the stage dashboard;
  - p95 of the applicant's list page (/programs/my/) and of the reviewer's list page
      (/programs/reviews/), through the Django test client, beside a bare Django view.
Targets (issue 4): assignment < 10 s, ranking and dashboard < 1 s, pages p95 < 100 ms.
Prints a table and a JSON line.
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
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-programs.sqlite3'}")
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings.base",
    DJANGO_DEBUG="false",
    INNOHUB_BENCH_BARE_VIEW="true",
    AXES_ENABLED="false",
    LOG_LEVEL="WARNING",
    DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
    TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend",
)

APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", "10000"))
REVIEWERS = int(os.environ.get("BENCH_REVIEWERS", "300"))
PER_APPLICATION = 3
PAGE_REQUESTS = int(os.environ.get("BENCH_PAGE_REQUESTS", "200"))


def _reset_database() -> None:
    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0, interactive=False)


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)


def _build():
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from innohub.accounts.models import Membership, User
    from innohub.directory.models import Organisation, Sector
    from innohub.programs import defaults
    from innohub.programs.models import Application, Call, ReviewerProfile

    rng = random.Random(42)
    sectors = [Sector.objects.create(code=f"s{i}", name=f"Lĩnh vực {i}") for i in range(12)]
    orgs = Organisation.objects.bulk_create(
        [Organisation(kind="startup", helix="private", name=f"Khởi nghiệp {i}", slug=f"bench-{i}", tax_code=f"09{i:08d}",
                      district=f"Quận {i % 12 + 1}", description="x") for i in range(APPLICATIONS)],
        batch_size=2000,
    )
    through = Organisation.sectors.through
    through.objects.bulk_create([through(organisation_id=o.pk, sector_id=sectors[i % 12].pk) for i, o in enumerate(orgs)], batch_size=5000)
    password = make_password("bench-password")
    officer = User.objects.create(username="bench-officer", email="o@bench.local", role="officer", password=password)
    reviewers = User.objects.bulk_create(
        [User(username=f"rev{i}", email=f"rev{i}@bench.local", role="reviewer", password=password) for i in range(REVIEWERS)],
        batch_size=1000,
    )
    profiles = ReviewerProfile.objects.bulk_create([ReviewerProfile(user=u, capacity=150) for u in reviewers])
    # a third of the reviewers are sector specialists (4 sectors each); the rest review anything
    pthrough = ReviewerProfile.sectors.through
    pthrough.objects.bulk_create(
        [pthrough(reviewerprofile_id=p.pk, sector_id=sectors[(i + k * 3) % 12].pk) for i, p in enumerate(profiles[: REVIEWERS // 3]) for k in range(4)]
    )
    # conflicts: 60 reviewers are members of a startup that applies
    Membership.objects.bulk_create([Membership(user=reviewers[i], organisation=orgs[i * 7]) for i in range(60)])
    applicant = User.objects.create(username="bench-founder", email="f@bench.local", role="applicant", password=password)
    Membership.objects.bulk_create([Membership(user=applicant, organisation=orgs[-1 - i]) for i in range(5)])
    programme = defaults.ensure_programmes()["pre_incubation"]
    now = timezone.now()
    call = Call.objects.create(
        programme=programme, year=2026, title="Bench call", opens_at=now - timezone.timedelta(days=30), closes_at=now - timezone.timedelta(days=1),
        budget=APPLICATIONS * 40_000_000 // 5, form=defaults.default_form(), rubric=defaults.default_rubric(), workflow=defaults.default_workflow(),
        reviewers_per_application=PER_APPLICATION,
    )
    form = call.form
    Application.objects.bulk_create(
        [Application(call=call, organisation=o, created_by=officer, form=form, state="under_review", title=f"Dự án {i}", reference=f"HS-B{i:08d}",
                     amount_requested=rng.choice([20, 25, 30, 35, 40]) * 1_000_000, submitted_at=now) for i, o in enumerate(orgs)],
        batch_size=2000,
    )
    return call, officer, applicant, reviewers


def _score_everything(call) -> None:
    """Fill every review as submitted with a random weighted score (not measured)."""
    from django.db import connection

    from innohub.programs.models import Review

    rng = random.Random(7)
    ids = list(Review.objects.filter(application__call=call).values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {Review._meta.db_table} SET state='submitted', weighted_score=%s WHERE id=%s",  # noqa: S608 - table name from the model
            [(round(rng.uniform(30, 95), 2), pk) for pk in ids],
        )


def _page_p95(client, url: str) -> tuple[float, float]:
    samples = []
    for _ in range(PAGE_REQUESTS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples), _p95(samples)


def main() -> None:
    _reset_database()
    from django.db import connection, transaction
    from django.db.models import Avg, Count
    from django.test import Client

    from innohub.programs import selectors, services
    from innohub.programs.models import Review

    build_s, (call, officer, applicant, reviewers) = _timed(_build)
    # Load the URLconf (and the apps it imports) as a running server already has: not measured.
    from django.urls import reverse

    reverse("programs:review-list")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics after the bulk load, as autovacuum would give

    # baseline for assignment: write the same number of reviews round-robin, no rules, then remove them
    app_ids = list(call.applications.values_list("id", flat=True))

    def naive():
        with transaction.atomic():
            services.reviews._insert_reviews(
                [(a, reviewers[(i * PER_APPLICATION + k) % len(reviewers)].pk) for i, a in enumerate(app_ids) for k in range(PER_APPLICATION)]
            )
        Review.objects.all().delete()

    naive_s, _ = _timed(naive)
    assign_s, result = _timed(lambda: services.reviewers_assign(call=call, actor=officer))
    loads = list(Review.objects.values_list("reviewer").annotate(n=Count("id")).values_list("n", flat=True))
    _score_everything(call)

    agg_s, _ = _timed(lambda: list(Review.objects.filter(application__call=call, state="submitted").values("application_id").annotate(m=Avg("weighted_score"))))
    rank_s, ranked = _timed(lambda: services.call_rank(call=call, actor=officer))
    call.refresh_from_db()
    ranking_read_s, _ = _timed(lambda: selectors.call_ranking(user=officer, call=call))
    dash_s, _ = _timed(lambda: selectors.call_dashboard(user=officer, call=call))
    stage_s, _ = _timed(lambda: selectors.stage_dashboard(user=officer, stage="pre_incubation"))

    bare = Client()
    bare_p50, bare_p95 = _page_p95(bare, "/bench/bare/")
    app_client = Client()
    app_client.force_login(applicant)
    app_p50, app_p95 = _page_p95(app_client, "/programs/my/")
    busiest = Review.objects.values("reviewer_id").annotate(n=Count("id")).order_by("-n").first()
    from innohub.accounts.models import User

    rev_client = Client()
    rev_client.force_login(User.objects.get(pk=busiest["reviewer_id"]))
    rev_p50, rev_p95 = _page_p95(rev_client, "/programs/reviews/")
    staff_client = Client()
    staff_client.force_login(officer)
    staff_p50, staff_p95 = _page_p95(staff_client, "/programs/staff/applications/")
    dash_page_p50, dash_page_p95 = _page_p95(staff_client, f"/programs/staff/calls/{call.pk}/")

    rows = [
        ("build data (not a target)", build_s * 1000, None, ""),
        ("assignment, 30,000 reviews", assign_s * 1000, naive_s * 1000, "< 10,000 ms"),
        ("ranking (call_rank)", rank_s * 1000, agg_s * 1000, "< 1,000 ms"),
        ("ranking read (call_ranking)", ranking_read_s * 1000, agg_s * 1000, "< 1,000 ms"),
        ("call dashboard (selector)", dash_s * 1000, agg_s * 1000, "< 1,000 ms"),
        ("stage dashboard (selector)", stage_s * 1000, None, "< 1,000 ms"),
        ("applicant list page p95", app_p95, bare_p95, "< 100 ms"),
        ("reviewer list page p95", rev_p95, bare_p95, "< 100 ms"),
        ("officer list page p95", staff_p95, bare_p95, "(no target)"),
        ("call dashboard page p95", dash_page_p95, bare_p95, "(no target)"),
    ]
    print(f"\nprograms_scale on {connection.vendor}: {APPLICATIONS:,} applications, {len(reviewers)} reviewers, {PER_APPLICATION} each")
    print(f"assigned {result['assigned']:,} reviews, {len(result['short'])} applications short; load per reviewer {min(loads)}–{max(loads)}; "
          f"ranked {ranked['ranked']:,}, {ranked['above_line']:,} above the funding line")
    print(f"{'measure':<32} {'ms':>10} {'baseline ms':>12} {'ratio':>7}  target")
    for name, value, base, target in rows:
        ratio = f"{value / base:.1f}×" if base else ""
        print(f"{name:<32} {value:>10.1f} {base if base is None else round(base, 1)!s:>12} {ratio:>7}  {target}")
    print(f"(page baselines: bare Django view p50 {bare_p50:.2f} ms / p95 {bare_p95:.2f} ms; applicant p50 {app_p50:.1f}, reviewer p50 {rev_p50:.1f}, officer p50 {staff_p50:.1f}, dashboard page p50 {dash_page_p50:.1f})")
    print(json.dumps({
        "database": connection.vendor, "applications": APPLICATIONS, "reviewers": len(reviewers), "per_application": PER_APPLICATION,
        "assigned": result["assigned"], "short": len(result["short"]), "load_min": min(loads), "load_max": max(loads),
        "assign_ms": round(assign_s * 1000, 1), "assign_baseline_ms": round(naive_s * 1000, 1),
        "rank_ms": round(rank_s * 1000, 1), "ranking_read_ms": round(ranking_read_s * 1000, 1), "rank_baseline_ms": round(agg_s * 1000, 1),
        "call_dashboard_ms": round(dash_s * 1000, 1), "stage_dashboard_ms": round(stage_s * 1000, 1),
        "applicant_page_p95_ms": round(app_p95, 2), "reviewer_page_p95_ms": round(rev_p95, 2),
        "officer_page_p95_ms": round(staff_p95, 2), "dashboard_page_p95_ms": round(dash_page_p95, 2),
        "bare_view_p95_ms": round(bare_p95, 2),
    }))


if __name__ == "__main__":
    main()
