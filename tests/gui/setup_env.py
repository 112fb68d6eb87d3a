"""A real Engine on a tmp data dir wired to a running sandbox (as Meta), for the setup wizard
and Numbers page tests; the engine's public URL is a manual one routed to its own server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.integration.checks_env import (
    MANUAL_URL,
    PublicNet,
    make_engine,
    sandbox_config,
    token_of,
)
from wadesk.engine.sandbox import Sandbox
from wadesk.engine.service import Engine


@dataclass
class Env:
    engine: Engine
    sandbox: Sandbox
    monkeypatch: pytest.MonkeyPatch

    @property
    def number(self) -> Any:
        return self.sandbox.config.numbers[0]

    def token(self, kind: str = "system") -> str:
        return token_of(self.sandbox, kind)

    def route_public_url(self, target: str | None = None) -> None:
        """Send Meta's requests for MANUAL_URL to `target` (default: the engine's server)."""
        assert self.engine.server is not None
        local = target or f"http://127.0.0.1:{self.engine.server.port}"
        PublicNet(routes={MANUAL_URL: local}).install(self.monkeypatch, self.sandbox)


@asynccontextmanager
async def sandbox_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, manual_url: bool = True, **extra: str
) -> AsyncIterator[Env]:
    sandbox = Sandbox(sandbox_config())
    await sandbox.start()
    engine = make_engine(tmp_path / "data", sandbox.base_url, **extra)
    try:
        await engine.start()
        env = Env(engine, sandbox, monkeypatch)
        if manual_url:
            env.route_public_url()
            await engine.connection.use_manual_url(MANUAL_URL)
        yield env
    finally:
        await engine.stop()
        await sandbox.stop()


async def until(predicate: Callable[[], bool], within: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)
