"""Settings for the mentoring product.

There is one settings module. Every difference between a laptop (the trial mode:
SQLite, no broker) and production (PostgreSQL, Redis, Celery) comes from environment
variables, read through the small helpers below. README.md lists them all.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = env_str(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# The trial mode (DEBUG on) may run with a throwaway key; anything else must be given a
# real one, or it refuses to start.
_INSECURE_KEY = "django-insecure-trial-mode-only-never-use-this-key-in-production-0123456789"
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` "
            "and put it in the environment, or set DEBUG=1 for the trial mode."
        )
    SECRET_KEY = _INSECURE_KEY
elif not DEBUG and (SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: use at least 50 random characters."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- Applications -----------------------------------------------------------------------

SOCIAL_PROVIDERS: dict[str, dict] = {}
if env_str("LINKEDIN_CLIENT_ID"):
    SOCIAL_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": "linkedin",
                "name": "LinkedIn",
                "client_id": env_str("LINKEDIN_CLIENT_ID"),
                "secret": env_str("LINKEDIN_CLIENT_SECRET"),
                "settings": {"server_url": "https://www.linkedin.com/oauth"},
            }
        ]
    }
if env_str("GOOGLE_CLIENT_ID"):
    SOCIAL_PROVIDERS["google"] = {
        "APPS": [
            {"client_id": env_str("GOOGLE_CLIENT_ID"), "secret": env_str("GOOGLE_CLIENT_SECRET")}
        ],
        "SCOPE": ["profile", "email"],
    }
if env_str("MICROSOFT_CLIENT_ID"):
    SOCIAL_PROVIDERS["microsoft"] = {
        "APPS": [
            {
                "client_id": env_str("MICROSOFT_CLIENT_ID"),
                "secret": env_str("MICROSOFT_CLIENT_SECRET"),
                "settings": {"tenant": env_str("MICROSOFT_TENANT", "organizations")},
            }
        ]
    }

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
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    *[f"allauth.socialaccount.providers.{provider}" for provider in SOCIAL_PROVIDERS],
    "mentoring",
    "programmes",
    "playbooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mentoring.session_timeout.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "mentoring.two_factor.TwoFactorRequiredMiddleware",
    "programmes.figures.FiguresChangedMiddleware",
    "programmes.client_address.ClientAddressMiddleware",
    "mentoring.method_not_allowed.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "mentoring.urls"
WSGI_APPLICATION = "mentoring.wsgi.application"

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
                "django.template.context_processors.csp",
                "mentoring.navigation.navigation",
            ],
        },
    },
]

# Forms write their common widgets in Python (programmes/forms/rendering.py): the same HTML
# as Django's widget templates, without a template render per <option> (a select of 200
# mentors cost 80 ms). Anything else still goes through the templates.
FORM_RENDERER = "programmes.forms.rendering.PythonWidgets"

# --- Data -------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent connections are pointless for SQLite, and the trial mode runs a web
    # process and a worker against one file: WAL and IMMEDIATE keep them out of each
    # other's way instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: it pays off on queries that run for seconds, and this app's run
    # for milliseconds. Above its cost threshold PostgreSQL compiled the dashboard's
    # answers and each batch of the pace sweep every time, about 80 ms a statement
    # (a third of a sweep batch's time, and 70 ms of a cold answers panel's).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "mentoring.User"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "mentoring"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# How long the lead's dashboard keeps its panels; any change to the programme clears them
# sooner (programmes/figures.py). 0 turns the cache off.
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 300)

# --- Accounts (django-allauth) ------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "mentoring:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "mentoring.accounts.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "mentoring.forms.profile.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_str(
    "ACCOUNT_EMAIL_VERIFICATION", "optional" if DEBUG else "mandatory"
)
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_INPUT_RENDER_VALUE = False
ACCOUNT_RATE_LIMITS_ENABLED = True  # the default; the cache above makes it work
# Sign-in limits count per address and per account. Behind a proxy every request comes
# from the proxy's address, so the client's own address is read from X-Forwarded-For,
# TRUSTED_PROXY_COUNT entries from its end: one per proxy you run, each of which appends
# the address it saw. 0 (the default) ignores the header, which anyone can write.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if ALLAUTH_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
# Per address, roomy enough for a workshop or an office behind one address: a hundred
# people signing in (or up) in ten minutes, a good share of them mistyping once. Per
# account, tight: five wrong passwords in five minutes, from anywhere; it is checked first,
# so retrying a locked account uses up nothing of the address's allowance. allauth's
# defaults (30 sign-ins a minute per address, 10 failures) lock out a room at once.
ACCOUNT_RATE_LIMITS = {
    "login": "200/10m/ip",
    "login_failed": "5/5m/key,100/10m/ip,300/h/ip",
    "signup": "100/10m/ip",
    "request_login_code": "3/m/key,100/10m/ip",
    "reset_password": "5/m/key,60/10m/ip",
    "reset_password_from_key": "100/10m/ip",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_SIGNUP_OPEN = env_bool("ACCOUNT_SIGNUP_OPEN", True)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Mentoring")
# Refuses removing two-factor while a programme requires it (mentoring/two_factor.py).
MFA_ADAPTER = "mentoring.accounts.MFAAdapter"
# Changing an email address or two-factor asks for the password (or a code) again unless
# the person gave it in the last five minutes: a session left open is not enough.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
MFA_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# A sign-in lasts at most SESSION_MAX_AGE_DAYS, and ends after SESSION_IDLE_MINUTES without
# a page opened (0: never); mentoring/session_timeout.py. allauth.usersessions lists a
# person's signed-in browsers and signs out the others; it records each at sign-in only
# (tracking activity would write on every request).
SESSION_COOKIE_AGE = env_int("SESSION_MAX_AGE_DAYS", 14) * 24 * 60 * 60
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 24 * 60)
if SESSION_COOKIE_AGE <= 0 or SESSION_IDLE_MINUTES < 0:
    raise ImproperlyConfigured(
        "SESSION_MAX_AGE_DAYS must be 1 or more, and SESSION_IDLE_MINUTES 0 or more."
    )
USERSESSIONS_TRACK_ACTIVITY = False
SOCIALACCOUNT_PROVIDERS = SOCIAL_PROVIDERS
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True

# --- Email -------------------------------------------------------------------------------

_MAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    # The trial mode prints each email readably (links intact) in the worker's log.
    "mentoring.outbox.ReadableConsoleBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
if _MAIL_BACKEND.endswith("smtp.EmailBackend"):
    _MAIL_OPTIONS = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": env_int("EMAIL_TIMEOUT", 20),
    }
elif _MAIL_BACKEND.endswith("filebased.EmailBackend"):
    _MAIL_OPTIONS = {"file_path": env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))}
else:
    _MAIL_OPTIONS = {}
# Everything is sent through the outbox (see mentoring/outbox.py); a worker hands each
# message to the "delivery" mailer, which is the real one.
MAILERS = {
    "default": {"BACKEND": "mentoring.outbox.OutboxBackend"},
    "delivery": {"BACKEND": _MAIL_BACKEND, "OPTIONS": _MAIL_OPTIONS},
}
# Where links in emails point: the address people use to reach the site.
SITE_URL = env_str(
    "SITE_URL",
    "http://127.0.0.1:8000" if DEBUG else "https://" + (ALLOWED_HOSTS or ["localhost"])[0],
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Mentoring <mentoring@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = env_list("ADMIN_EMAILS")

# --- Celery ------------------------------------------------------------------------------

# Without REDIS_URL (the trial mode) Celery uses kombu's filesystem transport: messages are
# files under var/celery, picked up by the worker that `make run` starts beside the web
# server. Nothing is lost if that worker is down; it catches up when it starts.
CELERY_HARD_TIME_LIMIT = env_int("CELERY_HARD_TIME_LIMIT", 300)
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any]  # each transport takes its own options
if REDIS_URL:
    CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Longer than the hard time limit, or Redis hands a running task to a second worker.
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    }
else:
    _celery_dir = VAR_DIR / "celery"  # its folders are made when the app starts (apps.py)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "processed_folder": str(_celery_dir / "processed"),
        "control_folder": str(_celery_dir / "control"),
        "store_processed": False,
    }
if CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 10**9) <= CELERY_HARD_TIME_LIMIT:
    raise ImproperlyConfigured(
        "CELERY_VISIBILITY_TIMEOUT must be longer than CELERY_HARD_TIME_LIMIT."
    )
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "mentoring")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = CELERY_HARD_TIME_LIMIT
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_SOFT_TIME_LIMIT", int(CELERY_HARD_TIME_LIMIT * 0.8))
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_REDIRECT_STDOUTS_LEVEL = "INFO"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Emails whose delivery failed, or whose task was lost (a worker killed mid-send, a
    # broker outage), are tried again when due; delivery claims each row first.
    "retry-due-emails": {
        "task": "mentoring.tasks.retry_due_emails",
        "schedule": 60.0,
    },
    # Who is due a look at their pace: judged, stored, and their nudges recorded.
    "sweep-pace": {
        "task": "mentoring.tasks.sweep_pace",
        "schedule": env_int("PACE_SWEEP_SECONDS", 15 * 60),
    },
    # Notifications whose email is due (quiet hours over), sent in batches of ids.
    "deliver-notifications": {
        "task": "mentoring.tasks.deliver_notifications",
        "schedule": 60.0,
    },
}

# --- Internationalisation ------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Security ----------------------------------------------------------------------------

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF, "https:"] if SOCIAL_PROVIDERS else [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Turning these off is a deliberate choice (TLS ends at a proxy that redirects, or the
    # domain must not be preloaded), so the deploy check need not warn about it.
    SILENCED_SYSTEM_CHECKS = [
        *([] if SECURE_SSL_REDIRECT else ["security.W008"]),
        *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    ]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
