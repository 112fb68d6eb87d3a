"""Token buckets, back-off delays and the outbox configuration (no network, no store)."""

from __future__ import annotations

import asyncio
import random
import time

import pytest

from wadesk.engine.outbox import OutboxConfig
from wadesk.engine.ratelimit import (
    AsyncTokenBucket,
    TokenBucket,
    backoff_delay,
    pair_backoff_delay,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_its_burst_then_refills_at_its_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(2.0, 3, clock=clock)
    assert [bucket.try_take() for _ in range(4)] == [True, True, True, False]
    assert bucket.delay() == pytest.approx(0.5)
    clock.now += 0.25
    assert not bucket.try_take()
    clock.now += 0.25
    assert bucket.try_take()
    clock.now += 100
    assert bucket.tokens() == 3  # never more than the capacity
    assert bucket.full()


def test_bucket_can_start_empty_and_rejects_nonsense() -> None:
    clock = FakeClock()
    bucket = TokenBucket(10.0, 5, tokens=0.0, clock=clock)
    assert not bucket.try_take()
    assert bucket.delay() == pytest.approx(0.1)
    with pytest.raises(ValueError):
        TokenBucket(0, 1)
    with pytest.raises(ValueError):
        TokenBucket(1, 0.5)


def conforms(times: list[float], rate: float, capacity: float) -> bool:
    """True when no interval holds more events than capacity + rate·length (plus slack)."""
    times = sorted(times)
    for i, start in enumerate(times):
        for j in range(i, len(times)):
            if j - i + 1 > capacity + rate * (times[j] - start) + 1e-6:
                return False
    return True


async def test_async_bucket_never_exceeds_its_limit() -> None:
    bucket = AsyncTokenBucket(TokenBucket(50.0, 5))
    stamps: list[float] = []

    async def one() -> None:
        await bucket.acquire()
        stamps.append(time.monotonic())

    started = time.monotonic()
    await asyncio.gather(*(one() for _ in range(30)))
    assert conforms(stamps, 50.0, 5)
    assert stamps[-1] - started >= (30 - 5) / 50.0 - 0.01  # it really waited


async def test_async_bucket_serves_first_come_first_served() -> None:
    bucket = AsyncTokenBucket(TokenBucket(100.0, 1, tokens=0.0))
    order: list[int] = []

    async def one(n: int) -> None:
        await bucket.acquire()
        order.append(n)

    tasks = [asyncio.create_task(one(n)) for n in range(10)]
    await asyncio.gather(*tasks)
    assert order == list(range(10))


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    rng = random.Random(7)
    delays = [backoff_delay(n, base=1.0, cap=60.0, rng=rng) for n in range(10)]
    for n, delay in enumerate(delays):
        expected = min(60.0, 2.0**n)
        assert 0.8 * expected <= delay <= 1.2 * expected
    assert backoff_delay(0, hint=6.0, rng=rng) >= 6.0 * 0.8  # the catalogue's hint wins
    assert backoff_delay(0, hint=600.0, cap=60.0, rng=rng) <= 72.0


def test_pair_backoff_waits_six_seconds_then_four_times_longer() -> None:
    rng = random.Random(1)
    assert 6.0 <= pair_backoff_delay(0, rng=rng) <= 7.2
    assert 24.0 <= pair_backoff_delay(1, rng=rng) <= 28.8
    assert pair_backoff_delay(5, cap=60.0, rng=rng) <= 72.0


def test_outbox_config_defaults_follow_meta_and_read_settings_extra() -> None:
    config = OutboxConfig()
    assert config.throughput_per_second == 80.0
    assert config.pair_per_second == pytest.approx(1 / 6)
    assert config.pair_burst < 45  # well below Meta's pair burst
    custom = OutboxConfig.from_extra(
        {"outbox.throughput_per_second": "1000", "outbox.max_attempts": "3", "other": "x"}
    )
    assert custom.throughput_per_second == 1000.0
    assert custom.max_attempts == 3 and isinstance(custom.max_attempts, int)
