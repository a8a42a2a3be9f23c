"""HTTP load on loopback: the home page and an authenticated back-office page under gunicorn.

Builds its own SQLite database with the demo data (var/bench-http.sqlite3, or DATABASE_URL
if set), starts gunicorn on 127.0.0.1 with the production-like settings, logs in as the
demo officer, then sends a bounded number of requests from concurrent keep-alive clients
to three URLs in the same run:
  - a bare Django view (the baseline: routing + middleware, no template, no query),
  - the public home page,
  - the back-office dashboard (session, permission check, a few queries).
Prints requests/s and p50/p95 latency for each, as a table and as JSON.

The load generator runs on the same 2-core machine as the server, so absolute figures are
pessimistic; the ratio to the bare view is what to compare across changes.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8765"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "2000"))  # per URL, bounded
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-http.sqlite3'}")
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DJANGO_DEBUG="false",
        INNOHUB_BENCH_BARE_VIEW="true",
        AXES_ENABLED="false",
        LOG_LEVEL="WARNING",
    )
    return env


def _prepare(env: dict[str, str]) -> None:
    for cmd in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"], ["seed_demo", "--quiet"]):
        subprocess.run([PY, "manage.py", *cmd], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def _login_cookie() -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://{HOST}:{PORT}"
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "officer", "password": "innohub-demo-2026"}).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"})
    opener.open(request).read()
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise SystemExit("could not log in as the demo officer")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def _load(path: str, cookie: str = "") -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    per_client = REQUESTS // CONCURRENCY

    def client() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        headers = {"Cookie": cookie} if cookie else {}
        mine = []
        bad = 0
        for _ in range(per_client):
            start = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - start) * 1000)
            if response.status != 200:
                bad += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += bad

    for _ in range(20):  # warm up each worker
        c = http.client.HTTPConnection(HOST, PORT, timeout=30)
        c.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        c.getresponse().read()
        c.close()
    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": round(len(latencies) / wall, 1),
        "p50_ms": round(q[49], 2),
        "p95_ms": round(q[94], 2),
    }


def main() -> int:
    env = _env()
    _prepare(env)
    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "config.wsgi", "-w", str(WORKERS), "-b", f"{HOST}:{PORT}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://{HOST}:{PORT}/api/v1/health", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        cookie = _login_cookie()
        results = {
            "bare Django view (baseline)": _load("/bench/bare/"),
            "home page (public)": _load("/"),
            "back-office dashboard (officer)": _load("/backoffice/", cookie),
        }
    finally:
        server.terminate()
        server.wait(timeout=10)
    base = results["bare Django view (baseline)"]["rps"]
    print(f"gunicorn {WORKERS} sync workers, {CONCURRENCY} keep-alive clients, {REQUESTS} requests per URL, loopback")
    print(f"{'URL':<34}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'vs bare':>9}{'errors':>8}")
    for name, r in results.items():
        print(f"{name:<34}{r['rps']:>9}{r['p50_ms']:>9}{r['p95_ms']:>9}{r['rps'] / base:>9.2f}{r['errors']:>8}")
    print(json.dumps({"benchmark": "http_load", "workers": WORKERS, "concurrency": CONCURRENCY, "results": results}))
    return 1 if any(r["errors"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
