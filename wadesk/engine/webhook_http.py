"""HTTP/1.1 connections of the embedded webhook server: an asyncio `Protocol` over httptools'
request parser (llhttp, the parser of Node.js).

Why not aiohttp's server: the webhook server answers three routes with tiny bodies, and on the
acknowledgement path aiohttp's request machinery (a task, a request, a stream reader and a
response object per request) cost more than everything wadesk does for a webhook — and
thrashed the caches enough that wadesk's own work took three times as long as alone
(`bench/ingest.py`: ~85 µs of CPU per webhook without the database, ~28 µs here).

One `Connection` per TCP connection. Requests are parsed as bytes arrive; each complete request
is handed to the server's `dispatch(request)`, which returns an `Answer`, an HTTP status, or a
future of either; answers go out in request order (a pipelined request never overtakes the one
before it). Limits: `max_body` bytes of body (413 — on Content-Length before the body is read,
else as it arrives — then the rest is read and dropped until the client closes), `MAX_HEAD` bytes of request line and headers (431 and close);
malformed requests and upgrades get 400 and close. Timeouts (`sweep()`, called by the server
every second): a request must arrive completely within `request_timeout` seconds of its first
byte, and an idle keep-alive connection is closed after `keepalive_timeout` seconds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import httptools

log = logging.getLogger("wadesk.webhook")

MAX_HEAD = 64 * 1024
"""Bytes of request line + headers a request may have."""
DRAIN_TIMEOUT = 5.0
"""Seconds a connection that was refused a body is kept open while nothing more arrives."""
MAX_PIPELINED = 32
"""Answers a connection may owe before it stops reading (resumes when they are written)."""


@dataclass(slots=True)
class Request:
    """One parsed request; header names are lower-case (repeated headers joined by ", ")."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


@dataclass(slots=True)
class Answer:
    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: tuple[tuple[str, str], ...] = field(default=())


Reply = Answer | int
Dispatch = Callable[[Request], "Reply | asyncio.Future[Any]"]

_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
_BARE: dict[tuple[int, bool], bytes] = {}


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def encode(answer: Reply, *, head: bool = False, close: bool = False) -> bytes:
    """The bytes of a response (`head`: without the body, as for a HEAD request)."""
    if isinstance(answer, int):
        key = (answer, close)
        found = _BARE.get(key)
        if found is None:
            found = _BARE[key] = encode(Answer(answer), close=close)
        return found
    lines = [f"HTTP/1.1 {answer.status} {_reason(answer.status)}"]
    lines.append(f"Content-Length: {len(answer.body)}")
    if answer.content_type is not None:
        lines.append(f"Content-Type: {answer.content_type}")
    lines += [f"{name}: {value}" for name, value in answer.headers]
    if close:
        lines.append("Connection: close")
    head_bytes = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head_bytes if head else head_bytes + answer.body


class _Stop(Exception):
    """Raised from a parser callback to stop parsing (the answer is already queued)."""


class _Slot:
    """One answer a connection owes, in request order."""

    __slots__ = ("close", "data")

    def __init__(self, data: bytes | None, close: bool) -> None:
        self.data = data
        self.close = close


