"""Settings for every environment, read from environment variables.

The embedded default (no variables set) runs on an SQLite file and a filesystem Celery
broker under ``var/``. Production sets ``APP_ENV=production`` plus ``SECRET_KEY``,
``DATABASE_URL``, ``CELERY_BROKER_URL`` and ``ALLOWED_HOSTS``; see README.md.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
BPMN_DIR = Path(os.environ.get("BPMN_DIR", BASE_DIR / "bpmn"))
APP_ENV = os.environ.get("APP_ENV", "development")
PRODUCTION = APP_ENV == "production"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when APP_ENV=production.")
    # Development and tests: a random key kept under var/ so sessions survive restarts.
    path = VAR_DIR / "secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "axes",
    "csp",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "audit",
    "notifications",
    "workflows",
    "workflows.workdays",
    "workflows.credit",
    "webapp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Domain errors from services become 404 / 403 / 409 / 400 pages (webapp/errors.py).
    "webapp.errors.DomainErrorMiddleware",
    # Last, as django-axes asks: it answers locked-out sign-ins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "webapp.urls"
WSGI_APPLICATION = "webapp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "webapp.context_processors.header",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN: transactions serialise instead of
        # failing with "database is locked" when they upgrade a read to a write.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
DATABASE_IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith(
    "django.db.backends.postgresql"
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

ANONYMOUS_USER_NAME = None  # guardian: no anonymous user object
_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise expects it to exist even before the first collectstatic.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# Celery. The embedded default is kombu's filesystem transport: it needs no server and
# no extra library, messages are plain files under var/broker/ that survive restarts,
# and each message is claimed by an exclusive file lock, so a worker and beat in
# separate processes share it safely. Production points CELERY_BROKER_URL at Redis.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_IS_FILESYSTEM = CELERY_BROKER_URL.startswith("filesystem://")
_BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = (
    {
        "data_folder_in": str(_BROKER_DIR / "queue"),
        "data_folder_out": str(_BROKER_DIR / "queue"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        "control_folder": str(_BROKER_DIR / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_IS_FILESYSTEM
    else {"visibility_timeout": 3600}
)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Celery's persistent scheduler plus the "beat" heartbeat that /healthz reads.
CELERY_BEAT_SCHEDULER = "webapp.heartbeat:HeartbeatScheduler"
# How often beat advances instances whose timers are due, in seconds.
TIMER_POLL_SECONDS = float(os.environ.get("TIMER_POLL_SECONDS", "5"))
CELERY_BEAT_SCHEDULE = {
    "fire-due-timers": {
        "task": "workflows.fire_due_timers",
        "schedule": TIMER_POLL_SECONDS,
        # A run that waited longer than one period is stale: the next one covers it.
        "options": {"expires": TIMER_POLL_SECONDS},
    },
    "requeue-notifications": {
        "task": "notifications.requeue_pending",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
    "render-pending-documents": {
        "task": "documents.render_pending",
        "schedule": 600.0,
    },
    "write-audit-digest": {
        "task": "audit.write_daily_digest",
        "schedule": crontab(hour=0, minute=30),
    },
    "purge-stale-uploads": {
        "task": "files.purge_stale_uploads",
        "schedule": crontab(hour=3, minute=20),
    },
    "expire-list-entries": {
        "task": "credit.expire_list_entries",
        "schedule": crontab(hour=0, minute=10),
    },
}
# Notifications. The embedded default writes e-mails as files under var/mail/ so a
# new user can read them; production sets an SMTP host. SMS goes through a pluggable
# backend; the default records messages in the database (never logs numbers).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "信用服务 <noreply@credit.localhost>"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
SMS_BACKEND = os.environ.get("SMS_BACKEND", "notifications.sms.DatabaseSmsBackend")
NOTIFICATIONS_SITE_URL = os.environ.get("SITE_URL", "")
NOTIFICATIONS_REQUEUE_AFTER_SECONDS = int(
    os.environ.get("NOTIFICATIONS_REQUEUE_AFTER", "300")
)
NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS = int(
    os.environ.get("NOTIFICATIONS_CLAIM_TIMEOUT", "600")
)

# Official documents: PDFs are stored outside the web root; every PDF's QR code
# points at PUBLIC_BASE_URL/verify/<code>, so production must set it.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
DOCUMENTS_DIR = Path(os.environ.get("DOCUMENTS_DIR", VAR_DIR / "documents"))

# Ed25519 key that signs audit digests (PEM or base64); generated under var/ in
# development, required in production.
AUDIT_SIGNING_KEY = os.environ.get("AUDIT_SIGNING_KEY")
# Wall-clock limit for one BPMN expression or script (sandbox).
EXPRESSION_TIME_LIMIT_SECONDS = float(os.environ.get("EXPRESSION_TIME_LIMIT", "2"))
# Heartbeats older than this make /healthz answer 503.
HEARTBEAT_MAX_AGE_SECONDS = int(os.environ.get("HEARTBEAT_MAX_AGE", "60"))

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
# Load balancers probe /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None

# --- Web: sign-in and sessions (issue 5, security) ---
# django-axes' check first, as it asks; the project's subclass passes request-less
# calls (test client, scripts) on: see webapp/accounts/backends.py.
AUTHENTICATION_BACKENDS = [
    "webapp.accounts.backends.SignInLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:sign_in"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True  # the age above is idle time, not time since sign-in
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The same client address the audit log records (X-Forwarded-For only if trusted).
AXES_CLIENT_IP_CALLABLE = "webapp.accounts.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "webapp.accounts.lockout.locked_out_response"
# Failed sign-ins and lockouts go to the audit log (username only), not to the log
# stream, which would carry IP addresses and user agents.
AXES_VERBOSE = False
# Sign-in attempts per client address, on top of the per-account lockout above.
RATELIMIT_SIGN_IN = os.environ.get("RATELIMIT_SIGN_IN", "20/m")
# Uploads per user (files area), and how long an upload may wait for its filing.
RATELIMIT_UPLOAD = os.environ.get("RATELIMIT_UPLOAD", "60/h")
STAGED_UPLOAD_MAX_AGE_HOURS = float(os.environ.get("STAGED_UPLOAD_MAX_AGE_HOURS", "24"))

# --- Web: cache (rate limits, axes). Shared between processes: Redis in production,
# the database in the embedded default (createcachetable runs in migrate's wake). ---
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
        }
        if CACHE_URL.startswith("redis")
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cache_entries",
        }
    )
}

# --- Web: Content-Security-Policy (django-csp 4). No inline scripts or styles. ---
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Notifications: reminders ---
# Working days before a task's deadline that its holder is reminded. A process model
# that passes reminder_working_days to its operation (objection_accept,
# objection_extend, joint_punishment_open) overrides this for its tasks.
TASK_REMINDER_WORKING_DAYS_BEFORE = int(
    os.environ.get("TASK_REMINDER_WORKING_DAYS_BEFORE", "1")
)
if TASK_REMINDER_WORKING_DAYS_BEFORE < 0:
    raise ImproperlyConfigured("TASK_REMINDER_WORKING_DAYS_BEFORE must be 0 or more.")

# --- API (issue 8) ---
# Tokens (webapp/api/auth.py: hashed, revocable) and the session; one error shape
# (webapp/api/errors.py); throttles count in the shared cache (database or Redis).
API_CREDIT_CHECK_RATE = os.environ.get("API_CREDIT_CHECK_RATE", "120/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "webapp.api.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "webapp.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "webapp.api.errors.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "credit_check": API_CREDIT_CHECK_RATE,
        "filing": os.environ.get("API_FILING_RATE", "60/min"),
        "public": os.environ.get("API_PUBLIC_RATE", "300/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Credit workflow API",
    "DESCRIPTION": (
        "Objections, credit repair, lists and credit checks. Authenticate with "
        "`Authorization: Bearer <token>` (`manage.py api_token create`). Errors "
        "share one shape: `code`, `message`, `fields`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "workflows.credit.models.Case.Status",
        "GroundsEnum": "workflows.credit.models.Case.Grounds",
        "TaskStatusEnum": "workflows.models.HumanTask.Status",
        "ListEntryStatusEnum": "workflows.credit.models.ListEntry.Status",
        "MeasureStatusEnum": "workflows.credit.models.MeasureApplication.Status",
        "RecordStatusEnum": "workflows.credit.models.CreditRecord.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "webapp.api.schema.postprocess_schema",
    ],
}
# Hours a stored response answers a retry with the same Idempotency-Key.
API_IDEMPOTENCY_HOURS = int(os.environ.get("API_IDEMPOTENCY_HOURS", "24"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # SpiffWorkflow logs every task state change at INFO: noise, and slow.
    "loggers": {
        "spiff": {"level": "WARNING"},
        # WeasyPrint logs a dozen INFO lines per rendered page.
        "weasyprint": {"level": "WARNING"},
    },
}
