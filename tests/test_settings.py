"""The settings module: production is safe by default, the trial needs no services."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STRONG_KEY = "p" * 20 + "roduction-secret-key-with-enough-entropy-1234567890"

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "mentoring.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://mentoring.example.com",
    "DATABASE_URL": "postgres://mentoring:secret@db:5432/mentoring",
    "REDIS_URL": "redis://redis:6379/0",
    "EMAIL_HOST": "smtp.example.com",
}


def manage(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    for name in ("SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"):
        clean.pop(name, None)
    clean.update(env)
    clean["VAR_DIR"] = str(tmp_path)
    clean["DJANGO_SETTINGS_MODULE"] = "mentoring.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_with_nothing_to_report(tmp_path):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize("weak", ["short", "django-insecure-" + "x" * 60])
def test_production_refuses_a_weak_or_default_secret_key(tmp_path, weak):
    result = manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": weak}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_trial_mode_runs_on_sqlite_without_a_broker_or_secret(tmp_path):
    script = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE']);"
        "print(s.CELERY_BROKER_URL);"
        "print(s.CACHES['default']['BACKEND']);"
        "print(s.ACCOUNT_EMAIL_VERIFICATION)"
    )
    result = manage("shell", "-v", "0", "-c", script, env={"DEBUG": "1"}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    engine, broker, cache, verification = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert broker == "filesystem://"
    assert cache.endswith("LocMemCache")
    assert verification == "optional"


def test_postgresql_connections_run_without_jit_and_keep_any_other_options(tmp_path):
    script = "from django.conf import settings as s;print(s.DATABASES['default']['OPTIONS'])"
    plain = manage("shell", "-v", "0", "-c", script, env=PRODUCTION_ENV, tmp_path=tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.strip() == "{'options': '-c jit=off'}"
    url = PRODUCTION_ENV["DATABASE_URL"] + "?options=-c%20statement_timeout%3D5000"
    other = manage(
        "shell",
        "-v",
        "0",
        "-c",
        script,
        env={**PRODUCTION_ENV, "DATABASE_URL": url},
        tmp_path=tmp_path,
    )
    assert other.returncode == 0, other.stderr
    assert "-c statement_timeout=5000 -c jit=off" in other.stdout


def test_production_uses_redis_for_the_cache_and_broker_and_verifies_email(tmp_path):
    script = (
        "from django.conf import settings as s;"
        "print(s.CELERY_BROKER_URL);"
        "print(s.CACHES['default']['BACKEND']);"
        "print(s.ACCOUNT_EMAIL_VERIFICATION);"
        "print(s.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'] > s.CELERY_TASK_TIME_LIMIT)"
    )
    result = manage("shell", "-v", "0", "-c", script, env=PRODUCTION_ENV, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    broker, cache, verification, timeout_ok = result.stdout.split()
    assert broker == "redis://redis:6379/0"
    assert cache.endswith("RedisCache")
    assert verification == "mandatory"
    assert timeout_ok == "True"


def test_a_visibility_timeout_shorter_than_the_hard_limit_is_refused(tmp_path):
    env = {**PRODUCTION_ENV, "CELERY_VISIBILITY_TIMEOUT": "60", "CELERY_HARD_TIME_LIMIT": "300"}
    result = manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "CELERY_VISIBILITY_TIMEOUT must be longer" in result.stderr


def test_social_login_is_switched_on_only_when_its_credentials_are_configured(tmp_path):
    script = "from django.conf import settings as s; print(sorted(s.SOCIALACCOUNT_PROVIDERS))"
    without = manage("shell", "-v", "0", "-c", script, env={"DEBUG": "1"}, tmp_path=tmp_path)
    assert without.stdout.strip() == "[]"
    env = {
        "DEBUG": "1",
        "GOOGLE_CLIENT_ID": "g-id",
        "GOOGLE_CLIENT_SECRET": "g-secret",
        "LINKEDIN_CLIENT_ID": "l-id",
        "LINKEDIN_CLIENT_SECRET": "l-secret",
    }
    with_creds = manage("shell", "-v", "0", "-c", script, env=env, tmp_path=tmp_path)
    assert with_creds.returncode == 0, with_creds.stderr
    assert with_creds.stdout.strip() == "['google', 'openid_connect']"


def test_a_misspelt_boolean_is_refused_rather_than_guessed(tmp_path):
    result = manage("check", env={"DEBUG": "maybe"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_importing_the_package_and_its_settings_makes_no_folders_and_starts_nothing(tmp_path):
    var = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update({"DEBUG": "1", "VAR_DIR": str(var)})
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    code = "import threading, mentoring, mentoring.settings;print(threading.active_count())"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"  # no thread, no connection started
    assert not var.exists()


def test_the_trial_modes_folders_are_made_when_the_app_starts(tmp_path):
    var = tmp_path / "var"
    result = manage("check", env={"DEBUG": "1"}, tmp_path=var)
    assert result.returncode == 0, result.stderr
    assert (var / "celery" / "queue").is_dir() and (var / "celery" / "control").is_dir()


def test_sign_in_limits_trust_no_forwarded_address_unless_told_how_many_proxies(tmp_path):
    script = "from django.conf import settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    direct = manage("shell", "-v", "0", "-c", script, env=PRODUCTION_ENV, tmp_path=tmp_path)
    assert direct.returncode == 0, direct.stderr
    assert direct.stdout.strip() == "0"
    env = {**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": "2"}
    behind = manage("shell", "-v", "0", "-c", script, env=env, tmp_path=tmp_path)
    assert behind.stdout.strip() == "2"
    env = {**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": "-1"}
    result = manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be 0 or more" in result.stderr
