"""The embedded webhook server (aiohttp, loopback only).

Exactly three routes exist: Meta's verification GET and the notification POST on
`/api/v1/webhooks/whatsapp`, and `GET /api/v1/health`. Everything else answers 404 (unknown
path) or 405 (known path, other method) with an empty body: nothing that manages the app is
reachable through the tunnel.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

from aiohttp import web
from aiohttp.abc import AbstractStreamWriter
from aiohttp.http_parser import RawRequestMessage
from aiohttp.streams import StreamReader
from aiohttp.web_protocol import RequestHandler

from wadesk.engine.config import HEALTH_PATH, MAX_WEBHOOK_BODY, WEBHOOK_PATH

log = logging.getLogger("wadesk.webhook")

_ROUTES: dict[str, frozenset[str]] = {
    WEBHOOK_PATH: frozenset({"GET", "HEAD", "POST"}),
    HEALTH_PATH: frozenset({"GET", "HEAD"}),
}


class WebhookReceiver(Protocol):
    """What the server hands a POST to (the Ingest): returns the HTTP status to answer."""

    async def receive(self, body: bytes, signature: str | None) -> int: ...


def _allowed(path: str, method: str) -> web.Response | None:
    """A bare 404 (unknown path) or 405 (known path, other method); None when served."""
    allowed = _ROUTES.get(path)
    if allowed is None:
        return web.Response(status=404)
    if method not in allowed:
        return web.Response(status=405, headers={"Allow": ", ".join(sorted(allowed))})
    return None


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
        self._runner: web.ServerRunner | None = None

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        """The one request handler: three routes, bare statuses for everything else, a bare
        500 for a handler bug. (aiohttp's low-level server: no router or middleware chain —
        on the webhook's ack path they cost about a tenth of the CPU.)"""
        path, method = request.path, request.method
        refused = _allowed(path, method)
        if refused is not None:
            return refused
        try:
            if path == WEBHOOK_PATH:
                if method == "POST":
                    return await self._notify(request)
                return await self._verify(request)
            return await self._health_handler(request)
        except web.HTTPException as exc:
            return web.Response(status=exc.status)
        except Exception:
            log.exception("Webhook handler failed on %s %s", method, path)
            return web.Response(status=500)

    def _request(
        self,
        message: RawRequestMessage,
        payload: StreamReader,
        protocol: RequestHandler,
        writer: AbstractStreamWriter,
        task: asyncio.Task[None],
    ) -> web.BaseRequest:
        """Requests with the body limit (the low-level server's default is 1 MB)."""
        return web.BaseRequest(
            message,
            payload,
            protocol,
            writer,
            task,
            asyncio.get_running_loop(),
            client_max_size=self._max_body,
        )

    async def start(self) -> int:
        """Start listening; returns the bound port."""
        server = web.Server(self._handle, request_factory=self._request, access_log=None)
        self._runner = web.ServerRunner(server, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, reuse_address=True)
        await site.start()
        addresses = self._runner.addresses
        if addresses:
            self.port = int(addresses[0][1])
        log.info("Webhook server listening on http://%s:%d%s", self.host, self.port, WEBHOOK_PATH)
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}{WEBHOOK_PATH}"

    async def _verify(self, request: web.BaseRequest) -> web.StreamResponse:
        query = request.rel_url.query
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
            return web.Response(status=403)
        return web.Response(
            text=challenge or "",
            content_type="text/plain",
            headers={"X-Content-Type-Options": "nosniff"},
        )

    async def _notify(self, request: web.BaseRequest) -> web.StreamResponse:
        length = request.content_length
        if length is not None and length > self._max_body:
            return web.Response(status=413)
        if request.version >= (1, 1) and request.headers.get("Expect", "").lower() == (
            "100-continue"
        ):
            # what aiohttp's router does for clients that wait before sending a big body
            await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return web.Response(status=413)
        status = await self._receiver.receive(body, request.headers.get("X-Hub-Signature-256"))
        return web.Response(status=status)

    async def _health_handler(self, request: web.BaseRequest) -> web.StreamResponse:
        data = await self._health()
        return web.Response(text=json.dumps(data), content_type="application/json")
