"""Webhook ingest: verify → persist raw (committed) → ack → parse/apply → notify.

`receive()` is the ack path: it checks the signature over the raw bytes, parses the body once
and commits the raw event before the server answers 200. Applying (contacts, conversations,
messages, statuses) happens afterwards on an apply worker, so a crash between ack and apply
loses nothing: `recover()` re-applies every raw event still marked pending at start-up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import partial

from sqlalchemy.engine import Connection

from wadesk.core.enums import ProcessingResult, SignatureVerdict
from wadesk.core.events import (
    EngineEvent,
    MessageAdded,
    RawEventProcessed,
    RawEventRecorded,
)
from wadesk.core.webhook import (
    FieldEvent,
    InboundMessage,
    ParsedWebhook,
    StatusUpdate,
    WebhookParseError,
)
from wadesk.engine.cloudapi import signature
from wadesk.engine.cloudapi.parser import parse_webhook
from wadesk.engine.store import Store
from wadesk.engine.store.apply import ApplyOutcome, NumberRef, apply_parsed
from wadesk.engine.store.raw_events import (
    insert_raw_event,
    load_raw_event,
    set_raw_event_result,
    unprocessed_raw_events,
)

log = logging.getLogger("wadesk.ingest")

_STATUS_FOR_VERDICT = {
    SignatureVerdict.MISSING: 401,
    SignatureVerdict.INVALID: 403,
    SignatureVerdict.NO_SECRET: 403,
}


def summarize_fields(parsed: ParsedWebhook) -> str:
    """A short label of what a body carries, e.g. `messages` or `messages,statuses`."""
    kinds: dict[str, None] = {}
    for item in parsed.items:
        if isinstance(item, InboundMessage):
            kinds["messages"] = None
        elif isinstance(item, StatusUpdate):
            kinds["statuses"] = None
        elif isinstance(item, FieldEvent):
            kinds[item.field] = None
        else:
            kinds["errors"] = None
    return ",".join(kinds) or "empty"


class Ingest:
    """Receives webhook bodies for the server, applies them, and publishes engine events.

    Attributes:
        last_event_at: time of the last accepted (signed) event, for /health.
    """

    def __init__(
        self,
        store: Store,
        *,
        app_secrets: Callable[[], Sequence[str]],
        numbers: Callable[[], Mapping[str, NumberRef]],
        publish: Callable[[EngineEvent], None],
    ) -> None:
        self._store = store
        self._app_secrets = app_secrets
        self._numbers = numbers
        self._publish = publish
        self._queue: asyncio.Queue[tuple[int, ParsedWebhook]] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self._inflight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self.last_event_at: datetime | None = None
        self.received = 0
        self.rejected = 0

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        if self._worker is None:
            self._worker = asyncio.create_task(self._apply_loop(), name="wadesk-apply")

    async def stop(self) -> None:
        """Apply what was already acknowledged, then stop the worker."""
        await self.wait_idle()
        if self._worker is not None:
            self._worker.cancel()
            try:
                await self._worker
            except asyncio.CancelledError:
                pass
            self._worker = None

    async def wait_idle(self) -> None:
        """Wait until every acknowledged event has been applied."""
        await self._idle.wait()

    # -- the ack path ----------------------------------------------------------------------

    async def receive(self, body: bytes, signature_header: str | None) -> int:
        received_at = datetime.now(UTC)
        verdict = signature.verify(body, signature_header, self._app_secrets())
        if verdict is not SignatureVerdict.VALID:
            self.rejected += 1
            detail = {
                SignatureVerdict.MISSING: "missing X-Hub-Signature-256",
                SignatureVerdict.INVALID: "signature does not match the app secret",
                SignatureVerdict.NO_SECRET: "no app secret configured",
            }[verdict]
            log.warning("Webhook rejected: signature=%s (%s)", verdict.value, detail)
            self._record_rejected(body, received_at, verdict, detail)
            return _STATUS_FOR_VERDICT[verdict]
        try:
            parsed = parse_webhook(body)
        except WebhookParseError as exc:
            self.rejected += 1
            log.warning("Webhook rejected: signature=valid, malformed body (%s)", exc)
            self._record_rejected(body, received_at, verdict, f"malformed body: {exc}")
            return 400
        field = summarize_fields(parsed)
        raw_id = await self._store.write(
            partial(
                insert_raw_event,
                body=body,
                received_at=received_at,
                verdict=verdict,
                result=ProcessingResult.PENDING,
                field=field,
            )
        )
        self.received += 1
        self.last_event_at = received_at
        log.info(
            "Webhook received: id=%d number=%s field=%s signature=valid",
            raw_id,
            ",".join(sorted(parsed.phone_number_ids)) or "-",
            field,
        )
        self._enqueue(raw_id, parsed)
        self._publish(
            RawEventRecorded(raw_id, received_at, verdict, ProcessingResult.PENDING, None)
        )
        return 200

    def _record_rejected(
        self, body: bytes, received_at: datetime, verdict: SignatureVerdict, detail: str
    ) -> None:
        fut = self._store.write_nowait(
            partial(
                insert_raw_event,
                body=body,
                received_at=received_at,
                verdict=verdict,
                result=ProcessingResult.REJECTED,
                detail=detail,
            )
        )

        def _done(f: asyncio.Future[int]) -> None:
            if f.cancelled() or f.exception() is not None:
                log.error("Could not store a rejected webhook event: %s", f.exception())
                return
            self._publish(
                RawEventRecorded(
                    f.result(), received_at, verdict, ProcessingResult.REJECTED, detail
                )
            )

        fut.add_done_callback(_done)

    # -- applying ----------------------------------------------------------------------------

    def _enqueue(self, raw_id: int, parsed: ParsedWebhook) -> None:
        self._inflight += 1
        self._idle.clear()
        self._queue.put_nowait((raw_id, parsed))

    async def _apply_loop(self) -> None:
        while True:
            first = await self._queue.get()
            batch = [first]
            while not self._queue.empty() and len(batch) < 200:
                batch.append(self._queue.get_nowait())
            futures = [
                self._store.write_nowait(partial(_apply_one, raw_id, parsed, self._numbers()))
                for raw_id, parsed in batch
            ]
            for (raw_id, parsed), fut in zip(batch, futures, strict=True):
                try:
                    outcome = await fut
                except Exception as exc:  # a bug or a broken row: keep the event, say why
                    log.exception("Applying webhook event %d failed", raw_id)
                    outcome = await self._mark_error(raw_id, exc)
                self._after_apply(raw_id, parsed, outcome)
            self._inflight -= len(batch)
            if self._inflight == 0:
                self._idle.set()

    async def _mark_error(self, raw_id: int, exc: Exception) -> ApplyOutcome:
        detail = f"{type(exc).__name__}: {exc}"[:500]
        try:
            await self._store.write(
                partial(
                    set_raw_event_result,
                    raw_event_id=raw_id,
                    result=ProcessingResult.ERROR,
                    detail=detail,
                )
            )
        except Exception:
            log.exception("Could not record the failure of event %d", raw_id)
        return ApplyOutcome(ProcessingResult.ERROR, detail, [])

    def _after_apply(self, raw_id: int, parsed: ParsedWebhook, outcome: ApplyOutcome) -> None:
        for event in outcome.events:
            if isinstance(event, MessageAdded) and event.inbound is not None:
                log.info(
                    "Message processed: %s from %s",
                    event.message.wamid,
                    event.inbound.sender_key or "unknown sender",
                )
            self._publish(event)
        if outcome.result is not ProcessingResult.APPLIED:
            log.warning(
                "Webhook event %d: %s (%s)", raw_id, outcome.result.value, outcome.detail or ""
            )
        for problem in parsed.problems:
            log.warning("Webhook event %d: %s", raw_id, problem)
        self._publish(RawEventProcessed(raw_id, outcome.result, outcome.detail))

    # -- recovery and replay -------------------------------------------------------------------

    async def recover(self) -> int:
        """Re-apply raw events acknowledged but never applied (a crash after the ack)."""
        rows = await self._store.read(partial(unprocessed_raw_events, limit=1_000_000))
        for raw_id, body in rows:
            self._enqueue_body(raw_id, body)
        if rows:
            log.info(
                "Recovering %d webhook events that were acknowledged but not applied", len(rows)
            )
        return len(rows)

    async def replay(self, raw_event_id: int) -> None:
        """Apply a stored event again (idempotent: nothing already stored changes twice)."""
        body = await self._store.read(partial(load_raw_event, raw_event_id=raw_event_id))
        if body is None:
            raise KeyError(f"No webhook event #{raw_event_id}")
        self._enqueue_body(raw_event_id, body)
        await self.wait_idle()

    def _enqueue_body(self, raw_id: int, body: bytes) -> None:
        try:
            parsed = parse_webhook(body)
        except WebhookParseError as exc:
            self._store.write_nowait(
                partial(
                    set_raw_event_result,
                    raw_event_id=raw_id,
                    result=ProcessingResult.REJECTED,
                    detail=f"malformed body: {exc}",
                )
            )
            return
        self._enqueue(raw_id, parsed)


def _apply_one(
    raw_id: int, parsed: ParsedWebhook, numbers: Mapping[str, NumberRef], conn: Connection
) -> ApplyOutcome:
    """Apply one event and record its result in the same transaction (runs on the writer)."""
    outcome = apply_parsed(conn, raw_id, parsed, numbers)
    set_raw_event_result(conn, raw_event_id=raw_id, result=outcome.result, detail=outcome.detail)
    return outcome
