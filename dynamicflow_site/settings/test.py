"""Settings for pytest: the same stack, with fast password hashing and a test secret."""

import os

os.environ.setdefault("DYNAMICFLOW_DEV", "1")

from dynamicflow_site.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DYNAMICFLOW_ENCRYPTION_KEYS = os.environ.get(
    "DYNAMICFLOW_ENCRYPTION_KEYS", "test1:" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE="
)
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The browser tests' servers see a database flushed between tests (tests/browser).
MIDDLEWARE = ["tests.browser.fresh_content_types.fresh_content_types", *MIDDLEWARE]  # noqa: F405
