"""`make prod-check`: the production layout on this machine, and a smoke test across it.

Starts, on PostgreSQL (its own database, PROD_CHECK_DB, default wt_ops_prod) and Redis (db
PROD_CHECK_REDIS_DB, default 11, on 127.0.0.1:6379), with the production settings:
  - two app servers: gunicorn on 127.0.0.1:8131 and :8132, two workers each (four processes,
    each with its own in-memory directory index), no proxy in front (the check talks to each);
  - two background workers (`manage.py db_worker`) on the same queue.
Loads the demo, then checks:
  1. pages and endpoints answer on both servers (home, directory, Q&A, programmes, indicators,
     events, API health, /healthz, /readyz), each response with its X-Request-ID;
  2. twenty tasks enqueued are run exactly once each, by the two workers between them;
  3. an organisation created through server A's API is found by a search on server B within a
     second (on several requests in a row, so on both of B's processes), no search slower than
     PROD_CHECK_MAX_MS (default 1000 ms), though B had that search cached (empty) in the public
     page cache before the write;
  4. the same for the Q&A: a question answered and sent for approval through server A's API,
     published there by a manager, is found by the FAQ search on server B (its API, then its
     page) within a second, no search slower than PROD_CHECK_MAX_MS, though B had that search
     cached (empty) before the publication;
  5. /metrics answers the token, and only the token;
  6. a file uploaded through server A (an applicant's attachment, through the API) is downloaded
     whole from server B by its owner, and refused there to another applicant and to a visitor;
  7. `manage.py backup` while the servers serve, and the archive reads back whole.
With `--s3` (or PROD_CHECK_STORAGE=s3) the uploads go to an S3-compatible bucket instead of the
shared folder: the script starts moto's standalone S3 server on 127.0.0.1 (PROD_CHECK_S3_PORT,
default a free port), creates the bucket, and gives each server and the workers a MEDIA_ROOT of
their own, so that a download on B can only come from the bucket; check 6 also looks in the
bucket (the object is there, private) and in both folders (no copy), and check 7 reads the bucket.
Stops everything it started (by process id) and prints the figures; exit status 1 on any failure.
PROD_CHECK_REUSE=1 keeps the previous run's database (its demo already loaded) instead of
loading it again: about 2 minutes less.

    .venv/bin/python scripts/prod_check.py            # or: make prod-check
    .venv/bin/python scripts/prod_check.py --s3       # or: make prod-check-s3
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DB = os.environ.get("PROD_CHECK_DB", "wt_ops_prod")
PG = os.environ.get("PROD_CHECK_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS_DB = os.environ.get("PROD_CHECK_REDIS_DB", "11")
PORTS = (int(os.environ.get("PROD_CHECK_PORT_A", "8131")), int(os.environ.get("PROD_CHECK_PORT_B", "8132")))
REUSE = os.environ.get("PROD_CHECK_REUSE") == "1"  # keep the database of the previous run (about 2 minutes less)
MAX_MS = float(os.environ.get("PROD_CHECK_MAX_MS", "1000"))
WORK = ROOT / "var" / "prod-check"
METRICS_TOKEN = secrets.token_urlsafe(24)
STORAGE = "s3" if "--s3" in sys.argv[1:] or os.environ.get("PROD_CHECK_STORAGE") == "s3" else "filesystem"
S3_BUCKET = "innohub-prod-check"
S3_REGION = "us-east-1"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


S3_PORT = int(os.environ.get("PROD_CHECK_S3_PORT", "0")) or _free_port()
# each server's own MEDIA_ROOT with S3 (nothing shared but the bucket); one shared folder without
MEDIA = {name: WORK / (f"uploads-{name}" if STORAGE == "s3" else "uploads") for name in ("A", "B", "workers")}

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
    "DJANGO_SECURE_SSL_REDIRECT": "false",  # no TLS proxy in front on this machine
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DATABASE_URL": f"{PG}/{DB}",
    "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
    "MEDIA_ROOT": str(MEDIA["workers"]),
    "BACKUP_DIR": str(WORK / "backups"),
    "SITE_URL": f"http://127.0.0.1:{PORTS[0]}",
    "METRICS_TOKEN": METRICS_TOKEN,
    "LOG_FORMAT": "json",
    "LOG_LEVEL": "WARNING",
    "QA_DENSE_RETRIEVAL": "false",
}
if STORAGE == "s3":
    ENV.update({
        "STORAGE_BACKEND": "s3",
        "AWS_STORAGE_BUCKET_NAME": S3_BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{S3_PORT}",
        "AWS_S3_REGION_NAME": S3_REGION,
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_ACCESS_KEY_ID": "prod-check",
        "AWS_SECRET_ACCESS_KEY": secrets.token_urlsafe(24),
        "AWS_EC2_METADATA_DISABLED": "true",
    })
failures: list[str] = []
started: list[subprocess.Popen] = []


def say(text: str) -> None:
    print(text, flush=True)


def check(ok: bool, what: str) -> bool:
    say(f"  {'ok ' if ok else 'FAIL'} {what}")
    if not ok:
        failures.append(what)
    return ok


def run(*args: str) -> str:
    result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=ENV, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def start(name: str, args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
    log = open(WORK / f"{name}.log", "w")  # noqa: SIM115 - kept open for the process's life
    proc = subprocess.Popen(args, cwd=ROOT, env={**ENV, **(env or {})}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)  # noqa: S603
    started.append(proc)
    return proc


def get(port: int, path: str, headers: dict[str, str] | None = None, data: bytes | None = None) -> tuple[int, dict, bytes, float]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, headers=headers or {})  # noqa: S310
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            body = response.read()
            return response.status, dict(response.headers), body, (time.perf_counter() - t) * 1000
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read(), (time.perf_counter() - t) * 1000


def prepare() -> None:
    import psycopg

    WORK.mkdir(parents=True, exist_ok=True)
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone()
        if REUSE and exists:
            say(f"  reusing {DB} (PROD_CHECK_REUSE=1): migrated, demo already loaded")
            run("migrate", "--no-input", "-v", "0")
            return
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')
    subprocess.run(["redis-cli", "-n", REDIS_DB, "FLUSHDB"], check=True, capture_output=True)  # noqa: S603, S607
    for folder in (*MEDIA.values(), WORK / "backups"):
        shutil.rmtree(folder, ignore_errors=True)
    t = time.perf_counter()
    run("migrate", "--no-input", "-v", "0")
    run("collectstatic", "--no-input", "-v", "0")
    run("seed_demo", "--quiet")
    say(f"  database {DB} migrated and seeded with the demo in {time.perf_counter() - t:.0f} s")


def start_s3() -> None:
    """moto's standalone S3 server, as its own process; the bucket created empty."""
    start("s3", [str(ROOT / ".venv" / "bin" / "moto_server"), "-H", "127.0.0.1", "-p", str(S3_PORT)])
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{S3_PORT}/moto-api/", timeout=2)  # noqa: S310
            break
        except OSError:
            if time.time() > deadline:
                raise SystemExit(f"the S3 server did not start on :{S3_PORT}; see {WORK}/s3.log") from None
            time.sleep(0.3)
    s3_client().create_bucket(Bucket=S3_BUCKET)
    say(f"  S3-compatible server (moto) on :{S3_PORT}, bucket {S3_BUCKET} created; each server has its own MEDIA_ROOT")


