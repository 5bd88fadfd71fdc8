"""gitforge settings: everything configurable comes from the environment, with local defaults."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from gitforge.accounts.scopes import SCOPES

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("GITFORGE_DATA_DIR", BASE_DIR / "data"))


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The fallback is for local use only: `check --deploy` flags it, and `scripts/serve` refuses it
# (gitforge.accounts.checks) when HOST is not a loopback address.
SECRET_KEY = env_str("SECRET_KEY") or "django-insecure-gitforge-local-key-set-SECRET_KEY"
# Where `scripts/serve` binds; anything but loopback makes it refuse insecure credentials.
GITFORGE_SERVE_HOST = env_str("HOST", "127.0.0.1")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

GITFORGE_REPOS_ROOT = Path(env_str("GITFORGE_REPOS_ROOT") or DATA_DIR / "repos")
GITFORGE_HOOKS_DIR = BASE_DIR / "git_hooks"
# What the server does for a push's hooks (gitforge/repositories/push_hooks.py).
GITFORGE_PUSH_CHECK = "protection.pre_receive.check_updates"
GITFORGE_PUSH_RECORD = "pulls.post_receive.record_updates"
# Called in the transaction of each success status, with the repository and the commit SHA:
# statuses imports no app that waits on checks, so those apps are named here.
GITFORGE_ON_STATUS_SUCCESS = ["pulls.auto_merge.queue_auto_merges"]
GITFORGE_DOCS_URL = "https://docs.github.com/rest"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_ratelimit",
    "oauth2_provider",
    "gitforge.accounts",
    "gitforge.repositories",
    "gitforge.ratelimits",
    "statuses",
    "protection",
    "pulls",
    "hooks",
    "web",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gitforge.api.middleware.APIMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "gitforge.urls"
WSGI_APPLICATION = "gitforge.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'gitforge.sqlite3'}",
        conn_max_age=60,
    )
}
if env_str("GITFORGE_DATABASE_NAME"):  # a process started beside the tests uses their database
    DATABASES["default"]["NAME"] = env_str("GITFORGE_DATABASE_NAME")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Statements run through gitforge.rows.hot_cursor are prepared after this many runs on a
    # connection (README: Configuration).
    threshold = env_str("GITFORGE_PREPARE_THRESHOLD", "5").strip().lower()
    if threshold != "off" and not threshold.isdigit():
        raise ImproperlyConfigured("GITFORGE_PREPARE_THRESHOLD is a number of runs, or off")
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        None if threshold == "off" else int(threshold)
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("GITFORGE_CACHE_PREFIX", "gitforge"),
        }
    }
else:
    # Counters in the database, shared by every worker process (gitforge.ratelimits).
    CACHES = {
        "default": {
            "BACKEND": "gitforge.ratelimits.cache.DatabaseCounterCache",
            "KEY_PREFIX": env_str("GITFORGE_CACHE_PREFIX", "gitforge"),
        }
    }

# django-ratelimit counts in the default cache: Redis, or the database's atomic counters.
# W001 only says that django-ratelimit's authors have not tested these two backends.
RATELIMIT_USE_CACHE = "default"
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
GITFORGE_API_RATE_LIMIT = env_str("GITFORGE_API_RATE_LIMIT", "5000/h")
GITFORGE_API_ANONYMOUS_RATE_LIMIT = env_str("GITFORGE_API_ANONYMOUS_RATE_LIMIT", "60/h")
GITFORGE_STATUS_RATE_LIMIT = env_str("GITFORGE_STATUS_RATE_LIMIT", "600/m")
# Failed sign-ins (pages and admin) per account and per address; past either, 429.
GITFORGE_SIGN_IN_ACCOUNT_RATE_LIMIT = env_str("GITFORGE_SIGN_IN_ACCOUNT_RATE_LIMIT", "10/15m")
GITFORGE_SIGN_IN_ADDRESS_RATE_LIMIT = env_str("GITFORGE_SIGN_IN_ADDRESS_RATE_LIMIT", "50/15m")

# API request bodies larger than this are refused (413) before they are read; form posts too.
GITFORGE_API_MAX_BODY_SIZE = int(env_str("GITFORGE_API_MAX_BODY_SIZE", str(5 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = GITFORGE_API_MAX_BODY_SIZE

# Background work (webhook deliveries) is queued in the database; `manage.py db_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The address users reach gitforge at, for links in webhook payloads.
GITFORGE_EXTERNAL_URL = env_str("GITFORGE_EXTERNAL_URL", "http://127.0.0.1:8000")
# Where webhooks may be delivered: `loopback`, `private`, `external`, `*`, host globs, CIDR ranges.
GITFORGE_WEBHOOK_ALLOWED_HOSTS = env_str("GITFORGE_WEBHOOK_ALLOWED_HOSTS", "external")
GITFORGE_WEBHOOK_TIMEOUT = float(env_str("GITFORGE_WEBHOOK_TIMEOUT", "10"))
# Seconds to wait before each retry: 8 attempts over about 22 hours.
GITFORGE_WEBHOOK_RETRY_DELAYS = [
    float(seconds)
    for seconds in env_list("GITFORGE_WEBHOOK_RETRY_DELAYS", "60,300,900,3600,10800,21600,43200")
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Serve from the app's static folders too, so tests and development need no collectstatic.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
# Behind a proxy that terminates TLS and sets X-Forwarded-Proto (overwriting what clients send):
# requests it marks https count as secure, cookies are Secure and HSTS is on.
GITFORGE_BEHIND_TLS_PROXY = env_bool("GITFORGE_BEHIND_TLS_PROXY", False)
if GITFORGE_BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", GITFORGE_BEHIND_TLS_PROXY)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Sent only on HTTPS responses; a year once cookies are Secure, else off.
SECURE_HSTS_SECONDS = int(
    env_str("SECURE_HSTS_SECONDS", str(365 * 24 * 3600 if SESSION_COOKIE_SECURE else 0))
)
X_FRAME_OPTIONS = "DENY"
# Pages run only the scripts and styles of static/ (no inline code) and load no third-party
# images; Markdown images are shown as links (web.markdown).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "gitforge.accounts.authentication.GitHubTokenAuthentication"
    ],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["gitforge.api.renderers.GitHubJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["gitforge.api.parsers.GitHubJSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "gitforge.api.negotiation.JSONOnlyNegotiation",
    "EXCEPTION_HANDLER": "gitforge.api.exceptions.github_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "URL_FORMAT_OVERRIDE": None,
}

OAUTH2_PROVIDER = {
    "SCOPES": SCOPES,
    "DEFAULT_SCOPES": ["read:user"],
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 8 * 3600,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    # Only the authorization code grant with PKCE S256 (RFC 9700): no implicit or password
    # grant, no `plain` PKCE, whatever an application was registered with.
    "OAUTH2_VALIDATOR_CLASS": "gitforge.accounts.oauth.AuthorizationCodeValidator",
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    # A refresh token works once; replaying a used one revokes every token descended from it.
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
}

# Each record carries the X-GitHub-Request-Id of the API request it was written for ("-" if
# none); every API request is logged on gitforge.api.requests at INFO.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "gitforge.api.request_ids.RequestIdFilter"}},
    "formatters": {
        "request_id": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "request_id",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {"gitforge.api.requests": {"level": env_str("API_LOG_LEVEL", "INFO")}},
}