class Connection(asyncio.Protocol):
    """One HTTP/1.1 connection (see the module docstring)."""

    def __init__(
        self,
        dispatch: Dispatch,
        connections: set[Connection],
        *,
        max_body: int,
    ) -> None:
        self._dispatch = dispatch
        self._connections = connections
        self._max_body = max_body
        self._parser = httptools.HttpRequestParser(self)
        self._transport: asyncio.Transport | None = None
        self._url: list[bytes] = []
        self._headers: dict[str, str] = {}
        self._body: list[bytes] = []
        self._size = 0
        self._head_size = 0
        self._slots: deque[_Slot] = deque()
        self._closing = False
        self._draining = False
        self._drained = 0
        self._paused = False
        self.in_request = False
        self.started = 0.0
        """Monotonic time of the current request's first byte (while `in_request`)."""
        self.last_active = time.monotonic()

    # -- asyncio.Protocol --------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self._connections.discard(self)
        self._transport = None
        self._slots.clear()

    def data_received(self, data: bytes) -> None:
        if self._draining:
            # the rest of a refused body: read and drop it, so the client can read the 413
            # instead of failing on a reset socket while it still sends
            self._drained += len(data)
            self.last_active = time.monotonic()
            if self._drained > 2 * self._max_body:
                self._close_now()
            return
        if self._closing:
            return
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail(400)
        except httptools.HttpParserError:
            if not self._closing:  # else a callback stopped the parser, its answer is queued
                self._fail(400)

    def eof_received(self) -> bool | None:
        if not self._slots:
            return None  # nothing owed: let the transport close
        self._closing = True
        self._slots[-1].close = True
        return True  # keep the socket open until the owed answers are written

    # -- parser callbacks --------------------------------------------------------------------

    def on_message_begin(self) -> None:
        self.in_request = True
        self.started = time.monotonic()
        self._url = []
        self._headers = {}
        self._body = []
        self._size = 0
        self._head_size = 0

    def on_url(self, url: bytes) -> None:
        self._grow_head(len(url))
        self._url.append(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._grow_head(len(name) + len(value))
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        old = self._headers.get(key)
        self._headers[key] = text if old is None else f"{old}, {text}"

    def on_headers_complete(self) -> None:
        if self._parser.should_upgrade():  # websockets, h2c, ...: not here
            self._fail(400)
            raise _Stop
        length = self._headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self._max_body:
            self._refuse_body()
            raise _Stop
        if (
            self._headers.get("expect", "").lower() == "100-continue"
            and not self._slots
            and self._transport is not None
            and self._parser.get_http_version() == "1.1"
        ):
            self._transport.write(_CONTINUE)

    def on_body(self, body: bytes) -> None:
        self._size += len(body)
        if self._size > self._max_body:
            self._refuse_body()
            raise _Stop
        self._body.append(body)

    def on_message_complete(self) -> None:
        self.in_request = False
        self.last_active = time.monotonic()
        method = self._parser.get_method().decode("latin-1")
        close = not self._parser.should_keep_alive()
        try:
            url = httptools.parse_url(b"".join(self._url))
        except httptools.HttpParserInvalidURLError:
            self._fail(400)
            raise _Stop from None
        body = self._body[0] if len(self._body) == 1 else b"".join(self._body)
        request = Request(
            method,
            url.path.decode("latin-1"),
            url.query.decode("latin-1") if url.query else "",
            self._headers,
            body,
        )
        head = method == "HEAD"
        try:
            reply = self._dispatch(request)
        except Exception:
            log.exception("Webhook handler failed on %s %s", method, request.path)
            reply = 500
        if isinstance(reply, Answer | int):
            if not self._slots and self._transport is not None:  # the usual case: write now
                self._transport.write(encode(reply, head=head, close=close))
                if close:
                    self._close_now()
                return
            slot = _Slot(encode(reply, head=head, close=close), close)
            self._slots.append(slot)
        else:
            slot = _Slot(None, close)
            self._slots.append(slot)
            reply.add_done_callback(lambda done: self._resolved(slot, done, head, request))
        if close:
            self._closing = True
        self._flush()
        if len(self._slots) >= MAX_PIPELINED and self._transport is not None:
            self._transport.pause_reading()
            self._paused = True

    # -- answers -------------------------------------------------------------------------------

    def _resolved(
        self, slot: _Slot, done: asyncio.Future[Any], head: bool, request: Request
    ) -> None:
        if done.cancelled():
            reply: Reply = 503
        elif done.exception() is not None:
            exc = done.exception()
            log.error(
                "Webhook handler failed on %s %s",
                request.method,
                request.path,
                exc_info=(type(exc), exc, exc.__traceback__) if exc is not None else None,
            )
            reply = 500
        else:
            result = done.result()
            reply = result if isinstance(result, Answer | int) else 500
        slot.data = encode(reply, head=head, close=slot.close)
        self._flush()

    def _flush(self) -> None:
        transport = self._transport
        if transport is None:
            return
        slots = self._slots
        while slots and slots[0].data is not None:
            slot = slots.popleft()
            transport.write(slot.data)  # type: ignore[arg-type]
            if slot.close:
                self._close_now()
                return
        if self._paused and len(slots) < MAX_PIPELINED // 4:
            self._paused = False
            transport.resume_reading()

    def _fail(self, status: int) -> None:
        """Answer `status` after what is owed, then close; stop reading."""
        self._closing = True
        self.in_request = False
        self._slots.append(_Slot(encode(status, close=True), True))
        self._flush()

    def _refuse_body(self) -> None:
        """413 after what is owed ("Connection: close"), then drop whatever else arrives."""
        self._closing = True
        self._draining = True
        self.in_request = False
        self.last_active = time.monotonic()
        self._slots.append(_Slot(encode(413, close=True), False))
        self._flush()

    def _grow_head(self, size: int) -> None:
        self._head_size += size
        if self._head_size > MAX_HEAD:
            self._fail(431)
            raise _Stop

    def _close_now(self) -> None:
        self._closing = True
        if self._transport is not None:
            self._transport.close()

    # -- timeouts (the server's sweep) ---------------------------------------------------------

    def expired(self, now: float, request_timeout: float, keepalive_timeout: float) -> bool:
        """Whether this connection has waited too long (for the rest of a request, or idle)."""
        if self._draining:
            return now - self.last_active > DRAIN_TIMEOUT
        if self.in_request:
            return now - self.started > request_timeout
        return not self._slots and now - self.last_active > keepalive_timeout

    def close(self) -> None:
        self._close_now()


def sweep(connections: set[Connection], request_timeout: float, keepalive_timeout: float) -> int:
    """Close the connections that waited too long; returns how many."""
    now = time.monotonic()
    stale = [c for c in connections if c.expired(now, request_timeout, keepalive_timeout)]
    for conn in stale:
        conn.close()
    return len(stale)
