"""The embedded webhook server (loopback only; HTTP/1.1 in `webhook_http`).

Exactly three routes exist: Meta's verification GET and the notification POST on
`/api/v1/webhooks/whatsapp`, and `GET /api/v1/health` (HEAD too). Everything else answers 404
(unknown path) or 405 (known path, other method) with an empty body: nothing that manages the
app is reachable through the tunnel.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol
from urllib.parse import parse_qsl

from wadesk.engine.config import HEALTH_PATH, MAX_WEBHOOK_BODY, WEBHOOK_PATH
from wadesk.engine.webhook_http import Answer, Connection, Reply, Request, sweep

log = logging.getLogger("wadesk.webhook")

_ROUTES: dict[str, frozenset[str]] = {
    WEBHOOK_PATH: frozenset({"GET", "HEAD", "POST"}),
    HEALTH_PATH: frozenset({"GET", "HEAD"}),
}
_ALLOW = {path: ", ".join(sorted(methods)) for path, methods in _ROUTES.items()}
REQUEST_TIMEOUT = 30.0
"""Seconds a request may take to arrive completely."""
KEEPALIVE_TIMEOUT = 75.0
"""Seconds an idle keep-alive connection stays open."""


class WebhookReceiver(Protocol):
    """What the server hands a POST to (the Ingest): the HTTP status to answer, at once or
    as a future (resolved once the event is committed)."""

    def receive_nowait(self, body: bytes, signature: str | None) -> int | asyncio.Future[int]: ...


class WebhookServer:
    """Runs the aiohttp app on `host:port` (port 0 picks a free one)."""

    def __init__(
        self,
        receiver: WebhookReceiver,
        *,
        verify_token: Callable[[], str | None],
        health: Callable[[], Awaitable[Mapping[str, Any]]],
        on_verification: Callable[[bool], None] | None = None,
        host: str = "127.0.0.1",
        port: int = 8000,
        max_body: int = MAX_WEBHOOK_BODY,
    ) -> None:
        self._receiver = receiver
        self._verify_token = verify_token
        self._health = health
        self._on_verification = on_verification
        self.host = host
        self.port = port
        self._max_body = max_body
        self._server: asyncio.Server | None = None
        self._connections: set[Connection] = set()
        self._sweeper: asyncio.TimerHandle | None = None

    async def start(self) -> int:
        """Start listening; returns the bound port."""
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: Connection(self._dispatch, self._connections, max_body=self._max_body),
            self.host,
            self.port,
            reuse_address=True,
        )
        self.port = int(self._server.sockets[0].getsockname()[1])
        self._sweeper = loop.call_later(1.0, self._sweep)
        log.info("Webhook server listening on http://%s:%d%s", self.host, self.port, WEBHOOK_PATH)
        return self.port

    async def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            self._sweeper = None
        if self._server is not None:
            self._server.close()
            for conn in list(self._connections):
                conn.close()
            await self._server.wait_closed()
            self._server = None

    def _sweep(self) -> None:
        sweep(self._connections, REQUEST_TIMEOUT, KEEPALIVE_TIMEOUT)
        self._sweeper = asyncio.get_running_loop().call_later(1.0, self._sweep)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}{WEBHOOK_PATH}"

    def _dispatch(self, request: Request) -> Reply | asyncio.Future[Any]:
        """The three routes; bare statuses for everything else."""
        path, method = request.path, request.method
        allowed = _ROUTES.get(path)
        if allowed is None:
            return 404
        if method not in allowed:
            return Answer(405, headers=(("Allow", _ALLOW[path]),))
        if path == WEBHOOK_PATH:
            if method == "POST":
                return self._receiver.receive_nowait(
                    request.body, request.headers.get("x-hub-signature-256")
                )
            return self._verify(request)
        return asyncio.ensure_future(self._health_answer())

    def _verify(self, request: Request) -> Reply:
        query: dict[str, str] = {}
        for name, value in parse_qsl(request.query, keep_blank_values=True):
            query.setdefault(name, value)
        mode = query.get("hub.mode")
        token = query.get("hub.verify_token")
        challenge = query.get("hub.challenge")
        expected = self._verify_token()
        ok = (
            mode == "subscribe"
            and token is not None
            and challenge is not None
            and bool(expected)
            and hmac.compare_digest(token.encode(), (expected or "").encode())
        )
        log.info("Webhook verification request: %s", "accepted" if ok else "rejected")
        if self._on_verification is not None:
            self._on_verification(ok)
        if not ok:
            return 403
        return Answer(
            200,
            (challenge or "").encode(),
            "text/plain; charset=utf-8",
            (("X-Content-Type-Options", "nosniff"),),
        )

    async def _health_answer(self) -> Answer:
        data = await self._health()
        return Answer(200, json.dumps(data).encode(), "application/json; charset=utf-8")
