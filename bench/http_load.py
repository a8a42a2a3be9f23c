"""HTTP load on loopback: public pages, API searches and the back office under gunicorn.

Builds its own database with the demo data (var/bench-http.sqlite3, or DATABASE_URL if set;
BENCH_REUSE=1 skips loading the demo again), starts BENCH_SERVERS gunicorn servers (default 2)
of BENCH_WORKERS sync workers each on 127.0.0.1 with production-like settings (REDIS_URL, when
set, is their shared cache: the public page cache needs one, innohub/core/page_cache.py), logs
in as the demo officer, then sends a bounded number of requests from BENCH_CONCURRENCY
keep-alive clients (spread over the servers) to each URL in the same run, in BENCH_ROUNDS (4)
interleaved rounds so that the shared machine's changing load falls on baseline and pages alike:
  - a bare Django view (the baseline: routing + middleware, no template, no query),
  - the public home page, a directory search, a Q&A FAQ search, /indicators/,
  - the API's directory and FAQ searches,
  - as the demo officer: the bare view again (what any signed-in page costs before its own work: the
    session, the user and the second factor read), the back-office dashboard, one of its work queues
    whole, the notifications list.
Prints requests/s and p50/p95 latency for each, as a table and as JSON.

BENCH_SOAK_SECONDS=600 then runs the public URLs in turn for that long at the same concurrency,
with an officer saving an organisation every few seconds (each save invalidates the directory's
cached pages), and reports errors and the servers' memory (RSS and PSS) minute by minute. The servers run with
the project's gunicorn.conf.py (preloaded application, workers replaced after GUNICORN_MAX_REQUESTS
requests); `-w BENCH_WORKERS --threads BENCH_THREADS` (default 1: sync workers) override its
workers and threads.

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
THREADS = int(os.environ.get("BENCH_THREADS", "1"))  # 1: sync workers, as in the figures of docs/benchmarks.md
SERVERS = int(os.environ.get("BENCH_SERVERS", "2"))
PORTS = [PORT + n for n in range(SERVERS)]
REUSE = os.environ.get("BENCH_REUSE") == "1"
SOAK_SECONDS = int(os.environ.get("BENCH_SOAK_SECONDS", "0"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "4"))  # 0: no page measured (a soak alone)
URLS = {
    "bare Django view (baseline)": "/bench/bare/",
    "home page (public)": "/",
    "directory search (public)": "/directory/?q=trung+tam",
    "Q&A FAQ search (public)": "/qa/?q=thu+tuc+ho+tro",
    "/indicators/ (public)": "/indicators/",
    "API directory search": "/api/v1/directory/organisations?q=cong+nghe",
    "API FAQ search": "/api/v1/qa/answers?q=khoi+nghiep",
}
# the pages the demo officer opens daily, after the two-step log-in (per person: never the public cache)
STAFF_URLS = {
    "bare view, signed in (officer)": "/bench/bare/",  # the floor of any staff page: session, user, second factor
    "back-office dashboard (officer)": "/backoffice/",
    "back-office work queue (officer)": "/backoffice/?queue=programs.eligibility",
    "notifications list (officer)": "/notifications/",
}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-http.sqlite3'}")
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DJANGO_DEBUG="false",
        INNOHUB_BENCH_BARE_VIEW="true",
        AXES_ENABLED="false",
        LOG_LEVEL="WARNING",
        LOG_REQUESTS="false",
        API_RATE_LIMIT_PER_MINUTE="100000000",
        QA_DENSE_RETRIEVAL="false",
    )
    return env


def _prepare(env: dict[str, str]) -> None:
    commands = [["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]]
    if not REUSE:
        commands.append(["seed_demo", "--quiet"])
    for cmd in commands:
        subprocess.run([PY, "manage.py", *cmd], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    if env.get("REDIS_URL"):  # no page cached by an earlier run
        subprocess.run([PY, "-c", "import django; django.setup(); from django.core.cache import cache; cache.clear()"],
                       cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.base"}, check=True)


def _login_cookie() -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://{HOST}:{PORTS[0]}"
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "officer", "password": "innohub-demo-2026"}).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"})
    opener.open(request).read()
    # staff give a second factor: the demo officer's authenticator key is the demo's (accounts/demo.py)
    from django_otp.oath import totp

    page = opener.open(f"{base}/accounts/two-factor/verify/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    code = f"{totp(b'innohub-demo-totp-26'):06d}"
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "code": code}).encode()
    opener.open(urllib.request.Request(f"{base}/accounts/two-factor/verify/", data=data,
                                       headers={"Referer": f"{base}/accounts/two-factor/verify/"})).read()
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise SystemExit("could not log in as the demo officer")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def _warm(path: str, cookie: str = "") -> None:
    for n in range(20 * SERVERS):  # each worker of each server
        c = http.client.HTTPConnection(HOST, PORTS[n % SERVERS], timeout=30)
        c.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        c.getresponse().read()
        c.close()


def _burst(path: str, requests: int, cookie: str = "") -> tuple[list[float], int, float]:
    """`requests` GETs of `path` from CONCURRENCY keep-alive clients: latencies (ms), errors, wall (s)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    per_client = max(1, requests // CONCURRENCY)

    def client(port: int) -> None:
        nonlocal errors
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
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

    threads = [threading.Thread(target=client, args=(PORTS[n % SERVERS],)) for n in range(CONCURRENCY)]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - wall


def _measure(urls: dict[str, tuple[str, str]]) -> dict[str, dict[str, float]]:
    """Every URL in ROUNDS interleaved rounds (bare view, page, page…, then again), so that a change
    of the shared machine's load falls on the baseline and the pages alike; figures over all rounds."""
    for path, cookie in urls.values():
        _warm(path, cookie)
    collected: dict[str, tuple[list[float], int, float]] = {name: ([], 0, 0.0) for name in urls}
    for _ in range(ROUNDS):
        for name, (path, cookie) in urls.items():
            latencies, errors, wall = _burst(path, REQUESTS // ROUNDS, cookie)
            before = collected[name]
            collected[name] = (before[0] + latencies, before[1] + errors, before[2] + wall)
    results = {}
    for name, (latencies, errors, wall) in collected.items():
        latencies.sort()
        q = statistics.quantiles(latencies, n=100)
        results[name] = {"requests": len(latencies), "errors": errors, "rps": round(len(latencies) / wall, 1),
                         "p50_ms": round(q[49], 2), "p95_ms": round(q[94], 2)}
    return results


def _memory_mb(servers: list[subprocess.Popen]) -> tuple[float, float, int]:
    """The memory of every gunicorn process (masters and workers), in MiB: resident (RSS, pages
    shared by a master and its forked workers counted in each) and proportional (PSS, each shared
    page split between the processes sharing it: what the servers really take), and how many."""
    pids = [str(s.pid) for s in servers]
    children = subprocess.run(["pgrep", "-P", ",".join(pids)], capture_output=True, text=True, check=False).stdout.split()
    rss = pss = 0
    for pid in [*pids, *children]:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            pass
    return round(rss / 1024, 1), round(pss / 1024, 1), len(pids) + len(children)


def _soak(servers: list[subprocess.Popen], officer_cookie: str) -> dict:
    """The public URLs in turn for SOAK_SECONDS from CONCURRENCY clients, an officer's save every
    few seconds beside them; errors counted, the servers' memory sampled each minute."""
    paths = [p for name, p in URLS.items() if "baseline" not in name]
    stop = time.monotonic() + SOAK_SECONDS
    lock = threading.Lock()
    counts = {"requests": 0, "errors": 0, "saves": 0, "save_errors": 0}
    latencies: list[float] = []

    def client(n: int) -> None:
        conn = http.client.HTTPConnection(HOST, PORTS[n % SERVERS], timeout=30)
        i, mine, bad = n, [], 0
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                conn.request("GET", paths[i % len(paths)])
                response = conn.getresponse()
                response.read()
                bad += response.status != 200
            except OSError:
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection(HOST, PORTS[n % SERVERS], timeout=30)
            mine.append((time.perf_counter() - start) * 1000)
            i += 1
        with lock:
            counts["requests"] += len(mine)
            counts["errors"] += bad
            latencies.extend(mine)

    def writer() -> None:  # the demo officer renames an organisation back and forth through the API
        n = 0
        while time.monotonic() < stop:
            conn = http.client.HTTPConnection(HOST, PORTS[n % SERVERS], timeout=30)
            body = json.dumps({"website": f"https://example.vn/soak-{n}"})
            conn.request("PATCH", "/api/v1/directory/organisations/" + _SOAK_SLUG, body=body,
                         headers={"Cookie": officer_cookie, "Content-Type": "application/json", "X-CSRFToken": _csrf(officer_cookie),
                                  "Referer": f"http://{HOST}:{PORTS[n % SERVERS]}/"})
            response = conn.getresponse()
            response.read()
            conn.close()
            with lock:
                counts["saves"] += 1
                counts["save_errors"] += response.status not in (200, 202, 204)
            n += 1
            time.sleep(5)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CONCURRENCY)] + [threading.Thread(target=writer)]
    memory = [(0, *_memory_mb(servers))]
    began = time.monotonic()
    for t in threads:
        t.start()
    while time.monotonic() < stop:
        time.sleep(min(60, max(0.1, stop - time.monotonic())))
        memory.append((round(time.monotonic() - began), *_memory_mb(servers)))
    for t in threads:
        t.join()
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    return {**counts, "seconds": SOAK_SECONDS, "rps": round(counts["requests"] / SOAK_SECONDS, 1),
            "p50_ms": round(q[49], 2), "p95_ms": round(q[94], 2), "memory_by_second": memory}


