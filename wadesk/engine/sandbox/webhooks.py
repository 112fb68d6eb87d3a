"""Meta-shaped webhook bodies and their delivery: the envelope, inbound-message and status
values, serialisation like Meta (escaped unicode), the `X-Hub-Signature-256` header, and a
dispatcher that POSTs them in order and retries failures with capped exponential backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from wadesk.engine.cloudapi.signature import HEADER, sign
from wadesk.engine.sandbox.rules import GraphError, error
from wadesk.engine.sandbox.state import Callback, Counters, SandboxNumber

log = logging.getLogger("wadesk.sandbox.webhooks")
JSONDict = dict[str, Any]


def envelope(number: SandboxNumber, value: JSONDict) -> JSONDict:
    """The `whatsapp_business_account` envelope around one `messages` change."""
    full_value: JSONDict = {
        "messaging_product": "whatsapp",
        "metadata": {
            "display_phone_number": number.digits,
            "phone_number_id": number.phone_number_id,
        },
    }
    full_value.update(value)
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": number.waba_id, "changes": [{"value": full_value, "field": "messages"}]}],
    }


def inbound_value(wa_id: str, name: str, message: JSONDict) -> JSONDict:
    return {"contacts": [{"profile": {"name": name}, "wa_id": wa_id}], "messages": [message]}


def status_value(
    wamid: str,
    status: str,
    recipient: str,
    timestamp: float,
    *,
    category: str = "service",
    errors: list[JSONDict] | None = None,
    biz_opaque_callback_data: str | None = None,
) -> JSONDict:
    item: JSONDict = {
        "id": wamid,
        "status": status,
        "timestamp": str(int(timestamp)),
        "recipient_id": recipient,
    }
    if status != "failed":
        free = category == "service"
        item["pricing"] = {
            "billable": not free,
            "pricing_model": "PMP",
            "category": category,
            "type": "free_customer_service" if free else "regular",
        }
    if errors:
        item["errors"] = errors
    if biz_opaque_callback_data is not None:
        item["biz_opaque_callback_data"] = biz_opaque_callback_data
    return {"statuses": [item]}


def serialise(body: JSONDict) -> bytes:
    """Like Meta: compact JSON with non-ASCII characters escaped (`\\u0410`)."""
    return json.dumps(body, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def headers_for(raw: bytes, app_secret: str) -> dict[str, str]:
    sha1 = hmac.new(app_secret.encode(), raw, hashlib.sha1).hexdigest()
    return {
        "Content-Type": "application/json",
        "User-Agent": "facebookexternalua",
        HEADER: sign(raw, app_secret),
        "X-Hub-Signature": "sha1=" + sha1,
    }


@dataclass
class _Delivery:
    waba_id: str
    raw: bytes
    attempt: int = 0


class WebhookDispatcher:
    """Delivers webhook bodies to the callback registered for their WABA.

    Bodies are sent one after the other in the order they were queued; a failed attempt (non-200,
    connection error, timeout) is retried later with backoff `base * 2**n` capped at `cap`, up to
    `max_attempts`, without holding up the bodies behind it (so order is kept normally, not
    guaranteed under failures — like Meta).
    """

    def __init__(
        self,
        app_secret: str,
        callback_for: Callable[[str], Callback | None],
        counters: Counters,
        *,
        backoff: float,
        cap: float,
        max_attempts: int,
        timeout: float,
    ) -> None:
        self._secret = app_secret
        self._callback_for = callback_for
        self._counters = counters
        self._backoff = backoff
        self._cap = cap
        self._max_attempts = max_attempts
        self._timeout = timeout
        self._queue: asyncio.Queue[_Delivery] = asyncio.Queue()
        self._session: aiohttp.ClientSession | None = None
        self._worker: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._pending = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout))
        self._worker = asyncio.create_task(self._run(), name="sandbox-webhooks")

    async def stop(self) -> None:
        tasks = [*self._tasks, *([self._worker] if self._worker else [])]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        self._worker = None
        if self._session is not None:
            await self._session.close()
            self._session = None
        self._pending = 0
        self._idle.set()

    # bookkeeping of outstanding work (webhooks queued, retries and scheduled statuses) ---------
    def hold(self) -> None:
        self._pending += 1
        self._idle.clear()

    def release(self) -> None:
        self._pending = max(0, self._pending - 1)
        if self._pending == 0:
            self._idle.set()

    async def wait_idle(self) -> None:
        await self._idle.wait()

    def spawn(self, coro: Any) -> None:
        """Run `coro` as tracked background work (cancelled on stop, counted by wait_idle)."""
        self.hold()
        task: asyncio.Task[None] = asyncio.create_task(coro)
        self._tasks.add(task)

        def done(t: asyncio.Task[None]) -> None:
            self._tasks.discard(t)
            self.release()
            if not t.cancelled() and t.exception() is not None:
                log.error("sandbox background task failed", exc_info=t.exception())

        task.add_done_callback(done)

    def send(self, number: SandboxNumber, value: JSONDict) -> None:
        """Queue the webhook `value` for `number` (delivered by the worker)."""
        self.hold()
        self._queue.put_nowait(_Delivery(number.waba_id, serialise(envelope(number, value))))

    async def _run(self) -> None:
        while True:
            delivery = await self._queue.get()
            try:
                await self._attempt(delivery)
            finally:
                self.release()

    async def _attempt(self, delivery: _Delivery) -> None:
        callback = self._callback_for(delivery.waba_id)
        if callback is None or self._session is None:
            self._counters.webhook_dropped += 1
            log.info("no callback registered for WABA %s: webhook dropped", delivery.waba_id)
            return
        delivery.attempt += 1
        self._counters.webhook_attempts += 1
        ok = False
        try:
            async with self._session.post(
                callback.url, data=delivery.raw, headers=headers_for(delivery.raw, self._secret)
            ) as response:
                await response.read()
                ok = response.status == 200
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            log.info("webhook to %s failed: %s", callback.url, type(exc).__name__)
        if ok:
            self._counters.webhook_deliveries += 1
            return
        self._counters.webhook_failures += 1
        if delivery.attempt >= self._max_attempts:
            self._counters.webhook_dropped += 1
            log.warning("webhook dropped after %d attempts", delivery.attempt)
            return
        delay = min(self._cap, self._backoff * 2 ** (delivery.attempt - 1))
        self.spawn(self._retry(delivery, delay))

    async def _retry(self, delivery: _Delivery, delay: float) -> None:
        await asyncio.sleep(delay)
        await self._attempt(delivery)


async def verify_callback(
    session: aiohttp.ClientSession, url: str, verify_token: str
) -> GraphError | None:
    """Meta's synchronous GET challenge against `url`."""
    challenge = str(secrets.randbelow(9 * 10**9) + 10**9)
    params = {"hub.mode": "subscribe", "hub.challenge": challenge, "hub.verify_token": verify_token}
    prefix = "(#2200) Callback verification failed with the following errors: "
    try:
        async with session.get(url, params=params) as response:
            text = await response.text()
            status, reason = response.status, response.reason or ""
    except (aiohttp.ClientError, TimeoutError, OSError, ValueError):
        return error(
            2200,
            message=prefix + "curl_errno = 7; curl_error = Couldn't connect to server; "
            "HTTP Status Code = 0; HTTP Message = ",
        )
    if status != 200:
        return error(
            2200,
            message=prefix + f"curl_errno = 0; curl_error = ; HTTP Status Code = {status}; "
            f"HTTP Message = {reason}",
        )
    if text != challenge:
        return error(
            2200,
            message=prefix + "HTTP Status Code = 200; HTTP Message = OK; Response does not "
            f'match challenge, expected value="{challenge}", received="{text[:50]}"',
        )
    return None
