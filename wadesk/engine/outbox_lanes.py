"""The outbox's configuration and per-number sending state (`wadesk.engine.outbox` uses them):
`OutboxConfig` (limits and timings), a lane per business number with its throughput bucket,
online flag and per-recipient FIFO queues, and the outcome of one send attempt."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from enum import Enum
from typing import Any

from wadesk.core.errors import GraphError
from wadesk.engine.ratelimit import AsyncTokenBucket


class OutboxError(Exception):
    """A command cannot be done (e.g. retrying a message that was delivered); str() says why."""


@dataclass(frozen=True, slots=True)
class OutboxConfig:
    """Limits and timings. Defaults follow Meta's limits (reference §8, §9).

    `throughput_per_second` applies to numbers whose settings_json has no
    `throughput_per_second`; the pair limit is ~1 message per 6 s per recipient with a burst
    well below Meta's 45.
    """

    throughput_per_second: float = 80.0
    throughput_burst_seconds: float = 0.5
    pair_per_second: float = 1.0 / 6.0
    pair_burst: float = 10.0
    max_attempts: int = 5
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    probe_initial: float = 1.0
    probe_max: float = 30.0
    max_in_flight: int = 32
    stop_timeout: float = 15.0
    poll_interval: float = 0.5

    @classmethod
    def from_extra(cls, extra: Mapping[str, str]) -> OutboxConfig:
        """Read `outbox.<field>` keys of `Settings.extra` (e.g. `outbox.pair_burst=5`)."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = extra.get(f"outbox.{f.name}")
            if raw is not None:
                values[f.name] = int(raw) if f.type in ("int", int) else float(raw)
        return replace(cls(), **values)


class Kind(Enum):
    DONE = "done"
    OFFLINE = "offline"
    RETRY = "retry"


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: Kind
    error: GraphError | None = None


DONE = Outcome(Kind.DONE)
OFFLINE = Outcome(Kind.OFFLINE)


@dataclass(eq=False)
class Recipient:
    ids: deque[int] = field(default_factory=deque)
    task: asyncio.Task[None] | None = None


@dataclass(eq=False)
class Lane:
    """The sending state of one business number."""

    number_id: int
    throughput: AsyncTokenBucket | None = None
    online: asyncio.Event = field(default_factory=asyncio.Event)
    prober: int | None = None
    recipients: dict[str, Recipient] = field(default_factory=dict)
    pair: dict[str, AsyncTokenBucket] = field(default_factory=dict)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        self.online.set()
