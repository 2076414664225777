"""A small HTTP load generator: N connections for a fixed time, like `wrk -cN -dS`.

wrk is not installed here, and http.client parses headers through the email package, which
costs more client CPU than a 2-core machine can spare beside the server. This speaks just
enough HTTP/1.1 over plain sockets: one request at a time per connection, a body read by
Content-Length, chunks or close, and a new connection whenever the server closes one
(gunicorn's sync workers close after every response, as they did under wrk).
"""

from __future__ import annotations

import math
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str:
        name = name.lower()
        return next((v for k, v in self.headers if k == name), "")

    def cookies(self) -> dict[str, str]:
        jar: SimpleCookie = SimpleCookie()
        for k, v in self.headers:
            if k == "set-cookie":
                jar.load(v)
        return {name: morsel.value for name, morsel in jar.items()}


class ClosedError(ConnectionError):
    pass


class Connection:
    """One keep-alive connection that reconnects when the server closes it."""

    def __init__(self, host: str, port: int) -> None:
        self.address = (host, port)
        self.sock: socket.socket | None = None
        self.buffer = b""

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buffer = None, b""

    def request(self, raw: bytes) -> Response:
        if self.sock is None:
            self.sock = socket.create_connection(self.address, timeout=60)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            self.sock.sendall(raw)
            return self._read()
        except BaseException:
            self.close()
            raise

    def _recv(self) -> bytes:
        assert self.sock is not None
        data = self.sock.recv(262144)
        if not data:
            raise ClosedError("the server closed the connection")
        return data

    def _read(self) -> Response:
        while (end := self.buffer.find(b"\r\n\r\n")) < 0:
            self.buffer += self._recv()
        head, self.buffer = self.buffer[:end].decode("latin-1"), self.buffer[end + 4 :]
        lines = head.split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = []
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers.append((name.strip().lower(), value.strip()))
        found = dict(headers)
        if "content-length" in found:
            length = int(found["content-length"])
            while len(self.buffer) < length:
                self.buffer += self._recv()
            body, self.buffer = self.buffer[:length], self.buffer[length:]
        elif found.get("transfer-encoding", "").lower() == "chunked":
            body = self._chunks()
        else:  # read to the end
            parts = [self.buffer]
            try:
                while True:
                    parts.append(self._recv())
            except ClosedError:
                pass
            body = b"".join(parts)
            self.close()
        if found.get("connection", "").lower() == "close":
            self.close()
        return Response(status, headers, body)

    def _chunks(self) -> bytes:
        parts = []
        while True:
            while (end := self.buffer.find(b"\r\n")) < 0:
                self.buffer += self._recv()
            size = int(self.buffer[:end].split(b";")[0], 16)
            self.buffer = self.buffer[end + 2 :]
            while len(self.buffer) < size + 2:
                self.buffer += self._recv()
            parts.append(self.buffer[:size])
            self.buffer = self.buffer[size + 2 :]
            if size == 0:  # no trailers are sent here
                return b"".join(parts)


def encode(
    method: str,
    path: str,
    *,
    host: str,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> bytes:
    """The bytes of one request, built once and sent as often as needed."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@dataclass
class Result:
    """What one run measured: each request's seconds, the statuses, the wall time."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    body_lines: int = 0  # newlines in the last body (rows of a CSV, plus its header)
    errors: list[str] = field(default_factory=list)

    def add(self, other: Result) -> Result:
        """This run and `other` as one (loads split in rounds, to even out a busy machine)."""
        self.latencies += other.latencies
        self.statuses.update(other.statuses)
        self.seconds += other.seconds
        self.body_lines = other.body_lines
        self.errors += other.errors
        return self

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        """Nearest-rank percentile, in seconds."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)]

    @property
    def ok(self) -> bool:
        return not self.errors and all(200 <= s < 300 for s in self.statuses)


def load(
    host: str, port: int, raw: bytes, *, connections: int, seconds: float, minimum: int = 0
) -> Result:
    """`connections` connections send `raw` back to back for `seconds` (and until at least
    `minimum` requests are done); requests under way at the end are waited for and count."""
    result = Result()
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds

    def worker() -> None:
        conn = Connection(host, port)
        try:
            while time.perf_counter() < deadline or result.count < minimum:
                begun = time.perf_counter()
                response = conn.request(raw)
                spent = time.perf_counter() - begun
                with lock:
                    result.latencies.append(spent)
                    result.statuses[response.status] += 1
                    result.body_lines = response.body.count(b"\n")
        except Exception as error:  # reported with the page, not raised from a thread
            with lock:
                result.errors.append(f"{type(error).__name__}: {error}")
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result