_SOAK_SLUG = os.environ.get("BENCH_SOAK_SLUG", "")


def _csrf(cookie: str) -> str:
    return dict(part.split("=", 1) for part in cookie.split("; ")).get("csrftoken", "")


def main() -> int:
    global _SOAK_SLUG
    env = _env()
    _prepare(env)
    servers = [
        subprocess.Popen(
            [PY, "-m", "gunicorn", "config.wsgi", "-w", str(WORKERS), "--threads", str(THREADS), "-b", f"{HOST}:{port}", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )
        for port in PORTS
    ]
    soak = None
    try:
        for port in PORTS:
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"http://{HOST}:{port}/api/v1/health", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.2)
        cookie = _login_cookie()
        results = _measure({**{name: (path, "") for name, path in URLS.items()},
                            **{name: (path, cookie) for name, path in STAFF_URLS.items()}}) if ROUNDS else {}
        if SOAK_SECONDS:
            if not _SOAK_SLUG:
                listing = json.loads(urllib.request.urlopen(f"http://{HOST}:{PORTS[0]}/api/v1/directory/organisations?limit=1").read())
                _SOAK_SLUG = listing["items"][0]["slug"]
            soak = _soak(servers, cookie)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
    base = results["bare Django view (baseline)"]["rps"] if results else 1.0
    database = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    cache = ("Redis" if env.get("REDIS_URL") else "local memory") + (
        ", page cache " + ("on" if env.get("PAGE_CACHE_ENABLED", "true" if env.get("REDIS_URL") else "false") == "true" else "off"))
    print(f"{SERVERS} gunicorn server(s) x {WORKERS} {'sync workers' if THREADS == 1 else f'workers of {THREADS} threads'}, {CONCURRENCY} keep-alive clients, {REQUESTS} requests per URL in {ROUNDS} rounds, "
          f"loopback, {database}, cache {cache}")
    print(f"{'URL':<34}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'vs bare':>9}{'errors':>8}")
    for name, r in results.items():
        print(f"{name:<34}{r['rps']:>9}{r['p50_ms']:>9}{r['p95_ms']:>9}{r['rps'] / base:>9.2f}{r['errors']:>8}")
    if soak:
        print(f"soak: {soak['seconds']} s, {soak['requests']} requests ({soak['rps']} req/s), {soak['errors']} errors, "
              f"p50 {soak['p50_ms']} ms, p95 {soak['p95_ms']} ms, {soak['saves']} saves ({soak['save_errors']} refused); "
              "memory by second (s, RSS MiB, PSS MiB, processes):")
        for row in soak["memory_by_second"]:
            print("  ", *row)
    print(json.dumps({"benchmark": "http_load", "servers": SERVERS, "workers": WORKERS, "concurrency": CONCURRENCY,
                      "database": database, "cache": cache, "results": results, "soak": soak}))
    failed = any(r["errors"] for r in results.values()) or (soak and (soak["errors"] or soak["save_errors"]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
