"""Test helpers for the sandbox tests: a small aiohttp webhook receiver on 127.0.0.1 that answers
Meta's GET challenge and records signed POSTs, and a sandbox factory with tiny delays."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from wadesk.core.enums import SignatureVerdict
from wadesk.engine.cloudapi.signature import HEADER, verify
from wadesk.engine.sandbox import Sandbox, SandboxConfig, demo_config

VERIFY_TOKEN = "verify-me-123"


@dataclass
class Received:
    raw: bytes
    verdict: SignatureVerdict

    @property
    def body(self) -> dict[str, Any]:
        return json.loads(self.raw)  # type: ignore[no-any-return]

    @property
    def value(self) -> dict[str, Any]:
        return self.body["entry"][0]["changes"][0]["value"]  # type: ignore[no-any-return]


@dataclass
class Receiver:
    """Answers GET verification with the challenge and records every signed POST."""

    app_secret: str
    verify_token: str = VERIFY_TOKEN
    posts: list[Received] = field(default_factory=list)
    verifications: list[dict[str, str]] = field(default_factory=list)
    statuses_to_answer: list[int] = field(default_factory=list)  # for the next POSTs
    url: str = ""
    _runner: web.AppRunner | None = None
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/webhook", self._get)
        app.router.add_post("/webhook", self._post)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/webhook"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _get(self, request: web.Request) -> web.Response:
        self.verifications.append(dict(request.query))
        if (
            request.query.get("hub.mode") == "subscribe"
            and request.query.get("hub.verify_token") == self.verify_token
        ):
            return web.Response(text=request.query["hub.challenge"])
        return web.Response(status=403, text="Forbidden")

    async def _post(self, request: web.Request) -> web.Response:
        raw = await request.read()
        if self.statuses_to_answer:
            status = self.statuses_to_answer.pop(0)
            if status != 200:
                return web.Response(status=status)
        self.posts.append(
            Received(raw, verify(raw, request.headers.get(HEADER), [self.app_secret]))
        )
        self._arrived.set()
        return web.Response(text="OK")

    async def wait_for(self, count: int, limit: float = 5.0) -> list[Received]:
        async with asyncio.timeout(limit):
            while len(self.posts) < count:
                self._arrived.clear()
                await self._arrived.wait()
        return self.posts

    def statuses(self) -> list[dict[str, Any]]:
        return [s for p in self.posts for s in p.value.get("statuses", [])]

    def messages(self) -> list[dict[str, Any]]:
        return [m for p in self.posts for m in p.value.get("messages", [])]


def fast_config(**overrides: Any) -> SandboxConfig:
    settings: dict[str, Any] = {
        "status_delays": (0.0, 0.0, 0.0),
        "webhook_retry_backoff": 0.01,
        "webhook_retry_cap": 0.05,
        "webhook_max_attempts": 5,
        "webhook_timeout": 2.0,
        "throughput_per_second": 1000.0,
        "pair_rate_per_6s": 6000.0,
    }
    settings.update(overrides)
    return demo_config(**settings)


async def started(config: SandboxConfig, receiver: Receiver | None = None) -> Sandbox:
    sandbox = Sandbox(config)
    await sandbox.start()
    if receiver is not None:
        await sandbox.set_callback(receiver.url, receiver.verify_token)
    return sandbox
