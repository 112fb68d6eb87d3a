"""Token buckets and retry back-off for the outbox.

- `TokenBucket`: the arithmetic (rate tokens per second, `capacity` burst) on an injectable
  monotonic clock; no I/O, no asyncio.
- `AsyncTokenBucket`: `await acquire()` waits until a token is free and takes it at that moment.
  Waiters are served first come, first served (an `asyncio.Lock` is FIFO), so older messages are
  not overtaken. A token is taken at the moment the caller is released, so a late wake-up (a
  busy loop) only makes sends later, never denser than the bucket allows.
- `backoff_delay` / `pair_backoff_delay`: exponential back-off with jitter for retryable errors
  (1, 2, 4 … s capped), and Meta's advice for the pair rate limit (≥ 6 s, then 4^n s).

Why the buckets are stricter than Meta's: the server measures when a request *arrives*, the
client when it *leaves*; the difference jitters. A bucket of capacity C and rate R can only be
out-run by a server bucket of capacity C_s ≥ C + R·jitter. The outbox therefore uses a burst of
half a second's worth for the per-number throughput bucket (Meta allows a full second) and a
pair burst far below Meta's 45, and starts the throughput bucket empty so a quick restart cannot
add a second burst on top of the previous run's.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import AsyncIterator, Callable, Hashable

Clock = Callable[[], float]


class TokenBucket:
    """`capacity` tokens at most, refilled at `rate` tokens per second."""

    def __init__(
        self,
        rate: float,
        capacity: float,
        *,
        tokens: float | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.rate = float(rate)
        self.capacity = float(capacity)
        self._clock = clock
        self._tokens = self.capacity if tokens is None else max(0.0, min(tokens, self.capacity))
        self._stamp = clock()

    def _refill(self, now: float) -> None:
        if now > self._stamp:
            self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now

    def tokens(self, now: float | None = None) -> float:
        """Tokens available now (fractional)."""
        self._refill(self._clock() if now is None else now)
        return self._tokens

    def delay(self, now: float | None = None) -> float:
        """Seconds until one token is available (0 when one is available now)."""
        missing = 1.0 - self.tokens(now)
        return missing / self.rate if missing > 0 else 0.0

    def try_take(self, now: float | None = None) -> bool:
        """Take one token if available."""
        if self.tokens(now) >= 1.0:
            self._tokens -= 1.0
            return True
        return False

    def full(self, now: float | None = None) -> bool:
        """True when the bucket is full (then it is the same as a new one)."""
        return self.tokens(now) >= self.capacity

    def __repr__(self) -> str:
        return f"TokenBucket(rate={self.rate:g}/s, capacity={self.capacity:g})"


class AsyncTokenBucket:
    """A `TokenBucket` that coroutines wait on, first come, first served."""

    def __init__(self, bucket: TokenBucket) -> None:
        self.bucket = bucket
        self._lock = asyncio.Lock()

    @property
    def waiting(self) -> bool:
        return self._lock.locked()

    async def acquire(self) -> None:
        """Wait until a token is free, then take it."""
        async with self._lock:
            while not self.bucket.try_take():  # noqa: ASYNC110 (the wait is computed, not polled)
                # a hair longer than needed, so one sleep almost always suffices
                await asyncio.sleep(self.bucket.delay() + 1e-4)

    def full(self) -> bool:
        return not self._lock.locked() and self.bucket.full()


class KeyedLocks:
    """One FIFO `asyncio.Lock` per key, forgotten when nobody holds or waits for it.

    The outbox holds one per conversation while it stores a new message, so concurrent sends to
    one person are stored (and sent) in the order they were made.
    """

    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


def backoff_delay(
    attempt: int,
    *,
    base: float = 1.0,
    cap: float = 60.0,
    hint: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Delay before retry number `attempt` (0-based): base·2^attempt capped at `cap`, at least
    `hint` (the catalogue's retry_after), with ±20 % jitter so many clients do not retry in
    step."""
    pick = (rng or random).uniform(0.8, 1.2)
    delay = min(cap, base * (2.0 ** max(0, attempt)))
    if hint is not None:
        delay = max(delay, min(hint, cap))
    return delay * pick


def pair_backoff_delay(
    attempt: int,
    *,
    first: float = 6.0,
    cap: float = 60.0,
    rng: random.Random | None = None,
) -> float:
    """Delay after Meta's pair rate limit (131056): `first` seconds, then 4^n times that
    (capped), with a little jitter."""
    pick = (rng or random).uniform(1.0, 1.2)
    return min(cap, first * (4.0 ** max(0, attempt))) * pick
