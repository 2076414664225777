"""The trial mode has no broker service: tasks wait as files until the worker that
`make run` starts picks them up, and the work is done all the same."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]

ENQUEUE = """
from django.core.mail import send_mail
from django.db import transaction

with transaction.atomic():
    send_mail("Committed", "kept", None, ["a@example.org"])
try:
    with transaction.atomic():
        send_mail("Rolled back", "never", None, ["a@example.org"])
        raise RuntimeError
except RuntimeError:
    pass
"""


def test_tasks_queued_while_the_trial_worker_is_down_are_done_when_it_starts(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"} and not k.startswith("DJANGO_")
    }
    mail_dir = tmp_path / "mail"
    env.update(
        DEBUG="1",
        VAR_DIR=str(tmp_path / "var"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
    )

    def manage(*args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=180
        )

    manage("migrate", "--no-input", "-v", "0")
    manage("shell", "-v", "0", "-c", ENQUEUE)
    queued = list((tmp_path / "var" / "celery" / "queue").iterdir())
    assert len(queued) == 1  # only the committed transaction's task was sent

    log = tmp_path / "worker.log"
    with log.open("w") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "mentoring", "worker", "--pool=solo"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while not (mail_dir.exists() and any(mail_dir.iterdir())):
            assert worker.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    sent = "".join(path.read_text() for path in mail_dir.iterdir())
    assert "Subject: Committed" in sent
    assert "Rolled back" not in sent
