"""Mustafid settings: everything comes from environment variables.

Defaults are safe for production (DEBUG off, secure cookies, HSTS); `make run` and the test
runner set the development values explicitly. One settings module, as in healthchecks: a reader
sees every knob in one place.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MUSTAFID_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_countries",
    "axes",
    "huey.contrib.djhuey",
    "rest_framework",
    "drf_spectacular",
    "core",
    "accounts",
    "beneficiaries",
    "notify",
    "assistance",
    "contact",
    "knowledge",
    "correspondence",
    "inbox",
    "surveys",
    "outreach",
    "reports",
    "api",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it sees the final authentication result of a login view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mustafid.urls"
WSGI_APPLICATION = "mustafid.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mustafid.navigation.navigation",
                "portal.context.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite under var/ by default; PostgreSQL (or anything dj-database-url knows) from DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'mustafid.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes; IMMEDIATE avoids
    # "database is locked" on lock upgrades inside transactions.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts and security -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failures (django-axes): per user name and address together, so one
# attacker cannot lock every colleague out from the reception desk's shared address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False

# Sessions end after a period without activity and when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "mustafid_language"
TIME_ZONE = "Asia/Riyadh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["mustafid.formats"]

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production (after collectstatic); plain files otherwise.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media-not-served/"
# Beneficiary documents live outside MEDIA_ROOT and have no URL: only a permission-checked
# view that writes an audit row streams them.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Background work (Huey) -----------------------------------------------------------------
HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "mustafid",
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        # Crontabs in local time (TIME_ZONE, Asia/Riyadh): "07:00" means 07:00 in Riyadh.
        "utc": False,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "mustafid",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "utc": False,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "mustafid@localhost")
# The address staff open Mustafid at, for links in e-mails (the daily overdue digest).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# --- Notifications (notify) -----------------------------------------------------------------
# Development writes messages to var/outbox.jsonl; production names real backends, e.g.
# NOTIFY_SMS_BACKEND=notify.backends.UnifonicSmsBackend (or TaqnyatSmsBackend) and
# NOTIFY_EMAIL_BACKEND=notify.backends.SmtpEmailBackend (which uses EMAIL_BACKEND above).
NOTIFY_SMS_BACKEND = os.environ.get("NOTIFY_SMS_BACKEND", "notify.backends.FileBackend")
NOTIFY_EMAIL_BACKEND = os.environ.get("NOTIFY_EMAIL_BACKEND", "notify.backends.FileBackend")
# WhatsApp: notify.backends.WhatsAppCloudBackend (Meta's Cloud API, WHATSAPP_* below).
NOTIFY_WHATSAPP_BACKEND = os.environ.get("NOTIFY_WHATSAPP_BACKEND", "notify.backends.FileBackend")
NOTIFY_FILE_PATH = os.environ.get("NOTIFY_FILE_PATH", str(VAR_DIR / "outbox.jsonl"))
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 5)
NOTIFY_RETRY_BASE_SECONDS = env_int("NOTIFY_RETRY_BASE_SECONDS", 60)
NOTIFY_RETRY_MAX_SECONDS = env_int("NOTIFY_RETRY_MAX_SECONDS", 3600)
NOTIFY_SENDING_TIMEOUT_MINUTES = env_int("NOTIFY_SENDING_TIMEOUT_MINUTES", 10)
NOTIFY_SWEEP_GRACE_SECONDS = env_int("NOTIFY_SWEEP_GRACE_SECONDS", 60)
NOTIFY_SWEEP_BATCH = env_int("NOTIFY_SWEEP_BATCH", 500)
NOTIFY_HTTP_TIMEOUT = float(os.environ.get("NOTIFY_HTTP_TIMEOUT", "10"))
NOTIFY_SMS_SENDER = os.environ.get("NOTIFY_SMS_SENDER", "")  # registered sender, ≤ 11 characters
UNIFONIC_BASE_URL = os.environ.get("UNIFONIC_BASE_URL", "https://el.cloud.unifonic.com")
UNIFONIC_APP_SID = os.environ.get("UNIFONIC_APP_SID", "")
TAQNYAT_BASE_URL = os.environ.get("TAQNYAT_BASE_URL", "https://api.taqnyat.sa")
TAQNYAT_TOKEN = os.environ.get("TAQNYAT_TOKEN", "")
WHATSAPP_BASE_URL = os.environ.get("WHATSAPP_BASE_URL", "https://graph.facebook.com")
WHATSAPP_API_VERSION = os.environ.get("WHATSAPP_API_VERSION", "v22.0")
WHATSAPP_PHONE_NUMBER_ID = os.environ.get("WHATSAPP_PHONE_NUMBER_ID", "")
WHATSAPP_TOKEN = os.environ.get("WHATSAPP_TOKEN", "")
# An approved utility template with one body variable ({{1}}) that carries the message text.
WHATSAPP_TEMPLATE_NAME = os.environ.get("WHATSAPP_TEMPLATE_NAME", "")
WHATSAPP_TEMPLATE_LANGUAGE = os.environ.get("WHATSAPP_TEMPLATE_LANGUAGE", "ar")
# Unsolicited messages (surveys, outreach) wait out this window, local time; "" disables.
NOTIFY_QUIET_HOURS = os.environ.get("NOTIFY_QUIET_HOURS", "21:00-08:00")

# --- Integration API (api/) -------------------------------------------------------------
# Only integration clients call the API (token in the Authorization header, webhooks signed
# besides); nothing is open unless a view says so. Errors are JSON in one shape (api.errors).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiClientAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.IsApiClient"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mustafid integration API",
    "DESCRIPTION": (
        "Channels that reach the waqf on their own: the website's contact form and webhooks "
        "for social media, SMS and WhatsApp. Every call carries `Authorization: Bearer "
        "<token>`; webhooks are also signed: `X-Mustafid-Timestamp: <unix seconds>` and "
        "`X-Mustafid-Signature: sha256=<hex HMAC-SHA256 of '<timestamp>.<raw body>'>` with "
        "the client's webhook secret. Each message is stored once per sender's id: a "
        "repeated delivery answers 200 with the same item. Errors are JSON: "
        "`{detail, code, errors}`, in Arabic unless `Accept-Language` asks for English."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema is public (it describes, it grants nothing); the endpoints are not.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice labels are translated per request; the schema stays in one language.
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
}

# --- Logging: personal data never goes to logs (see core.validators.mask_identity) ----------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes logs every sign-in at INFO, WeasyPrint every step of every PDF; their
    # warnings still show.
    "loggers": {
        name: {"level": "WARNING"} for name in ("axes", "httpx", "weasyprint", "fontTools")
    },
}

# --- Product settings -----------------------------------------------------------------------
MUSTAFID = {
    "ORGANISATION_NAME": os.environ.get("ORGANISATION_NAME", "Waqf Mafatih Al-Khair"),
    # A document is flagged as expiring soon this many days ahead.
    "DOCUMENT_EXPIRY_WARNING_DAYS": env_int("DOCUMENT_EXPIRY_WARNING_DAYS", 30),
    "PAGE_SIZE": env_int("PAGE_SIZE", 25),
    # Business hours of working days (Sunday–Thursday) in TIME_ZONE, for ticket deadlines.
    "WORKING_HOURS": os.environ.get("WORKING_HOURS", "08:00-16:00"),
    # Managers are e-mailed this many days before a policy's next review date (and on it).
    "POLICY_REVIEW_REMINDER_DAYS": env_int("POLICY_REVIEW_REMINDER_DAYS", 30),
    # The beneficiary portal: one-time codes by SMS and the session.
    "PORTAL": {
        "OTP_TTL_SECONDS": env_int("PORTAL_OTP_TTL_SECONDS", 5 * 60),
        "OTP_MAX_ATTEMPTS": env_int("PORTAL_OTP_MAX_ATTEMPTS", 5),
        "OTP_PER_NUMBER_PER_HOUR": env_int("PORTAL_OTP_PER_NUMBER_PER_HOUR", 5),
        "OTP_PER_ADDRESS_PER_HOUR": env_int("PORTAL_OTP_PER_ADDRESS_PER_HOUR", 30),
        # Wrong codes for one number, summed over LOCK_SECONDS, that lock it for LOCK_SECONDS.
        "LOCK_AFTER_FAILURES": env_int("PORTAL_LOCK_AFTER_FAILURES", 10),
        "LOCK_SECONDS": env_int("PORTAL_LOCK_SECONDS", 30 * 60),
        "IDLE_SECONDS": env_int("PORTAL_IDLE_SECONDS", 15 * 60),
        # A status lookup by reference stays open this long after its code.
        "STATUS_SECONDS": env_int("PORTAL_STATUS_SECONDS", 10 * 60),
        # Messages one address may send through the public contact form in an hour.
        "CONTACT_PER_ADDRESS_PER_HOUR": env_int("PORTAL_CONTACT_PER_ADDRESS_PER_HOUR", 5),
    },
    # Proactive outreach (P2): a rule that would reach more people than this in one run is
    # refused (recorded, nothing sent) — a rule that broad is a mistake to narrow.
    "OUTREACH": {"MAX_AUDIENCE": env_int("OUTREACH_MAX_AUDIENCE", 2000)},
    # Satisfaction surveys (P3.5).
    "SURVEYS": {
        # No result naming or grouping fewer answers than this is shown (issue 6: 5).
        "MIN_GROUP": env_int("SURVEYS_MIN_GROUP", 5),
        # A satisfaction score at or below this, or a likelihood to recommend at or below
        # DETRACTOR_MAX (NPS detractors are 0–6), opens a follow-up for the quality officer.
        "LOW_CSAT": env_int("SURVEYS_LOW_CSAT", 2),
        "DETRACTOR_MAX": env_int("SURVEYS_DETRACTOR_MAX", 6),
        "FOLLOW_UP_DAYS": env_int("SURVEYS_FOLLOW_UP_DAYS", 3),
        # Events older than this when a survey is first switched on are not surveyed.
        "LOOKBACK_DAYS": env_int("SURVEYS_LOOKBACK_DAYS", 7),
        # A person is asked at most once in this many days, whatever services they received:
        # a survey after every monthly delivery would be a burden, not a right.
        "MIN_DAYS_BETWEEN": env_int("SURVEYS_MIN_DAYS_BETWEEN", 30),
    },
}