def s3_client():
    import boto3

    return boto3.client("s3", endpoint_url=ENV["AWS_S3_ENDPOINT_URL"], region_name=S3_REGION,
                        aws_access_key_id=ENV["AWS_ACCESS_KEY_ID"], aws_secret_access_key=ENV["AWS_SECRET_ACCESS_KEY"])


def _port_taken(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def start_layout() -> None:
    taken = [port for port in PORTS if _port_taken(port)]
    if taken:  # else the checks would talk to whatever holds it (another engineer's run)
        raise SystemExit(f"port(s) {taken} are in use: set PROD_CHECK_PORT_A / PROD_CHECK_PORT_B to free ones")
    for name, port in zip("AB", PORTS, strict=True):
        # one metrics folder per server: a scrape of /metrics sums the server's two processes
        metrics_dir = WORK / f"metrics-{name}"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        start(f"app-{name}", [GUNICORN, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2",
                              "--timeout", "60", "--access-logfile", "-"],
              {"PROMETHEUS_MULTIPROC_DIR": str(metrics_dir), "MEDIA_ROOT": str(MEDIA[name])})
    for n in (1, 2):
        start(f"worker-{n}", [PY, "manage.py", "db_worker", "--no-reload", "--interval", "0.2", "--worker-id", f"prod-check-{n}"])
    deadline = time.time() + 60
    for port in PORTS:
        while True:
            try:
                status, _h, _b, _ms = get(port, "/readyz")
                if status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise SystemExit(f"the server on :{port} did not become ready; see {WORK}/app-*.log")
            time.sleep(0.3)


def smoke_pages() -> None:
    say("1. pages on both servers")
    for port in PORTS:
        for path in ("/", "/en/", "/directory/?q=trung+tam", "/qa/", "/programs/", "/indicators/", "/events/",
                     "/api/v1/health", "/healthz", "/readyz"):
            status, headers, _body, ms = get(port, path, {"X-Request-ID": f"prod-check-{port}-{abs(hash(path))}"})
            rid = headers.get("X-Request-ID", "")
            check(status == 200 and rid.startswith("prod-check-"), f":{port}{path} → {status} in {ms:.0f} ms, X-Request-ID {rid}")


def smoke_tasks() -> None:
    say("2. twenty tasks across two workers, each run exactly once")
    import django

    os.environ.update({k: v for k, v in ENV.items() if k not in os.environ or os.environ[k] != v})
    django.setup()
    from django.core.cache import cache
    from django_tasks_db.models import DBTaskResult

    from innohub.ops.tasks import probe

    run_id = secrets.token_hex(4)
    results = [probe.enqueue(f"prod-check:{run_id}:{i}", 0.3) for i in range(20)]
    deadline = time.time() + 60
    while time.time() < deadline:
        if DBTaskResult.objects.filter(id__in=[r.id for r in results], status="SUCCESSFUL").count() == len(results):
            break
        time.sleep(0.3)
    rows = list(DBTaskResult.objects.filter(id__in=[r.id for r in results]).values_list("status", "worker_ids"))
    runs = [cache.get(f"prod-check:{run_id}:{i}") for i in range(20)]
    workers = {w for _s, ids in rows for w in ids}
    check(all(s == "SUCCESSFUL" for s, _w in rows), f"all 20 tasks successful ({sum(s == 'SUCCESSFUL' for s, _w in rows)})")
    check(runs == [1] * 20, f"each ran exactly once (runs counted: {runs})")
    check(all(len(w) == 1 for _s, w in rows), "each claimed by one worker")
    check(workers == {"prod-check-1", "prod-check-2"}, f"both workers took tasks: {sorted(workers)}")


def smoke_directory() -> dict:
    say("3. a directory write on server A found by a search on server B")
    from innohub.accounts.models import User
    from innohub.accounts.services import api_token_create

    officer = User.objects.get(username="officer")
    _token, key = api_token_create(user=officer, name=f"prod-check {secrets.token_hex(3)}")
    word = "Kiemtra" + secrets.token_hex(3)
    name = f"Trung tâm Đổi mới {word}"
    # B's four threads of two processes have their indexes loaded before the write
    for _ in range(8):
        get(PORTS[1], "/api/v1/directory/organisations?q=trung+tam")
    # and B has the search for the new name cached, empty, before it exists (the page cache)
    query = f"/api/v1/directory/organisations?q={word.lower()}"
    answers = [get(PORTS[1], query) for _ in range(3)]
    check(all(json.loads(a[2]).get("count") == 0 for a in answers) and answers[-1][1].get("X-Page-Cache") == "hit",
          f"the search on B is answered from the page cache before the write: {[a[1].get('X-Page-Cache') for a in answers]}")
    status, _h, body, ms = get(PORTS[0], "/api/v1/directory/organisations", {
        "Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        json.dumps({"kind": "support", "helix": "public", "name": name, "province": "79"}).encode())
    check(status == 201, f"created on A through the API: {status} in {ms:.0f} ms")
    found_at, in_a_row, latencies = _found_on_b(query, time.perf_counter())
    check(found_at is not None and found_at <= 1.0,
          f"found on B {found_at * 1000 if found_at else float('nan'):.0f} ms after the write, then on {in_a_row} searches in a row")
    check(max(latencies) < MAX_MS, f"no search waited: {len(latencies)} searches on B, slowest {max(latencies):.0f} ms")
    page_status, _h, page, _ms = get(PORTS[1], f"/directory/?q={word.lower()}")  # every process has it now
    if not check(page_status == 200 and name.encode() in page, "the public search page on B lists it"):
        (WORK / "directory-page.html").write_bytes(page)
        say(f"  the page ({page_status}) is in {WORK / 'directory-page.html'}")
    return {"found_after_ms": round(found_at * 1000) if found_at else None, "searches": len(latencies),
            "slowest_ms": round(max(latencies))}


def _found_on_b(query: str, written: float) -> tuple[float | None, int, list[float]]:
    """Search on B every 20 ms until eight searches in a row find it (so both of B's processes
    have it), at most 5 s: when it was first found (s after the write), and every latency. Each
    search has a parameter of its own that the page ignores: the page cache has never seen it, so
    every search reaches one of B's processes (a cached answer would say nothing of them)."""
    found_at, in_a_row, latencies = None, 0, []
    while time.perf_counter() - written < 5:
        status, _h, body, ms = get(PORTS[1], f"{query}&probe={len(latencies)}")
        latencies.append(ms)
        if status == 200 and json.loads(body).get("count", 0) == 1:
            found_at = found_at or time.perf_counter() - written
            in_a_row += 1
            if in_a_row >= 8:
                break
        else:
            in_a_row, found_at = 0, None
        time.sleep(0.02)
    return found_at, in_a_row, latencies


def smoke_qa() -> dict:
    say("4. a Q&A answer published on server A found by the FAQ search on server B")
    from innohub.accounts.models import User
    from innohub.accounts.services import api_token_create
    from innohub.qa import services as qa_services
    from innohub.qa.models import Topic

    officer, manager = User.objects.get(username="officer"), User.objects.get(username="manager")
    tokens = {user.username: api_token_create(user=user, name=f"prod-check {secrets.token_hex(3)}")[1] for user in (officer, manager)}

    def on_a(user: User, method: str, path: str, payload: dict | None = None) -> tuple[int, dict]:
        request = urllib.request.Request(f"http://127.0.0.1:{PORTS[0]}/api/v1/qa{path}", method=method,  # noqa: S310
                                         data=json.dumps(payload or {}).encode(),
                                         headers={"Authorization": f"Bearer {tokens[user.username]}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    word = "Kiemtra" + "".join(secrets.choice("bcdfghklmnpqrstvx") for _ in range(8))
    question = qa_services.question_ask(topic=Topic.objects.order_by("id")[0], asker_email="prod-check@example.org",
                                       text=f"Thủ tục {word} để được hỗ trợ ươm tạo khởi nghiệp là gì?")
    steps = [on_a(officer, "POST", f"/questions/{question.pk}/assign", {"assignee_id": officer.pk}),
             on_a(officer, "POST", f"/questions/{question.pk}/draft")]
    cited = " [1]" if steps[-1][1].get("citations") else ""
    steps += [on_a(officer, "PUT", f"/questions/{question.pk}/answer", {"text": f"Thủ tục {word} được hướng dẫn tại Sở{cited}."}),
              on_a(officer, "POST", f"/questions/{question.pk}/submit")]
    check(all(status == 200 for status, _b in steps), f"asked, assigned, drafted, answered and sent for approval on A: {[s for s, _b in steps]}")
    # B's processes have their FAQ indexes loaded before the publication: searches the page cache
    # has not seen, so that each reaches a process (a process's very first FAQ search builds its
    # index and loads the retrieval code, about a second: a start, not a write)
    for n in range(16):
        get(PORTS[1], f"/api/v1/qa/answers?q=uom+tao+{n}")
    query = f"/api/v1/qa/answers?q={word.lower()}"
    answers = [get(PORTS[1], query) for _ in range(3)]
    check(all(json.loads(a[2]).get("count") == 0 for a in answers) and answers[-1][1].get("X-Page-Cache") == "hit",
          f"the FAQ search on B is answered from the page cache before the publication: {[a[1].get('X-Page-Cache') for a in answers]}")
    t = time.perf_counter()
    status, body = on_a(manager, "POST", f"/questions/{question.pk}/publish")
    check(status == 200 and word in body.get("published_text", ""), f"published by the manager on A: {status} in {(time.perf_counter() - t) * 1000:.0f} ms")
    found_at, in_a_row, latencies = _found_on_b(query, time.perf_counter())
    check(found_at is not None and found_at <= 1.0,
          f"found by the FAQ search on B {found_at * 1000 if found_at else float('nan'):.0f} ms after the publication, then on {in_a_row} searches in a row")
    check(max(latencies) < MAX_MS, f"no search waited: {len(latencies)} FAQ searches on B, slowest {max(latencies):.0f} ms")
    page_status, _h, page, _ms = get(PORTS[1], f"/qa/?q={word.lower()}")
    if not check(page_status == 200 and word.encode() in page, "the public FAQ page on B lists it"):
        (WORK / "faq-page.html").write_bytes(page)
        say(f"  the page ({page_status}) is in {WORK / 'faq-page.html'}")
    return {"found_after_ms": round(found_at * 1000) if found_at else None, "searches": len(latencies),
            "slowest_ms": round(max(latencies))}


def smoke_metrics() -> None:
    say("5. metrics")
    status, _h, body, _ms = get(PORTS[0], "/metrics", {"Authorization": f"Bearer {METRICS_TOKEN}"})
    check(status == 200 and b"django_http_requests_total_by_method_total" in body and b"innohub_tasks_lag_seconds" in body,
          f"/metrics with the token: {status}")
    status, _h, _b, _ms = get(PORTS[1], "/metrics")
    check(status == 404, f"/metrics without it: {status}")


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    for key, (filename, content, kind) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{filename}"\r\n'
                     f"Content-Type: {kind}\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _session_cookie(user) -> str:
    """A signed-in session of `user` in the shared session store, as a log-in would write it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "innohub.accounts.backends.EmailOrUsernameBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def smoke_uploads() -> None:
    say(f"6. a file uploaded on server A, downloaded from server B ({'S3 bucket' if STORAGE == 's3' else 'shared folder'})")
    from innohub.accounts.models import User
    from innohub.accounts.services import api_token_create
    from innohub.programs.models import Application, Attachment

    founder = User.objects.get(username="founder")
    draft = Application.objects.filter(created_by=founder, state="draft").order_by("pk").first()
    if not check(draft is not None, "the demo's founder has a draft application"):
        return
    _token, key = api_token_create(user=founder, name=f"prod-check {secrets.token_hex(3)}")
    content = b"%PDF-1.4\n" + secrets.token_hex(4000).encode() + b"\n%%EOF\n"
    body, kind = _multipart({"field_key": "business_plan"}, {"file": ("Kế hoạch kinh doanh.pdf", content, "application/pdf")})
    status, _h, answer, ms = get(PORTS[0], f"/api/v1/programs/applications/{draft.pk}/attachments",
                                 {"Authorization": f"Bearer {key}", "Content-Type": kind}, body)
    if not check(status == 201, f"uploaded on A through the API: {status} in {ms:.0f} ms"):
        say(f"    {answer[:300]!r}")
        return
    attachment = Attachment.objects.get(pk=json.loads(answer)["id"])
    uploaded.append(attachment.file.name)
    on_disk = [str(p) for folder in set(MEDIA.values()) if folder.exists() for p in folder.rglob(Path(attachment.file.name).name)]
    if STORAGE == "s3":
        client = s3_client()
        stored = client.get_object(Bucket=S3_BUCKET, Key=attachment.file.name)["Body"].read()
        grants = client.get_object_acl(Bucket=S3_BUCKET, Key=attachment.file.name)["Grants"]
        public = [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "") or "AuthenticatedUsers" in g["Grantee"].get("URI", "")]
        check(stored == content and not public, f"in the bucket as {attachment.file.name}, {len(stored):,} bytes, private (no public grant)")
        check(on_disk == [], "no copy in either server's MEDIA_ROOT")
    else:
        check(len(on_disk) == 1, f"in the shared folder: {on_disk}")
    url = f"/programs/attachments/{attachment.pk}/"
    status, headers, downloaded, ms = get(PORTS[1], url, {"Cookie": _session_cookie(founder)})
    check(status == 200 and downloaded == content and headers.get("Content-Type") == "application/pdf",
          f"downloaded whole from B by its owner: {status}, {len(downloaded):,} bytes in {ms:.0f} ms")
    stranger = User.objects.filter(role="applicant", is_active=True).exclude(pk=founder.pk).exclude(
        memberships__organisation=draft.organisation).order_by("pk").first()
    if stranger is not None:
        status, _h, refused, _ms = get(PORTS[1], url, {"Cookie": _session_cookie(stranger)})
        check(status == 404 and content not in refused, f"refused on B to another applicant ({stranger.username}): {status}")
    request = urllib.request.Request(f"http://127.0.0.1:{PORTS[1]}{url}")  # noqa: S310
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(request, timeout=30)
        status = 200
    except urllib.error.HTTPError as exc:
        status = exc.code
    check(status == 302, f"a visitor is sent to log in on B: {status}")


uploaded: list[str] = []  # what check 5 stored, looked for in the backup


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def smoke_backup() -> None:
    say("7. a backup while serving, read back whole")
    out = run("backup", "--no-retention")
    check("checked" in out, out.strip())
    archive = sorted((WORK / "backups").glob("innohub-*.tar.gz"))[-1]
    out = run("restore", str(archive), "--check-only")
    check("sound" in out, out.strip())
    import tarfile

    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.load(tar.extractfile(tar.next()))  # the manifest is the first member
    check(all(f"media/{name}" in manifest["files"] for name in uploaded),
          f"the file uploaded in check 5 is in the archive, read from the {'bucket' if STORAGE == 's3' else 'folder'}")


def stop() -> None:
    for proc in started:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # each was started in its own session: itself and its children
    for proc in started:
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def main() -> int:
    t0 = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    say(f"Production check: PostgreSQL {DB}, Redis db {REDIS_DB}, app servers :{PORTS[0]} and :{PORTS[1]}, two workers, "
        f"uploads {'on S3 (moto)' if STORAGE == 's3' else 'in a shared folder'}")
    WORK.mkdir(parents=True, exist_ok=True)
    try:
        if STORAGE == "s3":
            start_s3()
        prepare()
        start_layout()
        say(f"  layout up in {time.perf_counter() - t0:.0f} s")
        smoke_pages()
        smoke_tasks()
        figures = {"directory": smoke_directory(), "qa": smoke_qa()}
        smoke_metrics()
        smoke_uploads()
        smoke_backup()
    finally:
        stop()
    say(f"\nfigures: {json.dumps(figures)}; total {time.perf_counter() - t0:.0f} s; logs in {WORK}")
    if failures:
        say(f"FAILED: {len(failures)} check(s): {failures}")
        return 1
    say("Production check passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
