import os
import shutil
from typing import NoReturn

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from hypothesis import settings as hypothesis_settings

from tests.factories import Cast, build_cast

# CI replays the same examples every run, so a red run always means a change broke
# something; exploring new examples is for developers' machines, where it found real bugs.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _mail_through_the_outbox(settings):
    """Django's test runner swaps every mailer for locmem; put the outbox back in front, so
    tests see mail the way users get it: stored, then delivered once the change commits."""
    settings.MAILERS = {
        "default": {"BACKEND": "mentoring.outbox.OutboxBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and cached sessions must not leak from one test into the next. On a
    shared Redis only this run's keys are removed, never the whole database."""
    yield
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=True)
        for key in client.scan_iter(f"{settings.CACHES['default']['KEY_PREFIX']}:*"):
            client.delete(key)
    else:
        cache.clear()


def require_service(reason: str) -> NoReturn:
    """Skip a test whose service is missing, or fail it when REQUIRE_SERVICES=1 (as in CI)."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()
