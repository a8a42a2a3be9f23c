"""The index's public pages under gunicorn: /indicators/ and a unit profile, beside the bare view.

Uses bench/http_load.py's database (the demo data, var/bench-http.sqlite3 or DATABASE_URL),
gunicorn and load generator, and measures in one run:

1. the first request of each page on a freshly started server whose run has no stored charts
   (what every visitor met before charts were drawn at the end of a run: each worker drew them);
2. the time to draw and store the run's charts (``page_charts.charts_precompute``, what the
   background task does when a run ends);
3. the first request of each page on a freshly started server once they are stored, then
   BENCH_REQUESTS requests per URL from BENCH_CONCURRENCY keep-alive clients, warm (p50/p95),
   the bare Django view (routing and middleware, no query, no template) as the baseline.

Target (issue 28): p95 under 300 ms warm, and no multi-second first request after a run.
Finishes in a few minutes on the 2-core machine (BENCH_REQUESTS=200 per URL by default).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("BENCH_REQUESTS", "200")
os.environ.setdefault("BENCH_CONCURRENCY", "2")

import http_load  # noqa: E402  (after the defaults it reads)

BASE = f"http://{http_load.HOST}:{http_load.PORT}"


def _shell(env: dict[str, str], code: str) -> str:
    out = subprocess.run([http_load.PY, "manage.py", "shell", "-c", code], cwd=http_load.ROOT, env=env,
                         check=True, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


def _server(env: dict[str, str]) -> subprocess.Popen:
    server = subprocess.Popen(
        [http_load.PY, "-m", "gunicorn", "config.wsgi", "-w", str(http_load.WORKERS), "-b",
         f"{http_load.HOST}:{http_load.PORT}", "--log-level", "warning", "--timeout", "180"],
        cwd=http_load.ROOT, env=env,
    )
    for _ in range(600):
        try:
            urllib.request.urlopen(f"{BASE}/api/v1/health", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.1)
    _stop(server)
    raise SystemExit("gunicorn did not answer within a minute")


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def _first_requests(urls: dict[str, str]) -> dict[str, float]:
    """Each URL once per worker on a fresh server (the slowest of them: a worker's first)."""
    first: dict[str, float] = {}
    for name, path in urls.items():
        times = []
        for _ in range(http_load.WORKERS):
            started = time.perf_counter()
            urllib.request.urlopen(f"{BASE}{path}", timeout=300).read()
            times.append((time.perf_counter() - started) * 1000)
        first[name] = round(max(times), 1)
    return first


def main() -> int:
    env = http_load._env()
    http_load._prepare(env)
    run_id, unit = _shell(env, (
        "from innohub.indicators.models import Run, Unit; "
        "run = Run.objects.filter(status='succeeded').order_by('-finished_at', '-id').first(); "
        "print(run.pk, Unit.objects.filter(results__run=run).distinct().order_by('code').first().code)"
    )).split()
    urls = {"bare Django view (baseline)": "/bench/bare/", "/indicators/": "/indicators/",
            f"/indicators/units/{unit}/": f"/indicators/units/{unit}/"}

    _shell(env, f"from innohub.indicators.models import RunChart; print(RunChart.objects.filter(run_id={run_id}).delete()[0])")
    server = _server(env)
    try:
        undrawn = _first_requests(urls)
    finally:
        _stop(server)

    _shell(env, f"from innohub.indicators.models import RunChart; print(RunChart.objects.filter(run_id={run_id}).delete()[0])")
    started = time.perf_counter()
    drawn = _shell(env, f"from innohub.indicators.models import Run; from innohub.indicators.page_charts import charts_precompute; "
                        f"print(charts_precompute(run=Run.objects.get(pk={run_id})))")
    precompute_s = round(time.perf_counter() - started, 1)

    server = _server(env)
    try:
        stored = _first_requests(urls)
        results = {name: http_load._load(path) for name, path in urls.items()}
    finally:
        _stop(server)

    bare = results["bare Django view (baseline)"]["p95_ms"]
    print(f"gunicorn {http_load.WORKERS} workers, {http_load.CONCURRENCY} clients, {http_load.REQUESTS} requests per URL")
    print(f"charts of the run drawn and stored (background task at the end of a run): {drawn} charts in {precompute_s} s")
    print(f"{'URL':<36}{'1st, undrawn ms':>16}{'1st, stored ms':>15}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p95/bare':>9}{'errors':>7}")
    for name, r in results.items():
        print(f"{name:<36}{undrawn[name]:>16}{stored[name]:>15}{r['rps']:>8}{r['p50_ms']:>9}{r['p95_ms']:>9}"
              f"{round(r['p95_ms'] / bare, 1) if bare else '—':>9}{r['errors']:>7}")
    print(json.dumps({"benchmark": "indicators_pages", "first_request_ms_charts_not_drawn": undrawn,
                      "first_request_ms_charts_stored": stored, "charts_drawn": int(drawn),
                      "charts_precompute_s": precompute_s, "results": results}))
    return 1 if any(r["errors"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
