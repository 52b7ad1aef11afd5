"""Padu settings: everything that differs between machines comes from the environment.

- ``DATABASE_URL``: e.g. ``postgres://user@host:5432/padu``; default a SQLite file
  ``padu.sqlite3`` in the data directory (WAL mode).
- ``PADU_DATA_DIR``: where the SQLite file, uploads and snapshots live
  (default ``$XDG_DATA_HOME/padu`` or ``~/.local/share/padu``).
- ``PADU_DEBUG``: ``1`` for development. With debug off, ``SECRET_KEY`` is required.
- ``PADU_FILES_ONLY``: set by ``padu`` for commands that only read and write files
  (``check`` on files, ``pmt``, ``link``, ``synth``, ``kemiskinan estimate``): no
  ``SECRET_KEY``, no database and no data directory are needed or touched.
- ``SECRET_KEY``, ``PADU_ALLOWED_HOSTS`` (comma-separated), ``PADU_SECURE`` (``1`` behind HTTPS).
- ``PADU_INTAKE_BULK_MIN_ROWS``: imports of at least this many rows (default 50,000) into a
  table no larger than the import rebuild its indexes after loading (decision 0007).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "ya", "on"}


BASE_DIR = Path(__file__).resolve().parent
_xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
DATA_DIR = Path(os.environ.get("PADU_DATA_DIR") or Path(_xdg) / "padu").expanduser()
# File commands (set by padu/cli.py) read and write only the files they are given.
FILES_ONLY = _flag("PADU_FILES_ONLY")
if not FILES_ONLY:
    DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = _flag("PADU_DEBUG")


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if FILES_ONLY:
        # Nothing is signed or kept by a file command: a key for this process only.
        return secrets.token_urlsafe(50)
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY belum diatur. Atur variabel lingkungan SECRET_KEY (string acak panjang), "
            "atau jalankan dengan PADU_DEBUG=1 untuk pengembangan. / SECRET_KEY is not set."
        )
    # Development only: a random key kept in the data directory, never a fixed one.
    key_file = DATA_DIR / "dev-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("PADU_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
if DEBUG:
    ALLOWED_HOSTS += ["testserver"]

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
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "padu.core",
    "padu.accounts",
    "padu.wilayah",
    "padu.intake",
    "padu.registry",
    "padu.quality",
    "padu.linkage",
    "padu.welfare",
    "padu.verval",
    "padu.danadesa",
    "padu.layanan",
    "padu.dampingan",
    "padu.asuh",
    "padu.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "padu.core.middleware.ContentSecurityPolicyMiddleware",
    "padu.core.middleware.RequestAddressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "padu.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "padu.core.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: counts failed logins and locks the account out.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "padu.urls"
WSGI_APPLICATION = "padu.wsgi.application"
ASGI_APPLICATION = "padu.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "padu.core.context_processors.navigation",
            ],
        },
    },
]

SQLITE_PATH = DATA_DIR / "padu.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}",
        conn_max_age=60,
    )
}
if FILES_ONLY:
    # A file command never opens the database; an empty in-memory one stands in.
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets pages read while the worker writes; IMMEDIATE avoids lock upgrades failing.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=10000; PRAGMA cache_size=-65536;"
        ),
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Lockout after repeated failures (django-axes), then the ordinary password check.
    "padu.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
if not FILES_ONLY:
    STATIC_ROOT.mkdir(exist_ok=True)
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
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False
MEDIA_ROOT = DATA_DIR / "media"

TASKS = {
    "default": {"BACKEND": os.environ.get("PADU_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}
}

# Sessions end after PADU_SESSION_IDLE_MINUTES without a request (default 120), and when the
# browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("PADU_SESSION_IDLE_MINUTES", "120")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Lockout (django-axes): PADU_LOGIN_FAILURES failed logins for one user name lock it for
# PADU_LOCKOUT_MINUTES; a successful login resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("PADU_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = int(os.environ.get("PADU_LOCKOUT_MINUTES", "30")) / 60
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False
# Lockout counts per user name only: village offices share one address behind NAT, and
# locking an address would lock the whole office out.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
PADU_TRUSTED_PROXY = _flag("PADU_TRUSTED_PROXY")

# An import promoting at least this many valid rows into a table that holds no more
# rows than that rebuilds the table's indexes once after loading (decision 0007).
PADU_INTAKE_BULK_MIN_ROWS = int(os.environ.get("PADU_INTAKE_BULK_MIN_ROWS", "50000"))
AXES_IPWARE_PROXY_COUNT = 1 if PADU_TRUSTED_PROXY else None

# Second factor (django-otp, TOTP): required for roles with "wajib verifikasi dua langkah"
# (province-wide roles by default); PADU_2FA_SUPERUSERS=1 requires it of superusers too.
PADU_2FA_URL = "/akun/2fa/"
PADU_2FA_SUPERUSERS = _flag("PADU_2FA_SUPERUSERS")
OTP_TOTP_ISSUER = "Padu"

# Content security policy: nothing from other hosts, no inline scripts, no framing.
PADU_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# JSON API: requests per token per minute (PADU_API_RATE, e.g. "600/m").
PADU_API_RATE = os.environ.get("PADU_API_RATE", "600/m")
PADU_API_ANON_RATE = os.environ.get("PADU_API_ANON_RATE", "60/m")
# Seconds a token's owner is remembered between API requests (padu/api/auth.py); 0: look the
# token up on every request. A revoked token stops working at once in the server process
# that revoked it, within this many seconds in the others.
PADU_API_TOKEN_CACHE_SECONDS = int(os.environ.get("PADU_API_TOKEN_CACHE_SECONDS", "10"))
if _flag("PADU_SECURE"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PADU_LOG_LEVEL", "WARNING")},
}
