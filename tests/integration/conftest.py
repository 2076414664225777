"""A real Celery worker process, on the real broker, against the test database."""

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from mentoring.celery import app as celery_app
from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]


def _redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or ""
    auth = f"{user}:{db['PASSWORD']}@" if db["PASSWORD"] else (f"{user}@" if user else "")
    return f"postgres://{auth}{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path, mail_dir: Path):
        self.process = process
        self.log = log
        self.mail_dir = mail_dir

    def received(self, task_name: str) -> int:
        return len(
            re.findall(rf"Task {re.escape(task_name)}\[[^\]]+\] received", self.log.read_text())
        )

    def wait_until(self, condition, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited:\n{self.log.read_text()}")
            if condition():
                return
            time.sleep(0.2)
        raise AssertionError(f"timed out; worker log:\n{self.log.read_text()}")


@pytest.fixture
def celery_worker(transactional_db, tmp_path):
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url or not _redis_reachable(redis_url):
        require_service("no Redis at REDIS_URL, so no Celery worker can run")
    queue = f"test-{uuid.uuid4().hex[:10]}"
    mail_dir = tmp_path / "mail"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mentoring.settings",
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "0",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "VAR_DIR": str(tmp_path / "var"),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "mentoring", "worker",
        "--pool=solo", "--concurrency=1", "--loglevel=INFO", "-Q", queue,
        "--without-gossip", "--without-mingle", "--without-heartbeat",
        "-n", f"{queue}@%h",
    ]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    worker = Worker(process, log, mail_dir)
    try:
        worker.wait_until(lambda: "ready." in log.read_text(), timeout=60)
        previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
        celery_app.conf.task_always_eager = False
        celery_app.conf.task_default_queue = queue
        yield worker
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
