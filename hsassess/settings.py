"""Settings for hsassess: one module, driven by environment variables.

Development defaults just work (SQLite file, DEBUG on). With DEBUG off the start
stops with a clear message when a secret or the allowed hosts are missing: a
generated secret would log everyone out on each restart.
"""

import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < 0:
        raise ImproperlyConfigured(f"{name} must not be negative, not {raw!r}.")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if DEBUG:
    # A fixed, obviously unsafe key is fine for a laptop; production must bring its own.
    SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    missing = [
        name
        for name, value in (("SECRET_KEY", SECRET_KEY), ("ALLOWED_HOSTS", ALLOWED_HOSTS))
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            "DEBUG is off, so these environment variables must be set: "
            + ", ".join(missing)
            + ". Refusing to start with a generated or empty value."
        )
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long in production.")

# Briefs frozen at approval are signed (HMAC-SHA256, assessments/review/freeze.py) with
# a key kept out of the database, so that whoever can write to the database cannot
# replace a brief and its hash unnoticed. The first key signs, every key verifies: to
# rotate, put a new key first and keep the old one after it (README, "Signed briefs").
# Production brings its own, like SECRET_KEY: a key derived from a secret that changes
# for other reasons would make every brief fail verification.
BRIEF_SIGNING_KEYS = env_list("BRIEF_SIGNING_KEYS")
BRIEF_SIGNING_KEY_MIN_LENGTH = 32
if DEBUG:
    BRIEF_SIGNING_KEYS = BRIEF_SIGNING_KEYS or [
        hashlib.sha256(
            b"hsassess brief signing, development only\0" + SECRET_KEY.encode()
        ).hexdigest()
    ]
elif not BRIEF_SIGNING_KEYS:
    raise ImproperlyConfigured(
        "DEBUG is off, so BRIEF_SIGNING_KEYS must be set (comma-separated, the signing key "
        "first). Refusing to start: approved briefs could be neither signed nor verified."
    )
elif any(len(key) < BRIEF_SIGNING_KEY_MIN_LENGTH for key in BRIEF_SIGNING_KEYS):
    raise ImproperlyConfigured(
        f"Each key in BRIEF_SIGNING_KEYS must be at least {BRIEF_SIGNING_KEY_MIN_LENGTH} "
        "characters long in production."
    )

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "frameworks",
    "assessments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The signed-in person's own language beats the cookie and Accept-Language.
    "hsassess.language.PersonLanguageMiddleware",
    "hsassess.middleware.PrivateNoStoreMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "hsassess.middleware.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "hsassess.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout raised in authentication into a page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "hsassess.urls"
WSGI_APPLICATION = "hsassess.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Shared templates, then each concern's own (assessments/<concern>/templates/).
        "DIRS": [BASE_DIR / "templates", *sorted(BASE_DIR.glob("assessments/*/templates"))],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "assessments.notifications.context.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes, hsassess/signin.py): after AXES_FAILURE_LIMIT failed
# sign-ins for one username from one address, that pair is locked for
# AXES_COOLOFF_MINUTES; after AXES_ADDRESS_FAILURE_LIMIT failures from one address across
# all usernames (password spraying), the address is. Unlock sooner in the admin
# (Axes › Access attempts) or with `manage.py axes_reset_username NAME` / `axes_reset_ip`.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "hsassess.signin.AddressThrottlingHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The number of trusted proxies in front of the app, each appending to X-Forwarded-For;
# 0 when clients connect to gunicorn directly (the header is then ignored).
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "hsassess.signin.client_ip"
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as each language writes them ("2 Dec 2026", "2 déc. 2026"): hsassess/formats/.
FORMAT_MODULE_PATH = ["hsassess.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files attached to sources (assessments/evidence/): kept outside the web root and served
# only through the app's permission-checked download, never at a public URL.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# In development (and tests) WhiteNoise serves straight from the finders; production
# serves the collected, hashed files from STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# The cache holds rendered overview parts keyed on the assessment's last change, so no
# server can serve a stale one. With several app servers, CACHE_URL (or REDIS_URL) names a
# shared Redis, so a part one server renders serves them all; without it each process
# keeps its own in memory (development, a single server).
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or ""
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            "CACHE_URL must be a redis://, rediss:// or unix:// URL, not " + repr(CACHE_URL)
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "hsassess"),
            # A cache that does not answer is skipped (the page renders without it) after
            # at most this long, rather than holding the request.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "hsassess",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

