"""Real Celery worker processes, on a real Redis broker, against the test database.

- `celery_worker`: one worker on a private queue of the main Redis, started and ready.
- `start_worker(**env)`: start workers with settings of the test's own (a slow mailer, a
  short visibility timeout, another broker); each can be killed and started again.
- `own_broker`: a Redis server of the test's own, used only as the broker, which the test
  can stop and start again while the cache stays on the main Redis.

Workers send mail with a file backend, so each email the worker really sends is in
`worker.mail_dir` (`worker.mails()` reads them back).
"""

import email
import email.message
import email.policy
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.db import connection

from mentoring.celery import app as celery_app
from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # what the file backend writes after each message


class SlowFileBackend(FileBackend):
    """The file backend, but each send first waits SLOW_EMAIL_SECONDS: a worker can then be
    killed in the middle of a batch, while a message is on its way and not yet written."""

    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, file_path=file_path or os.environ["EMAIL_FILE_PATH"], **kwargs)

    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("SLOW_EMAIL_SECONDS", "1")))
        return super().send_messages(email_messages)


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


def _wait_until(condition: Callable[[], bool], timeout: float, on_timeout: Callable[[], str]):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(on_timeout())


class Worker:
    """One worker's command and settings; started, killed and started again by the test.
    Its log runs on across restarts."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path, mail_dir: Path):
        self.command = command
        self.env = env
        self.log = log
        self.mail_dir = mail_dir
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        self.wait_until(lambda: "ready." in self.log.read_text()[offset:], timeout=timeout)

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, nothing handed back to the broker."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)

    def received(self, task_name: str) -> int:
        return len(
            re.findall(rf"Task {re.escape(task_name)}\[[^\]]+\] received", self.log.read_text())
        )

    def wait_until(self, condition: Callable[[], bool], timeout: float = 60.0) -> None:
        def check() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"worker exited:\n{self.log.read_text()}")
            return condition()

        _wait_until(check, timeout, lambda: f"timed out; worker log:\n{self.log.read_text()}")

    def mails(self) -> list[email.message.EmailMessage]:
        """Every email the worker has sent, in the order of the files that hold them."""
        if not self.mail_dir.exists():
            return []
        found = []
        for path in sorted(self.mail_dir.iterdir()):
            for chunk in path.read_bytes().split(SEPARATOR):
                if chunk.strip():
                    message = email.message_from_bytes(chunk, policy=email.policy.default)
                    assert isinstance(message, email.message.EmailMessage)
                    found.append(message)
        return found


def text_of(message: email.message.EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def _use_broker(url: str) -> None:
    """Point this process's Celery app at `url`; its pools were made for the old one (the
    same reset Celery makes after a fork)."""
    celery_app.conf["broker_url"] = url
    vars(celery_app)["_pool"] = None
    vars(celery_app.amqp)["_producer_pool"] = None


@pytest.fixture
def start_worker(transactional_db, tmp_path) -> Iterator[Callable[..., Worker]]:
    """Start a worker on a private queue, with `env` added to its environment."""
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url or not _redis_reachable(redis_url):
        require_service("no Redis at REDIS_URL, so no Celery worker can run")
    queue = f"test-{uuid.uuid4().hex[:10]}"
    base_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mentoring.settings",
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "0",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "VAR_DIR": str(tmp_path / "var"),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "mentoring", "worker",
        "--pool=solo", "--concurrency=1", "--loglevel=INFO", "-Q", queue,
        "--without-gossip", "--without-mingle", "--without-heartbeat",
        "-n", f"{queue}@%h",
    ]  # fmt: skip
    workers: list[Worker] = []

    def start(**env: str) -> Worker:
        worker = Worker(
            command,
            {**base_env, **env},
            tmp_path / f"worker-{len(workers)}.log",
            tmp_path / "mail",
        )
        workers.append(worker)
        worker.start()
        return worker

    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        yield start
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        for worker in workers:
            worker.stop()


@pytest.fixture
def celery_worker(start_worker) -> Worker:
    return start_worker()


class RedisServer:
    """A redis-server process of the test's own, keeping nothing on disk."""

    def __init__(self, port: int, directory: Path):
        self.port = port
        self.directory = directory
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _wait_until(
            lambda: _redis_reachable(self.url), 20, lambda: f"redis-server on {self.port} idle"
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def own_broker(tmp_path) -> Iterator[RedisServer]:
    """A broker that only this test uses; this process's Celery app publishes to it. Start
    workers with `CELERY_BROKER_URL=own_broker.url` so that they consume from it."""
    if shutil.which("redis-server") is None:
        require_service("no redis-server to start a broker of the test's own")
    broker = RedisServer(_free_port(), tmp_path)
    broker.start()
    previous = celery_app.conf.broker_url
    _use_broker(broker.url)
    try:
        yield broker
    finally:
        _use_broker(previous)
        broker.stop()
