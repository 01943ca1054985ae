"""Settings for renda. Everything a deployment changes comes from RENDA_* environment variables."""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("RENDA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """A deployment sets RENDA_SECRET_KEY; a local install keeps a generated one in var/."""
    if key := os.environ.get("RENDA_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("RENDA_DEBUG", False)
ALLOWED_HOSTS = [
    h for h in os.environ.get("RENDA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
HTTPS = _env_bool("RENDA_HTTPS", False)
# Behind nginx (docs/deploy.md): the caller's address is the last X-Forwarded-For hop.
RENDA_BEHIND_PROXY = _env_bool("RENDA_BEHIND_PROXY", HTTPS)

INSTALLED_APPS = [
    "renda.core.admin_site.RendaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the API docs page from local static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "renda.core",
    "renda.meetings",
    "renda.deputies",
    "renda.suggestions",
    "renda.plans",
    "renda.supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "renda.core.middleware.content_security_policy",
    "renda.core.middleware.private_no_store",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "renda.core.error_pages.ErrorShapeMiddleware",  # JSON errors under /api/, 409 on duplicates
    "renda.core.cleaning.TextCleaningMiddleware",  # after CSRF: cleans every text input
]

ROOT_URLCONF = "renda.urls"
WSGI_APPLICATION = "renda.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "renda" / "templates"],  # project-wide overrides (the admin's look)
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "renda.core.context_processors.navigation",
            ],
        },
    },
]

# One setting switches the engine: SQLite (WAL) by default, PostgreSQL in production.
DATABASE_URL = os.environ.get("RENDA_DATABASE_URL", f"sqlite:///{VAR_DIR / 'renda.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["renda.core.backends.RoleBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Longest text value a form, query or API write may carry (renda/core/cleaning.py); the law
# import's pasted full text may be longer, as statutes run to 100,000 characters and more.
RENDA_MAX_TEXT_CHARS = int(os.environ.get("RENDA_MAX_TEXT_CHARS", "20000"))
RENDA_MAX_LONG_TEXT_CHARS = int(os.environ.get("RENDA_MAX_LONG_TEXT_CHARS", "1000000"))
# Login throttling: this many failures for one account or one address within the window lock it.
RENDA_LOGIN_MAX_FAILURES = int(os.environ.get("RENDA_LOGIN_MAX_FAILURES", "5"))
RENDA_LOGIN_WINDOW_MINUTES = int(os.environ.get("RENDA_LOGIN_WINDOW_MINUTES", "15"))

SESSION_COOKIE_AGE = int(os.environ.get("RENDA_SESSION_SECONDS", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_FAILURE_VIEW = "renda.core.error_pages.csrf_failure"
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("RENDA_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("RENDA_MEDIA_DIR", VAR_DIR / "uploads"))  # outside the web root
# An .xlsx or .docx is a zip: a few KB can unpack to gigabytes (renda/core/officefiles.py).
RENDA_OFFICE_MAX_ENTRIES = int(os.environ.get("RENDA_OFFICE_MAX_ENTRIES", "1000"))
RENDA_OFFICE_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("RENDA_OFFICE_MAX_UNCOMPRESSED_BYTES", str(50 * 1024 * 1024))
)
RENDA_OFFICE_MAX_RATIO = int(os.environ.get("RENDA_OFFICE_MAX_RATIO", "200"))

# `renda backup` (database, attachments, manifest); the worker runs it nightly when enabled.
RENDA_BACKUP_DIR = Path(os.environ.get("RENDA_BACKUP_DIR", VAR_DIR / "backups"))
RENDA_BACKUP_KEEP = int(os.environ.get("RENDA_BACKUP_KEEP", "14"))
RENDA_BACKUP_NIGHTLY = _env_bool("RENDA_BACKUP_NIGHTLY", False)
RENDA_BACKUP_HOUR = int(os.environ.get("RENDA_BACKUP_HOUR", "2"))  # local time, from this hour on
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("RENDA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = os.environ.get(
    "RENDA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("RENDA_FROM_EMAIL", "renda@localhost")
# Notifications are always kept in the platform; e-mail copies only where this is on.
RENDA_EMAIL_NOTIFICATIONS = _env_bool("RENDA_EMAIL_NOTIFICATIONS", False)
EMAIL_HOST = os.environ.get("RENDA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("RENDA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("RENDA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("RENDA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("RENDA_EMAIL_TLS", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_refusals": {"()": "renda.core.logs.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("RENDA_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # A 403 is one line (user, path, reason); 5xx keep their tracebacks.
        "django.request": {"filters": ["one_line_refusals"]},
        "django.security.csrf": {"filters": ["one_line_refusals"]},
    },
}
