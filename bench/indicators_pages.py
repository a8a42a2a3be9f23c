"""The index's public pages under load, warm: /indicators/ and a unit profile, beside a bare view.

Uses bench/http_load.py's database (the demo data, var/bench-http.sqlite3 or DATABASE_URL),
gunicorn and load generator. Each URL is first requested a few times per worker (the run's
charts and results are cached per run on the first request: ``views._cached_svg``), then
BENCH_REQUESTS requests from BENCH_CONCURRENCY keep-alive clients measure p50/p95. The bare
view is measured in the same run as the baseline. Target (issue 28): p95 under 300 ms warm.
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
os.environ.setdefault("BENCH_REQUESTS", "300")
os.environ.setdefault("BENCH_CONCURRENCY", "2")

import http_load  # noqa: E402  (after the defaults it reads)


def main() -> int:
    env = http_load._env()
    http_load._prepare(env)
    unit = subprocess.run(
        [http_load.PY, "manage.py", "shell", "-c",
         "from innohub.indicators.models import Unit; print(Unit.objects.order_by('code').first().code)"],
        cwd=http_load.ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]
    server = subprocess.Popen(
        [http_load.PY, "-m", "gunicorn", "config.wsgi", "-w", str(http_load.WORKERS), "-b",
         f"{http_load.HOST}:{http_load.PORT}", "--log-level", "warning", "--timeout", "180"],
        cwd=http_load.ROOT, env=env,
    )
    urls = {"bare Django view (baseline)": "/bench/bare/", "/indicators/": "/indicators/",
            f"/indicators/units/{unit}/": f"/indicators/units/{unit}/"}
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://{http_load.HOST}:{http_load.PORT}/api/v1/health", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        cold = {}
        for name, path in urls.items():
            started = time.perf_counter()
            urllib.request.urlopen(f"http://{http_load.HOST}:{http_load.PORT}{path}", timeout=300).read()
            cold[name] = round((time.perf_counter() - started) * 1000, 1)
            for _ in range(4 * http_load.WORKERS):  # every worker warm
                urllib.request.urlopen(f"http://{http_load.HOST}:{http_load.PORT}{path}", timeout=300).read()
        results = {name: http_load._load(path) for name, path in urls.items()}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    print(f"gunicorn {http_load.WORKERS} workers, {http_load.CONCURRENCY} clients, {http_load.REQUESTS} requests per URL, warm")
    print(f"{'URL':<34}{'first ms':>10}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
    for name, r in results.items():
        print(f"{name:<34}{cold[name]:>10}{r['rps']:>9}{r['p50_ms']:>9}{r['p95_ms']:>9}{r['errors']:>8}")
    print(json.dumps({"benchmark": "indicators_pages", "first_request_ms": cold, "results": results}))
    return 1 if any(r["errors"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
