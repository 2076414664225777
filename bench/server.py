"""The served app for `make bench`: production settings, gunicorn, signing in, and forms.

Everything is sent as a TLS-terminating proxy would pass it on (`X-Forwarded-Proto: https`),
so production's HTTPS redirect, secure cookies and CSRF origin checks stay on.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from bench.load import Connection, Response, encode

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
# A key for this bench only: long and random-looking enough for production's checks.
SECRET_KEY = "bench-pages-only-kPz7Qm2vXr9Lw4Ty8Nc3Hb6Jd1Fs5Gu0Ae"


def environment(*, database_url: str, redis_url: str, var_dir: str) -> dict[str, str]:
    """Production settings (DEBUG unset) for this process, collectstatic and gunicorn."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "REDIS_URL"}}
    env |= {
        "DJANGO_SETTINGS_MODULE": "mentoring.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": HOST,
        "VAR_DIR": var_dir,
        "CACHE_KEY_PREFIX": "bench",
        # Only a worker delivers email, and none runs here; this is in case one ever does.
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def collectstatic(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


@contextmanager
def gunicorn(env: dict[str, str], *, port: int, workers: int, log: Path) -> Iterator[None]:
    """gunicorn serving the app with `workers` sync workers until the block ends."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "mentoring.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "120",
        "--log-level",
        "warning",
        "--error-logfile",
        "-",
    ]
    # Its log and the app's (tracebacks of failing pages) go to `log`, not between the lines
    # of the run.
    output = log.open("w")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    try:
        _wait_until_up(port, process)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output.close()


def _wait_until_up(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    raw = encode("GET", "/healthz", host=f"{HOST}:{port}", headers=PROXY)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (exit {process.returncode}); see its log")
        try:
            if Connection(HOST, port).request(raw).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


PROXY = {"X-Forwarded-Proto": "https", "User-Agent": "mentoring-bench"}


@dataclass
class Site:
    """The served app, seen by one signed-in person (or nobody): their cookies."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def host(self) -> str:
        return f"{HOST}:{self.port}"

    @property
    def origin(self) -> str:
        return f"https://{self.host}"

    def raw(self, method: str, path: str, data: list[tuple[str, str]] | None = None) -> bytes:
        """One request's bytes, with this person's cookies (and CSRF token, for a POST)."""
        headers = dict(PROXY, Accept="text/html,*/*")
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = b""
        if method == "POST":
            headers |= {
                "Origin": self.origin,
                "Referer": self.origin + path,
                "X-CSRFToken": self.cookies.get("csrftoken", ""),
                "Content-Type": "application/x-www-form-urlencoded",
            }
            body = urlencode(data or []).encode()
        return encode(method, path, host=self.host, headers=headers, body=body)

    def send(self, method: str, path: str, data: list[tuple[str, str]] | None = None) -> Response:
        conn = Connection(HOST, self.port)
        try:
            response = conn.request(self.raw(method, path, data))
        finally:
            conn.close()
        self.cookies |= response.cookies()
        return response

    def sign_in(self, email: str, password: str) -> None:
        page = self.send("GET", "/accounts/login/")
        form = form_with(page.body, "login")
        fields = [(k, v) for k, v in form if k not in {"login", "password"}]
        fields += [("login", email), ("password", password)]
        answer = self.send("POST", "/accounts/login/", fields)
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(
                f"signing in as {email} failed: {answer.status} {answer.header('location')}"
            )


# --- Forms -------------------------------------------------------------------------------


class _Forms(HTMLParser):
    """Each <form>'s fields as a browser would submit them, without any submit button."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self.fields: list[tuple[str, str]] | None = None
        self.select: tuple[str, bool, list[str], list[str]] | None = None
        self.textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        flags = {k for k, _ in attrs}
        if tag == "form":
            self.fields = []
            self.forms.append(self.fields)
        if self.fields is None or (tag != "option" and not a.get("name")):
            return
        kind = a.get("type", "text").lower()
        if tag == "input" and kind not in {"submit", "button", "image", "reset", "file"}:
            if kind in {"checkbox", "radio"} and "checked" not in flags:
                return
            self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self.select = (a["name"], "multiple" in flags, [], [])
        elif tag == "option" and self.select is not None:
            self.select[2].append(a.get("value", ""))
            if "selected" in flags:
                self.select[3].append(a.get("value", ""))
        elif tag == "textarea":
            self.textarea = (a["name"], [])

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.fields = None
        elif tag == "select" and self.select is not None and self.fields is not None:
            name, multiple, options, chosen = self.select
            values = chosen if multiple else (chosen[-1:] or options[:1])
            self.fields += [(name, value) for value in values]
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.fields is not None:
            name, parts = self.textarea
            self.fields.append((name, "".join(parts).removeprefix("\n")))
            self.textarea = None


def form_with(html: bytes, field_name: str) -> list[tuple[str, str]]:
    """The fields of the page's first form that has a field named `field_name`."""
    parser = _Forms()
    parser.feed(html.decode())
    for fields in parser.forms:
        if any(name == field_name for name, _ in fields):
            return fields
    raise LookupError(f"no form with a {field_name!r} field on the page")
