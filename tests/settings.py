"""Test configuration: the product's settings, plus what only the test suite needs."""

import os
import uuid
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-" + "k" * 60)
# Per checkout, so two clones testing at once never share a database file.
os.environ.setdefault("VAR_DIR", str(Path(__file__).resolve().parents[1] / "var" / "test"))

from mentoring.settings import *  # noqa: F403  (the one settings module, then test overrides)
from mentoring.settings import CACHES, DATABASES, VAR_DIR

# The test client speaks plain HTTP; the deploy check covers the production redirect.
SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Services run tasks eagerly; the integration tests switch this off and use a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

# A shared Redis must not carry rate limits or sessions from one run into another.
CACHES["default"]["KEY_PREFIX"] = f"mentoring-test-{uuid.uuid4().hex[:8]}"
# Tests change rows directly and look again at once: the dashboard's cache is tried on its
# own (tests/mentoring/test_dashboard.py), with it on.
DASHBOARD_CACHE_SECONDS = 0

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a Celery worker process can open the same test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