# Email is sent from background tasks (hsassess/mail.py), so a slow or failing mail server
# never holds or breaks a request. Development prints messages to the console.
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "hsassess <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address the app is reached at (e.g. https://hsassess.example.org), for the links in
# emails sent without a request to take it from (a threshold crossing recorded by import).
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

# Background work, through Django's Tasks API (the django-tasks backport: the code moves
# to Django 6's django.tasks unchanged). TASKS_BACKEND picks the engine:
#   db         the queue is a table of this database (django-tasks-db); the default.
#              `manage.py jobs_worker` works it; `make run` starts one beside the server.
#   rq         Redis through RQ (django-tasks-rq), to scale out: `manage.py jobs_worker`
#              runs an RQ worker on TASKS_REDIS_URL (or REDIS_URL).
#   immediate  each task runs at once, in the process that asks (tests, debugging).
# The work people wait for is tracked in assessments.models.Job (assessments/jobs/): a
# worker that dies mid-job leaves it to be picked up again once its lease (a heartbeat,
# JOB_LEASE_SECONDS) runs out, at most JOB_MAX_ATTEMPTS times.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "db")
_TASK_BACKENDS = {
    "db": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
# RQ's settings (django-rq); read only when TASKS_BACKEND is rq. A job that runs longer
# than RQ_JOB_TIMEOUT seconds is stopped by RQ and shows as failed.
RQ_QUEUES = {
    "default": {
        "URL": os.environ.get("TASKS_REDIS_URL")
        or os.environ.get("REDIS_URL")
        or "redis://127.0.0.1:6379/0",
        "DEFAULT_TIMEOUT": int(os.environ.get("RQ_JOB_TIMEOUT", "900")),
    }
}
RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
# Workers run at a lower CPU priority than the web server (Unix nice, 0-19): a brief
# rendering beside it takes what pages leave, so pages stay fast while it works.
JOBS_WORKER_NICE = int(os.environ.get("JOBS_WORKER_NICE", "10"))
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
JOB_LEASE_SECONDS = int(os.environ.get("JOB_LEASE_SECONDS", "120"))
JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", "3"))
# A draft or public brief of more threats than this renders in the background.
BRIEF_BACKGROUND_THREATS = int(os.environ.get("BRIEF_BACKGROUND_THREATS", "60"))
BRIEF_BACKGROUND_CHARS = int(os.environ.get("BRIEF_BACKGROUND_CHARS", "100000"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Idle timeout: a session ends after SESSION_COOKIE_AGE seconds without activity. Its
# expiry is pushed back on use, at most every SESSION_TOUCH_INTERVAL seconds
# (hsassess.middleware.SessionIdleMiddleware), rather than with a write on every request.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(2 * 60 * 60)))
SESSION_TOUCH_INTERVAL = int(os.environ.get("SESSION_TOUCH_INTERVAL", "300"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Uploads (framework files) are small documents; anything larger is refused early.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Content-Security-Policy (django-csp; hsassess.middleware adds the Reporting-Endpoints
# header that report-to names). Scripts only from our own origin, and no inline script
# (so no nonce is needed); the admin and crispy forms still use inline style attributes,
# so styles allow them. What browsers block is reported to /csp-report/ and logged
# (hsassess/csp_reports.py). A view that needs another policy says so with django-csp's
# @csp_update / @csp_replace.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": [reverse_lazy("csp_report")],
        "report-to": "csp",
    },
}

X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
