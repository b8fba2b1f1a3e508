"""Settings for Delaktig, driven by the environment.

SQLite is the embedded default; ``DATABASE_URL`` (any URL dj-database-url
understands) or ``DB=postgres`` switches to PostgreSQL.  ``DELAKTIG_DEMO=1``
(set by ``make run``) or ``DEBUG=1`` allows a generated secret key and local
hosts; otherwise the settings refuse to start without a real ``SECRET_KEY``,
``ALLOWED_HOSTS`` and ``DELAKTIG_BASE_URL``.

Secrets (``SECRET_KEY``, ``DATABASE_URL``, ``EMAIL_HOST_PASSWORD``) can instead be
read from a file named by ``<NAME>_FILE`` (Docker/Kubernetes/systemd credentials).
The test suite's own settings are in ``tests/settings.py``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Lets `admin.ModelAdmin[Model]` and other generic classes be subscripted at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def envsecret(name: str, default: str = "") -> str:
    """``NAME`` from the environment, or the contents of the file named by ``NAME_FILE``."""
    value = os.environ.get(name, "")
    path = os.environ.get(f"{name}_FILE", "")
    if value and path:
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
    if not path:
        return value or default
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ImproperlyConfigured(f"{name}_FILE cannot be read: {exc.strerror}") from exc


def demo_secret_key(path: Path) -> str:
    """The demo's own random key, made on first start and kept in a git-ignored file.

    Never a key published in the source: the demo runs with DEBUG off, like a real
    installation, and its sessions must not be forgeable by anyone who read the code.
    """
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(50)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(key + "\n")
    except FileExistsError:  # another process made it first
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        pass  # a read-only checkout: the key lives as long as the process
    return key


# DELAKTIG_TESTING=1: the test suite (tests/settings.py sets it) and the lint stage,
# whose mypy and makemigrations load the settings without a production environment.
TESTING = envbool("DELAKTIG_TESTING")
DEMO = envbool("DELAKTIG_DEMO")
# The demo (`make run`) runs with DEBUG off, as users will run it: Swedish error pages,
# no URL listing, no tracebacks.  DEBUG=1 is for developers only.
DEBUG = envbool("DEBUG")
DEV_MODE = DEBUG or DEMO or TESTING

SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if not DEV_MODE:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (or run the demo with DELAKTIG_DEMO=1)."
        )
    if DEMO and not (DEBUG or TESTING):
        SECRET_KEY = demo_secret_key(
            Path(os.environ.get("DELAKTIG_DEMO_KEY_FILE", BASE_DIR / "var" / "demo-secret-key"))
        )
    else:
        # Development and tests only: a throw-away key, never used in production.
        SECRET_KEY = "dev-only-" + "delaktig-not-secret-" * 3
elif len(SECRET_KEY) < 50 and not DEV_MODE:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")

# Links in e-mails and calendar files point here (no personal data, only ids/UUIDs).
# Outside the demo it must be the address staff really use, or every link is wrong
# (checked at the end, after the settings a production set-up needs first).
# `make run` sets it to the address it serves (HOST and PORT).
DELAKTIG_BASE_URL = os.environ.get("DELAKTIG_BASE_URL", "").rstrip("/")
if not DELAKTIG_BASE_URL and DEV_MODE:
    DELAKTIG_BASE_URL = "http://127.0.0.1:8000"
_BASE = urlsplit(DELAKTIG_BASE_URL)
if DELAKTIG_BASE_URL and (_BASE.scheme not in ("http", "https") or not _BASE.hostname):
    raise ImproperlyConfigured(
        f"DELAKTIG_BASE_URL must be an http(s) address, got {DELAKTIG_BASE_URL!r}."
    )

_DEV_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
if _BASE.hostname and _BASE.hostname not in ("127.0.0.1", "localhost", "::1"):
    _DEV_HOSTS.append(_BASE.hostname)  # the demo served on another address (HOST=...)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", _DEV_HOSTS if DEV_MODE else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
if "*" in ALLOWED_HOSTS and not DEV_MODE:
    raise ImproperlyConfigured("ALLOWED_HOSTS='*' is only allowed in the demo/dev mode.")

# Forms posted from the address Delaktig is served at (behind a proxy, or the demo's
# printed address) are trusted; CSRF_TRUSTED_ORIGINS adds others.
CSRF_TRUSTED_ORIGINS = envlist(
    "CSRF_TRUSTED_ORIGINS", [f"{_BASE.scheme}://{_BASE.netloc}"] if DELAKTIG_BASE_URL else []
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "delaktig.accounts",
    "delaktig.core",
    "delaktig.organisation",
    "delaktig.people",
    "delaktig.plans",
    "delaktig.records",
    "delaktig.oversight",
    "delaktig.archive",
    "delaktig.disposal",
    "delaktig.web",
    "delaktig.demo",  # seed_demo: `make run` and `make bench` need it in every mode
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "delaktig.core.middleware.NoStoreMiddleware",
]

if not DEBUG:
    # Production and the demo serve static files through whitenoise, from STATIC_ROOT
    # (collectstatic at deploy; `make run` runs it); runserver serves them with DEBUG=1.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "delaktig.urls"
WSGI_APPLICATION = "delaktig.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "delaktig" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "delaktig.web.context.navigation",
                "delaktig.web.context.plan_labels",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = envsecret("DATABASE_URL")
    if not url and os.environ.get("DB", "sqlite") == "postgres":
        url = "postgres://postgres@127.0.0.1:5432/delaktig"
    if url:
        cfg: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
        cfg["CONN_HEALTH_CHECKS"] = True
        return cfg
    path = os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Delaktig's own user (delaktig/accounts), in the auth_user table Django's User made.
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Swedish only: the UI's strings are Swedish (decision 0004) and there is no other
# catalogue, so a browser asking for English must not get English error messages
# under Swedish labels.  Add a language here (and LocaleMiddleware) with its catalogue.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "delaktig" / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# The demo and the tests: whitenoise also finds files in the apps, so a page keeps its
# look when collectstatic has not run (the browser tests' server, a fresh checkout).
WHITENOISE_USE_FINDERS = DEV_MODE
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEV_MODE
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Confidential by default (R-LIFE-8): secure transport and short sessions outside dev.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEV_MODE:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEV_MODE
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "delaktig@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)

# Logs carry ids, never names or personnummer (R-LIFE-8).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The request logger would print URLs with query strings; keep it at errors only.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "INFO"},
        # WeasyPrint logs every rendering step at INFO; its warnings still show.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

CSRF_FAILURE_VIEW = "delaktig.web.views.csrf_failure"

if not DELAKTIG_BASE_URL:
    raise ImproperlyConfigured(
        "DELAKTIG_BASE_URL must be set when DEBUG is off (e.g. https://delaktig.kommun.se)."
    )
