"""Django settings: every value from the environment, with safe embedded defaults.

| variable | default | meaning |
|---|---|---|
| BUILDREAL_DATA_DIR | <repo>/data | SQLite database, secret key, built figures |
| BUILDREAL_COURSES_DIR | <repo>/courses | folder whose subfolders are course packs |
| DJANGO_SECRET_KEY | generated once into the data folder (0600) | |
| BUILDREAL_DEBUG | 0 | 1 turns Django's debug pages on (never in production) |
| BUILDREAL_ALLOWED_HOSTS | 127.0.0.1,localhost | comma-separated host names |
| DATABASE_URL | sqlite in the data folder | e.g. postgres://user@host:5432/db |
| BUILDREAL_BEHIND_TLS | 0 | 1 behind an HTTPS proxy: secure cookies, HSTS, proxy header |
| BUILDREAL_TRUSTED_PROXIES | none | proxies whose X-Forwarded-For is believed |
| BUILDREAL_SIGNUPS_PER_ADDRESS_PER_HOUR | 30 | sign-ups per client address per hour |
| BUILDREAL_LLM_CALLS_PER_DAY | 300 | LLM calls per learner per day |
| BUILDREAL_EMAIL_HOST | unset: mail printed to the console | SMTP server; setting it selects SMTP |
| BUILDREAL_EMAIL_BACKEND | console, or smtp when a host is set | console or smtp |
| BUILDREAL_EMAIL_PORT / _USER / _PASSWORD | 587 / none / none | SMTP port and log-in |
| BUILDREAL_EMAIL_TLS / _SSL | 1 / 0 | STARTTLS, or implicit TLS (not both) |
| BUILDREAL_EMAIL_FROM | buildreal <noreply@localhost> | sender of reset and verification mail |

A bad value stops the site at start with the variable's name (see ``env.py``).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from buildreal.web.env import (
    ensure_data_dir,
    env_bool,
    env_email,
    env_int,
    env_list,
    env_networks,
    env_path,
    env_str,
    secret_key,
)

REPO_DIR = Path(__file__).resolve().parents[3]
DATA_DIR = ensure_data_dir(env_path("BUILDREAL_DATA_DIR", REPO_DIR / "data"))
BUILDREAL_COURSES_DIR = env_path("BUILDREAL_COURSES_DIR", REPO_DIR / "courses")
BUILDREAL_FIGURES_DIR = DATA_DIR / "figures"
# Built output of executed lesson code, keyed by the code's hash (see packs/execute.py).
BUILDREAL_OUTPUTS_DIR = env_path("BUILDREAL_OUTPUTS_DIR", DATA_DIR / "outputs")

SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_bool("BUILDREAL_DEBUG", False)
ALLOWED_HOSTS = env_list("BUILDREAL_ALLOWED_HOSTS", "127.0.0.1,localhost")

# Apps: the platform core first; later areas (labs, flashcards, capstones) append here.
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",  # log-in lockouts by account and client address (see accounts/lockout.py)
    "buildreal.web",
    "buildreal.accounts",
    "buildreal.search",
    "buildreal.teaching",
    "buildreal.catalog",
    "buildreal.assessments",
    "buildreal.progress",
    "buildreal.labs",
    "buildreal.flashcards",
    "buildreal.capstones",
    "buildreal.modulechecks",
    "buildreal.exercises",
    "buildreal.projectsubmit",  # projects completed by their checks (toolkit tokens)
    "buildreal.certificates",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "buildreal.web.middleware.content_security_policy",
    "buildreal.web.guards.InputGuard",  # NUL bytes and oversized forms: a clear 400/413
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "buildreal.web.middleware.login_returns_to_the_page",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "buildreal.web.mathassets.katex_only_with_math",  # no KaTeX on pages without math
    "buildreal.web.guards.DiskFullGuard",  # a write on a full disk: "not saved" page
    # Last: it turns a log-in that django-axes refused into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "buildreal.web.urls"
WSGI_APPLICATION = "buildreal.web.wsgi.application"

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
                "buildreal.flashcards.context_processors.review_due",
            ],
            # {% url %} remembers its answers (web/templatetags/cachedurls.py).
            "builtins": ["buildreal.web.templatetags.cachedurls"],
        },
    },
]


def _database(url: str | None) -> dict:
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "buildreal.sqlite3",
            # WAL lets readers work while one writer commits; IMMEDIATE takes the write
            # lock at BEGIN so concurrent writers queue instead of failing mid-transaction.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Keep each server thread's connection (and its WAL setup) between requests
            # instead of opening one per request.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    try:
        return dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database URL ({exc}); "
            "use e.g. postgres://user:password@127.0.0.1:5432/buildreal"
        ) from exc


DATABASES = {"default": _database(env_str("DATABASE_URL", "").strip() or None)}
# Database sessions, read with one prebuilt query on every signed-in request (web/sessions.py).
SESSION_ENGINE = "buildreal.web.sessions"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 first: new passwords use it; the others only verify hashes made elsewhere.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password reset and address verification mail (see env.env_email).
_EMAIL = env_email()
EMAIL_BACKEND = _EMAIL["EMAIL_BACKEND"]
EMAIL_HOST = _EMAIL["EMAIL_HOST"]
EMAIL_PORT = _EMAIL["EMAIL_PORT"]
EMAIL_HOST_USER = _EMAIL["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _EMAIL["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _EMAIL["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _EMAIL["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = _EMAIL["EMAIL_TIMEOUT"]
DEFAULT_FROM_EMAIL = _EMAIL["DEFAULT_FROM_EMAIL"]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3  # a reset or verification link works for 3 hours

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "progress:dashboard"
LOGOUT_REDIRECT_URL = "catalog:index"

# Log-in lockouts (django-axes; accounts/lockout.py). Failures are counted per account
# and client address: 5 lock that account from that address only, so an attacker cannot
# lock anyone else out; 20 from one address (any usernames) lock that address. Both end
# 15 minutes after the last counted failure; a successful log-in clears its account's.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading a signed-in request's user with one prebuilt query.
    "buildreal.accounts.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_ADDRESS_FAILURE_LIMIT = 20
# One account guessed at from many addresses: refused after this many failures in all,
# except from addresses that have logged in to it before (axes' access log).
AXES_ACCOUNT_FAILURE_LIMIT = 50
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "buildreal.accounts.clientip.client_ip"
AXES_USERNAME_CALLABLE = "buildreal.accounts.lockout.username_of"
AXES_LOCKOUT_CALLABLE = "buildreal.accounts.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = False  # successful log-ins: the addresses that proved a password
AXES_VERBOSE = False
# Proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated).
BUILDREAL_TRUSTED_PROXIES = env_networks("BUILDREAL_TRUSTED_PROXIES")

# Other rate limits (accounts/throttle.py), each over a sliding window.
BUILDREAL_SIGNUPS_PER_ADDRESS_PER_HOUR = env_int("BUILDREAL_SIGNUPS_PER_ADDRESS_PER_HOUR", 30)
BUILDREAL_LAB_TURNS_PER_MINUTE = 12  # per learner, all labs together
BUILDREAL_LAB_RESTARTS_PER_HOUR = 10  # per learner
BUILDREAL_LLM_CALLS_PER_DAY = env_int("BUILDREAL_LLM_CALLS_PER_DAY", 300)  # per learner

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = ensure_data_dir(DATA_DIR / "static")  # WhiteNoise warns if it is missing
# Static files ship with hashed names, gzip and brotli copies and a one-year cache
# (WhiteNoise's compressed manifest storage, each URL worked out once: web/staticstorage.py;
# `buildreal serve` and setup run collectstatic).
# BUILDREAL_STATIC_MANIFEST=0 keeps plain names served straight from the apps' folders:
# the test suite uses it, so pages render without a collected manifest.
STATIC_MANIFEST = env_bool("BUILDREAL_STATIC_MANIFEST", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "buildreal.web.staticstorage.ManifestStorage"
                    if STATIC_MANIFEST
                    else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Without a manifest WhiteNoise indexes the apps' static folders at start instead.
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG

# Security headers. X-Frame-Options DENY and nosniff are Django defaults, stated here so
# a reader sees them; the CSP comes from web/middleware.py.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # HTMX takes the token from the page, never from the cookie
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

BEHIND_TLS = env_bool("BUILDREAL_BEHIND_TLS", False)
if BEHIND_TLS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    CSRF_TRUSTED_ORIGINS = [
        f"https://*{host}" if host.startswith(".") else f"https://{host}"
        for host in ALLOWED_HOSTS
        if host != "*"
    ]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
