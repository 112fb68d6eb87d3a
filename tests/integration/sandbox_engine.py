"""A started Engine wired to a started Cloud API sandbox, both on 127.0.0.1 — for any test that
wants WhatsApp end to end (the sandbox plays Meta and the customers).

    async with sandbox_engine(tmp_path, throughput_per_second=20) as env:
        await env.customer(0).say("Hi")
        conv = await env.wait_for(lambda: env.conversation_of(0))
        await env.engine.send(conv.id, body=outgoing.text("0", "Hello"))

or, with the defaults, the fixture (import it into the test module or a conftest):

    from tests.integration.sandbox_engine import sandbox_env  # noqa: F401

    async def test_x(sandbox_env: SandboxEngine) -> None: ...

`sandbox_engine(tmp_path, outbox=None, **sandbox_overrides)` starts `Sandbox(demo_config(...))`
with fast status delays and webhook retries (`sandbox_overrides` replace `SandboxConfig` fields),
builds an Engine whose `Settings.graph_base_url` is the sandbox, adds the demo number with the
sandbox's access token and app secret (the test-suite's in-memory keyring holds them), starts it
on a free port and registers its webhook URL as the sandbox's callback (Meta's GET challenge
included). The outbox gets the sandbox's limits, a little stricter, and short probe/back-off
timings unless `outbox` is given. `env.restart()` stops the engine and starts a new one on the
same data dir (for restart tests); the sandbox keeps running.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest

from wadesk.core.events import EngineEvent
from wadesk.core.models import Conversation, Number
from wadesk.engine.config import Paths, Settings
from wadesk.engine.logs import SecretRedactor
from wadesk.engine.outbox import OutboxConfig
from wadesk.engine.sandbox import Customer, Sandbox, SandboxConfig, demo_config
from wadesk.engine.secrets import SecretStore
from wadesk.engine.service import Engine
from wadesk.engine.store import repo

T = TypeVar("T")

FAST_SANDBOX: dict[str, Any] = {
    "status_delays": (0.01, 0.02, 0.03),
    "webhook_retry_backoff": 0.02,
    "webhook_retry_cap": 0.2,
    "webhook_max_attempts": 6,
    "webhook_timeout": 2.0,
}


def outbox_config_for(config: SandboxConfig, **overrides: Any) -> OutboxConfig:
    """The sandbox's throughput and pair rate, with a pair burst below the sandbox's, and short
    probe and back-off timings."""
    values: dict[str, Any] = {
        "throughput_per_second": config.throughput_per_second,
        "pair_per_second": config.pair_rate_per_6s / 6.0,
        "pair_burst": float(max(1, min(10, config.pair_rate_burst - 1))),
        "backoff_base": 0.05,
        "backoff_cap": 0.4,
        "probe_initial": 0.05,
        "probe_max": 0.2,
        "stop_timeout": 5.0,
    }
    values.update(overrides)
    return OutboxConfig(**values)


@dataclass
class SandboxEngine:
    """What `sandbox_engine` yields."""

    engine: Engine
    sandbox: Sandbox
    number: Number
    data_dir: Path
    outbox_config: OutboxConfig
    events: list[EngineEvent] = field(default_factory=list)

    @property
    def config(self) -> SandboxConfig:
        return self.sandbox.config

    def wa_id(self, which: int | str) -> str:
        """A customer's wa_id: an index into the sandbox's customers, or the wa_id itself."""
        if isinstance(which, int):
            return self.config.customers[which].wa_id
        return which

    def customer(self, which: int | str) -> Customer:
        """A scripted sandbox customer (`say`, `tap`, `pick`, `image`, `location`, `react`)."""
        return self.sandbox.customer(self.wa_id(which), self.number.phone_number_id)

    def of(self, kind: type[T]) -> list[T]:
        """The engine events of one type received so far."""
        return [e for e in self.events if isinstance(e, kind)]

    async def conversation_of(self, which: int | str) -> Conversation | None:
        wa_id = self.wa_id(which)
        conversations = await self.engine.store.read(repo.list_conversations)
        for conv in conversations:
            contact = await self.engine.store.read(
                lambda c, cid=conv.contact_id: repo.get_contact(c, cid)
            )
            if contact is not None and contact.wa_id == wa_id:
                return conv
        return None

    async def wait_for(
        self,
        check: Callable[[], Awaitable[T | None] | T | None],
        limit: float = 5.0,
        interval: float = 0.02,
    ) -> T:
        """Poll `check` (sync or async) until it returns something truthy; return that."""
        async with asyncio.timeout(limit):
            while True:
                value = check()
                if isinstance(value, Awaitable):
                    value = await value
                if value:
                    return value  # type: ignore[return-value]
                await asyncio.sleep(interval)

    async def restart(self, outbox: OutboxConfig | None = None) -> Engine:
        """Stop the engine and start a new one on the same data dir (the sandbox stays up)."""
        await self.engine.stop()
        self.engine = await _start_engine(
            self.data_dir, self.sandbox, outbox or self.outbox_config, self.events.append
        )
        return self.engine


def _make_engine(data_dir: Path, base_url: str) -> Engine:
    redactor = SecretRedactor()
    settings = Settings(paths=Paths(data_dir, data_dir / "logs"), port=0, graph_base_url=base_url)
    return Engine(settings, secrets=SecretStore(redactor), redactor=redactor)


async def _start_engine(
    data_dir: Path,
    sandbox: Sandbox,
    outbox: OutboxConfig,
    on_event: Callable[[EngineEvent], None],
) -> Engine:
    engine = _make_engine(data_dir, sandbox.base_url)
    engine.outbox.config = outbox
    engine.subscribe(on_event)
    await engine.start()
    assert engine.server is not None and engine.verify_token is not None
    await sandbox.set_callback(engine.server.url, engine.verify_token)
    return engine


@asynccontextmanager
async def sandbox_engine(
    tmp_path: Path, *, outbox: OutboxConfig | None = None, **sandbox_overrides: Any
) -> AsyncIterator[SandboxEngine]:
    """Start a sandbox and an Engine wired to it; stop both on exit."""
    config = demo_config(**{**FAST_SANDBOX, **sandbox_overrides})
    sandbox = Sandbox(config)
    await sandbox.start()
    data_dir = tmp_path / "engine"
    outbox_config = outbox or outbox_config_for(config)
    events: list[EngineEvent] = []
    engine: Engine | None = None
    env: SandboxEngine | None = None
    try:
        engine = await _start_engine(data_dir, sandbox, outbox_config, events.append)
        demo = config.numbers[0]
        number = await engine.add_number(
            label=demo.verified_name,
            phone=demo.display_phone_number,
            phone_number_id=demo.phone_number_id,
            waba_id=demo.waba_id,
            access_token=config.access_token,
            app_secret=config.app_secret,
        )
        env = SandboxEngine(engine, sandbox, number, data_dir, outbox_config, events)
        yield env
    finally:
        if env is not None:
            engine = env.engine
        if engine is not None:
            await engine.stop()
        await sandbox.stop()


@pytest.fixture
async def sandbox_env(tmp_path: Path) -> AsyncIterator[SandboxEngine]:
    """`sandbox_engine(tmp_path)` with the defaults."""
    async with sandbox_engine(tmp_path) as env:
        yield env


__all__ = [
    "FAST_SANDBOX",
    "SandboxEngine",
    "outbox_config_for",
    "sandbox_engine",
    "sandbox_env",
]
