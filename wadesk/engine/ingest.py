"""Webhook ingest: verify → persist raw (committed) → ack → parse/apply → notify.

`receive()` is the ack path: it checks the signature over the raw bytes, decodes the JSON
(malformed → 400) and commits the raw event — as an urgent write that goes ahead of background
work in the store's writer — before the server answers 200. Parsing and applying (contacts,
conversations, messages, statuses) happen afterwards on the apply worker, which reads the
pending raw events from the database in id order — the table is the queue, so a burst never
piles bodies up in memory, and a crash between ack and apply loses nothing: at start-up the
worker simply begins with the events still pending.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any

import orjson
from sqlalchemy.engine import Connection

from wadesk.core.enums import ProcessingResult, SignatureVerdict
from wadesk.core.events import (
    EngineEvent,
    MessageAdded,
    RawEventProcessed,
    RawEventRecorded,
)
from wadesk.core.webhook import ParsedWebhook, WebhookParseError
from wadesk.engine.cloudapi import signature
from wadesk.engine.cloudapi.parser import parse_webhook
from wadesk.engine.store import Store
from wadesk.engine.store.apply import ApplyOutcome, NumberRef, apply_many
from wadesk.engine.store.raw_events import (
    INSERT_RAW_EVENT_SQL,
    load_raw_event,
    pending_raw_events,
    raw_event_params,
    set_raw_event_result,
    unprocessed_raw_events,
)
from wadesk.engine.store.rows import driver

log = logging.getLogger("wadesk.ingest")

LOG_FLUSH_DELAY = 0.05
"""Seconds the "Webhook received" lines of a burst gather before they are logged together."""

_STATUS_FOR_VERDICT = {
    SignatureVerdict.MISSING: 401,
    SignatureVerdict.INVALID: 403,
    SignatureVerdict.NO_SECRET: 403,
}


def summarize(data: Mapping[str, Any]) -> tuple[str, str]:
    """Cheap (phone number ids, fields) labels of a decoded body for the log and the raw event
    row, without the full parse; e.g. ("106540352242922", "messages")."""
    numbers: dict[str, None] = {}
    fields: dict[str, None] = {}
    entries = data.get("entry")
    for entry in entries if isinstance(entries, list) else ():
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else ():
            if not isinstance(change, dict):
                continue
            field = change.get("field")
            if isinstance(field, str):
                fields[field[:64]] = None
            value = change.get("value")
            metadata = value.get("metadata") if isinstance(value, dict) else None
            pnid = metadata.get("phone_number_id") if isinstance(metadata, dict) else None
            if isinstance(pnid, str | int):
                numbers[str(pnid)[:32]] = None
    return ",".join(numbers), ",".join(fields) or "empty"


def decode(body: bytes) -> dict[str, Any]:
    """The JSON object of a webhook body; WebhookParseError when it is not one with `entry`."""
    try:
        data = orjson.loads(body)
    except (ValueError, RecursionError) as exc:  # orjson.JSONDecodeError is a ValueError
        raise WebhookParseError(f"not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise WebhookParseError("the body is not a JSON object")
    if not isinstance(data.get("entry"), list):
        raise WebhookParseError("the body has no `entry` list")
    return data


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
        batch_size: int = 32,
        busy_batch_size: int = 8,
        max_batch_size: int = 256,
    ) -> None:
        self._store = store
        self._app_secrets = app_secrets
        self._numbers = numbers
        self._publish = publish
        self._batch_size = batch_size
        self._busy_batch_size = busy_batch_size
        self._max_batch_size = max(max_batch_size, batch_size)
        self._worker: asyncio.Task[None] | None = None
        self._wakeup = asyncio.Event()
        self._progress = asyncio.Condition()
        self._acked = 0
        """Acknowledged events so far (a sequence number)."""
        self._caught_up_to = 0
        """Every event acknowledged up to this sequence number has been applied."""
        self.last_event_at: datetime | None = None
        self.received = 0
        self.rejected = 0
        self._log_lines: list[str] = []

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        if self._worker is None:
            self._worker = asyncio.create_task(self._apply_loop(), name="wadesk-apply")

    async def stop(self) -> None:
        """Apply what was already acknowledged, then stop the worker."""
        self._flush_log()
        if self._worker is not None:
            await self.wait_idle()
            self._worker.cancel()
            try:
                await self._worker
            except asyncio.CancelledError:
                pass
            self._worker = None

    async def wait_idle(self) -> None:
        """Wait until every event acknowledged so far (and every pending one) is applied."""
        target = self._acked
        async with self._progress:
            await self._progress.wait_for(lambda: self._caught_up_to >= target)

    # -- the ack path ----------------------------------------------------------------------

    async def receive(self, body: bytes, signature_header: str | None) -> int:
        """`receive_nowait`, awaited: the HTTP status once the answer is known."""
        reply = self.receive_nowait(body, signature_header)
        return reply if isinstance(reply, int) else await reply

    def receive_nowait(
        self, body: bytes, signature_header: str | None
    ) -> int | asyncio.Future[int]:
        """The ack path (the webhook server calls this for every POST): a status to answer at
        once for a refused body (401/403/400, stored as rejected), else a future that
        resolves to 200 when the raw event is committed (or fails with the store's error)."""
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
            data = decode(body)
        except WebhookParseError as exc:
            self.rejected += 1
            log.warning("Webhook rejected: signature=valid, malformed body (%s)", exc)
            self._record_rejected(body, received_at, verdict, f"malformed body: {exc}")
            return 400
        numbers, fields = summarize(data)
        inserted = self._store.insert_row(
            INSERT_RAW_EVENT_SQL,
            raw_event_params(
                body=body,
                received_at=received_at,
                verdict=verdict,
                result=ProcessingResult.PENDING,
                field=fields,
                phone_number_ids=numbers or None,
            ),
        )
        answer: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        inserted.add_done_callback(
            lambda done: self._acknowledged(done, answer, received_at, numbers, fields)
        )
        return answer

    def _acknowledged(
        self,
        inserted: asyncio.Future[int],
        answer: asyncio.Future[int],
        received_at: datetime,
        numbers: str,
        fields: str,
    ) -> None:
        """The raw event is committed (or the insert failed): book it and answer."""
        if inserted.cancelled():
            answer.cancel()
            return
        error = inserted.exception()
        if error is not None:
            if not answer.done():
                answer.set_exception(error)
            return
        raw_id = inserted.result()
        self.received += 1
        self.last_event_at = received_at
        self._log_line(
            f"Webhook received: id={raw_id} number={numbers or '-'} field={fields} signature=valid"
        )
        self._acked += 1
        self._wakeup.set()
        self._publish(
            RawEventRecorded(
                raw_id, received_at, SignatureVerdict.VALID, ProcessingResult.PENDING, None
            )
        )
        if not answer.done():
            answer.set_result(200)

    def _log_line(self, line: str) -> None:
        """Log `line` at INFO — together with the other lines of the next `LOG_FLUSH_DELAY`
        seconds, as one record (still one line per event): one record costs the handlers
        (format, redact, stderr, rotating file) far less than a hundred."""
        if not self._log_lines:
            asyncio.get_running_loop().call_later(LOG_FLUSH_DELAY, self._flush_log)
        self._log_lines.append(line)

    def _flush_log(self) -> None:
        lines, self._log_lines = self._log_lines, []
        if lines:
            log.info("%s", "\n".join(lines))

    def _record_rejected(
        self, body: bytes, received_at: datetime, verdict: SignatureVerdict, detail: str
    ) -> None:
        fut = self._store.insert_row(
            INSERT_RAW_EVENT_SQL,
            raw_event_params(
                body=body,
                received_at=received_at,
                verdict=verdict,
                result=ProcessingResult.REJECTED,
                detail=detail,
            ),
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

    async def _apply_loop(self) -> None:
        # one write reads the pending events and applies them (no reader round trip). While
        # events keep coming, two such bites are in the writer's queue at once: the writer
        # starts the next as soon as one commits, while the loop publishes the last one's
        # events — so a loop busy with the GUI does not leave the writer idle between bites.
        # During a burst of webhooks (the store is busy acknowledging) apply in small bites,
        # which the store lets through only now and then, so acknowledgements never wait
        # long behind them (letting the bites ride along with the acks kept apply up with
        # 1,000/s but cut the ack throughput from ~6,000 to ~1,700 req/s: see CHANGELOG);
        # otherwise the next bite may take twice what the last one found, up to
        # max_batch_size, so a backlog drains in big batches
        cursor = _Cursor()
        in_flight: deque[tuple[asyncio.Future[_Bite], int]] = deque()
        last = 0
        rewind = False
        while True:
            if not in_flight:
                if rewind:  # read again from the start what is still pending
                    cursor.after_id = 0
                    rewind = False
                self._wakeup.clear()
                in_flight.append(self._submit_bite(cursor, last))
            future, seen = in_flight[0]
            try:
                rows, outcomes = await future
            except Exception:  # the commit failed (disk full…): try again a little later
                log.exception("Applying webhook events failed")
                in_flight.popleft()
                # the bite had moved the cursor past events whose results were rolled back:
                # once the bites queued after it are done, start over from the oldest pending
                # event (the query is by index, and what was applied is no longer pending)
                rewind = True
                await asyncio.sleep(0.5)
                continue
            in_flight.popleft()
            last = len(rows)
            if rows:
                while len(in_flight) < 2:  # the writer goes on while the loop publishes
                    self._wakeup.clear()
                    in_flight.append(self._submit_bite(cursor, last))
                await self._apply_rows(rows, self._numbers(), outcomes)
                continue
            if in_flight:
                continue  # the bite queued after this one may have found new events
            async with self._progress:
                self._caught_up_to = max(self._caught_up_to, seen)
                self._progress.notify_all()
            await self._wakeup.wait()

    def _submit_bite(self, cursor: _Cursor, last: int) -> tuple[asyncio.Future[_Bite], int]:
        """Queue one apply bite; returns its future and the events acknowledged by then."""
        busy = self._store.busy
        base = self._busy_batch_size if busy else self._batch_size
        limit = base if busy else min(max(base, 2 * last), self._max_batch_size)
        future = self._store.write_nowait(
            partial(_apply_pending, cursor, limit, self._numbers()), atomic=False
        )
        return future, self._acked

    async def _apply_rows(
        self,
        rows: list[tuple[int, bytes]],
        numbers: Mapping[str, NumberRef],
        applied: list[tuple[int, tuple[str, ...], ApplyOutcome]] | None = None,
    ) -> None:
        """Publish the outcomes of `rows` (applied already when `applied` is given; when the
        batch failed as a whole, apply them one by one: one bad event must not block the
        others)."""
        outcomes = applied
        if outcomes is None:
            outcomes = []
            for raw_id, body in rows:
                try:
                    outcomes += await self._store.write(
                        partial(_apply_batch, [(raw_id, body)], numbers)
                    )
                except Exception as exc:
                    log.exception("Applying webhook event %d failed", raw_id)
                    outcomes.append((raw_id, (), await self._mark_error(raw_id, exc)))
        for raw_id, problems, outcome in outcomes:
            self._after_apply(raw_id, problems, outcome)
        self._flush_log()

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

    def _after_apply(self, raw_id: int, problems: Sequence[str], outcome: ApplyOutcome) -> None:
        for event in outcome.events:
            if isinstance(event, MessageAdded) and event.inbound is not None:
                sender = event.inbound.sender_key or "unknown sender"
                self._log_lines.append(f"Message processed: {event.message.wamid} from {sender}")
            self._publish(event)
        if outcome.result is not ProcessingResult.APPLIED:
            log.warning(
                "Webhook event %d: %s (%s)", raw_id, outcome.result.value, outcome.detail or ""
            )
        for problem in problems:
            log.warning("Webhook event %d: %s", raw_id, problem)
        self._publish(RawEventProcessed(raw_id, outcome.result, outcome.detail))

    # -- recovery and replay -------------------------------------------------------------------

    async def recover(self) -> int:
        """Count the events acknowledged but never applied (a crash after the ack); the apply
        worker applies them first, as it always starts from the oldest pending event."""
        rows = await self._store.read(partial(unprocessed_raw_events, limit=1_000_000))
        if rows:
            log.info(
                "Recovering %d webhook events that were acknowledged but not applied", len(rows)
            )
            self._acked += len(rows)
            self._wakeup.set()
        return len(rows)

    async def replay(self, raw_event_id: int) -> ProcessingResult:
        """Apply a stored event again (idempotent: nothing already stored changes twice)."""
        body = await self._store.read(partial(load_raw_event, raw_event_id=raw_event_id))
        if body is None:
            raise KeyError(f"No webhook event #{raw_event_id}")
        outcomes = await self._store.write(
            partial(_apply_batch, [(raw_event_id, body)], self._numbers())
        )
        for raw_id, problems, outcome in outcomes:
            self._after_apply(raw_id, problems, outcome)
        self._flush_log()
        return outcomes[0][2].result


class _Cursor:
    """The apply worker's place in the raw event table: the id of the last event a bite took
    (read and moved on the writer thread only, so bites queued together follow each other)."""

    __slots__ = ("after_id",)

    def __init__(self) -> None:
        self.after_id = 0


_Outcomes = list[tuple[int, tuple[str, ...], ApplyOutcome]]
_Bite = tuple[list[tuple[int, bytes]], _Outcomes | None]


def _apply_pending(
    cursor: _Cursor, limit: int, numbers: Mapping[str, NumberRef], conn: Connection
) -> _Bite:
    """Writer thread: read up to `limit` pending events after the cursor, move the cursor past
    them and apply them (in a savepoint); returns the rows and their outcomes — None when the
    batch failed as a whole (rolled back; the caller applies the rows one by one). It never
    raises past that savepoint, so the store needs no savepoint of its own (`atomic=False`)."""
    rows = pending_raw_events(driver(conn), limit=limit, after_id=cursor.after_id)
    if not rows:
        return rows, None
    cursor.after_id = rows[-1][0]
    try:
        with conn.begin_nested():
            return rows, _apply_batch(rows, numbers, conn)
    except Exception:
        log.exception("Applying webhook events %d..%d failed", rows[0][0], rows[-1][0])
        return rows, None


def _apply_batch(
    rows: Sequence[tuple[int, bytes]], numbers: Mapping[str, NumberRef], conn: Connection
) -> list[tuple[int, tuple[str, ...], ApplyOutcome]]:
    """Writer thread: parse and apply raw events in one go; each raw event's result is recorded
    in the same transaction. Bodies that do not parse are marked rejected."""
    parsed: list[tuple[int | None, ParsedWebhook]] = []
    rejected: dict[int, str] = {}
    for raw_id, body in rows:
        try:
            parsed.append((raw_id, parse_webhook(body)))
        except WebhookParseError as exc:
            rejected[raw_id] = f"malformed body: {exc}"
    results, events = apply_many(conn, parsed, numbers) if parsed else ([], [])
    out: list[tuple[int, tuple[str, ...], ApplyOutcome]] = []
    for (event_id, item), (result, detail) in zip(parsed, results, strict=True):
        assert event_id is not None
        out.append((event_id, item.problems, ApplyOutcome(result, detail, [])))
    if out:
        # events are published once, with the last event of the batch, in order
        last_id, problems, outcome = out[-1]
        out[-1] = (last_id, problems, ApplyOutcome(outcome.result, outcome.detail, events))
    for raw_id, detail in rejected.items():
        set_raw_event_result(conn, raw_id, ProcessingResult.REJECTED, detail)
        out.append((raw_id, (), ApplyOutcome(ProcessingResult.REJECTED, detail, [])))
    return out
