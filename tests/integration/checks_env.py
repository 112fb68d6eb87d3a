"""Test helpers for checks, connection and the setup UI: an Engine wired to a running sandbox,
and a stand-in for public DNS so the sandbox (as Meta) can reach "public" https URLs.

Meta calls the public https callback URL; in tests nothing public exists, so `PublicNet`
rewrites the sandbox's outgoing requests (verification GET and webhook POSTs) from a public
base URL to a local http one: a fixed mapping (manual public URL → the engine's server) or a
resolver (ngrok URL → the fake agent's local forwarder, i.e. really through the tunnel).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pyngrok import ngrok

from tests.integration.sandbox_helpers import fast_config
from tests.tools.ngrok_fixture import FakeNgrok
from wadesk.engine.config import Paths, Settings
from wadesk.engine.logs import SecretRedactor
from wadesk.engine.sandbox import Sandbox, SandboxConfig, TokenSpec
from wadesk.engine.sandbox import server as sandbox_server
from wadesk.engine.sandbox.state import SCOPE_MESSAGING, Callback
from wadesk.engine.secrets import SecretKind, SecretStore
from wadesk.engine.service import Engine

VERIFY = "checks-verify-token"
MANUAL_URL = "https://hooks.example.test"
Resolver = Callable[[str], Awaitable[str | None]]


@dataclass
class PublicNet:
    """Rewrites public base URLs to local ones for the sandbox's outgoing HTTP."""

    routes: dict[str, str] = field(default_factory=dict)
    resolvers: list[Resolver] = field(default_factory=list)

    async def local(self, url: str) -> str:
        for public, target in self.routes.items():
            if url.startswith(public):
                return target + url[len(public) :]
        for resolve in self.resolvers:
            found = await resolve(url)
            if found is not None:
                return found
        return url

    def install(self, monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox) -> None:
        original_verify = sandbox_server.verify_callback

        async def verify(session: aiohttp.ClientSession, url: str, token: str) -> Any:
            return await original_verify(session, await self.local(url), token)

        monkeypatch.setattr(sandbox_server, "verify_callback", verify)
        dispatcher = sandbox._dispatcher
        original_for = dispatcher._callback_for
        resolved: dict[str, str] = {}

        def callback_for(waba_id: str) -> Callback | None:
            cb = original_for(waba_id)
            if cb is None:
                return None
            return replace(cb, url=resolved.get(cb.url, cb.url))

        async def remember(url: str) -> None:
            resolved[url] = await self.local(url)

        original_attempt = dispatcher._attempt

        async def attempt(delivery: Any) -> None:
            cb = original_for(delivery.waba_id)
            if cb is not None:
                await remember(cb.url)
            await original_attempt(delivery)

        monkeypatch.setattr(dispatcher, "_callback_for", callback_for)
        monkeypatch.setattr(dispatcher, "_attempt", attempt)


def ngrok_resolver(fake: FakeNgrok) -> Resolver:
    """Resolve the fake agent's public URLs to its local forwarders (through the tunnel)."""

    async def resolve(url: str) -> str | None:
        if ".ngrok-free.app" not in url and ".ngrok.app" not in url:
            return None
        tunnels = await asyncio.to_thread(ngrok.get_tunnels, fake.pyngrok_config())
        for tunnel in tunnels:
            public = str(tunnel.public_url).replace("http://", "https://", 1)
            forward = tunnel.data.get("x_fake_forward_url")
            if forward and url.startswith(public):
                return str(forward).rstrip("/") + url[len(public) :]
        return None

    return resolve


def sandbox_config(**overrides: Any) -> SandboxConfig:
    """The fast demo config plus an expired USER token (the last one)."""
    config = fast_config(**overrides)
    config.access_tokens["expired-user-token-0001"] = TokenSpec(
        type="USER", expires_at=int(time.time()) - 3600, issued_at=int(time.time()) - 90000
    )
    return config


def token_of(sandbox: Sandbox, kind: str) -> str:
    """ "system" (never expires), "temporary" (24 h USER), "messaging_only", "expired"."""
    for token, spec in sandbox.config.access_tokens.items():
        if kind == "expired" and spec.expires_at and spec.expired(time.time()):
            return token
        if kind == "temporary" and spec.type == "USER" and not spec.expired(time.time()):
            return token
        if kind == "messaging_only" and spec.scopes == [SCOPE_MESSAGING]:
            return token
        if kind == "system" and spec.type == "SYSTEM_USER" and len(spec.scopes) == 2:
            return token
    raise KeyError(kind)


def make_engine(data_dir: Path, graph_base_url: str, **extra: str) -> Engine:
    redactor = SecretRedactor()
    settings = Settings(
        paths=Paths(data_dir, data_dir / "logs"),
        port=0,
        graph_base_url=graph_base_url,
        extra={"tunnel_backoff": "0.2", "tunnel_check_interval": "0.2", **extra},
    )
    engine = Engine(settings, secrets=SecretStore(redactor), redactor=redactor)
    engine.secrets.set(SecretKind.VERIFY_TOKEN, "", VERIFY)
    return engine


async def wait_for(predicate: Callable[[], bool], within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)
